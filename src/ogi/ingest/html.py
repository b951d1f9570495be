"""HTML reader: find the article inside a real government web page and lay it out as lines and grids.

Pages are whole CMS pages (navigation, scripts, footers) around an article pasted from Word, so the
article container is located first (known CMS containers, else text density), and only its
paragraphs and tables are read. Metadata (发布日期, 索引号 ...) is taken from the whole page, since
CMS templates print it outside the article. One lxml parse; walks are iterative (`iterwalk`), so
deep nesting cannot exhaust Python's stack.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import cast

from lxml import etree

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.sniff import decode_text
from ogi.ingest.text import join_fragments, normalise_space
from ogi.model import ReadNote, SourceLocator

MAX_SPAN = 1000
MAX_CELLS = 200_000

_DECLARED = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Known article containers of Chinese government CMSs, most specific first. Each is matched by
# tag, by id or by one class token (XPath's normalize-space splits @class on space, tab, CR, LF);
# an element may match several. Tag lookups, the parser's ID table and a plain XPath over @class find
# them all (`_containers`), several times faster than one XPath per container with
# contains(concat(normalize-space(@class))).
_CONTAINER_COUNT = 11
_CONTAINER_BY_TAG = {"ucapcontent": 0, "article": 8}
_CONTAINER_BY_ID = {
    **dict.fromkeys(("UCAP-CONTENT", "ucap-content"), 1),
    **dict.fromkeys(("zoom", "Zoom", "zoomcon", "fontzoom"), 2),
    "js_content": 5,
    "content": 10,
}
_CONTAINER_BY_CLASS = {
    "article-content": 3,
    "TRS_Editor": 4,
    "TRS_UEDITOR": 4,
    "pages_content": 6,
    "view": 7,
    "content": 9,
}
# Plain XPaths without predicates: libxml2 evaluates predicates slowly. Attribute values come
# back as strings that know their element (`getparent()`).
_IDS = etree.XPath("//@id")
_BY_CONTAINER_ID = etree.XPath("id($ids)")  # document order, like the scan
_CONTAINER_IDS = " ".join(_CONTAINER_BY_ID)
_MAX_PARSER_ERRORS = 100  # libxml2's XML_MAX_ERRORS
_CLASSES = etree.XPath("//@class")
_XPATH_SPACE = str.maketrans("\t\r\n", "   ")
_CONTAINER_TAGS = frozenset({"div", "td", "section", "article", "main", "body", "center", "font", "span"})

_DROP = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "iframe",
        "noscript",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "template",
        "svg",
        "object",
        "embed",
        "title",
        "head",
        "meta",
        "link",
    }
)
# Not text for the density count either: link lists are navigation.
_NOT_CONTENT = _DROP | {"a"}
_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "main",
        "aside",
        "blockquote",
        "pre",
        "address",
        "center",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "form",
        "fieldset",
        "body",
        "html",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD_TAGS = frozenset({"b", "strong"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)|黑体", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WIDGET = re.compile(r"share|jiathis|fenxiang", re.I)

_META_LABELS = (
    "发布日期",
    "发布时间",
    "成文日期",
    "公开日期",
    "生成日期",
    "索引号",
    "发布机构",
    "来源",
    "原文链接",
)
_LABEL_ALT = "|".join(_META_LABELS)
# "资金来源" in prose is not a field: a label must not follow another ideograph, except for the
# usual prefixes of 来源 ("信息来源", "文章来源").
_LABEL_COLON = re.compile(
    f"(?<![\u4e00-\u9fff])(?:(?:信息|文章|稿件|内容|新闻|网站)(?=来源))?({_LABEL_ALT})\\s*[:：]\\s*"
)
_VALUE_END = re.compile(f"\\s{{2,}}|[|｜]|(?:(?:信息|文章)?(?:{_LABEL_ALT})\\s*[:：])")
_LABEL_ANY = re.compile(_LABEL_ALT)
_META_NAMES = {
    "pubdate": "发布日期",
    "publishdate": "发布日期",
    "firstpublishedtime": "发布时间",
    "articletitle": "headline",
    "contentsource": "来源",
}
_NESTED_TABLE = etree.XPath(".//table")
_PRECEDING_H1 = etree.XPath("preceding::h1[1]")
# A portal's title block above the article (TRS pages: <div class="article_title">); the nearest few only,
# since navigation and sidebars carry "title" blocks too.
_PRECEDING_TITLE_BLOCKS = etree.XPath("preceding::*[contains(@class, 'title')][position() <= 6]")
_REPORT_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.*(?:年度报告|年报)")
# A portal's own time stamp beside the title ("<span class="article_time">时间：2026-03-10 12:56</span>"): a bare
# 时间/日期 label is the publication only in such a block outside the article, never an 更新/生成 time.
_TIME_BLOCKS = etree.XPath("//*[contains(@class, 'time') or contains(@class, 'date')]")
_TIME_LABEL = re.compile(r"^(?:发布)?(?:时间|日期)\s*[:：]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}.{0,12})$")
# <br> has no text of its own: it is marked apart.
_CELL_BREAKS = (
    *("table", "p", "div", "li", "dt", "dd", "tr", "td", "th"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
)


def read_html(data: bytes) -> RawDocument:
    """Read an HTML page: the article's lines and tables, the page's metadata and the article's links."""
    text, encoding, notes = decode_page(data)
    doc = RawDocument(kind="html", encoding=encoding, notes=notes)
    parsed = _parse(text, doc)
    if parsed is None:
        return doc
    root, ids_indexed = parsed
    body = root.find("body")
    if body is None:
        body = root
    body_text = _string(body)
    article = _find_article(root, body, body_text, ids_indexed)
    _Walker(doc).walk(article)
    _read_meta(root, article, doc, body, body_text)
    for a in article.iterdescendants("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "#", "mailto:")):
            doc.links.append((_text_of(a), href))
    return doc


def decode_page(data: bytes) -> tuple[str, str, list[ReadNote]]:
    """The page's text, its encoding and notes on it (`decode_text`, told the charset a <meta> declares)."""
    match = _DECLARED.search(data[:8192])
    declared = match.group(1).decode("ascii", "replace") if match else None
    return decode_text(data, declared)


def page_parser() -> etree.HTMLParser:
    """A new parser configured as the reader parses pages (the benchmark times this parse alone)."""
    # Plain etree elements: lxml.html's per-element class lookup would triple the walking time.
    return etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False, no_network=True, collect_ids=True)


def _parse(text: str, doc: RawDocument) -> tuple[etree._Element, bool] | None:
    """The page's root element, and whether the parser's ID table knows every element by its id."""
    parser = page_parser()
    try:
        root = etree.fromstring(_XML_DECL.sub("", text, count=1), parser=parser)
        if root is None:  # libxml2 found no document at all
            raise ValueError("no HTML document in the file")
    except (etree.LxmlError, ValueError) as exc:
        doc.notes.append(
            ReadNote(
                code="unparseable",
                detail=f"网页无法解析：{exc}",
                detail_en=f"the page cannot be parsed: {exc}",
            )
        )
        return None
    errors = parser.error_log  # a copy on each access
    if any("depth" in str(err.message).lower() for err in errors):
        # libxml2 stops at 256 levels without huge_tree (kept off on purpose); what follows is lost.
        doc.notes.append(
            ReadNote(
                code="html-truncated",
                detail="网页标签嵌套过深（超过 256 层），超出部分未能读取",
                detail_en="the page nests elements too deeply (over 256 levels); the rest was not read",
            )
        )
    # The table keeps the first element of an id used twice (reported as an error); libxml2 stops
    # reporting errors after 100, so past that a repeated id could go unnoticed.
    ids_indexed = len(errors) < _MAX_PARSER_ERRORS and not any(
        err.type == etree.ErrorTypes.DTD_ID_REDEFINED for err in errors
    )
    return root, ids_indexed


def _string(el: etree._Element) -> str:
    """The element's string value (XPath `string()`), several times faster through the text serialiser."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _wide_count(el: etree._Element) -> int:
    return _wide_count_of(_string(el))


def _wide_count_of(text: str) -> int:
    """Roughly the CJK characters in `text`: each one is 3 bytes in UTF-8 (encoding is C-fast)."""
    return (len(text.encode("utf-8")) - len(text)) // 2


def _containers(root: etree._Element, ids_indexed: bool) -> Iterator[list[etree._Element]]:
    """The elements matching each known container, rank by rank, in document order (as `//…` would).

    Each container is found by one source only (tag, id or class), and each lookup answers in
    document order, so no merging is needed. A source is scanned only when a rank needs it: the
    id and class scans each cost a walk over the whole page, and an early rank usually decides.
    """
    found: dict[int, list[etree._Element]] = {}
    for rank in range(_CONTAINER_COUNT):
        if rank not in found:
            source = _CONTAINER_SOURCE[rank]
            if source == "id":
                _containers_by_id(root, found, ids_indexed)
            else:
                _CONTAINER_SCANS[source](root, found)
        yield found[rank]


def _containers_by_tag(root: etree._Element, found: dict[int, list[etree._Element]]) -> None:
    for tag, rank in _CONTAINER_BY_TAG.items():
        found[rank] = list(root.iter(tag))  # free when the page has no such tag at all


def _containers_by_id(root: etree._Element, found: dict[int, list[etree._Element]], ids_indexed: bool) -> None:
    for rank in _CONTAINER_BY_ID.values():
        found[rank] = []
    if ids_indexed:
        # XPath id() asks the parser's ID table: a few µs instead of a scan of every element (~0.2 ms).
        # HTML also files <a name=…> there: only an element's own id counts.
        pairs = [(el.get("id"), el) for el in _BY_CONTAINER_ID(root, ids=_CONTAINER_IDS)]
    else:
        pairs = [(ident, ident.getparent()) for ident in _IDS(root)]
    for ident, el in pairs:
        id_rank = _CONTAINER_BY_ID.get(ident)
        if id_rank is not None:
            found[id_rank].append(el)


def _containers_by_class(root: etree._Element, found: dict[int, list[etree._Element]]) -> None:
    for rank in _CONTAINER_BY_CLASS.values():
        found[rank] = []
    for cls in _CLASSES(root):
        if "content" not in cls and "TRS_" not in cls and "view" not in cls:
            continue
        ranks = {_CONTAINER_BY_CLASS.get(token, -1) for token in cls.translate(_XPATH_SPACE).split(" ")}
        for rank in ranks:
            if rank >= 0:
                found[rank].append(cls.getparent())


_CONTAINER_SCANS = {"tag": _containers_by_tag, "class": _containers_by_class}
_CONTAINER_SOURCE = {
    **dict.fromkeys(_CONTAINER_BY_TAG.values(), "tag"),
    **dict.fromkeys(_CONTAINER_BY_ID.values(), "id"),
    **dict.fromkeys(_CONTAINER_BY_CLASS.values(), "class"),
}


def _find_article(
    root: etree._Element, body: etree._Element, body_text: str, ids_indexed: bool
) -> etree._Element:
    """The element holding the report: a known CMS container if one holds enough text, else by density."""
    total = _wide_count_of(body_text)
    floor = max(50, int(0.3 * total))
    for found in _containers(root, ids_indexed):
        if not found:
            continue
        count, best = max((_wide_count(el), i) for i, el in enumerate(found))
        if count >= floor:
            return found[best]
    return _densest(body)


def _densest(body: etree._Element) -> etree._Element:
    """The smallest container holding ≥ 70% of the page's non-link CJK text (one bottom-up pass)."""
    counts: dict[etree._Element, int] = {}
    stack: list[int] = [0]
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if el.tag in _NOT_CONTENT:
                walker.skip_subtree()
                stack.append(-1)  # marks a skipped element: its text does not count
            else:
                stack.append(len(_CJK.findall(el.text or "")))
            continue
        own = stack.pop()
        if own < 0:
            own = 0
        else:
            counts[el] = own
        tail = len(_CJK.findall(el.tail or "")) if el is not body else 0
        stack[-1] += own + tail
    total = counts.get(body, 0)
    best = body
    best_count = total
    for el, count in counts.items():
        if el.tag not in _CONTAINER_TAGS or count < 0.7 * total or count >= best_count:
            continue
        if _whole_of_its_table(el, count, counts):
            best, best_count = el, count
    return best


def _whole_of_its_table(el: etree._Element, count: int, counts: dict[etree._Element, int]) -> bool:
    """A layout cell holds (nearly) all of its table's text; one cell of a data table is not the article."""
    table = next(el.iterancestors("table"), None)
    return table is None or count >= 0.95 * counts.get(table, 0)


def _attribute_roles(el: etree._Element, names: list[str]) -> tuple[bool, bool]:
    """(hidden or a share widget, bold by its style or font face), from the element's attribute names."""
    style = el.get("style") if "style" in names else None
    if style and _hidden_style(style):
        return True, False
    ident = el.get("class") if "class" in names else None
    if not ident and "id" in names:
        ident = el.get("id")
    if ident and _widget_ident(ident):
        return True, False
    return False, bool(style and _bold_style(style)) or ("face" in names and _bold_face(el))


# Word markup repeats the same few long style strings on every span: search each one once.
@functools.lru_cache(maxsize=4096)
def _widget_ident(ident: str) -> bool:
    return bool(_WIDGET.search(ident))


@functools.lru_cache(maxsize=4096)
def _hidden_style(style: str) -> bool:
    return bool(_HIDDEN_STYLE.search(style))


@functools.lru_cache(maxsize=4096)
def _bold_style(style: str) -> bool:
    return bool(_BOLD_STYLE.search(style))


def _bold_face(el: etree._Element) -> bool:
    face = el.get("face")
    return bool(face) and "黑体" in face


def _is_layout_table(table: etree._Element, rows: list[list[etree._Element]]) -> bool:
    """A table used as a page frame or a text box: walk into it rather than reading it as a grid."""
    cells = sum(map(len, rows))
    if cells <= 1:
        return True
    return cells <= 4 and bool(_NESTED_TABLE(table))


# The walker's frame per open element: (is_block, is_bold, is_heading, is_pre).
_PLAIN = (False, False, False, False)
_BLOCK_FRAME = (True, False, False, False)
_TAG_FRAMES = {
    tag: (tag in _BLOCK or tag == "br", tag in _BOLD_TAGS, tag in _HEADINGS, tag == "pre")
    for tag in (*_BLOCK, "br", *_BOLD_TAGS, *_HEADINGS, "pre")
}
_NO_ROLES = (False, False)


class _Walker:
    """Turns the article's block structure into TextLines and its tables into Grids, in order."""

    def __init__(self, doc: RawDocument) -> None:
        self.doc = doc
        self.parts: list[str] = []
        self.has_bold = False
        self.has_plain = False
        self.heading = False
        self.bold_depth = 0
        self.heading_depth = 0
        self.pre_depth = 0

    def walk(self, article: etree._Element) -> None:
        frames: list[tuple[bool, bool, bool, bool]] = []  # one per open element
        add, flush = self.add, self.flush  # bound once: the loop runs per element
        walker = etree.iterwalk(article, events=("start", "end"))
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if not isinstance(tag, str):
                    tag = ""
                # el.get costs as much as listing the names: most elements have none of these attributes.
                names = el.keys()
                hidden, bold_attr = _attribute_roles(el, names) if names else _NO_ROLES
                if tag in _DROP or (tag == "form" and not el.xpath(".//p|.//table")) or hidden:
                    walker.skip_subtree()
                    frames.append(_PLAIN)
                    continue
                if tag == "table":
                    rows = [_own_cells(row) for row in _own_rows(el)]
                    flush()
                    frames.append(_BLOCK_FRAME)
                    if not _is_layout_table(el, rows):
                        self.add_grid(el, rows)
                        walker.skip_subtree()
                        continue
                else:
                    frame = _TAG_FRAMES.get(tag, _PLAIN)
                    if bold_attr and not frame[1]:
                        frame = (frame[0], True, frame[2], frame[3])
                    if frame is not _PLAIN:  # a span or font without roles (most elements) changes nothing
                        block, bold, heading, pre = frame
                        if block:
                            flush()
                        self.pre_depth += pre
                        self.bold_depth += bold
                        self.heading_depth += heading
                    frames.append(frame)
                el_text = el.text
                if el_text:
                    add(el_text)
                continue
            frame = frames.pop()
            if frame is not _PLAIN:
                block, bold, heading, pre = frame
                self.pre_depth -= pre
                self.bold_depth -= bold
                self.heading_depth -= heading
                if block:
                    flush()
            tail = el.tail
            if tail and el is not article:
                add(tail)
        flush()

    def add(self, text: str) -> None:
        if self.pre_depth and "\n" in text:
            # Plain-text reports pasted into <pre>: each source line is a line.
            first, *rest = text.split("\n")
            self.add_inline(first)
            for piece in rest:
                self.flush()
                self.add_inline(piece)
            return
        self.add_inline(text)

    def add_inline(self, text: str) -> None:
        self.parts.append(text)
        if text.isspace():
            return
        if self.heading_depth:
            self.heading = True
        if self.bold_depth:
            self.has_bold = True
        else:
            self.has_plain = True

    def flush(self) -> None:
        if self.has_plain or self.has_bold:  # else every part is whitespace: no line
            text = normalise_space("".join(self.parts))
            if text:
                emphasised = self.heading or (self.has_bold and not self.has_plain)
                locator = _line_locator(len(self.doc.lines) + 1)
                self.doc.lines.append(TextLine(text, locator, emphasised=emphasised))
        self.parts = []
        self.has_bold = self.has_plain = False
        self.heading = False

    def add_grid(self, table: etree._Element, rows: list[list[etree._Element]]) -> None:
        index = len(self.doc.grids) + 1
        strings = iter(_cell_strings(table, rows))
        grid = _build_grid(rows, strings, index, len(self.doc.lines), self.doc.notes)
        if grid is not None:
            self.doc.grids.append(grid)


def _span(value: str | None, notes: list[ReadNote], table: int, what: str) -> int:
    if value is None:
        return 1
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    if n > MAX_SPAN:
        notes.append(
            ReadNote(
                code="table-span-capped",
                detail=f"第 {table} 个表格的单元格 {what} 值异常（{n}），按 {MAX_SPAN} 处理",
                detail_en=f"table {table} has an absurd {what} ({n}); capped at {MAX_SPAN}",
                locator=SourceLocator(kind="html", table=table),
            )
        )
        return MAX_SPAN
    return n


def _build_grid(
    rows: list[list[etree._Element]], strings: Iterator[str], index: int, after_line: int, notes: list[ReadNote]
) -> Grid | None:
    """Expand rowspan/colspan into a full rectangle; every covered place repeats the origin cell.

    `strings` gives the string value of each cell of `rows`, in the same order.
    """
    height = len(rows)
    # placed[r][c]: the cell covering (r, c), None where nothing does (yet).
    placed: list[list[GridCell | None]] = [[] for _ in range(height)]
    count = 0  # places covered
    width = 0
    truncated = False
    for r, cells in enumerate(rows):
        row = placed[r]
        c = 0
        for td in cells:
            while c < len(row) and row[c] is not None:
                c += 1
            names = td.keys()  # cheaper than two el.get calls that mostly find nothing
            if "rowspan" not in names and "colspan" not in names:  # the common case: one place
                if count + 1 > MAX_CELLS:
                    truncated = True
                    break
                cell = _grid_cell(next(strings), index, r, c)
                if c < len(row):
                    row[c] = cell
                else:
                    row.append(cell)  # the while loop above stopped at the row's end
                count += 1
                c += 1
                if c > width:
                    width = c
                continue
            rowspan = _span(td.get("rowspan"), notes, index, "rowspan")
            colspan = max(1, _span(td.get("colspan"), notes, index, "colspan"))
            # rowspan="0" spans to the end of the table; spans never extend past the last row.
            rowspan = height - r if rowspan <= 0 else min(rowspan, height - r)
            if count + rowspan * colspan > MAX_CELLS:
                truncated = True
                break
            cell = _grid_cell(next(strings), index, r, c)
            end = c + colspan
            for dr in range(rowspan):
                target = placed[r + dr]
                if len(target) < end:
                    target.extend([None] * (end - len(target)))
                for dc in range(c, end):
                    if target[dc] is None:
                        target[dc] = cell
                        count += 1
            c = end
            if c > width:
                width = c
        if truncated:
            height = r + 1
            break
    capped = truncated or width * height > MAX_CELLS
    if capped:
        height = min(height, MAX_CELLS // max(width, 1))
        notes.append(
            ReadNote(
                code="table-too-large",
                detail=f"第 {index} 个表格过大（超过 {MAX_CELLS} 个单元格），只读取了前 {height} 行",
                detail_en=f"table {index} is too large (over {MAX_CELLS} cells); "
                f"only {height} rows were read",
                locator=SourceLocator(kind="html", table=index),
            )
        )
    if not height or not width:
        return None
    if not capped and count == width * height:  # every place is covered (the usual table): no blanks
        full = cast(list[list[GridCell]], placed)
        return Grid(tuple(map(tuple, full)), SourceLocator(kind="html", table=index), after_line=after_line)
    grid_rows = []
    for r in range(height):
        row = placed[r]
        if len(row) < width:
            row.extend([None] * (width - len(row)))
        grid_rows.append(
            tuple(cell or _grid_cell("", index, r, c) for c, cell in enumerate(row[:width]))
        )
    return Grid(tuple(grid_rows), SourceLocator(kind="html", table=index), after_line=after_line)


def _cell_strings(table: etree._Element, rows: list[list[etree._Element]]) -> list[str]:
    """The string value of each cell of `rows` in order, with a newline at every block boundary inside.

    One XSLT transform writes them all out in C; marking the breaks in the tree and serialising cell by
    cell costs several times as much. The slow path remains for what the transform cannot mirror: text
    holding characters lxml refuses to write back (the marking rewrites them) or the separator itself.
    """
    try:
        written = str(_CELL_STRINGS(table))
    except etree.XSLTApplyError:
        written = ""
    if written.count(_CELL_SEPARATOR) == sum(map(len, rows)) and not _NOT_WRITABLE.search(written):
        return written.split(_CELL_SEPARATOR)[1:]  # nothing comes before the first cell
    _mark_cell_breaks(table)
    return [_cell_string(td) for cells in rows for td in cells]


# A private-use character: it stands for no text, so a cell holding one is read the slow way.
_CELL_SEPARATOR = "\ue000"
# Each own cell (the rows of `_own_rows`, the cells of `_own_cells`) after a separator, as its string value
# reads once `_mark_cell_breaks` has run: every block starts and ends with a newline (a cell too: the
# newline after the separator), <br> is a newline, and script and style have no text.
_CELL_STRINGS = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/*"><xsl:for-each select="tr|thead/tr|tbody/tr|tfoot/tr"><xsl:for-each select="td|th">\
<xsl:text>&#xE000;&#10;</xsl:text><xsl:apply-templates/></xsl:for-each></xsl:for-each></xsl:template>
<xsl:template match="{"|".join(_CELL_BREAKS)}">\
<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="br"><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="script|style"/>
</xsl:stylesheet>"""))


def _mark_cell_breaks(table: etree._Element) -> None:
    """Put a newline at every block boundary inside a table, so a cell's string value keeps them.

    Newlines are whitespace, so nothing else that reads the page later is affected.
    """
    for el in table.iter("script", "style"):
        el.text = None  # their content is never cell text
    blocks = table.iter(*_CELL_BREAKS)
    next(blocks)  # the table itself comes first
    for el in blocks:
        text, tail = el.text, el.tail  # read first: a refused write has already removed the old text
        try:
            el.text = "\n" + (text or "")
            el.tail = "\n" + (tail or "")
        except ValueError:  # a control character lxml reads but will not write back
            el.text = "\n" + _writable(text or "")
            el.tail = "\n" + _writable(tail or "")
    for el in table.iter("br"):
        tail = el.tail
        try:
            el.tail = "\n" + (tail or "")
        except ValueError:
            el.tail = "\n" + _writable(tail or "")


# What lxml refuses in text (not XML 1.0 characters). Word's line and page breaks (\x0b, \x0c) and the
# other whitespace controls become spaces, as reading them would make them; the rest is dropped.
_NOT_WRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _writable(text: str) -> str:
    return _NOT_WRITABLE.sub(lambda m: " " if m.group().isspace() else "", text)


@functools.lru_cache(maxsize=4096)
def _line_locator(line: int) -> SourceLocator:
    return SourceLocator(kind="html", line=line)


@functools.lru_cache(maxsize=16384)
def _cell_locator(table: int, row: int, col: int) -> SourceLocator:
    """A cell's locator. Shared between documents: locators are frozen, and every report's tables
    have the same few hundred places, so this saves building each one anew."""
    return SourceLocator(kind="html", table=table, row=row, col=col)


def _cell_string(td: etree._Element) -> str:
    """The cell's string value once its breaks are marked; a cell without child elements is its own text."""
    if len(td):
        return _string(td)
    return td.text or ""


def _grid_cell(raw: str, table: int, r: int, c: int) -> GridCell:
    """The cell at (r, c) from its string value (also the origin of its span)."""
    if len(raw) <= 256:
        return _short_grid_cell(raw, table, r, c)
    return GridCell(_cell_text_of(raw), _cell_locator(table, r + 1, c + 1), (r, c))


# Cells are frozen and report tables repeat the same short values at the same places ("0" in row 5,
# column 4 of table 3 ...), so one instance serves every report: building a frozen dataclass costs
# several times the lookup.
@functools.lru_cache(maxsize=16384)
def _short_grid_cell(raw: str, table: int, r: int, c: int) -> GridCell:
    return GridCell(_cell_text(raw), _cell_locator(table, r + 1, c + 1), (r, c))


def _cell_text(raw: str) -> str:
    """A cell's text from its string value: its paragraphs (and any nested table) joined the Chinese
    way, without spaces."""
    if len(raw) <= 256:
        return _short_cell_text(raw)
    return _cell_text_of(raw)


def _cell_text_of(raw: str) -> str:
    if "\n" not in raw:
        return normalise_space(raw)
    # Most pieces are the source's indentation between tags: skip them before normalising.
    pieces = [piece for piece in raw.split("\n") if piece and not piece.isspace()]
    if len(pieces) == 1:
        return normalise_space(pieces[0])
    return join_fragments(normalise_space(piece) for piece in pieces)


# Report tables repeat the same few short values ("0", "—", "件") many times.
_short_cell_text = functools.lru_cache(maxsize=8192)(_cell_text_of)


def _text_of(el: etree._Element) -> str:
    return normalise_space(_string(el))


def _read_meta(
    root: etree._Element, article: etree._Element, doc: RawDocument, body: etree._Element, body_text: str
) -> None:
    meta = doc.meta
    # One walk finds the <title>, <meta> and <link> elements (mostly in <head>, but anywhere counts).
    title = None
    metas: list[etree._Element] = []
    links: list[etree._Element] = []
    for el in root.iter("title", "meta", "link"):
        if el.tag == "meta":
            metas.append(el)
        elif el.tag == "link":
            links.append(el)
        elif title is None and el is not root:
            title = el
    title_text = _text_of(title) if title is not None else ""
    if title_text:
        meta["title"] = title_text
    label_url = _label_fields(body, body_text, meta)
    if not any(label in meta for label in ("发布日期", "发布时间", "公开日期")):
        stamp = _portal_time_stamp(root, article)
        if stamp:
            meta["发布时间"] = stamp
    for el in metas:
        name = (el.get("name") or "").strip()
        content = normalise_space(el.get("content") or "")
        key = _META_NAMES.get(name.lower())
        if key and content:
            meta.setdefault(name, content)  # raw, under the tag's own name ("PubDate")
            meta.setdefault(key, content)
    # ucaptitle / the article's own h1, else <meta ArticleTitle>, else the h1 right above the article.
    headline = _headline(root, article)
    if headline:
        meta["headline"] = headline
    elif "headline" not in meta:
        headline = _preceding_h1(article) or _preceding_title_block(article)
        if headline:
            meta["headline"] = headline
    url = None
    for link in links:
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            url = link.get("href", "").strip()
            break
    if url is None:
        for el in metas:
            if (el.get("property") or el.get("name") or "").lower() == "og:url" and el.get("content"):
                url = el.get("content", "").strip()
                break
    url = url or label_url
    if url:
        meta["url"] = url


def _headline(root: etree._Element, article: etree._Element) -> str | None:
    for el in root.iter("ucaptitle"):
        text = _text_of(el)
        if text:
            return text
    for el in article.iter("h1"):
        text = _text_of(el)
        if text:
            return text
    return None


def _preceding_h1(article: etree._Element) -> str | None:
    for el in _PRECEDING_H1(article):
        text = _text_of(el)
        if text:
            return text
    return None


def _preceding_title_block(article: etree._Element) -> str | None:
    """A report's name ("…2025年度…年度报告") in a "title" block right above the article."""
    for el in reversed(_PRECEDING_TITLE_BLOCKS(article)):  # nearest first
        text = _text_of(el)
        if len(text) <= 100 and _REPORT_TITLE.search(text):
            return text
    return None


def _portal_time_stamp(root: etree._Element, article: etree._Element) -> str | None:
    """The date of a '时间：…' stamp in a time/date-classed block outside the article (TRS portal pages)."""
    for el in _TIME_BLOCKS(root):
        if el is article or any(anc is article for anc in el.iterancestors()):
            continue
        m = _TIME_LABEL.match(_text_of(el))
        if m:
            return m.group(1).strip()
    return None


def _block_of(el: etree._Element) -> etree._Element:
    """The nearest block ancestor-or-self: where a label and its value sit together."""
    node = el
    while node.tag not in _BLOCK and node.getparent() is not None:
        node = node.getparent()
    return node


def _label_fields(body: etree._Element, body_text: str, meta: dict[str, str]) -> str | None:
    """Collect "LABEL：value" fields and label|value cell pairs from the whole page; returns a source URL."""
    url: str | None = None
    for context, own in _label_texts(body, body_text):
        block = _block_of(context)
        raw = _string(block)
        if len(raw) > 600:
            raw = own  # a label inside a long block: only its own text is trustworthy
        found = False
        for m in _LABEL_COLON.finditer(raw):
            rest = raw[m.end() : m.end() + 200]
            end = _VALUE_END.search(rest)
            value = normalise_space(rest[: end.start()] if end else rest)
            label = m.group(1)
            if label in ("来源", "原文链接") and url is None:
                url = _link_in(block) or (value if value.startswith(("http://", "https://")) else None)
            if value:
                found = True
                meta.setdefault(label, value)
        if found:
            continue
        # A label alone in its cell/element, the value in the next sibling: <td>公开日期</td><td>…</td>.
        label_text = normalise_space(raw).rstrip(":：").strip()
        for label in _META_LABELS:
            if label_text.endswith(label) and len(label_text) <= len(label) + 4:
                sibling = block.getnext()
                if sibling is not None and isinstance(sibling.tag, str):
                    value = _text_of(sibling)
                    if value:
                        meta.setdefault(label, value)
                    if label in ("来源", "原文链接") and url is None:
                        url = _link_in(sibling)
                break
    return url


def _label_texts(body: etree._Element, body_text: str) -> list[tuple[etree._Element, str]]:
    """(element the text belongs to, the text) for every text node that mentions a label.

    A Python pass over the elements is several times faster here than an XPath over text nodes, and
    it stops once it has met every label of `body_text` (the body's string value, read before the
    table cells got their line breaks, which create no label). Labels never overlap one another, so
    each label inside one text node is also one in that string; labels that straddle two text nodes
    are never met, and then the pass simply runs to the end.
    """
    found: list[tuple[etree._Element, str]] = []
    search = _LABEL_ANY.search
    count = _LABEL_ANY.findall
    unmet = len(count(body_text))
    for el in body.iter():
        text = el.text
        if text and search(text):
            unmet -= len(count(text))
            if el.tag not in ("script", "style"):
                found.append((el, text))
        tail = el.tail
        if tail and search(tail):
            parent = el.getparent()
            if parent is not None:
                found.append((parent, tail))
            if el is not body:  # the body's own tail is not part of its string
                unmet -= len(count(tail))
        if unmet <= 0:
            break
    return found


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):  # lxml filters tags in C
        if child.tag == "tr":
            rows.append(child)
        else:
            rows.extend(child.iterchildren("tr"))
    return rows


def _own_cells(row: etree._Element) -> list[etree._Element]:
    return list(row.iterchildren("td", "th"))


def _link_in(el: etree._Element) -> str | None:
    # The first http(s) href of a descendant <a> (as .//a/@href), without an XPath's setup cost.
    for a in el.iterdescendants("a"):
        href = a.get("href")
        if href is not None:
            href = href.strip()
            if href.startswith(("http://", "https://")):
                return href
    return None
