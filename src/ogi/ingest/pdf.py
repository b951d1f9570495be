"""PDF reader: text lines and ruled tables per page, in reading order.

The pages are laid out by pdfium (`pdf_objects`, ~20x faster than pdfminer) and read with pdfplumber's
table finding and text-line extraction, done on plain tuples with the same results (`pdf_layout`);
pdfminer still reads the document's info and page boxes (`_document_info`), and pdfplumber's own
reading remains for the documents pdfium's layout could differ on (`pdf_objects.page_objects` says
which), and for those pdfium or pdfminer cannot open, so that their findings stay what they were.

Table text is taken out of the page's lines so numbers are not read twice. A one-column "table"
is a bordered text box (a boxed preamble, a flip-book frame): its text stays in the lines. Merged
cells, which pdfplumber leaves as None, are filled from the cell whose box covers them. Tables
split across pages come out as one Grid per page fragment; joining them is done later.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.text import join_fragments, normalise_space, squeeze_cjk_spaces
from ogi.model import ReadNote, SourceLocator

if TYPE_CHECKING:
    from ogi.ingest.pdf_objects import PageObjects

MAX_PAGES = 500
_Box = tuple[float, float, float, float]


def read_pdf(data: bytes) -> RawDocument:
    """Read a PDF: lines (page + line locators) and tables (page/table/row/col locators), page by page."""
    doc = _read_with_pdfium(data)
    return doc if doc is not None else _read_with_pdfplumber(data)


def _read_with_pdfium(data: bytes) -> RawDocument | None:
    """The pages' objects from pdfium (`pdf_objects`), read by pdfplumber's table and line finding (`pdf_layout`);
    None when pdfplumber must read the whole document (see `pdf_objects.page_objects`), or when pdfium or
    pdfminer cannot open it (pdfplumber's reading then says why, as it always did)."""
    import pypdfium2 as pdfium

    try:
        info, boxes = _document_info(data)
    except Exception:
        return None
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except Exception:
            return None
        try:
            count = len(pdf)
            if count != len(boxes):
                return None  # pdfium and pdfminer see other page trees
            return _read_pages(info, count, _laid_out(pdf, boxes[:MAX_PAGES]))
        except _NeedsPdfplumber:
            return None
        finally:
            pdf.close()


# pdfium is not thread-safe; a Dask worker may read in several threads.
_PDFIUM = threading.Lock()


class _NeedsPdfplumber(Exception):
    """A page pdfium may lay out otherwise than pdfminer: the whole document is read by pdfplumber."""


def _laid_out(pdf: Any, boxes: list[tuple[float, float] | None]) -> Iterator[PageObjects]:
    """Each page's objects in turn (one page in memory at a time, as pdfplumber's pages are closed)."""
    from ogi.ingest.pdf_objects import page_objects

    for index, size in enumerate(boxes):
        if size is None:
            raise _NeedsPdfplumber
        page = pdf[index]
        try:
            objects = page_objects(page, size)
        except Exception as exc:  # a page pdfium cannot lay out: pdfplumber reads it, as it always did
            raise _NeedsPdfplumber from exc
        finally:
            page.close()
        if objects is None:
            raise _NeedsPdfplumber
        yield objects


def _read_with_pdfplumber(data: bytes) -> RawDocument:
    """pdfminer's reading of the whole document, through pdfplumber (the slow path)."""
    import pdfplumber  # heavy (pdfminer): only when a PDF actually arrives

    try:
        pdf = pdfplumber.open(BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps every pdfminer failure in PdfminerException
        raise _unreadable(exc) from exc
    try:
        return _read_pages(pdf.doc.info, len(pages), pages[:MAX_PAGES], close=True)
    finally:
        pdf.close()


def _document_info(data: bytes) -> tuple[list[Any], list[tuple[float, float] | None]]:
    """The trailers' Info dictionaries and each page's size (None unless it is an unrotated media box from
    the origin), as pdfminer reads them for pdfplumber (no page's content is parsed)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    document = PDFDocument(PDFParser(BytesIO(data)))
    boxes: list[tuple[float, float] | None] = []
    for page in PDFPage.create_pages(document):
        rotation = resolve1(page.attrs.get("Rotate", 0)) or 0
        raw = [resolve1(v) for v in resolve1(page.attrs.get("MediaBox")) or ()]
        if len(raw) != 4 or not all(isinstance(v, (int, float)) for v in raw) or rotation % 360 != 0:
            boxes.append(None)
            continue
        x0, x1 = sorted((raw[0], raw[2]))
        y0, y1 = sorted((raw[1], raw[3]))
        boxes.append((float(x1), float(y1)) if x0 == 0 and y0 == 0 and x1 > 0 and y1 > 0 else None)
    return document.info, boxes


def _read_pages(info: list[Any], count: int, pages: Iterable[Any], *, close: bool = False) -> RawDocument:
    """The document from its pages: pdfplumber's, or pdfium's objects shaped as them (`chars`, `edges`,
    `bbox`); `close` frees each pdfplumber page once read (memory stays flat on long PDFs)."""
    doc = RawDocument(kind="pdf")
    doc.meta.update(_metadata(info))
    if count > MAX_PAGES:
        doc.notes.append(
            ReadNote(
                code="too-many-pages",
                detail=f"PDF 共 {count} 页，只读取了前 {MAX_PAGES} 页",
                detail_en=f"the PDF has {count} pages; only the first {MAX_PAGES} were read",
            )
        )
    blank_pages: list[int] = []
    chars_total = 0
    for number, page in enumerate(pages, start=1):
        try:
            chars = len(page.chars)
            chars_total += chars
            if chars == 0:
                blank_pages.append(number)
            else:
                _read_page(doc, page, number)
        except Exception as exc:  # one damaged page must not lose the others
            doc.notes.append(
                ReadNote(
                    code="page-unreadable",
                    detail=f"PDF 第 {number} 页无法读取：{type(exc).__name__}",
                    detail_en=f"page {number} of the PDF cannot be read: {type(exc).__name__}: {exc}",
                    locator=SourceLocator(kind="pdf", page=number),
                )
            )
        finally:
            if close:
                page.close()
    unmapped = sum(line.text.count("(cid:") for line in doc.lines)
    if unmapped:
        # Fonts without a ToUnicode map: pdfminer can only name the glyphs, so the words are lost.
        doc.notes.append(
            ReadNote(
                code="pdf-unmapped-glyphs",
                detail=f"PDF 中有 {unmapped} 个字形无法转换为文字（字体缺少编码映射），部分内容无法读取",
                detail_en=f"{unmapped} glyph(s) in the PDF cannot be mapped to text (fonts without "
                "a ToUnicode map); some content cannot be read",
                data=(("glyphs", str(unmapped)),),
            )
        )
    if chars_total == 0:
        doc.notes.append(
            ReadNote(
                code="no-text-layer",
                detail="PDF 没有文字层（可能是扫描件或图片），无法读取其中的文字和数字",
                detail_en="the PDF has no text layer (a scan or images); "
                "its words and numbers cannot be read",
            )
        )
    elif blank_pages:
        blank = [str(n) for n in blank_pages]
        doc.notes.append(
            ReadNote(
                code="page-no-text",
                detail=f"PDF 第 {'、'.join(blank)} 页没有文字层（可能是扫描页），其内容未读取",
                detail_en=f"page(s) {', '.join(blank)} have no text layer (scanned?); not read",
                data=(("pages", ",".join(blank)),),
            )
        )
    return doc


def _unreadable(exc: Exception) -> UnreadableFile:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return UnreadableFile(
            "PDF 已加密（需要密码），无法读取，请提供未加密的版本",
            "the PDF is encrypted (it needs a password); please provide an unencrypted copy",
            code="encrypted",
        )
    return UnreadableFile(
        "PDF 文件已损坏或不完整，无法读取",
        f"the PDF is damaged or truncated: {name}: {cause}",
        code="corrupt-pdf",
    )


def _read_page(doc: RawDocument, page: Any, number: int) -> None:
    """A page's tables and lines, found as pdfplumber's find_tables() and extract_text_lines() (default
    settings) find them: on pdfium's objects by `pdf_layout`, on a pdfplumber page by pdfplumber."""
    from ogi.ingest.pdf_objects import PageObjects

    tables, lines = _laid_out_page(page) if isinstance(page, PageObjects) else _pdfplumber_page(page)
    # (top, x0, order, item): tables and lines interleaved by their place on the page, which is the
    # reading order even when a flip-book PDF emits its text objects in another order.
    items: list[tuple[float, float, int, Any]] = []
    for raw, x0, top in lines:
        text = squeeze_cjk_spaces(normalise_space(raw))
        if text:
            items.append((round(top, 1), x0, 0, text))
    for table in tables:
        x0, top, _, _ = table[1]
        items.append((round(top, 1), x0, 1, table))
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    line_no = 0
    table_no = 0
    for _, _, kind, item in items:
        if kind == 0:
            line_no += 1
            doc.lines.append(TextLine(item, _locator(number, None, None, None, line_no)))
        else:
            table_no += 1
            rows, bounds, texts = item
            grid = _grid(texts, rows, bounds, number, table_no, len(doc.lines))
            if grid is not None:
                doc.grids.append(grid)


# A page's tables (rows, box, cells' text) and text lines (text, x0, top) outside them.
_Tables = list[tuple[Any, _Box, list[list[str | None]]]]
_Lines = list[tuple[str, float, float]]


def _laid_out_page(page: PageObjects) -> tuple[_Tables, _Lines]:
    from ogi.ingest.pdf_layout import CharIndex, find_tables, text_lines

    found = [(rows, t.bbox) for t in find_tables(page.edges) if not _is_text_box(rows := t.rows)]
    if not found:
        return [], text_lines(page.chars)
    index = CharIndex(page.chars)
    tables = [(rows, bbox, index.cell_texts(rows)) for rows, bbox in found]
    return tables, text_lines(index.outside([bbox for _, bbox in found]))


def _pdfplumber_page(page: Any) -> tuple[_Tables, _Lines]:
    tables = [(rows, t.bbox, t.extract()) for t in page.find_tables() if not _is_text_box(rows := t.rows)]
    boxes = [bbox for _, bbox, _ in tables]
    view = page.filter(_outside(boxes)) if boxes else page
    return tables, [(line["text"], line["x0"], line["top"]) for line in view.extract_text_lines(return_chars=False)]


def _is_text_box(rows: Any) -> bool:
    """A frame around prose, not a data table: every row has a single cell."""
    return all(len(row.cells) <= 1 for row in rows)


def _outside(boxes: Sequence[_Box]) -> Callable[[dict[str, Any]], bool]:
    """A page filter keeping everything except characters whose centre lies in one of `boxes`."""

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    return keep


@functools.lru_cache(maxsize=4096)  # table cells repeat ("0", "1", …)
def _cell_text(raw: str | None) -> str:
    if not raw:
        return ""
    pieces = (squeeze_cjk_spaces(normalise_space(piece)) for piece in raw.split("\n"))
    return join_fragments(pieces)


def _grid(texts: list[list[str | None]], rows: Any, bounds: _Box, page: int, index: int,
          after_line: int) -> Grid | None:
    """The table as a rectangle; places pdfplumber leaves empty (merged cells) take the covering cell."""
    if not rows:
        return None
    xs = sorted({cell[0] for row in rows for cell in row.cells if cell is not None})
    tops = [row.bbox[1] for row in rows]
    x_end, y_end = bounds[2], bounds[3]
    width = max(len(row.cells) for row in rows)
    origins: list[tuple[_Box, int, int]] = []
    row_ends: list[int] = []  # how many origins the rows up to each one hold
    grid: list[list[GridCell | None]] = []
    for r, row in enumerate(rows):
        out: list[GridCell | None] = []
        for c in range(width):
            box = row.cells[c] if c < len(row.cells) else None
            if box is None:
                out.append(None)
                continue
            text = _cell_text(texts[r][c] if r < len(texts) and c < len(texts[r]) else "")
            out.append(GridCell(text, _locator(page, index, r + 1, c + 1, None), (r, c)))
            origins.append((box, r, c))
        grid.append(out)
        row_ends.append(len(origins))
    for r, out in enumerate(grid):
        for c, cell in enumerate(out):
            if cell is not None:
                continue
            # The centre of this grid place, from the column and row boundaries.
            left = xs[c] if c < len(xs) else x_end
            right = xs[c + 1] if c + 1 < len(xs) else x_end
            top = tops[r]
            bottom = tops[r + 1] if r + 1 < len(tops) else y_end
            cx, cy = (left + right) / 2, (top + bottom) / 2
            # The first cell, row by row, whose box holds that centre: none in a later row can (their tops
            # are below it), so only the rows up to this one are looked at.
            cover = next(
                (
                    (rr, cc)
                    for (x0, y0, x1, y1), rr, cc in itertools.islice(origins, row_ends[r])
                    if x0 <= cx <= x1 and y0 <= cy <= y1 and (rr, cc) != (r, c)
                ),
                None,
            )
            if cover is not None:
                out[c] = grid[cover[0]][cover[1]]
            else:
                out[c] = GridCell("", _locator(page, index, r + 1, c + 1, None), (r, c))
    final = tuple(tuple(cell for cell in out if cell is not None) for out in grid)
    return Grid(final, SourceLocator(kind="pdf", page=page, table=index), after_line=after_line)


_new = object.__new__
_set_attr = object.__setattr__


def _locator(page: int, table: int | None, row: int | None, col: int | None, line: int | None) -> SourceLocator:
    """SourceLocator(kind="pdf", ...) with the same eight object.__setattr__ calls, in field order, as the
    frozen dataclass's __init__, minus that __init__'s overhead (a page has hundreds of cells): the same
    object, its attributes kept inline as the __init__ keeps them."""
    out = _new(SourceLocator)
    _set_attr(out, "kind", "pdf")
    _set_attr(out, "line", line)
    _set_attr(out, "page", page)
    _set_attr(out, "table", table)
    _set_attr(out, "row", row)
    _set_attr(out, "col", col)
    _set_attr(out, "sheet", None)
    _set_attr(out, "cell", None)
    return out


def _metadata(infos: list[Any]) -> dict[str, str]:
    """Title and dates from the document info, decoding UTF-16 strings pdfminer leaves as mojibake."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    out: dict[str, str] = {}
    keys = {"Title": "title", "CreationDate": "created", "ModDate": "modified", "Author": "author"}
    for info in infos:
        for key, meta_key in keys.items():
            if key not in info or meta_key in out:
                continue
            try:
                value = resolve1(info[key])
            except Exception:  # a dangling reference in the info dictionary
                continue
            text: str | None = None
            if isinstance(value, bytes):
                if value.startswith(b"\xfe\xff"):
                    text = value[2:].decode("utf-16-be", "replace")
                elif value.startswith(b"\xff\xfe"):  # little-endian: not in the spec, but WPS writes it
                    text = value[2:].decode("utf-16-le", "replace")
                else:
                    try:
                        text = value.decode("utf-8")
                    except UnicodeDecodeError:
                        text = decode_text(value)
            elif isinstance(value, str):
                text = value
            elif isinstance(value, PSLiteral):
                text = str(value.name)
            if text:
                text = normalise_space(text.replace("\x00", ""))
                if text:
                    out[meta_key] = text
    return out
