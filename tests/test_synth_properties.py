"""Properties of the synthetic reports: every identity of the format definition holds, for any seed.

The identities are evaluated from the definitions (`IdentityDef` + `TableDef.expand`), not restated
here, so a change to a format definition is checked against the generator automatically. A random
table (not necessarily consistent) printed as HTML reads back cell for cell.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.config import Config
from ogi.engine import read_file
from ogi.model import CellKind, SubmissionResult
from ogi.schemas.definitions import IdentityDef, TableDef, load_format
from ogi.testing import SynthReport, generate, render_html
from ogi.testing.synth import LEVELS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
reports = st.builds(
    generate,
    seed=st.integers(0, 2**32),
    format_version=st.sampled_from(("2021", "2019")),
    level=st.sampled_from((None, *LEVELS)),
    size=st.sampled_from((None, "none", "tiny", "small", "medium", "large")),
)


def _number(value: object) -> Decimal:
    assert isinstance(value, (int, Decimal)) and not isinstance(value, bool), value
    return Decimal(value)


def violations(report: SynthReport, ident: IdentityDef) -> list[str]:
    """Where an identity of the format definition fails in the report's table."""
    tdef: TableDef = report.fmt.tables[ident.table]
    data = report.tables[ident.table]
    out = []
    if ident.each == "column":
        lhs, rhs = tdef.expand(ident.lhs), tdef.expand(ident.rhs)
        assert lhs and rhs, ident
        for col in tdef.column_keys:
            left = sum(_number(data[r][col]) for r in lhs)
            right = sum(_number(data[r][col]) for r in rhs)
            if left != right:
                out.append(f"{ident.id} column {col}: {left} != {right}")
    else:
        lhs, rhs = tdef.expand_columns(ident.lhs), tdef.expand_columns(ident.rhs)
        assert lhs and rhs, ident
        for row in tdef.row_keys:
            left = sum(_number(data[row][c]) for c in lhs)
            right = sum(_number(data[row][c]) for c in rhs)
            if left != right:
                out.append(f"{ident.id} row {row}: {left} != {right}")
    return out


@SETTINGS
@given(reports)
def test_every_identity_holds(report: SynthReport) -> None:
    fmt = load_format(report.format_version)
    assert fmt.identities
    for ident in fmt.identities:
        assert not violations(report, ident)


@SETTINGS
@given(reports)
def test_tables_have_exactly_the_official_cells(report: SynthReport) -> None:
    fmt = load_format(report.format_version)
    assert set(report.tables) == set(fmt.tables)
    for key, tdef in fmt.tables.items():
        have = {(r, c) for r, cols in report.tables[key].items() for c in cols}
        assert have == set(tdef.cells())
        for row, col, value in report.cells(key):
            column = tdef.column(col)
            if column.decimal:
                assert isinstance(value, Decimal) and value >= 0
            else:
                assert isinstance(value, int) and not isinstance(value, bool)
                assert column.signed or value >= 0, (row, col, value)


@SETTINGS
@given(reports)
def test_dates_are_on_time_and_in_order(report: SynthReport) -> None:
    assert report.published <= report.deadline
    assert dt.date(report.year + 1, 1, 2) <= report.signed <= report.published
    assert not report.defects


@SETTINGS
@given(reports)
def test_narrative_states_the_table_figures(report: SynthReport) -> None:
    text = report.sections["overview"]
    new, carried = report.total("requests", "new_received"), report.total("requests", "carried_over")
    done, forward = report.total("requests", "total_processed"), report.total("requests", "carried_forward")
    if new + carried:
        for figure in (new, carried, done, forward):
            assert re.search(rf"(?<!\d){figure}件", text), (figure, text)
    else:
        assert "未收到政府信息公开申请" in text
    review = report.total("appeals", "review")
    if review:
        assert f"行政复议{review}件" in text
    if report.year >= 2021:
        assert "信息处理费" in report.sections["other"]
    assert "统计期限" in report.preamble or "统计时限" in report.preamble
    assert f"{report.year}年1月1日" in report.preamble


@SETTINGS
@given(st.integers(0, 2**32), st.sampled_from(("2008",)))
def test_old_shape_outcomes_and_spending_add_up(seed: int, version: str) -> None:
    report = generate(seed, format_version=version)
    facts = report.facts
    assert sum(facts["outcomes"].values()) == facts["requests"]
    assert facts["spending"] <= facts["budget"]
    assert report.tables == {}


# --- random tables through HTML ------------------------------------------------------------------


def _cell_strategy(tdef: TableDef, col: str) -> st.SearchStrategy[object]:
    column = tdef.column(col)
    if column.decimal:
        return st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
    if column.signed:
        return st.integers(-(10**4), 10**4)
    return st.integers(0, 10**7)


@st.composite
def random_tables(draw: st.DrawFn) -> SynthReport:
    base = generate(draw(st.integers(0, 10**6)), format_version=draw(st.sampled_from(("2021", "2019"))))
    fmt = load_format(base.format_version)
    tables: dict[str, dict[str, dict[str, object]]] = {}
    for key, tdef in fmt.tables.items():
        tables[key] = {}
        for row, col in tdef.cells():
            tables[key].setdefault(row, {})[col] = draw(_cell_strategy(tdef, col))
    return dataclasses.replace(base, tables=tables)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("random-tables")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_tables(), st.sampled_from(("clean", "word", "fullwidth")))
def test_random_tables_round_trip_through_html(html_dir: Path, report: SynthReport, style: str) -> None:
    path = html_dir / f"{report.seed}-{style}.html"
    path.write_bytes(render_html(report, style))
    read = read_file(path, Config())
    assert not isinstance(read, SubmissionResult)
    for key in report.tables:
        table = read.tables[key]
        for row, col, want in report.cells(key):
            cell = table.get(row, col)
            assert cell is not None, (key, row, col)
            assert cell.kind == CellKind.NUMBER, (key, row, col, cell.raw)
            assert cell.value is not None and Decimal(cell.value) == Decimal(str(want)), (key, row, col, cell.raw)
