"""summary.xlsx: 报告汇总, 问题明细 (auto-filter), 报送情况; frozen headers, widths, reproducible bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from ogi.reports.common import counts
from ogi.reports.xlsx_summary import (
    FINDING_HEADERS,
    ROSTER_HEADERS,
    SHEET_FINDINGS,
    SHEET_ROSTER,
    SHEET_SUMMARY,
    SUMMARY_HEADERS,
    write_summary_xlsx,
)
from ogi.roster import match_roster, parse_roster
from report_samples import SEED_AGENCY, TABLE_AGENCY, seed_result, table_result, unreadable_result


def _batch() -> list:
    return [seed_result(), table_result(), unreadable_result()]


def _rows(ws) -> list[tuple]:  # type: ignore[no-untyped-def]
    return list(ws.iter_rows(values_only=True))


def test_sheets_rows_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(_batch(), path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET_SUMMARY, SHEET_FINDINGS, SHEET_ROSTER] == ["报告汇总", "问题明细", "报送情况"]

    summary = _rows(wb[SHEET_SUMMARY])
    assert summary[0] == SUMMARY_HEADERS
    assert [r[0] for r in summary[1:]] == [SEED_AGENCY, TABLE_AGENCY, "坏文件.doc"]
    seed = dict(zip(SUMMARY_HEADERS, summary[1], strict=True))
    assert seed["年度"] == 2017 and seed["发布日期"] == dt.datetime(2018, 3, 19) and seed["按时发布"] == "按时"
    expected_counts = counts(seed_result())
    assert seed["错误"] == expected_counts.error and seed["警告"] == expected_counts.warning
    assert seed["结论"] == "不合格"
    assert dict(zip(SUMMARY_HEADERS, summary[2], strict=True))["已豁免"] == 1

    findings = _rows(wb[SHEET_FINDINGS])
    assert findings[0] == FINDING_HEADERS
    expected = sum(len(r.findings) + len(r.waived) for r in _batch())
    assert len(findings) - 1 == expected
    a001 = next(dict(zip(FINDING_HEADERS, r, strict=True)) for r in findings[1:] if r[2] == "A001")
    assert a001["级别"] == "错误" and a001["类别"] == "勾稽" and a001["应为"] == "5" and a001["实为"] == "3"
    assert "自然人" in a001["位置"] and "cell C8" in a001["位置"] and a001["建议修改"].startswith("（二）部分公开")
    waived = next(dict(zip(FINDING_HEADERS, r, strict=True)) for r in findings[1:] if r[2] == "S001")
    assert waived["豁免"] == "经批准并入第一部分（区政务公开办）"

    note = _rows(wb[SHEET_ROSTER])
    assert len(note) == 2 and "未提供应报机关名单" in note[1][0]


def test_frozen_headers_filter_and_widths(tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(_batch(), path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 8
    assert wb[SHEET_FINDINGS].auto_filter.ref == f"A1:O{wb[SHEET_FINDINGS].max_row}"
    # a long Chinese name widens its column
    assert wb[SHEET_SUMMARY].column_dimensions["A"].width >= len(SEED_AGENCY) * 2


def test_roster_sheet(tmp_path: Path) -> None:
    entries = parse_roster("机关,层级,地区\n常德市人民政府政务服务中心,部门,常德市\n"
                           "株洲市渌口区发展和改革局,部门,渌口区\n某某县教育局,部门,某某县\n")
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(_batch(), path, roster=match_roster(entries, _batch()))
    rows = _rows(openpyxl.load_workbook(path)[SHEET_ROSTER])
    assert rows[0] == ROSTER_HEADERS
    status = {r[0]: r[3] for r in rows[1:]}
    assert status == {SEED_AGENCY: "按时报送", TABLE_AGENCY: "逾期报送", "某某县教育局": "未报送",
                      "坏文件.doc": "不在名单中"}
    late = next(r for r in rows[1:] if r[0] == TABLE_AGENCY)
    assert late[4] == dt.datetime(2024, 1, 31) and late[6] == 5


def test_bytes_are_reproducible(tmp_path: Path) -> None:
    one, two = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_summary_xlsx(_batch(), one)
    write_summary_xlsx(_batch(), two)
    assert one.read_bytes() == two.read_bytes()
    when = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
    write_summary_xlsx(_batch(), two, generated_at=when)
    assert openpyxl.load_workbook(two).properties.modified == dt.datetime(2024, 3, 1, 8, 0)


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx([table_result(agency="某局\x07\x0b名")], path)
    assert _rows(openpyxl.load_workbook(path)[SHEET_SUMMARY])[1][0] == "某局名"
