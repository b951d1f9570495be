# The PDF reader as it was on pdfplumber (pdfminer) (ogi 775684d), kept unchanged as the oracle the faster reader
# is compared with (tests/test_pdf_readers.py): a copy on purpose, so that a change to the
# reader cannot change its reference too.
"""PDF reader (pdfplumber): text lines and ruled tables per page, in reading order.

Table text is taken out of the page's lines so numbers are not read twice. A one-column "table"
is a bordered text box (a boxed preamble, a flip-book frame): its text stays in the lines. Merged
cells, which pdfplumber leaves as None, are filled from the cell whose box covers them. Tables
split across pages come out as one Grid per page fragment; joining them is done later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.text import join_fragments, normalise_space, squeeze_cjk_spaces
from ogi.model import ReadNote, SourceLocator

MAX_PAGES = 500
_Box = tuple[float, float, float, float]


def read_pdf(data: bytes) -> RawDocument:
    """Read a PDF: lines (page + line locators) and tables (page/table/row/col locators), page by page."""
    import pdfplumber  # heavy (pdfminer): only when a PDF actually arrives

    try:
        pdf = pdfplumber.open(BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps every pdfminer failure in PdfminerException
        raise _unreadable(exc) from exc
    doc = RawDocument(kind="pdf")
    try:
        doc.meta.update(_metadata(pdf))
        if len(pages) > MAX_PAGES:
            doc.notes.append(
                ReadNote(
                    code="too-many-pages",
                    detail=f"PDF 共 {len(pages)} 页，只读取了前 {MAX_PAGES} 页",
                    detail_en=f"the PDF has {len(pages)} pages; only the first {MAX_PAGES} were read",
                )
            )
        blank_pages: list[int] = []
        chars_total = 0
        for number, page in enumerate(pages[:MAX_PAGES], start=1):
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
                page.close()  # frees the page's parsed objects: memory stays flat on long PDFs
    finally:
        pdf.close()
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
    tables = [t for t in page.find_tables() if not _is_text_box(t)]
    boxes = [t.bbox for t in tables]
    view = page.filter(_outside(boxes)) if boxes else page
    # (top, x0, order, item): tables and lines interleaved by their place on the page, which is the
    # reading order even when a flip-book PDF emits its text objects in another order.
    items: list[tuple[float, float, int, Any]] = []
    for line in view.extract_text_lines(return_chars=False):
        text = squeeze_cjk_spaces(normalise_space(line["text"]))
        if text:
            items.append((round(line["top"], 1), line["x0"], 0, text))
    for table in tables:
        x0, top, _, _ = table.bbox
        items.append((round(top, 1), x0, 1, table))
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    line_no = 0
    table_no = 0
    for _, _, kind, item in items:
        if kind == 0:
            line_no += 1
            doc.lines.append(TextLine(item, SourceLocator(kind="pdf", page=number, line=line_no)))
        else:
            table_no += 1
            grid = _grid(item, number, table_no, len(doc.lines))
            if grid is not None:
                doc.grids.append(grid)


def _is_text_box(table: Any) -> bool:
    """A frame around prose, not a data table: every row has a single cell."""
    return all(len(row.cells) <= 1 for row in table.rows)


def _outside(boxes: Sequence[_Box]) -> Callable[[dict[str, Any]], bool]:
    """A page filter keeping everything except characters whose centre lies in one of `boxes`."""

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    return keep


def _cell_text(raw: str | None) -> str:
    if not raw:
        return ""
    pieces = (squeeze_cjk_spaces(normalise_space(piece)) for piece in raw.split("\n"))
    return join_fragments(pieces)


def _grid(table: Any, page: int, index: int, after_line: int) -> Grid | None:
    """The table as a rectangle; places pdfplumber leaves empty (merged cells) take the covering cell."""
    rows = table.rows
    texts = table.extract()
    if not rows:
        return None
    xs = sorted({cell[0] for row in rows for cell in row.cells if cell is not None})
    tops = [row.bbox[1] for row in rows]
    x_end, y_end = table.bbox[2], table.bbox[3]
    width = max(len(row.cells) for row in rows)
    origins: list[tuple[_Box, int, int]] = []
    grid: list[list[GridCell | None]] = []
    for r, row in enumerate(rows):
        out: list[GridCell | None] = []
        for c in range(width):
            box = row.cells[c] if c < len(row.cells) else None
            if box is None:
                out.append(None)
                continue
            text = _cell_text(texts[r][c] if r < len(texts) and c < len(texts[r]) else "")
            locator = SourceLocator(kind="pdf", page=page, table=index, row=r + 1, col=c + 1)
            out.append(GridCell(text, locator, (r, c)))
            origins.append((box, r, c))
        grid.append(out)
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
            cover = next(
                (
                    (rr, cc)
                    for (x0, y0, x1, y1), rr, cc in origins
                    if x0 <= cx <= x1 and y0 <= cy <= y1 and (rr, cc) != (r, c)
                ),
                None,
            )
            if cover is not None:
                out[c] = grid[cover[0]][cover[1]]
            else:
                locator = SourceLocator(kind="pdf", page=page, table=index, row=r + 1, col=c + 1)
                out[c] = GridCell("", locator, (r, c))
    final = tuple(tuple(cell for cell in out if cell is not None) for out in grid)
    return Grid(final, SourceLocator(kind="pdf", page=page, table=index), after_line=after_line)


def _metadata(pdf: Any) -> dict[str, str]:
    """Title and dates from the document info, decoding UTF-16 strings pdfminer leaves as mojibake."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    out: dict[str, str] = {}
    keys = {"Title": "title", "CreationDate": "created", "ModDate": "modified", "Author": "author"}
    for info in pdf.doc.info:
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
