"""Markdown pipe tables (reports converted by document-to-Markdown tools) are read as tables (issue 15, class 8)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.config import Config
from ogi.engine import discover, read_file
from ogi.ingest.readers import read_document
from ogi.ingest.sniff import detect_kind
from ogi.ingest.tables import recognise_from_lines, recognise_tables
from ogi.model import CellKind, Report
from ogi.schemas.definitions import load_format

REQ_HEADER = [
    "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |",
    "|---|---|---|---|---|---|---|---|",
    "| | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
]
NEW_ROW = "| 一、本年新收政府信息公开申请数量 | 3746 | 63 | 0 | 0 | 19 | 2 | 3830 |"
CARRIED_ROW = "| 二、上年结转政府信息公开申请数量 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |"
COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]


def _numbers(report_table: object, row: str) -> list[Decimal | None]:
    from ogi.model import Table

    assert isinstance(report_table, Table)
    return [report_table.value(row, c) for c in COLUMNS]


def test_pipe_table_in_a_txt_file_is_read_as_a_table() -> None:
    text = "\n".join(["三、收到和处理政府信息公开申请情况", "", *REQ_HEADER, NEW_ROW, CARRIED_ROW, "", "四、其他"])
    raw = read_document(text.encode("utf-8"), "report.txt")
    assert len(raw.grids) == 1
    assert all("|" not in line.text for line in raw.lines)  # the table's lines are not prose
    tables, notes = recognise_tables(raw, load_format("2021"))
    assert _numbers(tables["requests"], "new_received") == [Decimal(n) for n in (3746, 63, 0, 0, 19, 2, 3830)]
    assert _numbers(tables["requests"], "carried_over") == [Decimal(n) for n in (12, 0, 0, 0, 0, 0, 12)]
    assert tables["requests"].get("new_received", "total").locator.line == 6  # type: ignore[union-attr]
    assert not [n for n in notes if n.code == "unmatched-row"]


def test_cells_keep_escaped_pipes_bold_and_line_breaks() -> None:
    text = "\n".join([
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| --- | :---: | :---: | ---: |",
        "| **规章** | 1 | 0 | 5 |",
        "| 行政规范<br>性文件 | 2 | 1 | 7 |",
        "| a \\| b | x | y | z |",
    ])
    raw = read_document(text.encode("utf-8"), "t.md")
    [grid] = raw.grids
    assert [c.text for c in grid.rows[1]] == ["规章", "1", "0", "5"]
    assert grid.rows[2][0].text == "行政规范性文件"
    assert grid.rows[3][0].text == "a | b"


def test_a_lone_line_with_pipes_is_text() -> None:
    raw = read_document("甲 | 乙 | 丙 |\n正文".encode(), "t.txt")
    assert raw.grids == [] and [line.text for line in raw.lines] == ["甲 | 乙 | 丙 |", "正文"]


def test_markdown_file_is_text_even_with_br_tags(tmp_path: Path) -> None:
    data = "\n".join(["# 标题", *REQ_HEADER, NEW_ROW.replace("一、", "一、<br>"), "<br>", "<br>"]).encode()
    assert detect_kind(data, "report.md") == "text"
    (tmp_path / "report.md").write_bytes(data)
    (tmp_path / "notes.markdown").write_bytes(data)
    assert sorted(p.name for p in discover([tmp_path])) == ["notes.markdown", "report.md"]


def test_markdown_headings_are_sections(tmp_path: Path) -> None:
    text = "\n".join([
        "# 某某局2023年政府信息公开工作年度报告", "",
        "## 一、总体情况", "", "本年度工作正常开展。", "",
        "## 二、主动公开政府信息情况 ##", "", "见下表。", "",
        "**三、收到和处理政府信息公开申请情况**", "", *REQ_HEADER, NEW_ROW, "",
    ])
    path = tmp_path / "r.md"
    path.write_text(text, encoding="utf-8")
    report = read_file(path, Config())
    assert isinstance(report, Report)
    assert [s.key for s in report.sections] == ["overview", "active", "requests"]
    assert report.title == "某某局2023年政府信息公开工作年度报告"
    assert "requests" in report.tables


def test_made_up_headings_take_the_official_column_at_their_place() -> None:
    text = "\n".join([
        "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
        NEW_ROW.replace("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    ])
    tables, notes = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    assert _numbers(tables["requests"], "new_received") == [Decimal(n) for n in (3746, 63, 0, 0, 19, 2, 3830)]
    assert notes == []


def test_a_row_ending_in_an_empty_cell_is_read_where_its_values_are() -> None:
    text = "\n".join([
        "| 业 | 构 | 益组织 | 务机构 |  |  |  |  |  |",  # a header cut to pieces by the conversion
        "|---|---|---|---|---|---|---|---|---|",
        NEW_ROW + "  |",
        CARRIED_ROW + "  |",
    ])
    tables, _ = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    assert _numbers(tables["requests"], "new_received") == [Decimal(n) for n in (3746, 63, 0, 0, 19, 2, 3830)]


def test_headings_for_some_columns_are_not_carried_to_a_wider_table() -> None:
    text = "\n".join([
        "| 等于第三项加第四项之和） | 自然人 | 商业 | 科研 | 总计 |",
        "|---|---|---|---|---|",
        "",
        NEW_ROW.replace(" 3830 |", " 3830 | 9 |"),  # eight numbers for seven columns: where do they go?
        "|---|---|---|---|---|---|---|---|---|",
    ])
    tables, _ = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    assert "requests" not in tables  # not read rather than read into the wrong columns (总计 = 0 once)


_APPEALS_HEADER = ["| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |", "|---|---|---|---|---|"]


def test_appeals_sub_tables_take_their_group_from_the_heading_above_them() -> None:
    # Table 四 split into one pipe table per group, each with the five column headings only; the group is
    # named by the heading line right above each table.
    text = "\n".join([
        "## 四、政府信息公开行政复议、行政诉讼情况", "",
        "### 行政复议", *_APPEALS_HEADER, "| 27 | 10 | 9 | 15 | 61 |", "",
        "### 行政诉讼（未经复议直接起诉）", *_APPEALS_HEADER, "| 3 | 0 | 0 | 0 | 3 |", "",
        "### 行政诉讼（复议后起诉）", *_APPEALS_HEADER, "| 8 | 0 | 1 | 1 | 10 |",
    ])
    tables, notes = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    appeals = tables["appeals"]
    columns = ["upheld", "corrected", "other", "pending", "total"]
    assert [appeals.value("review", c) for c in columns] == [Decimal(n) for n in (27, 10, 9, 15, 61)]
    assert [appeals.value("litigation_direct", c) for c in columns] == [Decimal(n) for n in (3, 0, 0, 0, 3)]
    assert [appeals.value("litigation_after_review", c) for c in columns] == [Decimal(n) for n in (8, 0, 1, 1, 10)]
    assert notes == []


def test_appeals_sub_tables_named_by_nothing_are_the_three_groups_in_the_formats_order() -> None:
    # The same three parts with no heading over them: as many parts as table 四 has groups, in its fixed order
    # (as the unnamed columns of one wide table 四 are read), not three copies of 行政复议.
    text = "\n".join([
        "## 四、政府信息公开行政复议、行政诉讼情况", "",
        *_APPEALS_HEADER, "| 27 | 10 | 9 | 15 | 61 |", "",
        *_APPEALS_HEADER, "| 3 | 0 | 0 | 0 | 3 |", "",
        *_APPEALS_HEADER, "| 8 | 0 | 1 | 1 | 10 |",
    ])
    tables, notes = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    appeals = tables["appeals"]
    columns = ["upheld", "corrected", "other", "pending", "total"]
    assert [appeals.value("review", c) for c in columns] == [Decimal(n) for n in (27, 10, 9, 15, 61)]
    assert [appeals.value("litigation_direct", c) for c in columns] == [Decimal(n) for n in (3, 0, 0, 0, 3)]
    assert [appeals.value("litigation_after_review", c) for c in columns] == [Decimal(n) for n in (8, 0, 1, 1, 10)]
    assert notes == []
    # Two such parts: which groups they are is not known, so no lawsuit row is read from them.
    two = text[: text.rindex("\n\n")]
    tables, notes = recognise_tables(read_document(two.encode(), "t.md"), load_format("2021"))
    assert tables["appeals"].value("litigation_direct", "total") is None
    assert [n.code for n in notes] == ["duplicate-table"]


def test_a_table_with_its_headings_and_no_row_is_there_with_every_cell_blank() -> None:
    # A spreadsheet does not store a last row left blank and unformatted: table 四 keeps only its headings.
    # The table is there (V002 names its blank cells), not missing (S004 would accuse the agency of leaving it out).
    cols = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
    text = "\n".join([
        "| " + " | ".join(g for g in ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
                          for _ in range(5)) + " |",
        "|" + "---|" * 15,
        cols * 3 + "|",
    ])
    tables, _ = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    appeals = tables["appeals"]
    assert len(appeals.cells) == 15
    assert all(c.kind is CellKind.BLANK for c in appeals.cells.values())
    # Headings naming only part of the table are no proof that the table is there.
    partial = "\n".join(["| 行政复议 | 行政复议 |", "|---|---|", "| 结果维持 | 总计 |"])
    tables, _ = recognise_tables(read_document(partial.encode(), "t.md"), load_format("2021"))
    assert "appeals" not in tables


def test_an_appeals_sub_table_under_a_heading_naming_two_groups_is_not_placed_by_it() -> None:
    text = "\n".join([
        "### 行政诉讼（未经复议直接起诉、复议后起诉）", *_APPEALS_HEADER, "| 3 | 0 | 0 | 0 | 3 |",
    ])
    tables, _ = recognise_tables(read_document(text.encode(), "t.md"), load_format("2021"))
    assert tables["appeals"].value("litigation_direct", "total") is None
    assert tables["appeals"].value("litigation_after_review", "total") is None


_WORDS = ["", "0", "12", "3830", "-", "/", "总计", "自然人", "商业企业", "数据1", "类别", "（七）总计", "3.其他",
          "一、本年新收政府信息公开申请数量", "（六）其他处理", "行政强制 37", "结果维持", "行政复议", "77132470",
          "2.其他法律行政止公开", "<br>", "**规章**"]


@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=10), min_size=1, max_size=12),
       st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_pipe_table_is_read_without_failing(rows: list[list[str]], blank_lines: bool) -> None:
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    if len(lines) > 1:
        lines.insert(1, "|" + "---|" * len(rows[0]))
    text = ("\n\n" if blank_lines else "\n").join(lines)
    raw = read_document(text.encode(), "t.md")
    for version in ("2019", "2021"):
        fmt = load_format(version)
        recognise_tables(raw, fmt)  # never raises
        recognise_from_lines(raw.lines, fmt)
