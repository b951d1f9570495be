"""How the real-set harness (ogi.tools.realset) holds a checker result to a truth: cells, defects, errors."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from ogi.model import (
    Category,
    CellKind,
    CellValue,
    Finding,
    Report,
    Severity,
    Status,
    SubmissionResult,
    Table,
)
from ogi.tools.realset import Truth, as_json, cell_matches, compare_tables, evaluate, main, render


def _cell(raw: str, kind: CellKind, value: str | None = None) -> CellValue:
    return CellValue(raw, kind, None if value is None else Decimal(value))


def test_a_truth_null_is_a_blank_cell_and_never_a_zero() -> None:
    assert cell_matches(None, _cell("", CellKind.BLANK))
    assert not cell_matches(None, _cell("0", CellKind.NUMBER, "0"))
    assert not cell_matches(0, _cell("", CellKind.BLANK))
    assert not cell_matches(None, None)  # a cell the checker did not read at all


def test_numbers_compare_by_value_and_strings_as_printed() -> None:
    assert cell_matches(7730.28, _cell("7730.28", CellKind.NUMBER, "7730.28"))
    assert cell_matches(96171.6, _cell("96171.60", CellKind.NUMBER, "96171.60"))
    assert not cell_matches(12, _cell("21", CellKind.NUMBER, "21"))
    assert cell_matches("251000元", _cell("251000 元", CellKind.ANNOTATED, "251000"))
    assert cell_matches("/", _cell("／", CellKind.PLACEHOLDER))  # full-width as printed
    assert not cell_matches("/", _cell("", CellKind.BLANK))


def test_tables_are_compared_cell_by_cell_and_extras_counted() -> None:
    table = Table("appeals", {("review", "upheld"): _cell("5", CellKind.NUMBER, "5"),
                              ("review", "total"): _cell("", CellKind.BLANK),
                              ("litigation_direct", "total"): _cell("9", CellKind.NUMBER, "9")})
    truth = {"appeals": {"review": {"upheld": 5, "total": 7, "pending": 2}}}
    total, correct, misses, extra = compare_tables(truth, {"appeals": table})
    assert (total, correct, extra) == (3, 1, 1)
    assert [(m.column, m.actual) for m in misses] == [("total", "'' (blank)"), ("pending", "absent")]


def _finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule, severity, Category.ARITHMETIC, "zh", "en")


def _truth(tmp_path: Path, defects: list[dict[str, object]], **fields: object) -> Truth:
    data: dict[str, object] = {"file": "x-2023.txt", "kind": "txt", "format_version": "2021", "agency": "某县某局",
                               "year": 2023, "cells_kept_apart": True, "tables": {}, "defects": defects}
    data.update(fields)
    return Truth("x-2023", tmp_path / "truth" / "x-2023.json", data)


def test_defects_count_when_any_of_their_rules_fires_and_errors_need_a_defect(tmp_path: Path) -> None:
    truth = _truth(tmp_path, [
        {"kind": "appeals_total_wrong", "rules": ["A104"], "confidence": "hard", "detail": "0 ≠ 11"},
        {"kind": "blank_cells", "rules": ["V002"], "confidence": "hard", "detail": "blank"},
        {"kind": "copied_text", "rules": [], "confidence": "hard", "detail": "no rule yet"},
        {"kind": "mismatch", "rules": ["C101"], "confidence": "soft", "detail": "text 17, table 95"},
    ])
    report = Report(source="x", sha256="0", kind="txt", agency="某县某局", year=2023, format_version="2021")
    result = SubmissionResult("x", "0", report, (
        _finding("A104", Severity.ERROR),  # explained by a hard defect
        _finding("C101", Severity.ERROR),  # explained by a soft one: not a false accusation
        _finding("S004", Severity.ERROR),  # explained by nothing
        _finding("V002", Severity.WARNING),  # a warning still finds the defect
    ), (), (), Status.FAIL)
    figures = evaluate(truth, result)
    assert (figures.hard_total, figures.hard_found) == (2, 2)
    assert figures.uncovered == ("copied_text (no rule)",)
    assert figures.errors == 3
    assert figures.unexplained == ("S004: zh",)
    assert figures.metadata == {}
    assert not figures.passed


def test_a_numeric_finding_matches_a_defect_only_by_the_same_arithmetic(tmp_path: Path) -> None:
    # pingtan-2012 once counted its C001 '1397 + 534 = 1931 > 1913' as found by an unrelated C001 note, and an
    # A101 error on another column would have been 'explained' by the truth's A101: the numbers must agree.
    truth = _truth(tmp_path, [
        {"kind": "parts_exceed_total", "rules": ["C001"], "confidence": "hard",
         "detail": "1397 + 534 = 1931 > 1913 (18 over)"},
        {"kind": "balance", "rules": ["A101"], "confidence": "hard", "detail": "自然人 column: 1 ≠ 1 + 1 = 2"},
    ])
    report = Report(source="x", sha256="0", kind="txt", agency="某县某局", year=2023, format_version="2021")

    def numeric(rule: str, severity: Severity, message: str, expected: int, actual: int) -> Finding:
        return Finding(rule, severity, Category.ARITHMETIC, message, "en", expected=expected, actual=actual)

    elsewhere = SubmissionResult("x", "0", report, (
        numeric("C001", Severity.INFO, "共45条，列出 9+7+1 = 17", 45, 17),
        numeric("A101", Severity.ERROR, "“其他”列：3 ≠ 2 + 2", 3, 4),
    ), (), (), Status.FAIL)
    figures = evaluate(truth, elsewhere)
    assert (figures.hard_found, figures.unexplained) == (0, ("A101: “其他”列：3 ≠ 2 + 2",))
    right = SubmissionResult("x", "0", report, (
        numeric("C001", Severity.WARNING, "1,931 > 1,913", 1913, 1931),
        numeric("A101", Severity.ERROR, "“自然人”列：1 ≠ 1 + 1", 1, 2),
    ), (), (), Status.FAIL)
    figures = evaluate(truth, right)
    assert (figures.hard_found, figures.unexplained) == (2, ())


def test_warnings_need_a_defect_unless_they_name_a_reading_doubt(tmp_path: Path) -> None:
    truth = _truth(tmp_path, [{"kind": "mismatch", "rules": ["C101"], "confidence": "soft", "detail": "17 vs 95"}])
    report = Report(source="x", sha256="0", kind="txt", agency="某县某局", year=2023, format_version="2021")
    result = SubmissionResult("x", "0", report, (
        _finding("C101", Severity.WARNING),  # explained by the soft defect
        _finding("F007", Severity.WARNING),  # names a reading doubt: accuses nothing
        _finding("S009", Severity.WARNING),  # explained by nothing
        _finding("S012", Severity.INFO),  # not a warning
    ), (), (), Status.FAIL)
    figures = evaluate(truth, result)
    assert figures.warnings == 3
    assert figures.unexplained_warnings == ("S009: zh",)
    assert "warning no defect explains S009: zh" in render([figures], details=True)
    assert as_json([figures])["totals"]["unexplained_warnings"] == 1


def test_an_entry_that_records_what_holds_explains_nothing(tmp_path: Path) -> None:
    truth = _truth(tmp_path, [{"kind": "consistent_breakdown", "rules": ["A002"], "confidence": "info", "holds": True,
                               "detail": "425 = 303 (71.3%) + 122 (28.7%)"}])
    report = Report(source="x", sha256="0", kind="txt", agency="某县某局", year=2023, format_version="2021")
    result = SubmissionResult("x", "0", report, (_finding("A002", Severity.WARNING),), (), (), Status.FAIL)
    assert evaluate(truth, result).unexplained_warnings == ("A002: zh",)


def test_metadata_compares_the_agency_without_spaces(tmp_path: Path) -> None:
    truth = _truth(tmp_path, [], agency="洪泽区人民政府")
    read = Report(source="x", sha256="0", kind="pdf", agency="淮安市 洪泽区人民政府", year=2022, format_version="2021")
    figures = evaluate(truth, SubmissionResult("x", "0", read, (), (), (), Status.PASS))
    assert figures.metadata == {"year": (2023, 2022)}
    blank = _truth(tmp_path, [], agency=None, year=None)
    figures = evaluate(blank, SubmissionResult("x", "0", Report(source="x", sha256="0", kind="txt",
                                                               agency="某局", format_version="2021"),
                                               (), (), (), Status.PASS))
    assert figures.metadata == {"agency": (None, "某局")}


def test_the_tool_prints_a_table_and_writes_comparable_json(tmp_path: Path, capsys: object) -> None:
    text = "2023年某县某局政府信息公开工作年度报告\n一、总体情况\n无。\n".encode()
    (tmp_path / "files").mkdir()
    (tmp_path / "truth").mkdir()
    (tmp_path / "files" / "x-2023.txt").write_bytes(text)
    truth = {"file": "x-2023.txt", "kind": "txt", "format_version": "2021", "agency": "某县某局", "year": 2023,
             "cells_kept_apart": True, "tables": {"appeals": {"review": {"total": 0}}}, "defects": [],
             "provenance": {"sha256": hashlib.sha256(text).hexdigest()}}
    (tmp_path / "truth" / "x-2023.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "figures.json"
    assert main(["--root", str(tmp_path), "--json", str(out), "--details"]) == 0
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "x-2023" in printed and "TOTAL" in printed and "appeals/review/total" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["totals"]["reports"] == 1 and figures["totals"]["cells"] == 1
    assert figures["reports"][0]["id"] == "x-2023" and figures["reports"][0]["cells"] == 1
    assert main(["--root", str(tmp_path / "nowhere")]) == 2
    assert "TOTAL" in render([])
