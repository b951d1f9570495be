"""Names for tables, rows, columns and cells in findings ("表三", "自然人×部分公开"), from the definitions."""

from __future__ import annotations

import re
from decimal import Decimal

from ogi.checks.registry import CannotCheck
from ogi.model import NUMERIC_KINDS, CellValue, Report, Table
from ogi.schemas.definitions import FormatDef, TableDef

# "一、" "（二）" "1." "1．" at the start of an official label; a trailing （…） is an instruction.
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\s*[.．、])\s*")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]\s*$")


def table_name(fmt: FormatDef, key: str) -> str:
    """"表三" for the table of section 三; the table's title when the section has no number."""
    section = fmt.section(key)
    if section is not None and section.number:
        return f"表{section.number}"
    return fmt.tables[key].title


def table_name_en(fmt: FormatDef, key: str) -> str:
    return f"table {key} ({fmt.tables[key].title_en})"


def short_label(label: str) -> str:
    """"（二）部分公开（区分处理的，…）" → "部分公开"; "1.属于国家秘密" → "属于国家秘密"."""
    text = _ORDINAL.sub("", label)
    stripped = _TRAILING_NOTE.sub("", text).strip()
    return stripped or text.strip()


def row_label(tdef: TableDef, key: str) -> str:
    """A row (or table 四 group) as a reader recognises it: "不予公开：属于国家秘密"."""
    rdef = tdef.row(key)
    label = short_label(rdef.label)
    if rdef.group:
        return f"{rdef.group}：{label}"
    return label


def row_label_en(tdef: TableDef, key: str) -> str:
    return tdef.row(key).en


def column_label(tdef: TableDef, key: str) -> str:
    return short_label(tdef.column(key).label)


def column_label_en(tdef: TableDef, key: str) -> str:
    return tdef.column(key).en


def _row_first(tdef: TableDef) -> bool:
    # Table 三 reads "applicant × outcome"; tables 二 and 四 read "row × column".
    return bool(tdef.groups) or bool(tdef.rows and tdef.rows[0].cols is not None)


def cell_label(tdef: TableDef, row: str, col: str) -> str:
    """"自然人×部分公开" (table 三: applicant × row), "行政复议×结果维持" (table 四), "规章×本年制发件数"."""
    if _row_first(tdef):
        return f"{row_label(tdef, row)}×{column_label(tdef, col)}"
    return f"{column_label(tdef, col)}×{row_label(tdef, row)}"


def cell_label_en(tdef: TableDef, row: str, col: str) -> str:
    if _row_first(tdef):
        return f"{row_label_en(tdef, row)} × {column_label_en(tdef, col)}"
    return f"{column_label_en(tdef, col)} × {row_label_en(tdef, row)}"


# Definitions live as long as the process (load_format is cached): their cell lists are kept by id.
_CELLS: dict[int, tuple[TableDef, tuple[tuple[str, str], ...]]] = {}


def definition_cells(tdef: TableDef) -> tuple[tuple[str, str], ...]:
    """`tdef.cells()`, computed once per definition."""
    hit = _CELLS.get(id(tdef))
    if hit is None or hit[0] is not tdef:
        hit = _CELLS[id(tdef)] = (tdef, tuple(tdef.cells()))
    return hit[1]


_CELL_SETS: dict[int, tuple[TableDef, frozenset[tuple[str, str]]]] = {}


def definition_cell_set(tdef: TableDef) -> frozenset[tuple[str, str]]:
    """`definition_cells` as a set, computed once per definition."""
    hit = _CELL_SETS.get(id(tdef))
    if hit is None or hit[0] is not tdef:
        hit = _CELL_SETS[id(tdef)] = (tdef, frozenset(definition_cells(tdef)))
    return hit[1]


_Line = dict[str, tuple[tuple[str, str], ...]]  # row or column key -> its cells in reading order
_BY_LINE: dict[int, tuple[TableDef, _Line, _Line]] = {}


def _lines(tdef: TableDef) -> tuple[_Line, _Line]:
    """The definition's cells by row and by column, computed once per definition (kept like `_CELLS`)."""
    hit = _BY_LINE.get(id(tdef))
    if hit is None or hit[0] is not tdef:
        rows: dict[str, list[tuple[str, str]]] = {}
        cols: dict[str, list[tuple[str, str]]] = {}
        for cell in definition_cells(tdef):
            rows.setdefault(cell[0], []).append(cell)
            cols.setdefault(cell[1], []).append(cell)
        hit = _BY_LINE[id(tdef)] = (tdef, {k: tuple(v) for k, v in rows.items()},
                                    {k: tuple(v) for k, v in cols.items()})
    return hit[1], hit[2]


def row_cells(tdef: TableDef, row: str) -> tuple[tuple[str, str], ...]:
    """The cells the definition gives a row, in reading order (computed once per definition)."""
    return _lines(tdef)[0].get(row, ())


def column_cells(tdef: TableDef, col: str) -> tuple[tuple[str, str], ...]:
    """The cells the definition gives a column, in reading order (computed once per definition)."""
    return _lines(tdef)[1].get(col, ())


def cell_number(table: Table, row: str, col: str) -> Decimal | None:
    """`table.value(row, col)` without `CellValue.number`'s enum lookups (slow, and rules ask often)."""
    cell = table.cells.get((row, col))
    return cell.value if cell is not None and cell.kind in NUMERIC_KINDS else None


def has_number(cell: CellValue) -> bool:
    """`cell.number is not None`, cheaply."""
    return cell.kind in NUMERIC_KINDS and cell.value is not None


def fmt_number(value: Decimal | float | int | None) -> str:
    """Numbers as a report writes them: 1,234 for counts, 12.5 for amounts, "空" for nothing."""
    if value is None:
        return "空"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number == number.to_integral_value():
        return f"{number.to_integral_value():,}"
    return f"{number.normalize():,}"


def unreadable_tables(report: Report) -> set[str]:
    """Tables that are in the file but whose cells could not be read (they run together in its text)."""
    return {key for note in report.read_notes if note.code == "table-unreadable"
            for k, key in note.data if k == "table"}


def table_absent(report: Report, fmt: FormatDef | None, keys: tuple[str, ...],
                 not_found: tuple[str, str]) -> CannotCheck:
    """Why a rule cannot check tables `keys`: `not_found` (its own words), unless one of them is in the file
    but could not be read, which is what it then says."""
    unread = [k for k in keys if fmt is not None and k in fmt.tables and k in unreadable_tables(report)]
    if fmt is None or not unread:
        return CannotCheck(*not_found)
    names = "、".join(table_name(fmt, k) for k in unread)
    names_en = ", ".join(table_name_en(fmt, k) for k in unread)
    return CannotCheck(f"{names}在文件中存在，但其单元格数字连在一起，无法确定各单元格的数值（见 F006）",
                       f"{names_en} is in the file, but its cells run together and cannot be known (see F006)")
