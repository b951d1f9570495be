"""Tables packed for the trip from a batch's workers: unpickled only when read, the results unchanged."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

import ogi.batch
from ogi.batch import run_batch, without_prose
from ogi.config import Config
from ogi.engine import check_file, read_file
from ogi.model import PackedTables, Report, SubmissionResult
from ogi.testing import generate, render


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Enough reports with tables for a window to be evaluated vectorised; many with failing identities,
    some with a table holding no number or none of the identity tables."""
    folder = tmp_path_factory.mktemp("lazy")
    files: list[Path] = []
    for i in range(24):
        report = generate(seed=300 + i, format_version="2019" if i % 5 == 0 else "2021")
        report = [
            lambda r: r,
            lambda r: r.unbalanced("natural_person", 2),
            lambda r: r.outcomes_off("total", 3),
            lambda r: r.total_column_off("new_received", 1),
            lambda r: r.appeals_off("review", 1),
            lambda r: r.blank_cells([("appeals", row, col) for row, col, _ in r.cells("appeals")]),
            lambda r: r.blank_cells([("requests", row, col) for row, col, _ in r.cells("requests")]),
            lambda r: r.unbalanced("total", 1).blank_cells(n=4),
        ][i % 8](report)
        kind = ("html", "docx", "txt")[i % 3]
        path = folder / f"{i:02d}.{kind}"
        path.write_bytes(render(report, kind, realistic=kind == "html"))
        files.append(path)
    prose = folder / "99.txt"
    text = "某某局2023年政府信息公开工作年度报告\n\n一、总体情况\n本机关依法公开政府信息。\n"
    prose.write_text(text, encoding="utf-8")
    files.append(prose)
    return files


@pytest.fixture(scope="module")
def report(corpus: list[Path]) -> Report:
    outcome = read_file(corpus[1], Config())
    assert isinstance(outcome, Report)
    return outcome


def test_packed_tables_read_like_the_dict(report: Report) -> None:
    tables = report.tables
    packed = PackedTables.pack(tables)
    assert list(packed) == list(tables) and len(packed) == len(tables)
    assert "requests" in packed and "nothing" not in packed and packed.get("nothing") is None
    assert packed._tables is None  # keys, lengths and membership need no unpickling
    assert packed == tables and tables == packed and packed == PackedTables.pack(tables)
    assert packed != {} and PackedTables.pack({}) != tables
    assert repr(packed) == repr(tables)
    assert packed["requests"] == tables["requests"] and packed.get("requests") == tables["requests"]
    assert dict(packed.items()) == tables


@pytest.mark.parametrize("read_first", [False, True])
def test_packed_tables_pickle_and_compare_inside_a_report(report: Report, read_first: bool) -> None:
    slim = without_prose(report)
    assert isinstance(slim.tables, PackedTables)
    if read_first:
        assert slim.tables["requests"] == report.tables["requests"]
    again = pickle.loads(pickle.dumps(slim))
    assert again == slim == replace(report, sections=(), preamble="", facts=(), text="")
    assert repr(again) == repr(replace(report, sections=(), preamble="", facts=(), text=""))


def _unpacked(result: SubmissionResult) -> bool:
    assert result.report is not None
    tables = result.report.tables
    return not isinstance(tables, PackedTables) or tables._tables is not None


@pytest.mark.parametrize("window", [None, 5])
def test_a_slim_batch_says_what_each_report_alone_says(corpus: list[Path], window: int | None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if window is not None:
        monkeypatch.setattr(ogi.batch, "MIN_VECTORISED", 2)  # small windows still evaluated vectorised
    config = Config()
    results = list(run_batch(corpus, config, jobs=2, window=window, keep_text=False))
    assert [r.source for r in results] == [str(p) for p in corpus]
    codes = {"A101", "A102", "A103", "A104"}
    for result, path in zip(results, corpus, strict=True):
        alone = check_file(path, config)
        assert (result.findings, result.not_checked, result.passed, result.status) == (
            alone.findings, alone.not_checked, alone.passed, alone.status)
        failed = any(f.rule in codes for f in result.findings)
        # Only a report an identity fails for had its tables unpickled in the main process.
        assert _unpacked(result) == failed
    found = [f for r in results for f in r.findings if f.rule in codes]
    assert {f.rule for f in found} == codes
    assert any(f.fix for f in found) and any(f.location.source is not None for f in found)
    reasons = {n.reason_en for r in results for n in r.not_checked if n.rule in codes}
    assert any(reason.endswith("holds no numbers") for reason in reasons)
    assert any(reason.endswith("was not found") for reason in reasons)


def test_the_failures_split_by_report_are_those_of_the_frame(corpus: list[Path]) -> None:
    from ogi.checks.identities import precompute_identities, results_from_frame

    reports = [r for r in (read_file(p, Config()) for p in corpus) if isinstance(r, Report)]
    with_frame = precompute_identities(reports)
    without = precompute_identities(reports, frame=False)
    assert "identities" not in without and without["identities_sources"] == with_frame["identities_sources"]
    by_frame = {source: results_from_frame(part) for source, part in with_frame["identities"].groupby("source")}
    assert without["_identities_by_source"] == by_frame and by_frame
    numbered = without["identities_numbered"]
    for report in reports:
        for key in ("requests", "appeals"):
            holds = key in report.tables and any(c.number is not None for c in report.tables[key].cells.values())
            assert (key in numbered.get(report.source, ())) == holds
