"""An Excel workbook for agencies to fill in: tables 二/三/四 laid out like the official format.

Labels are locked and the sheets protected, so only the data cells can be typed into; the data
cells carry validation (counts are whole numbers ≥ 0). Reading the filled workbook back through the
xlsx reader and `recognise_tables` gives exactly what was typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ogi.schemas.definitions import FormatDef, TableDef, load_format

META_SHEET = "基本信息"
TEXT_SHEET = "正文"
META_FIELDS = ("机关名称", "机关层级", "年度", "发布日期", "成文日期")
LEVELS = ("部门", "政府", "乡镇街道")
SHEET_NAMES = {"active": "表二 主动公开", "requests": "表三 收到和处理申请", "appeals": "表四 复议诉讼"}

# Table 二's blocks are headed by the item of art. 20 that requires them (layout, not vocabulary).
ARTICLE_20_ITEM = {
    "regulations": "（一）", "normative_documents": "（一）",
    "licensing": "（五）", "other_services": "（五）",
    "punishment": "（六）", "coercion": "（六）",
    "fees": "（八）", "procurement": "（九）",
}
# Table 三's label cells: the outer group and the (三)–(六) groups, as printed in the official table.
OUTER_GROUP = "三、本年度办理结果"
GROUP_HEADINGS = {"不予公开": "（三）不予公开", "无法提供": "（四）无法提供", "不予处理": "（五）不予处理",
                  "其他处理": "（六）其他处理"}
TOP_LEVEL_ROWS = ("new_received", "carried_over", "carried_forward")
APPLICANT_HEADING = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
APPEALS_TOP = {"review": "行政复议", "litigation_direct": "行政诉讼", "litigation_after_review": "行政诉讼"}
APPEALS_SECOND = {"litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}

# (input prompt, error message) per kind of data cell.
_MESSAGES = {
    "count": ("填写整数，没有的填0", "请填写大于或等于0的整数（没有的填0）"),
    "decimal": ("单位：万元，可含小数", "请填写大于或等于0的数值（单位：万元）"),
    "signed": ("增加填正数，减少填负数，没有变化填0", "请填写整数，减少的填负数"),
}
_LABEL_FILL = "F2F2F2"
_INPUT_FILL = "FFF9E5"


class _Sheet:
    """Writes labels (locked) and data cells (unlocked, validated) onto one worksheet."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
        from openpyxl.worksheet.datavalidation import DataValidation

        self.ws = ws
        side = Side(style="thin", color="808080")
        self.border = Border(left=side, right=side, top=side, bottom=side)
        self.label_fill = PatternFill("solid", fgColor=_LABEL_FILL)
        self.input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
        self.bold = Font(bold=True)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.locked = Protection(locked=True)
        self.unlocked = Protection(locked=False)
        self.validations = {
            "count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
            "decimal": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
            "signed": DataValidation(type="whole", operator="between", formula1="-1000000000",
                                     formula2="1000000000"),
        }
        for kind, (prompt, error) in _MESSAGES.items():
            dv = self.validations[kind]
            dv.prompt, dv.error, dv.errorTitle = prompt, error, "数值无效"
            dv.showInputMessage = dv.showErrorMessage = True
        for dv in self.validations.values():
            ws.add_data_validation(dv)

    def label(self, row: int, col: int, text: str, *, to_row: int | None = None, to_col: int | None = None,
              heading: bool = False, align_left: bool = False) -> None:
        """A locked label cell, merged over [row..to_row] × [col..to_col]."""
        last_row, last_col = to_row or row, to_col or col
        for r in range(row, last_row + 1):
            for c in range(col, last_col + 1):
                cell = self.ws.cell(row=r, column=c)
                cell.border = self.border
                cell.fill = self.label_fill
                cell.protection = self.locked
        cell = self.ws.cell(row=row, column=col, value=text)
        cell.alignment = self.left if align_left else self.center
        if heading:
            cell.font = self.bold
        if (last_row, last_col) != (row, col):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)

    def data(self, row: int, col: int, kind: str, *, to_col: int | None = None) -> None:
        """An unlocked, validated input cell (merged to `to_col` when one value spans columns)."""
        last_col = to_col or col
        for c in range(col, last_col + 1):
            cell = self.ws.cell(row=row, column=c)
            cell.border = self.border
            cell.fill = self.input_fill
            cell.protection = self.unlocked
            cell.alignment = self.center
        if last_col != col:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)
        self.validations[kind].add(self.ws.cell(row=row, column=col).coordinate)

    def fit_height(self, row: int, text: str, chars_per_line: int) -> None:
        """Room for a wrapped label: Excel does not grow rows for text in merged or written cells."""
        lines = -(-len(text) // chars_per_line)
        if lines > 1:
            current = self.ws.row_dimensions[row].height or 15
            self.ws.row_dimensions[row].height = max(current, 15 * lines)

    def widths(self, widths: dict[int, float]) -> None:
        from openpyxl.utils import get_column_letter

        for col, width in widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = width

    def protect(self) -> None:
        # No password: the protection guards labels against slips, not against the agency itself.
        self.ws.protection.sheet = True
        self.ws.protection.formatColumns = False
        self.ws.protection.formatRows = False


def _kind(tdef: TableDef, key: str) -> str:
    col = tdef.column(key)
    return "decimal" if col.decimal else "signed" if col.signed else "count"


def _title(fmt: FormatDef, key: str) -> str:
    section = fmt.section(key)
    return f"{section.number}、{section.heading}" if section and section.number else fmt.tables[key].title


def _active_sheet(sheet: _Sheet, fmt: FormatDef) -> None:
    tdef = fmt.tables["active"]
    width = max(len(r.cols or ()) for r in tdef.rows)
    last = width + 1
    sheet.label(1, 1, _title(fmt, "active"), to_col=last, heading=True)
    row = 2
    previous: tuple[str, tuple[str, ...]] | None = None
    for rdef in tdef.rows:
        cols = rdef.cols or ()
        block = (ARTICLE_20_ITEM.get(rdef.key, ""), cols)
        if block != previous:
            sheet.label(row, 1, f"第二十条第{block[0]}项", to_col=last, heading=True)
            sheet.label(row + 1, 1, "信息内容", heading=True)
            for i, ckey in enumerate(cols):
                to_col = last if i == len(cols) - 1 else None
                sheet.label(row + 1, 2 + i, tdef.column(ckey).label, to_col=to_col, heading=True)
            row += 2
            previous = block
        sheet.label(row, 1, rdef.label)
        for i, ckey in enumerate(cols):
            sheet.data(row, 2 + i, _kind(tdef, ckey), to_col=last if i == len(cols) - 1 else None)
        row += 1
    sheet.widths({1: 24, **{c: 18 for c in range(2, last + 1)}})


def _requests_sheet(sheet: _Sheet, fmt: FormatDef) -> None:
    tdef = fmt.tables["requests"]
    columns = tdef.columns
    first, last = 4, 3 + len(columns)
    sheet.label(1, 1, _title(fmt, "requests"), to_col=last, heading=True)
    # The official top-left cell states the table's own identity.
    sheet.label(2, 1, tdef.note, to_row=4, to_col=3)
    sheet.fit_height(3, tdef.note, 60)
    sheet.label(2, first, APPLICANT_HEADING, to_col=last, heading=True)
    sheet.label(3, first, columns[0].label, to_row=4, heading=True)
    sheet.label(3, first + 1, LEGAL_PERSONS, to_col=last - 1, heading=True)
    for i, cdef in enumerate(columns[1:-1]):
        sheet.label(4, first + 1 + i, cdef.label, heading=True)
    sheet.label(3, last, columns[-1].label, to_row=4, heading=True)
    row = 5
    rows = list(tdef.rows)
    outer_start: int | None = None
    i = 0
    while i < len(rows):
        rdef = rows[i]
        if rdef.key in TOP_LEVEL_ROWS:
            sheet.label(row, 1, rdef.label, to_col=3, align_left=True)
        else:
            outer_start = row if outer_start is None else outer_start
            if rdef.group is None:
                sheet.label(row, 2, rdef.label, to_col=3, align_left=True)
                sheet.fit_height(row, rdef.label, 28)
            else:
                members = [r for r in rows[i:] if r.group == rdef.group]
                sheet.label(row, 2, GROUP_HEADINGS.get(rdef.group, rdef.group), to_row=row + len(members) - 1)
                for offset, member in enumerate(members):
                    sheet.label(row + offset, 3, member.label, align_left=True)
                    sheet.fit_height(row + offset, member.label, 20)
                    for c, cdef in enumerate(columns):
                        sheet.data(row + offset, first + c, _kind(tdef, cdef.key))
                row += len(members)
                i += len(members)
                continue
        for c, cdef in enumerate(columns):
            sheet.data(row, first + c, _kind(tdef, cdef.key))
        if rdef.key == "carried_forward" and outer_start is not None:
            sheet.label(outer_start, 1, OUTER_GROUP, to_row=row - 1)
            outer_start = None
        row += 1
        i += 1
    sheet.widths({1: 10, 2: 16, 3: 44, **{c: 11 for c in range(first, last + 1)}})


def _appeals_sheet(sheet: _Sheet, fmt: FormatDef) -> None:
    tdef = fmt.tables["appeals"]
    n = len(tdef.columns)
    last = n * len(tdef.groups)
    sheet.label(1, 1, _title(fmt, "appeals"), to_col=last, heading=True)
    col = 1
    for gdef in tdef.groups:
        top = APPEALS_TOP.get(gdef.key, gdef.label)
        second = APPEALS_SECOND.get(gdef.key)
        if second is None:
            sheet.label(2, col, top, to_col=col + n - 1, heading=True)
            for j, cdef in enumerate(tdef.columns):
                sheet.label(3, col + j, cdef.label, to_row=4, heading=True)
        else:
            sheet.label(3, col, second, to_col=col + n - 1, heading=True)
            for j, cdef in enumerate(tdef.columns):
                sheet.label(4, col + j, cdef.label, heading=True)
        for j, cdef in enumerate(tdef.columns):
            sheet.data(5, col + j, _kind(tdef, cdef.key))
        col += n
    # 行政诉讼 spans both lawsuit groups.
    lawsuits = [i for i, g in enumerate(tdef.groups) if g.key in APPEALS_SECOND]
    if lawsuits:
        start = lawsuits[0] * n + 1
        sheet.label(2, start, APPEALS_TOP[tdef.groups[lawsuits[0]].key], to_col=(lawsuits[-1] + 1) * n,
                    heading=True)
    sheet.widths({c: 10 for c in range(1, last + 1)})


def _meta_sheet(sheet: _Sheet) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = sheet.ws
    for row, name in enumerate(META_FIELDS, start=1):
        sheet.label(row, 1, name, heading=True)
        cell = ws.cell(row=row, column=2)
        cell.border = sheet.border
        cell.fill = sheet.input_fill
        cell.protection = sheet.unlocked
        cell.alignment = sheet.left
    rules = {
        "机关层级": DataValidation(type="list", formula1='"' + ",".join(LEVELS) + '"', allow_blank=True,
                               prompt="部门、政府或乡镇街道", showErrorMessage=True, showInputMessage=True,
                               error="请从列表中选择"),
        "年度": DataValidation(type="whole", operator="between", formula1="2008", formula2="2100",
                             prompt="报告的数据年度，如 2023", error="请填写四位年份", showErrorMessage=True,
                             showInputMessage=True),
        "发布日期": DataValidation(type="date", operator="greaterThan", formula1="39448",
                               prompt="如 2024-01-17", error="请填写日期", showErrorMessage=True,
                               showInputMessage=True),
        "成文日期": DataValidation(type="date", operator="greaterThan", formula1="39448",
                               prompt="如 2024-01-15", error="请填写日期", showErrorMessage=True,
                               showInputMessage=True),
    }
    for row, name in enumerate(META_FIELDS, start=1):
        rule = rules.get(name)
        if rule is not None:
            ws.add_data_validation(rule)
            rule.add(f"B{row}")
        if name in ("发布日期", "成文日期"):
            ws.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    sheet.widths({1: 14, 2: 48})


def _text_sheet(sheet: _Sheet, fmt: FormatDef) -> None:
    ws = sheet.ws
    for row, section in enumerate(fmt.sections, start=1):
        heading = f"{section.number}、{section.heading}" if section.number else section.heading
        sheet.label(row, 1, heading, heading=True, align_left=True)
        cell = ws.cell(row=row, column=2)
        cell.border = sheet.border
        cell.fill = sheet.input_fill
        cell.protection = sheet.unlocked
        cell.alignment = sheet.left
        ws.row_dimensions[row].height = 120
    sheet.widths({1: 30, 2: 100})


def write_template(version: str, path: str | Path) -> None:
    """Write the fill-in workbook for format `version` ("2019" or "2021") to `path`."""
    from openpyxl import Workbook

    fmt = load_format(version)
    if not fmt.tables or any(t.reader for t in fmt.tables.values()):  # 2008: a provincial table, no national one
        raise ValueError(f"format {version!r} has no national tables to lay out")
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = META_SHEET
    sheets = [(_Sheet(ws), "meta")]
    sheets.append((_Sheet(workbook.create_sheet(TEXT_SHEET)), "text"))
    for key in ("active", "requests", "appeals"):
        if key in fmt.tables:
            sheets.append((_Sheet(workbook.create_sheet(SHEET_NAMES[key])), key))
    for sheet, what in sheets:
        if what == "meta":
            _meta_sheet(sheet)
        elif what == "text":
            _text_sheet(sheet, fmt)
        elif what == "active":
            _active_sheet(sheet, fmt)
        elif what == "requests":
            _requests_sheet(sheet, fmt)
        else:
            _appeals_sheet(sheet, fmt)
        sheet.protect()
    workbook.save(str(path))
