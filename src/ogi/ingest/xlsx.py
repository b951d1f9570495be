"""XLSX reader: every sheet a grid (merged ranges expanded), values as Excel would display them.

A sheet that is a label|value list named like 基本信息/元数据/metadata goes to `meta`; a sheet
that is narrative (long strings down column A) goes to text lines. The zip is checked first (`ziputil`),
then the workbook's parts are parsed with lxml (`ooxml`: no entities, no DTD, no network), read as
openpyxl reads them (its number formats and date conversion are used as they are).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.ooxml import OoxmlPackage
from ogi.ingest.text import normalise_space
from ogi.model import ReadNote, SourceLocator

MAX_CELLS = 200_000
_META_SHEET = re.compile(r"基本信息|元数据|元信息|报告信息|meta", re.I)
_PROSE_SHEET = re.compile(r"正文|说明|文字|内容|text", re.I)
_NARRATIVE_MIN = 60  # a string this long is prose, not a table label
_DECIMALS = re.compile(r"\.(0+)")


def read_xlsx(data: bytes) -> RawDocument:
    """Read an XLSX workbook: one Grid per data sheet, meta sheets to `meta`, prose sheets to lines."""
    package = OoxmlPackage(data)
    try:
        book = _Workbook(package)
        doc = RawDocument(kind="xlsx", encoding="utf-8")
        if book.title and book.title.strip():
            doc.meta["title"] = normalise_space(book.title)
        for name, part in book.sheets:
            _read_sheet(doc, _read_cells(package, part, book), name)
    except (etree.XMLSyntaxError, KeyError, ValueError, IndexError, TypeError, OverflowError) as exc:
        # What openpyxl refused too: parts that are not XML, dangling references, values that are no numbers.
        raise UnreadableFile(
            "Excel 文件已损坏或不是有效的 .xlsx 文件，无法读取",
            f"the Excel file is damaged or not a valid .xlsx: {type(exc).__name__}: {exc}",
            code="corrupt-xlsx",
        ) from exc
    finally:
        package.close()
    return doc


# SpreadsheetML is read as openpyxl reads it (`load_workbook(data_only=True)`, whose object model cost 5-10x
# the reading): the same sheets, values, number formats, dates and merged ranges, without the objects.
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}"
    for kind in ("ms-excel.template.macroEnabled.main+xml",
                 "openxmlformats-officedocument.spreadsheetml.template.main+xml",
                 "ms-excel.sheet.macroEnabled.main+xml",
                 "openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# Whitespace-only text is text in a cell: parsed as openpyxl's ElementTree does, keeping it.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_FALSE = ("false", "f", "0")  # openpyxl's Bool: any other non-empty value is true


def _flag(value: str | None) -> bool:
    return bool(value) and value not in _FALSE


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value is not None else default


@dataclass
class _Style:
    """What a cell style (an xf of cellXfs) means to a reader: openpyxl's `has_style` and `number_format`."""

    styled: bool
    number_format: str
    date: bool
    timedelta: bool
    border_id: int
    protected: bool  # protection other than the default: copied to every place of a merged range


class _Workbook:
    """The workbook part, its sheets, shared strings, styles and title, as openpyxl finds them."""

    def __init__(self, package: OoxmlPackage) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

        part = self._workbook_part(package)
        root = package.xml(part)
        props = root.find(_S + "workbookPr")
        self.epoch = CALENDAR_MAC_1904 if props is not None and _flag(props.get("date1904")) else WINDOWS_EPOCH
        rels = package.relationships_by_id(part)
        self.sheets: list[tuple[str, str]] = []
        sheets = root.find(_S + "sheets")
        for sheet in sheets.iterfind(_S + "sheet") if sheets is not None else ():
            rel_id = sheet.get(_R_ID)
            if not rel_id:
                continue  # openpyxl drops such a sheet with a warning
            kind, target = rels[rel_id]
            if not package.has(target) or "chartsheet" in kind:
                continue
            self.sheets.append((sheet.get("name") or "", target))
        self.strings = self._shared_strings(package)
        self.styles = _styles(package.xml("xl/styles.xml") if package.has("xl/styles.xml") else None)
        self.title: str | None = None
        if package.has("docProps/core.xml"):
            titles = package.xml("docProps/core.xml").findall(_DC_TITLE)
            self.title = titles[-1].text if titles else None

    @staticmethod
    def _workbook_part(package: OoxmlPackage) -> str:
        for content_type in _WORKBOOK_TYPES:
            part = package.part_of_type(content_type)
            if part is not None:
                return part
        if any(t in _WORKBOOK_TYPES for t in package.default_types()):
            return "xl/workbook.xml"
        raise KeyError("no workbook part")

    @staticmethod
    def _shared_strings(package: OoxmlPackage) -> list[str]:
        part = package.part_of_type(_SHARED_STRINGS_TYPE)
        if part is None:
            return []
        return [_text(si).replace("x005F_", "") for si in package.xml(part).iter(_S + "si")]


def _text(item: etree._Element) -> str:
    """A rich or plain string item: its t, then each run's t (phonetic runs left out), as openpyxl's Text."""
    plain: str | None = None
    runs: list[str] = []
    for child in item:
        if child.tag == _S + "t":
            plain = child.text
        elif child.tag == _S + "r":
            text = None
            for t in child.iterfind(_S + "t"):
                text = t.text
            if text is not None:
                runs.append(text)
    return (plain or "") + "".join(runs)


_ALIGNED: dict[tuple[tuple[str, str], ...], bool] = {}  # attributes → not openpyxl's default (few distinct ones)
_PROTECTED: dict[tuple[tuple[str, str], ...], bool] = {}


def _differs(el: etree._Element | None, kind: str) -> bool:
    """An xf's alignment/protection child, compared with openpyxl's default the way openpyxl compares."""
    if el is None:
        return False
    key = tuple(sorted(el.attrib.items()))
    cache = _ALIGNED if kind == "alignment" else _PROTECTED
    found = cache.get(key)
    if found is None:
        from openpyxl.styles import Alignment, Protection

        cls = Alignment if kind == "alignment" else Protection
        found = cache[key] = cls.from_tree(el) != cls()
    return found


def _styles(root: etree._Element | None) -> tuple[list[_Style], list[dict[str, bool]]]:
    """The cell styles (cellXfs) and the borders' styled sides; openpyxl's defaults without a styles part."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_REVERSE, is_date_format, is_timedelta_format

    general = _Style(False, "General", False, False, 0, False)
    if root is None:
        return [general], [{}]
    custom: dict[int, str] = {}
    formats = root.find(_S + "numFmts")
    for fmt in formats.iterfind(_S + "numFmt") if formats is not None else ():
        custom[int(fmt.get("numFmtId") or 0)] = fmt.get("formatCode") or ""
    styles: list[_Style] = []
    xfs = root.find(_S + "cellXfs")
    for xf in xfs.iterfind(_S + "xf") if xfs is not None else ():
        fmt_id = _int(xf.get("numFmtId"))
        if fmt_id in custom:
            code: str | None = custom[fmt_id]
            # A custom code that is a built-in one takes its id (0 for "General"), as openpyxl rebases them.
            rebased = BUILTIN_FORMATS_REVERSE.get(code)
            shown = code or ""
            format_id = rebased if rebased is not None else 164
        else:
            code = BUILTIN_FORMATS.get(fmt_id)
            shown = code or "General"
            format_id = fmt_id
        border = _int(xf.get("borderId"))
        protected = _differs(xf.find(_S + "protection"), "protection")
        styled = bool(_int(xf.get("fontId")) or _int(xf.get("fillId")) or border or format_id
                      or _int(xf.get("xfId")) or _flag(xf.get("pivotButton")) or _flag(xf.get("quotePrefix"))
                      or protected or _differs(xf.find(_S + "alignment"), "alignment"))
        styles.append(_Style(styled, shown, is_date_format(code), is_timedelta_format(code), border, protected))
    if not styles:  # openpyxl keeps its defaults
        return [general], [{}]
    borders: list[dict[str, bool]] = []
    found = root.find(_S + "borders")
    for border_el in found.iterfind(_S + "border") if found is not None else ():
        sides = {}
        for side in ("top", "left", "right", "bottom"):
            el = border_el.find(_S + side)
            # openpyxl's format(): a side element without a style is skipped; a missing one adds nothing.
            sides[side] = el is not None and (el.get("style") or "none") != "none"
        borders.append(sides)
    return styles, borders


@dataclass
class _Cell:
    value: Any
    style: _Style


@dataclass
class _Sheet:
    """A worksheet's cells with a value or a style, and its merged ranges."""

    cells: dict[tuple[int, int], _Cell]  # places inside merged ranges other than their top-left are left out
    styled: dict[tuple[int, int], bool]  # openpyxl's `has_style` of each place in its `ws._cells`, in its order
    merged: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col), in openpyxl's set order


def _read_cells(package: OoxmlPackage, part: str, book: _Workbook) -> _Sheet:
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    root = etree.fromstring(package.read(part), _PARSER)
    styles, borders = book.styles
    strings = book.strings
    cells: dict[tuple[int, int], _Cell] = {}
    row_no = 0
    for row in root.iter(_S + "row"):  # where openpyxl finds rows: anywhere
        number = row.get("r")
        if number is not None:
            try:
                row_no = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise
                row_no = int(as_float)
        else:
            row_no += 1
        col_no = 0
        for c in row:
            if not isinstance(c.tag, str):
                continue  # a comment: openpyxl's parser never sees one
            data_type = c.get("t", "n")
            ref = c.get("r")
            style_id = c.get("s")
            style = styles[int(style_id) if style_id else 0]
            value: Any = None
            if data_type != "inlineStr":
                value = c.findtext(_S + "v") or None
            if ref:
                row_at, col_no = coordinate_to_tuple(ref)
            else:
                col_no += 1
                row_at = row_no
            if value is not None:
                if data_type == "n":
                    value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                    if style.date:
                        try:
                            value = from_excel(value, book.epoch, timedelta=style.timedelta)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
                elif data_type == "s":
                    value = strings[int(value)]
                elif data_type == "b":
                    value = bool(int(value))
                elif data_type == "d":
                    value = from_ISO8601(value)
            elif data_type == "inlineStr":
                child = c.find(_S + "is")
                if child is not None:
                    value = _text(child)
            cells[(row_at, col_no)] = _Cell(value, style)
    # openpyxl's ws._cells order, with has_style of each place: its cells as listed, each merged range's places
    # (a new one appended, an existing one where it was), then the top-left cells and links it had to create.
    styled = {place: cell.style.styled for place, cell in cells.items()}
    ranges: list[tuple[int, int, int, int]] = []
    merge_lists = root.findall(_S + "mergeCells")
    for merge in merge_lists[-1].iterfind(_S + "mergeCell") if merge_lists else ():
        min_col, min_row, max_col, max_row = range_boundaries(merge.get("ref") or "")
        bounds = (min_row, min_col, max_row, max_col)
        ranges.append(bounds)
        _merge(styled, cells, bounds, borders)
    _hyperlinks(package, part, root, cells, styled, ranges)
    # openpyxl keeps the ranges in a set (of bounds-hashed ranges): the same order as a set of the bounds.
    return _Sheet(cells, styled, list(set(ranges)))


_UNSTYLED = _Style(False, "General", False, False, 0, False)
# A merged range larger than this is only looked at as far as this many places (openpyxl would make them all).
MAX_MERGED_PLACES = 400_000


def _merge(styled: dict[tuple[int, int], bool], cells: dict[tuple[int, int], _Cell],
           bounds: tuple[int, int, int, int], borders: list[dict[str, bool]]) -> None:
    """The places a merged range covers besides its top-left cell lose their value and style; those on its
    edges take the top-left cell's border on that side, and all take its protection (openpyxl's format())."""
    min_row, min_col, max_row, max_col = bounds
    places = 0
    covered = []
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            if (r, c) == (min_row, min_col):
                continue
            places += 1
            if places > MAX_MERGED_PLACES:
                break
            cells.pop((r, c), None)
            styled[(r, c)] = False
            covered.append((r, c))
    origin = cells.get((min_row, min_col))
    if origin is None:  # openpyxl creates it, empty and unstyled
        origin = cells[(min_row, min_col)] = _Cell(None, _UNSTYLED)
        styled[(min_row, min_col)] = False
    sides = borders[origin.style.border_id] if origin.style.border_id < len(borders) else {}
    top, left, right, bottom = (sides.get(k, False) for k in ("top", "left", "right", "bottom"))
    if top or left:
        styled[(min_row, min_col)] = True
    for r, c in covered:
        styled[(r, c)] = (origin.style.protected or (top and r == min_row) or (bottom and r == max_row)
                          or (left and c == min_col) or (right and c == max_col))


def _hyperlinks(package: OoxmlPackage, part: str, root: etree._Element, cells: dict[tuple[int, int], _Cell],
                styled: dict[tuple[int, int], bool], ranges: list[tuple[int, int, int, int]]) -> None:
    """An empty cell a hyperlink is on shows the link's target (openpyxl sets it as the value)."""
    lists = root.findall(_S + "hyperlinks")
    links = list(lists[-1].iterfind(_S + "hyperlink")) if lists else []
    if not links:
        return
    from openpyxl.utils.cell import range_boundaries

    rels = package.relationships_by_id(part)
    for link in links:
        target = rels[link.get(_R_ID) or ""][1] if link.get(_R_ID) else None
        shown = target or link.get("location")
        min_col, min_row, max_col, max_row = range_boundaries(link.get("ref") or "")
        single = (min_row, min_col) == (max_row, max_col)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                place = (r, c)
                if any(r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for r0, c0, r1, c1 in ranges):
                    if not single:
                        continue  # openpyxl cannot put a link on a merged place
                    place = next((r0, c0) for r0, c0, r1, c1 in ranges if r0 <= r <= r1 and c0 <= c <= c1)
                cell = cells.get(place)
                if cell is None:
                    cell = cells[place] = _Cell(None, _UNSTYLED)
                    styled.setdefault(place, False)
                if cell.value is None:
                    cell.value = shown


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


def _read_sheet(doc: RawDocument, read: _Sheet, name: str) -> None:
    from openpyxl.utils import get_column_letter as column_letter

    sheet = read
    cells: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) 1-based → (text, ref)
    raw_text: dict[tuple[int, int], str] = {}  # strings as typed, line breaks kept, for prose
    for (at_row, at_col), item in sheet.cells.items():  # only cells that exist: no 1M-row scans
        text = display_value(item.value, item.style.number_format)
        if text:
            cells[(at_row, at_col)] = (text, f"{column_letter(at_col)}{at_row}")
            if isinstance(item.value, str):
                raw_text[(at_row, at_col)] = item.value
    if not cells:
        return
    merged = sheet.merged
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
    for (at_row, at_col), styled in sheet.styled.items():
        if styled and at_row <= max_row + 3 and at_col <= max_col:
            max_row = max(max_row, at_row)
    for min_row, min_col, rng_max_row, rng_max_col in merged:
        if (min_row, min_col) in cells:
            max_row = max(max_row, min(rng_max_row, max_row + 1000))
            max_col = max(max_col, min(rng_max_col, max_col + 1000))
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
    for min_row, min_col, rng_max_row, rng_max_col in merged:
        origin = (min_row, min_col)
        text, ref = cells.get(origin, ("", f"{column_letter(min_col)}{min_row}"))
        locator = SourceLocator(kind="xlsx", sheet=name, cell=ref)
        spanning = GridCell(text, locator, (origin[0] - 1, origin[1] - 1))
        for r in range(min_row, min(rng_max_row, max_row) + 1):
            for c in range(min_col, min(rng_max_col, max_col) + 1):
                grid[(r, c)] = spanning
    rows = []
    for r in range(1, max_row + 1):
        row = []
        for c in range(1, max_col + 1):
            cell: GridCell | None = grid.get((r, c))
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
