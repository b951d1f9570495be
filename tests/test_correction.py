"""The most likely wrong cell: named in every failing identity's finding, with the value that fixes all."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docs2021 import Doc
from ogi.checks.correction import most_likely_correction, typing_slip
from ogi.config import Config
from ogi.engine import check_file, read_file
from ogi.model import Report
from ogi.schemas.definitions import load_format


def _check(doc: Doc, folder: Path):  # type: ignore[no-untyped-def]
    return check_file(doc.write(folder), Config())


def test_a_single_swapped_cell_is_named_with_its_value(tmp_path: Path) -> None:
    # 自然人×部分公开 written 102 instead of 201 in an otherwise balanced table.
    doc = Doc().cell("requests", "partially_granted", "natural_person", 102, keep_total=False)
    result = _check(doc, tmp_path)
    failing = [f for f in result.findings if f.rule.startswith("A1")]
    assert {(f.rule, f.location.column or f.location.row) for f in failing} == {
        ("A102", "natural_person"), ("A103", "partially_granted")}
    fixes = {f.fix for f in failing}
    assert len(fixes) == 1  # every failing identity carries the same fix
    fix = fixes.pop()
    assert fix is not None
    assert fix.startswith("自然人×部分公开应为 201（现为 102；疑似数字颠倒），可使全部勾稽关系成立")
    assert "Natural persons × Partially granted: 201 (now 102; digits swapped?) would balance every identity" in fix


def test_correction_object(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "new_received", "commercial", 40, keep_total=False)
    report = read_file(doc.write(tmp_path), Config())
    assert isinstance(report, Report)
    correction = most_likely_correction(report, load_format("2021"), "requests")
    assert correction is not None and len(correction.cells) == 1
    fix = correction.cells[0]
    assert (fix.row, fix.column, fix.current, fix.value, fix.slip) == (
        "new_received", "commercial", Decimal(40), Decimal(4), "scale")
    assert "多写或漏写了 0" in correction.describe(load_format("2021").tables["requests"])


def test_a_wrong_total_cell(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "total_processed", "natural_person", 310, keep_total=False)
    result = _check(doc, tmp_path)
    failing = [f for f in result.findings if f.rule.startswith("A1")]
    assert {f.rule for f in failing} == {"A101", "A102", "A103"}
    assert all(f.fix and f.fix.startswith("自然人×总计应为 300（现为 310；疑似个别数字录入错误）") for f in failing)


def test_two_cells_when_one_is_not_enough(tmp_path: Path) -> None:
    # The same slip in the applicant cell and in the 总计 column: only a pair of cells fixes everything.
    doc = Doc().cell("requests", "partially_granted", "natural_person", 102)
    result = _check(doc, tmp_path)
    fixes = {f.fix for f in result.findings if f.rule.startswith("A1")}
    assert fixes == {"自然人×部分公开应为 201（现为 102；疑似数字颠倒），"
                     "总计×部分公开应为 201（现为 102；疑似数字颠倒），"
                     "可使全部勾稽关系成立 / Natural persons × Partially granted: 201 (now 102; digits swapped?); "
                     "Total × Partially granted: 201 (now 102; digits swapped?) would balance every identity"}


def test_table_four(tmp_path: Path) -> None:
    result = _check(Doc().cell("appeals", "review", "total", 40), tmp_path)
    a104 = [f for f in result.findings if f.rule == "A104"]
    assert len(a104) == 1 and a104[0].fix is not None
    assert a104[0].fix.startswith("行政复议×总计应为 4（现为 40；疑似多写或漏写了 0）")


def test_no_fix_is_named_when_several_are_equally_likely(tmp_path: Path) -> None:
    # total 7 against parts 2+1+0+1: any part +3 or the total −3 would do, none is more likely.
    result = _check(Doc().cell("appeals", "review", "total", 7), tmp_path)
    a104 = [f for f in result.findings if f.rule == "A104"]
    assert len(a104) == 1 and a104[0].fix is None


def test_a_blank_cell_that_should_hold_a_number(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "granted", "natural_person", None, keep_total=False)
    result = _check(doc, tmp_path)
    fixes = {f.fix for f in result.findings if f.rule.startswith("A1")}
    assert len(fixes) == 1
    assert next(iter(fixes)).startswith("自然人×予以公开应为 60（现为 空；该单元格为空白）")  # type: ignore[union-attr]


@pytest.mark.parametrize(("written", "meant", "slip"), [
    (102, 201, "swap"), (21, 12, "swap"), (1324, 1234, "swap"), (310, 300, "digit"), (30, 300, "scale"),
    (4000, 4, "scale"), (1234, 124, "extra"), (12, 121, "extra"), (7, 4, "digit"), (15, 42, None), (5, 5, None),
])
def test_typing_slips(written: int, meant: int, slip: str | None) -> None:
    assert typing_slip(Decimal(written), Decimal(meant)) == slip


def test_no_slip_for_fractions_and_blanks() -> None:
    assert typing_slip(Decimal("1.5"), Decimal("5.1")) is None
    assert typing_slip(None, Decimal(3)) == "blank"


def test_balanced_table_has_no_correction(tmp_path: Path) -> None:
    report = read_file(Doc().write(tmp_path), Config())
    assert isinstance(report, Report)
    assert most_likely_correction(report, load_format("2021"), "requests") is None
    assert most_likely_correction(report, load_format("2021"), "nonexistent") is None
