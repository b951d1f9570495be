# The XLSX reader as it was on openpyxl's object model (ogi 775684d), kept unchanged as the oracle the faster reader
# is compared with (tests/test_office_readers.py): a copy on purpose, so that a change to the
# reader cannot change its reference too.
"""XLSX reader: every sheet a grid (merged ranges expanded), values as Excel would display them.

A sheet that is a label|value list named like 基本信息/元数据/metadata goes to `meta`; a sheet
that is narrative (long strings down column A) goes to text lines. The zip is checked first.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.text import normalise_space
from ogi.ingest.ziputil import open_checked_zip
from ogi.model import ReadNote, SourceLocator

MAX_CELLS = 200_000
_META_SHEET = re.compile(r"基本信息|元数据|元信息|报告信息|meta", re.I)
_PROSE_SHEET = re.compile(r"正文|说明|文字|内容|text", re.I)
_NARRATIVE_MIN = 60  # a string this long is prose, not a table label
_DECIMALS = re.compile(r"\.(0+)")


def read_xlsx(data: bytes) -> RawDocument:
    """Read an XLSX workbook: one Grid per data sheet, meta sheets to `meta`, prose sheets to lines."""
    open_checked_zip(data).close()
    import openpyxl  # heavy: only when an XLSX actually arrives
    from openpyxl.utils import get_column_letter

    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions (data validation, conditional formats).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/TypeError/lxml errors when broken
        raise UnreadableFile(
            "Excel 文件已损坏或不是有效的 .xlsx 文件，无法读取",
            f"the Excel file is damaged or not a valid .xlsx: {type(exc).__name__}: {exc}",
            code="corrupt-xlsx",
        ) from exc
    doc = RawDocument(kind="xlsx", encoding="utf-8")
    title = workbook.properties.title if workbook.properties else None
    if title and title.strip():
        doc.meta["title"] = normalise_space(title)
    for ws in workbook.worksheets:
        _read_sheet(doc, ws, get_column_letter)
    workbook.close()
    return doc


def display_value(value: Any, number_format: str = "General") -> str:
    """A cell value as Excel shows it: 3.0 → "3", 96171.6 → "96171.6", 0.25 with "0%" → "25%"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return str(value)
        if "%" in (number_format or ""):
            match = _DECIMALS.search(number_format)
            places = len(match.group(1)) if match else 0
            return f"{Decimal(repr(value)) * 100:.{places}f}%"
        return _plain_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return normalise_space(str(value))


def _plain_number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    # 15 significant digits, like Excel, so 0.1 + 0.2 shows 0.3; never in exponent notation.
    try:
        text = format(Decimal(format(value, ".15g")), "f")
    except InvalidOperation:
        return repr(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _read_sheet(doc: RawDocument, ws: Any, column_letter: Any) -> None:
    name = str(ws.title)
    cells: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) 1-based → (text, ref)
    raw_text: dict[tuple[int, int], str] = {}  # strings as typed, line breaks kept, for prose
    for (row, col), cell in list(ws._cells.items()):  # only cells that exist: no 1M-row scans
        text = display_value(cell.value, cell.number_format)
        if text:
            cells[(row, col)] = (text, f"{column_letter(col)}{row}")
            if isinstance(cell.value, str):
                raw_text[(row, col)] = cell.value
    if not cells:
        return
    merged = list(ws.merged_cells.ranges)
    columns = sorted({c for _, c in cells})
    if _META_SHEET.search(name):
        _read_meta_sheet(doc, cells, columns)
        return
    if _is_narrative(name, cells, raw_text, columns):
        _read_prose_sheet(doc, name, cells, raw_text, columns)
        return
    max_row = max(r for r, _ in cells)
    max_col = columns[-1]
    # A trailing row of blank but formatted cells (a table row left empty) still belongs to the table;
    # formatting far beyond the data (whole styled columns) does not.
    for (row, col), cell in ws._cells.items():
        if cell.has_style and row <= max_row + 3 and col <= max_col:
            max_row = max(max_row, row)
    for rng in merged:
        if (rng.min_row, rng.min_col) in cells:
            max_row = max(max_row, min(rng.max_row, max_row + 1000))
            max_col = max(max_col, min(rng.max_col, max_col + 1000))
    if max_row * max_col > MAX_CELLS:
        max_row = max(1, MAX_CELLS // max_col)
        doc.notes.append(
            ReadNote(
                code="table-too-large",
                detail=f"工作表“{name}”过大（超过 {MAX_CELLS} 个单元格），只读取了前 {max_row} 行",
                detail_en=f"sheet {name!r} is too large (over {MAX_CELLS} cells); "
                f"only {max_row} rows were read",
                locator=SourceLocator(kind="xlsx", sheet=name),
            )
        )
    index = len(doc.grids) + 1
    grid: dict[tuple[int, int], GridCell] = {}
    for rng in merged:
        origin = (rng.min_row, rng.min_col)
        text, ref = cells.get(origin, ("", f"{column_letter(rng.min_col)}{rng.min_row}"))
        locator = SourceLocator(kind="xlsx", sheet=name, cell=ref)
        cell = GridCell(text, locator, (origin[0] - 1, origin[1] - 1))
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                grid[(r, c)] = cell
    rows = []
    for r in range(1, max_row + 1):
        row = []
        for c in range(1, max_col + 1):
            cell = grid.get((r, c))
            if cell is None:
                text, ref = cells.get((r, c), ("", f"{column_letter(c)}{r}"))
                cell = GridCell(text, SourceLocator(kind="xlsx", sheet=name, cell=ref), (r - 1, c - 1))
            row.append(cell)
        rows.append(tuple(row))
    doc.grids.append(
        Grid(tuple(rows), SourceLocator(kind="xlsx", sheet=name, table=index), after_line=len(doc.lines))
    )


def _read_meta_sheet(
    doc: RawDocument, cells: dict[tuple[int, int], tuple[str, str]], columns: list[int]
) -> None:
    """label | value pairs from the first two used columns (a third column of hints is ignored)."""
    if len(columns) < 2:
        return
    label_col, value_col = columns[0], columns[1]
    for (row, col), (label, _) in sorted(cells.items()):
        if col != label_col:
            continue
        value = cells.get((row, value_col))
        if value:
            doc.meta.setdefault(label.rstrip(":：").strip(), value[0])


def _is_narrative(
    name: str,
    cells: dict[tuple[int, int], tuple[str, str]],
    raw_text: dict[tuple[int, int], str],
    columns: list[int],
) -> bool:
    """Prose in a sheet: at most two used columns (heading | text, or text alone), all strings,
    and either a prose-like sheet name or some long text."""
    if len(columns) > 2 or len(raw_text) < len(cells):
        return False
    return bool(_PROSE_SHEET.search(name)) or any(len(text) >= _NARRATIVE_MIN for text in raw_text.values())


def _read_prose_sheet(
    doc: RawDocument,
    name: str,
    cells: dict[tuple[int, int], tuple[str, str]],
    raw_text: dict[tuple[int, int], str],
    columns: list[int],
) -> None:
    """Row by row: a short first-column cell of a two-column sheet is a heading; line breaks split lines."""
    two_columns = len(columns) == 2
    for (row, col), (_, ref) in sorted(cells.items()):
        raw = raw_text[(row, col)]
        heading = two_columns and col == columns[0] and len(raw) <= 40
        locator = SourceLocator(kind="xlsx", sheet=name, cell=ref)
        for piece in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = normalise_space(piece)
            if line:
                doc.lines.append(TextLine(line, locator, emphasised=heading))
