"""Row labels as real PDFs print them (issue 15, classes 4–6): damaged or wrapped labels read by their place,
a label and its number in one cell, and a 2021 report printing （六）其他处理 as the 2019 format's one row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docs2021 import Doc
from ogi.api import check
from ogi.ingest.tables import recognise_tables
from ogi.model import Severity, SubmissionResult
from ogi.schemas.definitions import FormatDef, load_format
from test_tables import REQ_COLS, active_rows_2021, canonical, doc, grid, requests_rows


@pytest.fixture(scope="module")
def f2021() -> FormatDef:
    return load_format("2021")


def _requests(f2021: FormatDef, change: dict[str, str] | None = None, seed: int = 5) -> tuple[
        list[list[str]], dict[tuple[str, str], str]]:
    tdef = f2021.tables["requests"]
    data = canonical(tdef, seed=seed)
    rows = requests_rows(tdef, data)
    for old, new in (change or {}).items():
        rows = [[new if cell == old else cell for cell in row] for row in rows]
    return rows, data


def _row(rows: list[list[str]], label: str) -> int:
    return next(i for i, r in enumerate(rows) if label in r)


def _findings(path: Path) -> SubmissionResult:
    [result] = check([str(path)], jobs=1).submissions
    return result


# --- 4. damaged and variant labels ----------------------------------------------------------------


def test_a_label_with_lost_characters_is_read_where_the_format_expects_it(f2021: FormatDef) -> None:
    rows, data = _requests(f2021, {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"})
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    for col in f2021.tables["requests"].column_keys:
        assert table.value("denied.prohibited_by_law", col) == Decimal(data[("denied.prohibited_by_law", col)])
    assert table.unmatched_rows == ()
    [damaged] = notes
    assert damaged.code == "damaged-label"
    assert dict(damaged.data) == {"table": "requests", "row": "denied.prohibited_by_law",
                                  "label": "2.其他法律行政止公开"}


def test_a_label_wrapped_onto_the_next_row_is_read_whole(f2021: FormatDef) -> None:
    rows, data = _requests(f2021)
    at = _row(rows, "4.无正当理由大量反复申请")
    rows[at] = [c.replace("4.无正当理由大量反复申请", "4.无正当理由大量反复") for c in rows[at]]
    rows.insert(at + 1, [rows[at][0], rows[at][1], "申请"] + [""] * 7)
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    assert table.value("not_processed.excessive", "total") == Decimal(data[("not_processed.excessive", "total")])
    assert table.unmatched_rows == ()
    assert [(n.code, dict(n.data)["label"]) for n in notes] == [("damaged-label", "4.无正当理由大量反复 / 申请")]


def test_a_damaged_label_like_two_expected_rows_is_not_read_and_says_so(f2021: FormatDef) -> None:
    rows, _ = _requests(f2021, {"5.属于三类内部事务信息": "属于类信息"})
    del rows[_row(rows, "6.属于四类过程性信息")]  # two rows expected in the gap: which one is this?
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    assert not any(r in ("denied.internal_affairs", "denied.process_info") for r, _ in table.cells)
    assert table.unmatched_rows == ("属于类信息",)
    [unread] = notes
    assert unread.code == "unmatched-row"
    assert "5.属于三类内部事务信息" in unread.detail and "6.属于四类过程性信息" in unread.detail
    assert "无法确定" in unread.detail


def test_a_damaged_label_is_never_read_as_a_row_already_read(f2021: FormatDef) -> None:
    rows, data = _requests(f2021)
    at = _row(rows, "1.属于国家秘密")
    extra = [c.replace("1.属于国家秘密", "1.属于国家秘") for c in rows[at]]
    extra[3:] = ["9"] * 7
    rows.insert(at + 1, extra)  # a second, damaged copy: no row is missing between its neighbours
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    assert table.value("denied.state_secret", "total") == Decimal(data[("denied.state_secret", "total")])
    assert table.unmatched_rows == ("1.属于国家秘",)
    assert [n.code for n in notes] == ["unmatched-row"]


def test_a_damaged_label_is_one_info_finding_not_three_warnings(tmp_path: Path) -> None:
    page = Doc(replace=(("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),)).write(tmp_path)
    result = _findings(page)
    assert [(f.rule, f.severity) for f in result.findings] == [("S014", Severity.INFO)]
    assert "2.其他法律行政止公开" in result.findings[0].message


# --- 5. a label and its number in one cell ----------------------------------------------------------


@pytest.mark.parametrize("layout", ["label-cell", "value-columns"])
def test_label_and_number_in_one_cell(f2021: FormatDef, layout: str) -> None:
    data = canonical(f2021.tables["active"], seed=41)
    rows = active_rows_2021(data)
    at = _row(rows, "行政强制")
    printed = "行政强制 37"
    rows[at] = [printed, "", "", ""] if layout == "label-cell" else ["", printed, printed, printed]
    tables, notes = recognise_tables(doc(grid(rows, kind="pdf")), f2021)
    cell = tables["active"].cells[("coercion", "decisions")]
    assert (cell.raw, cell.value) == ("37", Decimal(37))
    assert cell.locator is not None and cell.locator.row == at
    assert notes == []


def test_three_numbers_after_a_label_fill_the_row(f2021: FormatDef) -> None:
    data = canonical(f2021.tables["active"], seed=42)
    rows = active_rows_2021(data)
    rows[_row(rows, "行政规范性文件")] = ["行政规范性文件 77 132 470", "", "", ""]
    table = recognise_tables(doc(grid(rows, kind="pdf")), f2021)[0]["active"]
    assert [table.value("normative_documents", c) for c in ("issued", "repealed", "in_force")] == [77, 132, 470]


def test_numbers_that_do_not_fit_the_row_stay_unread(f2021: FormatDef) -> None:
    data = canonical(f2021.tables["active"], seed=43)
    rows = active_rows_2021(data)
    rows[_row(rows, "行政规范性文件")] = ["行政规范性文件 77 132", "", "", ""]  # two numbers, three columns
    table = recognise_tables(doc(grid(rows, kind="pdf")), f2021)[0]["active"]
    assert table.get("normative_documents", "issued") is not None
    assert table.value("normative_documents", "issued") is None


# --- 6. a 2021 report on the 2019 row layout --------------------------------------------------------


def _one_other_row() -> Doc:
    page = Doc()
    requests = page.tables["requests"]
    merged = [sum(int(requests[r][c] or 0) for r in ("other.no_correction", "other.unpaid_fee", "other.other"))
              for c in ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org",
                        "total")]
    for key in ("other.no_correction", "other.unpaid_fee", "other.other"):
        del requests[key]
    page.extra_request_rows = [("（六）其他处理", merged)]  # printed before （七）总计, as in 2019
    return page


def test_one_other_row_is_read_as_other_other(tmp_path: Path, f2021: FormatDef) -> None:
    page = _one_other_row()
    from ogi.ingest.readers import read_document

    raw = read_document(page.html().encode(), "r.html")
    tables, notes = recognise_tables(raw, f2021)
    table = tables["requests"]
    merged = dict(zip(REQ_COLS, page.extra_request_rows[0][1], strict=True))
    assert table.value("other.other", "total") == merged["总计"]
    assert table.get("other.no_correction", "total") is None and table.get("other.unpaid_fee", "total") is None
    assert [n.code for n in notes] == ["legacy-row"]


def test_one_other_row_is_one_finding_and_the_outcomes_still_add_up(tmp_path: Path) -> None:
    result = _findings(_one_other_row().write(tmp_path))
    assert [f.rule for f in result.findings] == ["S012"]
    [finding] = result.findings
    assert finding.severity is Severity.WARNING
    assert "（六）其他处理" in finding.message and "2019年版" in finding.message
    assert {"A101", "A102", "A103", "S009"} <= set(result.passed)


def test_a_group_heading_with_a_subtotal_above_its_rows_is_not_read(f2021: FormatDef) -> None:
    rows, data = _requests(f2021)
    at = _row(rows, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    rows.insert(at, [rows[at][0], "（六）其他处理", "（六）其他处理", *["1"] * 7])
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    assert table.value("other.other", "total") == Decimal(data[("other.other", "total")])
    assert [n.code for n in notes] == ["unmatched-row"]
    assert "分组标题行填有数值" in notes[0].detail


def test_a_stray_space_in_a_label_needs_no_repair(f2021: FormatDef) -> None:
    rows, data = _requests(f2021, {"4.无正当理由大量反复申请": "4.无正当理由大量反复 申请"})
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    assert tables["requests"].value("not_processed.excessive", "total") == \
        Decimal(data[("not_processed.excessive", "total")])
    assert notes == []
