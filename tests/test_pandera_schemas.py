"""pandera schemas built from the format definitions: usable on an office's own DataFrames, and
`validate_table` turns their failure cases into the same findings the rules give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from docs2021 import Doc
from ogi.checks.identities import validate_table
from ogi.config import Config
from ogi.engine import check_report, read_file
from ogi.model import Report
from ogi.schemas import active_schema, appeals_schema, report_frame, requests_schema, table_frame, table_schema
from ogi.schemas.definitions import load_format


def _report(doc: Doc, folder: Path) -> Report:
    report = read_file(doc.write(folder), Config())
    assert isinstance(report, Report)
    return report


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema.validate(frame, lazy=True)
    return caught.value.failure_cases


@pytest.mark.parametrize(("version", "table", "rows", "cols"), [
    ("2021", "requests", 25, 7), ("2019", "requests", 23, 7), ("2021", "appeals", 3, 5), ("2019", "appeals", 3, 5),
    ("2021", "active", 6, 5), ("2019", "active", 8, 8),
])
def test_schemas_come_from_the_definitions(version: str, table: str, rows: int, cols: int) -> None:
    schema = table_schema(version, table)
    tdef = load_format(version).tables[table]
    assert list(schema.columns) == list(tdef.column_keys) and len(schema.columns) == cols
    assert len(tdef.row_keys) == rows
    assert schema.name == f"{version}.{table}"
    for key, column in schema.columns.items():
        assert column.title == tdef.column(key).label and column.nullable


def test_helpers_name_the_tables() -> None:
    assert requests_schema() is table_schema("2021", "requests")
    assert appeals_schema("2019") is table_schema("2019", "appeals")
    assert active_schema().name == "2021.active"
    with pytest.raises(KeyError):
        table_schema("2008", "requests")


def test_a_clean_report_validates(tmp_path: Path) -> None:
    report = _report(Doc(), tmp_path)
    for key in ("active", "requests", "appeals"):
        frame = report_frame(report, key)
        table_schema("2021", key).validate(frame)
        assert validate_table(report, key) == []


def test_an_offices_own_frame() -> None:
    tdef = load_format("2021").tables["appeals"]
    frame = pd.DataFrame(0, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame.loc["review"] = [2, 1, 0, 1, 4]
    appeals_schema().validate(frame)
    frame.loc["review", "total"] = 5
    cases = _failures(appeals_schema(), frame)
    a104 = cases[cases["check"] == "A104"]
    assert set(a104["index"]) == {"review"}


def test_blank_cells_are_nan_and_count_as_zero_only_in_identities() -> None:
    tdef = load_format("2021").tables["requests"]
    frame = pd.DataFrame(0.0, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame["commercial"] = np.nan  # a blank column: not a failure here (V002 reports it)
    requests_schema().validate(frame)


def test_a_wholly_blank_side_is_not_a_failure() -> None:
    # The 总计 column blank while the applicants hold numbers: not written, not 0 (the rules say "not
    # checked"); a single blank applicant beside numbers still counts as 0.
    tdef = load_format("2021").tables["requests"]
    frame = pd.DataFrame(0.0, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame.loc[["new_received", "total_processed"], "natural_person"] = 5
    frame.loc["granted", "natural_person"] = 5
    frame["total"] = np.nan
    requests_schema().validate(frame)
    frame.loc["granted", "total"] = 6
    cases = _failures(requests_schema(), frame)
    assert set(cases[cases["check"] == "A103"]["index"]) == {"granted"}


def test_value_checks() -> None:
    tdef = load_format("2021").tables["active"]
    frame = pd.DataFrame(np.nan, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame.loc["licensing", "decisions"] = -3
    frame.loc["punishment", "decisions"] = 12.5
    frame.loc["fees", "amount"] = 12.5  # 万元 may be a decimal
    cases = _failures(active_schema(), frame)
    failing = {(c, i) for c, i in zip(cases["check"].astype(str), cases["index"], strict=True)}
    assert ("greater_than_or_equal_to(0)", "licensing") in failing and ("integer", "punishment") in failing
    assert not any(i == "fees" for _, i in failing)


def test_signed_change_column_of_2019() -> None:
    tdef = load_format("2019").tables["active"]
    frame = pd.DataFrame(np.nan, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame.loc["punishment", ["prev_items", "change", "decisions"]] = [30, -1, 45]
    active_schema("2019").validate(frame)


def test_per_column_identity_failure_names_the_column() -> None:
    tdef = load_format("2021").tables["requests"]
    frame = pd.DataFrame(0, index=list(tdef.row_keys), columns=list(tdef.column_keys))
    frame.loc["new_received", ["natural_person", "total"]] = 3
    frame.loc["total_processed", ["natural_person", "total"]] = 2
    frame.loc["granted", ["natural_person", "total"]] = 2
    cases = _failures(requests_schema(), frame)
    a101 = cases[cases["check"] == "A101"]
    assert sorted(a101["column"]) == ["natural_person", "total"]


def test_validate_table_gives_one_finding_per_failing_identity(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "granted", "natural_person", 61)  # A102 fails in two columns
    report = _report(doc, tmp_path)
    findings = validate_table(report, "requests")
    assert [(f.rule, f.location.column) for f in findings] == [("A102", "natural_person"), ("A102", "total")]
    from_rules = [f for f in check_report(report, Config()).findings if f.rule == "A102"]
    assert [f.message for f in findings] == [f.message for f in from_rules]


def test_validate_table_reports_cell_values(tmp_path: Path) -> None:
    doc = Doc().cell("active", "licensing", "decisions", "-3").cell("active", "punishment", "decisions", "12.5")
    report = _report(doc, tmp_path)
    findings = validate_table(report, "active")
    assert sorted((f.rule, f.location.row) for f in findings) == [("V005", "licensing"), ("V006", "punishment")]
    checked = check_report(report, Config())
    from_rules = {(f.rule, f.location.row) for f in checked.findings if f.rule in ("V005", "V006")}
    assert from_rules == {("V005", "licensing"), ("V006", "punishment")}
    assert validate_table(report, "nonexistent") == []


def test_table_frame_is_wide(tmp_path: Path) -> None:
    report = _report(Doc(), tmp_path)
    tdef = load_format("2021").tables["requests"]
    frame = table_frame(report.tables["requests"], tdef)
    assert frame.shape == (25, 7)
    assert frame.loc["partially_granted", "natural_person"] == 201
    active = report_frame(report, "active")
    assert np.isnan(active.loc["licensing", "issued"]) and active.loc["fees", "amount"] == 1.25
