"""Recognising tables 二/三/四 in grids and flattened lines (the ingest/tables package).

Every layout is generated from canonical data, and every cell read back must equal it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.readers import read_document
from ogi.ingest.tables import detect_format, recognise_from_lines, recognise_tables
from ogi.model import CellKind, SourceLocator, Table
from ogi.schemas.definitions import FormatDef, TableDef, load_format

Data = dict[tuple[str, str], str]

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTER = "三、本年度办理结果"
GROUP_LABELS = {"不予公开": "（三）不予公开", "无法提供": "（四）无法提供", "不予处理": "（五）不予处理",
                "其他处理": "（六）其他处理"}
REQ_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
APPEAL_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


# --- generated data and layouts -------------------------------------------------------------------


def canonical(tdef: TableDef, seed: int = 1) -> Data:
    """A value for every cell of the official table, as the text an agency would type."""
    rng = random.Random(seed)
    out: Data = {}
    for row, col in tdef.cells():
        cdef = tdef.column(col)
        if cdef.decimal:
            value = f"{rng.randint(0, 99999) / 10:.1f}"
        elif cdef.signed:
            value = str(rng.randint(-20, 20))
        else:
            value = str(rng.randint(0, 400))
        out[(row, col)] = value
    return out


def grid(rows: list[list[str]], table: int = 0, kind: str = "html") -> Grid:
    width = max(len(r) for r in rows)
    cells = tuple(
        tuple(
            GridCell(r[c] if c < len(r) else "", SourceLocator(kind, table=table, row=i, col=c), (i, c))
            for c in range(width)
        )
        for i, r in enumerate(rows)
    )
    return Grid(cells, SourceLocator(kind, table=table))


def doc(*grids: Grid, lines: list[str] | None = None) -> RawDocument:
    raw = RawDocument("html", grids=list(grids))
    for n, text in enumerate(lines or [], start=1):
        raw.lines.append(TextLine(text, SourceLocator("txt", line=n)))
    return raw


def requests_labels(tdef: TableDef) -> list[tuple[str, list[str]]]:
    """(row key, the three label cells of the official layout with rowspans expanded)."""
    out: list[tuple[str, list[str]]] = []
    for r in tdef.rows:
        if r.key in ("new_received", "carried_over", "carried_forward"):
            cells = [r.label] * 3
        elif r.group is not None:
            cells = [OUTER, GROUP_LABELS[r.group], r.label]
        else:
            cells = [OUTER, r.label, r.label]
        out.append((r.key, cells))
    return out


def requests_rows(tdef: TableDef, data: Data, relabel: Callable[[str], str] = lambda s: s) -> list[list[str]]:
    header = [[NOTE] * 3 + ["申请人情况"] * 7,
              [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
              [NOTE] * 3 + [relabel(c) for c in REQ_COLS]]
    body = [[relabel(x) for x in labels] + [data[(key, c.key)] for c in tdef.columns]
            for key, labels in requests_labels(tdef)]
    return header + body


def appeals_header() -> list[list[str]]:
    return [["行政复议"] * 5 + ["行政诉讼"] * 10,
            APPEAL_COLS + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
            APPEAL_COLS * 3]


def appeals_rows(tdef: TableDef, data: Data) -> list[list[str]]:
    return [*appeals_header(), [data[(g.key, c.key)] for g in tdef.groups for c in tdef.columns]]


def active_rows_2021(data: Data, labels: dict[str, str] | None = None) -> list[list[str]]:
    labels = labels or {}

    def row(key: str, label: str, cols: list[str]) -> list[str]:
        values = [data[(key, c)] for c in cols]
        return [labels.get(key, label), *(values if len(values) == 3 else values * 3)]

    return [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        row("regulations", "规章", ["issued", "repealed", "in_force"]),
        row("normative_documents", "行政规范性文件", ["issued", "repealed", "in_force"]),
        ["第二十条第（五）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        row("licensing", "行政许可", ["decisions"]),
        ["第二十条第（六）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        row("punishment", "行政处罚", ["decisions"]),
        row("coercion", "行政强制", ["decisions"]),
        ["第二十条第（八）项"] * 4,
        ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
        row("fees", "行政事业性收费", ["amount"]),
    ]


def active_rows_2019(data: Data) -> list[list[str]]:
    def row(key: str, label: str, cols: list[str]) -> list[str]:
        values = [data[(key, c)] for c in cols]
        return [label, *values, *([values[-1]] * (3 - len(values)))]  # a merged last cell, expanded

    three = ["prev_items", "change", "decisions"]
    return [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        row("regulations", "规章", ["made", "published", "total_public"]),
        row("normative_documents", "规范性文件", ["made", "published", "total_public"]),
        ["第二十条第（五）项"] * 4,
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        row("licensing", "行政许可", three),
        row("other_services", "其他对外管理服务事项", three),
        ["第二十条第（六）项"] * 4,
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        row("punishment", "行政处罚", three),
        row("coercion", "行政强制", three),
        ["第二十条第（八）项"] * 4,
        ["信息内容", "上一年项目数量", "本年增/减", "本年增/减"],
        row("fees", "行政事业性收费", ["prev_items", "change"]),
        ["第二十条第（九）项"] * 4,
        ["信息内容", "采购项目数量", "采购总金额", "采购总金额"],
        row("procurement", "政府集中采购", ["projects", "amount"]),
    ]


def assert_table(table: Table, data: Data, tdef: TableDef) -> None:
    """Every canonical cell present, parsed to the typed number, and nothing else."""
    assert set(table.cells) == set(data), set(table.cells) ^ set(data)
    for key, text in data.items():
        cell = table.cells[key]
        assert cell.kind is CellKind.NUMBER, (key, cell)
        assert cell.value == Decimal(text), (key, cell.raw, text)
        assert cell.raw.strip() == text.strip() or Decimal(cell.raw.translate(FULL_TO_HALF)) == Decimal(text)
        assert cell.locator is not None
    assert list(table.cells) != [] and table.key == tdef.key


FULL_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")


@pytest.fixture(scope="module")
def f2021() -> FormatDef:
    return load_format("2021")


@pytest.fixture(scope="module")
def f2019() -> FormatDef:
    return load_format("2019")


# --- table 三 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_requests_official_layout(version: str) -> None:
    fmt = load_format(version)
    tdef = fmt.tables["requests"]
    data = canonical(tdef, seed=3)
    tables, notes = recognise_tables(doc(grid(requests_rows(tdef, data))), fmt)
    assert set(tables) == {"requests"}
    assert_table(tables["requests"], data, tdef)
    assert tables["requests"].unmatched_rows == () and tables["requests"].unmatched_cols == ()
    assert notes == []


def test_requests_2019_has_one_other_row(f2019: FormatDef) -> None:
    tdef = f2019.tables["requests"]
    data = canonical(tdef)
    table = recognise_tables(doc(grid(requests_rows(tdef, data))), f2019)[0]["requests"]
    assert table.get("other", "total") is not None
    assert not any(r.startswith("other.") for r, _ in table.cells)
    assert len(table.cells) == 23 * 7


def test_requests_2021_table_read_as_2019_reports_the_new_rows(f2019: FormatDef, f2021: FormatDef) -> None:
    data = canonical(f2021.tables["requests"])
    tables, notes = recognise_tables(doc(grid(requests_rows(f2021.tables["requests"], data))), f2019)
    table = tables["requests"]
    assert table.get("other", "total") is None  # never guessed from the three 2021 rows
    assert len(table.unmatched_rows) == 3
    assert [n.code for n in notes] == ["unmatched-row"] * 3


def test_requests_with_subtotal_column(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef)
    rows = requests_rows(tdef, data)
    # An extra 法人或其他组织 column (rowspan 2) after 自然人, carrying the subtotal.
    rows[0].insert(4, "申请人情况")
    rows[1].insert(4, "法人或其他组织")
    rows[2].insert(4, "法人或其他组织")
    for row, (key, _) in zip(rows[3:], requests_labels(tdef), strict=True):
        subtotal = sum(int(data[(key, c)]) for c in ("commercial", "research", "public_interest",
                                                       "legal_services", "other_org"))
        row.insert(4, str(subtotal))
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    assert_table(tables["requests"], data, tdef)
    assert [n.code for n in notes] == ["extra-column"]
    assert notes[0].locator is not None and notes[0].locator.col == 4


def test_requests_subtotal_under_a_xiaoji_heading(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef)
    rows = requests_rows(tdef, data)
    rows[0].insert(4, "申请人情况")
    rows[1].insert(4, "法人或其他组织")
    rows[2].insert(4, "小计")
    for row in rows[3:]:
        row.insert(4, "0")
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    assert_table(tables["requests"], data, tdef)
    assert [n.code for n in notes] == ["extra-column"]


def _typography(text: str) -> str:
    """Real-world typography: full-width digits and dots, spaces inside words, other quotes."""
    text = text.replace("1.", "１．").replace("2.", "2、").replace("3.", "(3)").replace("4.", "４.")
    text = text.replace("“", '"').replace("”", '"')
    text = text.replace("商业企业", "商业 企业").replace("科研机构", "科研\n机构")
    text = text.replace("（一）", "(一)").replace("本年新收", "本年 新收")
    return text


def test_requests_typography_variants(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef, seed=5)
    # Full-width digits in the values too.
    data_fw = {k: v.translate(str.maketrans("0123456789", "０１２３４５６７８９")) for k, v in data.items()}
    rows = requests_rows(tdef, data_fw, relabel=_typography)
    assert any("１．" in c for r in rows for c in r) and any("商业 企业" in c for r in rows for c in r)
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    assert_table(tables["requests"], data, tdef)
    assert notes == []


def test_requests_split_across_two_fragments(f2021: FormatDef) -> None:
    """A PDF page break: the second grid has no headings and a group label cut in two."""
    tdef = f2021.tables["requests"]
    data = canonical(tdef, seed=7)
    rows = requests_rows(tdef, data)
    cut = 3 + 13  # after "1.本机关不掌握相关政府信息"
    first, second = rows[:cut], [list(r) for r in rows[cut:]]
    first[-1][1] = "（四）无"
    for r in second[:2]:
        r[1] = "法提供"
    for r in second:
        r[0] = ""  # the outer rowspan label is not repeated on the next page
    tables, notes = recognise_tables(doc(grid(first, 0, "pdf"), grid(second, 1, "pdf")), f2021)
    assert_table(tables["requests"], data, tdef)
    assert notes == []


def test_requests_split_with_repeated_headings_and_other_width(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef, seed=8)
    rows = requests_rows(tdef, data)
    header, body = rows[:3], rows[3:]
    # The second fragment lost the two empty label columns: only the innermost label is left.
    second = [r[2:] for r in header] + [r[2:] for r in body[12:]]
    tables, notes = recognise_tables(doc(grid(header + body[:12], 0), grid(body[12:], 1)), f2021)
    assert_table(tables["requests"], data, tdef)
    tables, notes = recognise_tables(doc(grid(header + body[:12], 0), grid(second, 1)), f2021)
    assert_table(tables["requests"], data, tdef)
    assert notes == []


def test_requests_unknown_row_and_column_are_reported(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef)
    rows = requests_rows(tdef, data)
    rows.insert(5, ["其中：网上申请"] * 3 + ["9"] * 7)
    rows[2].append("备注")
    rows[1].append("备注")
    rows[0].append("备注")
    rows[6].append("12")
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    table = tables["requests"]
    assert_table(table, data, tdef)
    assert table.unmatched_rows == ("其中：网上申请",)
    assert table.unmatched_cols == ("备注",)
    by_code = {n.code: n for n in notes}
    assert set(by_code) == {"unmatched-row", "unmatched-column"}
    row_note = by_code["unmatched-row"]
    assert "其中：网上申请" in row_note.detail and "网上申请" in row_note.detail_en
    assert row_note.locator is not None and row_note.locator.row == 5
    assert by_code["unmatched-column"].locator is not None


def test_requests_blank_and_placeholder_cells_are_kept(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    data = canonical(tdef)
    rows = requests_rows(tdef, data)
    rows[3][4] = ""  # new_received / commercial left blank
    rows[4][5] = "/"
    rows[5][3] = "22（其中网上申请16件）"
    table = recognise_tables(doc(grid(rows)), f2021)[0]["requests"]
    assert table.cells[("new_received", "commercial")].kind is CellKind.BLANK
    assert table.cells[("carried_over", "research")].kind is CellKind.PLACEHOLDER
    annotated = table.cells[("granted", "natural_person")]
    assert annotated.kind is CellKind.ANNOTATED and annotated.value == 22
    assert len(table.cells) == 175


def test_requests_other_under_its_group_only(f2021: FormatDef) -> None:
    """Separate group-heading rows (no rowspan): "3.其他" is other.other only under （六）其他处理."""
    tdef = f2021.tables["requests"]
    data = canonical(tdef)
    rows: list[list[str]] = [["", *REQ_COLS]]
    seen: set[str] = set()
    for r in tdef.rows:
        if r.group and r.group not in seen:
            seen.add(r.group)
            rows.append([GROUP_LABELS[r.group]] + [""] * 7)
        rows.append([r.label] + [data[(r.key, c.key)] for c in tdef.columns])
    # A non-standard "6.其他" under 不予处理 must not be taken for other.other.
    at = next(i for i, r in enumerate(rows) if "重新出具" in r[0]) + 1
    rows.insert(at, ["6.其他"] + ["1"] * 7)
    tables, _ = recognise_tables(doc(grid(rows)), f2021)
    assert_table(tables["requests"], data, tdef)
    assert tables["requests"].unmatched_rows == ("6.其他",)


def test_blank_template_gives_blank_cells(f2021: FormatDef) -> None:
    tdef = f2021.tables["requests"]
    empty = {k: "" for k in tdef.cells()}
    rows = requests_rows(tdef, empty)
    appeals = fmt_appeals = f2021.tables["appeals"]
    rows_4 = appeals_rows(fmt_appeals, {k: "" for k in appeals.cells()})
    tables, notes = recognise_tables(doc(grid(rows, 0, "docx"), grid(rows_4, 1, "docx")), f2021)
    assert len(tables["requests"].cells) == 175
    assert len(tables["appeals"].cells) == 15
    assert {c.kind for t in tables.values() for c in t.cells.values()} == {CellKind.BLANK}
    assert notes == []


# --- table 四 -------------------------------------------------------------------------------------


def test_appeals_official_layout(f2021: FormatDef) -> None:
    tdef = f2021.tables["appeals"]
    data = canonical(tdef, seed=11)
    tables, notes = recognise_tables(doc(grid(appeals_rows(tdef, data))), f2021)
    assert_table(tables["appeals"], data, tdef)
    assert ("review", "upheld") in tables["appeals"].cells
    assert notes == []


def test_appeals_without_expanded_spans(f2021: FormatDef) -> None:
    """pdfplumber-style: merged headings only in their first cell, the rest empty."""
    tdef = f2021.tables["appeals"]
    data = canonical(tdef, seed=12)
    rows = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            ["结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总计", "未经复议直接起诉", "", "", "", "",
             "复议后起诉", "", "", "", ""],
            [""] * 5 + APPEAL_COLS * 2,
            [data[(g.key, c.key)] for g in tdef.groups for c in tdef.columns]]
    tables, _ = recognise_tables(doc(grid(rows)), f2021)
    assert_table(tables["appeals"], data, tdef)


def test_appeals_data_row_on_the_next_page(f2021: FormatDef) -> None:
    tdef = f2021.tables["appeals"]
    data = canonical(tdef, seed=13)
    rows = appeals_rows(tdef, data)
    tables, _ = recognise_tables(doc(grid(rows[:3], 0), grid(rows[3:], 1)), f2021)
    assert_table(tables["appeals"], data, tdef)


def test_requests_and_appeals_in_one_word_table(f2021: FormatDef) -> None:
    req, app = f2021.tables["requests"], f2021.tables["appeals"]
    d3, d4 = canonical(req, seed=21), canonical(app, seed=22)
    rows = [r + [""] * 5 for r in requests_rows(req, d3)] + appeals_rows(app, d4)
    tables, notes = recognise_tables(doc(grid(rows, 0, "docx")), f2021)
    assert_table(tables["requests"], d3, req)
    assert_table(tables["appeals"], d4, app)
    assert notes == []


# --- table 二 -------------------------------------------------------------------------------------


def test_active_2021_mini_tables(f2021: FormatDef) -> None:
    tdef = f2021.tables["active"]
    data = canonical(tdef, seed=31)
    tables, notes = recognise_tables(doc(grid(active_rows_2021(data))), f2021)
    assert_table(tables["active"], data, tdef)
    assert tables["active"].cells[("fees", "amount")].value == Decimal(data[("fees", "amount")])
    assert notes == []


def test_active_2021_label_variant_and_page_split(f2021: FormatDef) -> None:
    tdef = f2021.tables["active"]
    data = canonical(tdef, seed=32)
    rows = active_rows_2021(data, {"normative_documents": "规范性文件"})
    # Split after 第二十条第（六）项; the next page's grid is only two columns wide.
    first, second = rows[:8], [[r[0], r[1]] for r in rows[8:]]
    tables, notes = recognise_tables(doc(grid(first, 0, "pdf"), grid(second, 1, "pdf")), f2021)
    assert_table(tables["active"], data, tdef)
    assert notes == []


def test_active_2019_mini_tables_with_signed_change(f2019: FormatDef) -> None:
    tdef = f2019.tables["active"]
    data = canonical(tdef, seed=33)
    data[("licensing", "change")] = "-3"
    data[("punishment", "change")] = "+2"
    tables, notes = recognise_tables(doc(grid(active_rows_2019(data))), f2019)
    table = tables["active"]
    assert table.cells[("licensing", "change")].value == -3
    assert table.cells[("punishment", "change")].kind is CellKind.NUMBER
    assert table.cells[("punishment", "change")].value == 2
    data[("punishment", "change")] = "2"
    assert set(table.cells) == set(data)
    assert all(table.cells[k].value == Decimal(v) for k, v in data.items())
    assert notes == []


def test_active_value_in_a_column_the_row_lacks_is_reported(f2021: FormatDef) -> None:
    data = canonical(f2021.tables["active"], seed=34)
    rows = active_rows_2021(data)
    rows[6] = ["行政许可", "5", "", ""]  # the mini-table has one column: 本年处理决定数量 spanning three
    rows[5] = ["信息内容", "本年处理决定数量", "备注", "备注"]
    rows[6][2] = "7"
    tables, notes = recognise_tables(doc(grid(rows)), f2021)
    assert tables["active"].cells[("licensing", "decisions")].value == 5
    assert {n.code for n in notes} == {"unmatched-column"}


def test_all_three_tables_in_one_document(f2021: FormatDef) -> None:
    t2, t3, t4 = (f2021.tables[k] for k in ("active", "requests", "appeals"))
    d2, d3, d4 = canonical(t2, 1), canonical(t3, 2), canonical(t4, 3)
    meta = grid([["名称", "某某局2023年政府信息公开年度报告"], ["公开日期", "2024-01-17"]], 0)
    raw = doc(meta, grid(active_rows_2021(d2), 1), grid(requests_rows(t3, d3), 2),
              grid(appeals_rows(t4, d4), 3))
    tables, notes = recognise_tables(raw, f2021)
    assert_table(tables["active"], d2, t2)
    assert_table(tables["requests"], d3, t3)
    assert_table(tables["appeals"], d4, t4)
    assert notes == []


def test_a_second_copy_of_a_table_is_noted(f2021: FormatDef) -> None:
    tdef = f2021.tables["appeals"]
    blank = {k: "" for k in tdef.cells()}
    data = canonical(tdef, seed=41)
    tables, notes = recognise_tables(doc(grid(appeals_rows(tdef, blank), 0), grid([["说明"]], 1),
                                         grid(appeals_rows(tdef, data), 2)), f2021)
    assert_table(tables["appeals"], data, tdef)
    assert [n.code for n in notes] == ["duplicate-table"]


def test_no_tables_in_prose_grids(f2021: FormatDef) -> None:
    raw = doc(grid([["本机关全年办理行政复议2件，行政许可事项较多。", "附件"]]))
    assert recognise_tables(raw, f2021) == ({}, [])
    assert recognise_tables(doc(), f2021) == ({}, [])
    assert recognise_tables(doc(grid([["a", "b"]])), load_format("2008")) == ({}, [])


# --- flattened lines ------------------------------------------------------------------------------


def flattened(fmt: FormatDef, d2: Data, d3: Data, d4: Data, per_line: bool) -> list[str]:
    """The three tables as a flip-book PDF gives them: one token per line (or one row per line)."""
    out: list[list[str]] = [["二、主动公开政府信息情况"]]
    t2, t3, t4 = (fmt.tables[k] for k in ("active", "requests", "appeals"))
    headers_2 = {"regulations": ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数",
                                 "现行有效件数"],
                 "licensing": ["第二十条第（五）项", "信息内容", "本年处理决定数量"],
                 "punishment": ["第二十条第（六）项", "信息内容", "本年处理决定数量"],
                 "fees": ["第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）"]}
    for r in t2.rows:
        if r.key in headers_2:
            out.append(headers_2[r.key])
        out.append([r.label, *(d2[(r.key, c)] for c in r.cols or ())])
    out.append(["三、收到和处理政府信息公开申请情况"])
    out.append([NOTE, "申请人情况", "自然人", "法人或其他组织", *REQ_COLS[1:-1], "总计"])
    seen: set[str] = set()
    for key, labels in requests_labels(t3):
        row = [labels[0]] if labels[0] not in seen else []
        seen.add(labels[0])
        row += [x for x in dict.fromkeys(labels[1:]) if x not in seen]
        seen.update(labels[1:])
        out.append(row + [d3[(key, c.key)] for c in t3.columns])
    out.append(["四、政府信息公开行政复议、行政诉讼情况"])
    out.append(["行政复议", "行政诉讼", *APPEAL_COLS, "未经复议直接起诉", "复议后起诉", *APPEAL_COLS * 2])
    out.append([d4[(g.key, c.key)] for g in t4.groups for c in t4.columns])
    out.append(["五、存在的主要问题及改进情况", "2023年共收到申请26件。"])
    if per_line:
        return [tok for row in out for tok in row]
    return [" ".join(row) for row in out]


@pytest.mark.parametrize("per_line", [True, False])
def test_recognise_from_lines(f2021: FormatDef, per_line: bool) -> None:
    t2, t3, t4 = (f2021.tables[k] for k in ("active", "requests", "appeals"))
    d2, d3, d4 = canonical(t2, 51), canonical(t3, 52), canonical(t4, 53)
    texts = ["本年新收政府信息公开申请 26 件，全部办结。", *flattened(f2021, d2, d3, d4, per_line)]
    lines = [TextLine(t, SourceLocator("pdf", page=3, line=i)) for i, t in enumerate(texts)]
    tables, _ = recognise_from_lines(lines, f2021)
    assert_table(tables["active"], d2, t2)
    assert_table(tables["requests"], d3, t3)
    assert_table(tables["appeals"], d4, t4)


def test_recognise_from_lines_label_broken_around_numbers(f2021: FormatDef) -> None:
    t3 = f2021.tables["requests"]
    d3 = canonical(t3, 54)
    lines = flattened(f2021, canonical(f2021.tables["active"]), d3, canonical(f2021.tables["appeals"]), False)
    at = next(i for i, t in enumerate(lines) if "重新出具" in t)
    values = lines[at].split(" ", 1)[1]
    lines[at:at + 1] = ["5.要求行政机关确认或重新出", values, "具已获取信息", "- 4 -"]
    text_lines = [TextLine(t, SourceLocator("pdf", line=i)) for i, t in enumerate(lines)]
    tables, _ = recognise_from_lines(text_lines, f2021)
    assert_table(tables["requests"], d3, t3)


def test_recognise_from_lines_ignores_prose(f2021: FormatDef) -> None:
    lines = ["本年新收政府信息公开申请 26 件，上年结转 0 件。", "行政复议 1 件，行政诉讼 0 件。",
             "制定规章 2 件。"]
    assert recognise_from_lines([TextLine(t, SourceLocator("txt", line=1)) for t in lines], f2021) == ({}, [])
    assert recognise_from_lines([], f2021) == ({}, [])


# --- format detection -----------------------------------------------------------------------------


def test_detect_format_2021(f2021: FormatDef) -> None:
    raw = doc(grid(active_rows_2021(canonical(f2021.tables["active"]))))
    version, evidence = detect_format(raw, 2023)
    assert version == "2021"
    assert evidence.startswith("table vocabulary: ") and "本年制发件数" in evidence


def test_detect_format_2019(f2019: FormatDef) -> None:
    raw = doc(grid(active_rows_2019(canonical(f2019.tables["active"]))))
    assert detect_format(raw, 2019)[0] == "2019"


def test_detect_format_2021_year_with_2019_headers(f2019: FormatDef) -> None:
    """昌图 2021: a 2021 report in the 2019 format is detected as 2019, with the words that show it."""
    raw = doc(grid(active_rows_2019(canonical(f2019.tables["active"]))),
              grid(requests_rows(f2019.tables["requests"], canonical(f2019.tables["requests"]))))
    version, evidence = detect_format(raw, 2021)
    assert version == "2019"
    assert "本年新制作数量" in evidence and "上一年项目数量" in evidence


def test_detect_format_old_shape() -> None:
    raw = doc(lines=["一、概述", "2017年，我中心主动公开政府信息120条。", "二、主动公开政府信息情况"])
    assert detect_format(raw, 2017) == ("2008", "data year 2017, no 2019/2021 table vocabulary")
    assert detect_format(raw, 2022) == (None, "")
    assert detect_format(raw, None) == (None, "")


def test_detect_format_tie_uses_the_year() -> None:
    raw = doc(lines=["本年新制作数量", "本年制发件数"])
    assert detect_format(raw, 2020)[0] == "2019"
    assert detect_format(raw, 2022)[0] == "2021"
    assert detect_format(raw, None)[0] is None


# --- real published reports (through the readers) -------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path(__file__).parent.parent / "examples"  # the real published reports ship as examples


def read_real(name: str) -> RawDocument:
    return read_document((REAL / name).read_bytes(), name)


@pytest.mark.parametrize("name", ["huaian-2024.pdf", "shuyang-fgj-2023.html"])
def test_real_reports(name: str) -> None:
    """淮安 2024 (PDF, tables split across pages) and 沭阳发改局 2023 (archived web page)."""
    truth = json.loads((FIXTURES / "real_tables_truth.json").read_text(encoding="utf-8"))[name]
    raw = read_real(name)
    version, evidence = detect_format(raw, truth["year"])
    assert version == "2021" and "本年制发件数" in evidence
    tables, notes = recognise_tables(raw, load_format(version))
    assert notes == []
    for key, rows in truth["tables"].items():
        table = tables[key]
        expected = {(r, c): v for r, cols in rows.items() for c, v in cols.items()}
        assert set(table.cells) == set(expected), key
        for ckey, value in expected.items():
            cell = table.cells[ckey]
            if value is None:  # 沭阳: the five 法人或其他组织 columns are blank, not 0
                assert cell.kind is CellKind.BLANK, (ckey, cell)
            else:
                assert cell.kind is CellKind.NUMBER and cell.value == Decimal(str(value)), (ckey, cell)


def test_real_blank_template() -> None:
    raw = read_real("template-2021-blank.docx")
    tables, notes = recognise_tables(raw, load_format("2021"))
    assert {k: len(t.cells) for k, t in tables.items()} == {"active": 10, "requests": 175, "appeals": 15}
    assert {c.kind for t in tables.values() for c in t.cells.values()} == {CellKind.BLANK}
    assert notes == []
