"""DOCX reader: body paragraphs and tables in document order, merged cells expanded.

The zip is checked first (`ziputil`: bombs, DOCTYPE/ENTITY), then only the parts needed are parsed with
lxml (`ooxml`: no entities, no network): the main document, its styles and numbering, the core
properties. Text and table layout are read from the WordprocessingML itself, because python-docx's own
accessors skip tracked insertions, content controls, rows that start late (gridBefore) and broken
vertical merges, all of which occur in real reports; its object model, which parses every part of the
package into Python element classes, cost 5–10× the reading itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.ooxml import PARSER, OoxmlPackage
from ogi.ingest.text import join_fragments, normalise_space
from ogi.model import ReadNote, SourceLocator

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM_XML = (
    _W + "p",
    _W + "tbl",
    _W + "tr",
    _W + "tc",
    _W + "sdt",
    _W + "sdtContent",
    _W + "customXml",
)
_VAL = _W + "val"
# Subtrees whose text is not the paragraph's: text boxes (with an mc:Fallback duplicate of them),
# deletions, field codes, properties.
_SKIP = frozenset(
    {
        _W + "txbxContent",
        _MC + "Fallback",
        _W + "del",
        _W + "delText",
        _W + "instrText",
        _W + "pPr",
        _W + "rPr",
        _W + "footnoteReference",
    }
)
_FALSE = frozenset({"0", "false", "off", "none"})
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*\d|^(?:title|标题)$", re.I)
MAX_SPAN = 1000
MAX_CELLS = 200_000


def read_docx(data: bytes) -> RawDocument:
    """Read a DOCX: paragraphs as lines (headings and all-bold paragraphs emphasised), tables as grids."""
    package = OoxmlPackage(data)
    main = package.related("", _RT_OFFICE_DOCUMENT)
    if main is None or package.content_type(main) != _CT_DOCUMENT:
        raise UnreadableFile(
            "Word 文件已损坏或不是有效的 .docx 文件，无法读取",
            "the Word file is damaged or not a valid .docx: "
            + ("it has no main document part" if main is None
               else f"its main part is {package.content_type(main) or 'of no content type'}"),
            code="corrupt-docx",
        )
    try:
        root = package.xml(main)
        body = root.find(_W + "body")
        styles_part = package.related(main, _RT_STYLES)
        style_elements = _style_index(package.read(styles_part)) if styles_part else _all_styles(_default_styles())
        numbering_part = package.related(main, _RT_NUMBERING, suffix=True)
        numbering_root = package.xml(numbering_part) if numbering_part else None
        core_part = package.related("", _RT_CORE_PROPERTIES)
        core = package.xml(core_part) if core_part else None
    except (etree.XMLSyntaxError, KeyError) as exc:  # a part that is not XML, or a dangling relationship
        raise UnreadableFile(
            "Word 文件已损坏或不是有效的 .docx 文件，无法读取",
            f"the Word file is damaged or not a valid .docx: {type(exc).__name__}: {exc}",
            code="corrupt-docx",
        ) from exc
    finally:
        package.close()
    doc = RawDocument(kind="docx", encoding="utf-8")
    if body is None:
        return doc
    styles = _Styles(style_elements)
    numbering = _Numbering(numbering_root, styles)
    texts = _paragraph_texts(body)
    paragraph_no = 0
    for block in _blocks(body):
        if block.tag == _P:
            paragraph_no += 1
            _add_paragraph(doc, block, paragraph_no, styles, numbering, texts)
        else:
            grid = _grid(block, len(doc.grids) + 1, len(doc.lines), doc.notes, texts)
            if grid is not None:
                doc.grids.append(grid)
    if core is not None:
        title = _core_text(core, _DC + "title")
        if title and title.strip():
            doc.meta["title"] = normalise_space(title)
        for key, tag in (("created", _DCTERMS + "created"), ("modified", _DCTERMS + "modified")):
            value = _w3cdtf(_core_text(core, tag))
            if value is not None:
                doc.meta[key] = value.isoformat()
    return doc


_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_OFFICE_DOCUMENT = _RT + "officeDocument"
_RT_STYLES = _RT + "styles"
_RT_NUMBERING = "/numbering"
_RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)")


def _default_styles() -> etree._Element:
    """The styles a package without a styles part is read with: python-docx's default ones, as Word would
    use its own defaults (read from the installed package's file, without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("docx")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "templates" / "default-styles.xml"
        if path.is_file():
            return etree.fromstring(path.read_bytes(), PARSER)
    return etree.Element(_W + "styles")


def _core_text(core: etree._Element, tag: str) -> str | None:
    el = core.find(tag)
    return None if el is None else (el.text or "")


def _w3cdtf(text: str | None) -> dt.datetime | None:
    """A core-properties date (W3CDTF: yyyy, yyyy-mm, yyyy-mm-dd, or a time with Z or ±hh:mm), in UTC;
    None when absent or unparseable."""
    if not text:
        return None
    value = None
    for template in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            value = dt.datetime.strptime(text[:19], template)
        except ValueError:
            continue
    if value is None:
        return None
    offset = text[19:]
    if len(offset) == 6:
        match = _OFFSET.match(offset)
        if match is None:
            return None
        sign, hours, minutes = match.groups()
        factor = -1 if sign == "+" else 1
        value += dt.timedelta(hours=factor * int(hours), minutes=factor * int(minutes))
    return value.replace(tzinfo=dt.timezone.utc)


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables in document order, looking through content controls and custom XML."""
    stack = [iter(container)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML) and len(stack) < 50:
            stack.append(iter(child))


# A private-use character: it stands for no text, so a document holding one is read paragraph by paragraph.
_SEPARATOR = "\ue000"
# Every w:p of a subtree in document order, each followed by the separator, its text as `paragraph_text`
# reads it: one transform in C instead of a Python walk over every run.
_PARAGRAPH_TEXTS = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:w="{_W[1:-1]}" xmlns:mc="{_MC[1:-1]}">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:for-each select="//w:p">\
<xsl:apply-templates select="*" mode="p"/><xsl:text>&#xE000;</xsl:text></xsl:for-each></xsl:template>
<xsl:template match="w:t" mode="p"><xsl:value-of select="node()[1][self::text()]"/>\
<xsl:apply-templates select="*" mode="p"/></xsl:template>
<xsl:template match="w:txbxContent|mc:Fallback|w:del|w:delText|w:instrText|w:pPr|w:rPr|w:footnoteReference" \
mode="p"/>
<xsl:template match="w:tab|w:ptab" mode="p"><xsl:text>&#9;</xsl:text><xsl:apply-templates select="*" mode="p"/>\
</xsl:template>
<xsl:template match="w:br|w:cr" mode="p"><xsl:text>&#10;</xsl:text><xsl:apply-templates select="*" mode="p"/>\
</xsl:template>
<xsl:template match="w:noBreakHyphen" mode="p"><xsl:text>-</xsl:text><xsl:apply-templates select="*" mode="p"/>\
</xsl:template>
<xsl:template match="*" mode="p"><xsl:apply-templates select="*" mode="p"/></xsl:template>
</xsl:stylesheet>"""))


def _paragraph_texts(body: etree._Element) -> dict[etree._Element, str]:
    """The text of every w:p under `body` (the elements are the keys: keep the dict while using them)."""
    paragraphs = list(body.iter(_P))
    try:
        written = str(_PARAGRAPH_TEXTS(body))
    except etree.XSLTApplyError:
        written = ""
    if written.count(_SEPARATOR) == len(paragraphs):
        return dict(zip(paragraphs, written.split(_SEPARATOR), strict=False))
    return {p: paragraph_text(p) for p in paragraphs}


def paragraph_text(p: etree._Element) -> str:
    """The text of one w:p as Word shows it: tabs as "\\t", line breaks as "\\n", deletions left out."""
    out: list[str] = []
    walker = etree.iterwalk(p, events=("start",))
    for _, el in walker:
        tag = el.tag
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag in _SKIP:
            walker.skip_subtree()
        elif tag in (_W + "tab", _W + "ptab"):
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


class _StyleBlocks(Mapping[str, etree._Element]):
    """A styles part's w:style elements by id, each parsed when first asked for.

    A styles part is mostly the hundreds of styles a document never uses (python-docx's template has 350 KB
    of them): the style elements are found by a byte search, and only those used are parsed, each inside
    the part's own root start tag (so that its namespace prefixes mean the same).
    """

    def __init__(self, data: bytes, root_tag: bytes, prefix: bytes, spans: dict[str, tuple[int, int]]) -> None:
        self._data = data
        self._open = root_tag
        self._close = b"</" + prefix + b"styles>"
        self._spans = spans
        self._parsed: dict[str, etree._Element] = {}

    def __getitem__(self, key: str) -> etree._Element:
        found = self._parsed.get(key)
        if found is None:
            start, end = self._spans[key]
            found = self._parsed[key] = etree.fromstring(self._open + self._data[start:end] + self._close, PARSER)[0]
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


_STYLES_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?styles\b[^>]*>")
_STYLE_TAG = rb"<%sstyle\b[^>]*>"
_STYLE_ID = rb"""\s%sstyleId\s*=\s*(?:"([^"&<\t\n\r]*)"|'([^'&<\t\n\r]*)')"""


def _style_index(data: bytes) -> Mapping[Any, etree._Element]:
    """The w:style elements of a styles part by id: found by a byte search and parsed on use when the part
    is plainly written (the usual case), else the whole part parsed."""
    root = _STYLES_ROOT.search(data[:4096])
    prefix = root.group(1) if root else None
    if (root is None or prefix is None or b"<!--" in data or b"<![CDATA[" in data
            or f'xmlns:{prefix.decode("ascii", "replace")}="{_W[1:-1]}"'.encode() not in root.group(0)):
        return _all_styles(etree.fromstring(data, PARSER))
    prefix += b":"
    tag, style_id = re.compile(_STYLE_TAG % re.escape(prefix)), re.compile(_STYLE_ID % re.escape(prefix))
    has_id = re.compile(rb"\s%sstyleId\b" % re.escape(prefix))
    close = b"</" + prefix + b"style>"
    spans: dict[str, tuple[int, int]] = {}
    at = root.end()
    while True:
        found = tag.search(data, at)
        if found is None:
            break
        start, at = found.start(), found.end()
        if not found.group(0).endswith(b"/>"):
            end = data.find(close, at)
            if end < 0:
                return _all_styles(etree.fromstring(data, PARSER))  # not well-formed: let the parser say so
            at = end + len(close)
        ident = style_id.search(found.group(0))
        if ident is not None:
            spans[(ident.group(1) or ident.group(2) or b"").decode("utf-8", "replace")] = (start, at)
        elif has_id.search(found.group(0)):
            return _all_styles(etree.fromstring(data, PARSER))  # an id this search does not read as written
    return _StyleBlocks(data, root.group(0), prefix, spans)


def _all_styles(styles: etree._Element) -> dict[Any, etree._Element]:
    return {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}


class _Styles:
    """Resolves a style id to (is heading, is bold, is 黑体), following w:basedOn, with a cache."""

    def __init__(self, by_id: Mapping[Any, etree._Element]) -> None:
        self._by_id = by_id
        self._cache: dict[str, tuple[bool, bool]] = {}

    def num_pr(self, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) a paragraph style attaches, following w:basedOn."""
        seen: set[str] = set()
        current = style_id
        while current and current not in seen and len(seen) < 20:
            seen.add(current)
            style = self._by_id.get(current)
            if style is None:
                return None
            found = _num_pr(style.find(_W + "pPr"))
            if found is not None:
                return found
            based = style.find(_W + "basedOn")
            current = based.get(_VAL) if based is not None else None
        return None

    def heading(self, style_id: str | None) -> bool:
        return self._resolve(style_id)[0]

    def bold(self, style_id: str | None) -> bool:
        return self._resolve(style_id)[1]

    def _resolve(self, style_id: str | None) -> tuple[bool, bool]:
        if not style_id:
            return (False, False)
        if style_id in self._cache:
            return self._cache[style_id]
        heading = bold = False
        seen: set[str] = set()
        current: str | None = style_id
        bold_known = False
        while current and current not in seen and len(seen) < 20:
            seen.add(current)
            style = self._by_id.get(current)
            if style is None:
                break
            name = style.find(_W + "name")
            if name is not None and _HEADING_NAME.match(name.get(_VAL) or ""):
                heading = True
            if style.find(f"{_W}pPr/{_W}outlineLvl") is not None:
                heading = True
            if not bold_known:
                flag = _rpr_bold(style.find(_W + "rPr"))
                if flag is not None:
                    bold, bold_known = flag, True
            based = style.find(_W + "basedOn")
            current = based.get(_VAL) if based is not None else None
        self._cache[style_id] = (heading, bold)
        return heading, bold


def _num_pr(ppr: etree._Element | None) -> tuple[str, int] | None:
    num_pr = ppr.find(_W + "numPr") if ppr is not None else None
    if num_pr is None:
        return None
    num_id = num_pr.find(_W + "numId")
    if num_id is None:
        return None
    return (num_id.get(_VAL) or "0", _int_attr(num_pr.find(_W + "ilvl"), 0))


_CN_DIGITS = "〇一二三四五六七八九"
_CHINESE_FORMATS = frozenset({"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified"})


def _chinese_count(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_number(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return _chinese_count(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, symbol in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + symbol, n - value
    return out


class _Numbering:
    """Word's automatic paragraph numbering ("一、" typed by Word, not by the author), as text.

    Headings numbered this way have no "一、" in their runs; without it they could not be matched.
    """

    def __init__(self, numbering: etree._Element | None, styles: _Styles) -> None:
        self._styles = styles
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract → ilvl → (fmt, text, start)
        self._nums: dict[str, str] = {}  # numId → abstractNumId
        self._counters: dict[str, dict[int, int]] = {}
        if numbering is None:
            return
        for abstract in numbering.iterfind(_W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iterfind(_W + "lvl"):
                raw_ilvl = lvl.get(_W + "ilvl") or "0"
                ilvl = int(raw_ilvl) if raw_ilvl.isdigit() else 0
                fmt = lvl.find(_W + "numFmt")
                text = lvl.find(_W + "lvlText")
                levels[ilvl] = (
                    (fmt.get(_VAL) or "decimal") if fmt is not None else "decimal",
                    (text.get(_VAL) or "") if text is not None else "",
                    _int_attr(lvl.find(_W + "start"), 1),
                )
            self._levels[abstract.get(_W + "abstractNumId") or ""] = levels
        for num in numbering.iterfind(_W + "num"):
            abstract_id = num.find(_W + "abstractNumId")
            if abstract_id is not None:
                self._nums[num.get(_W + "numId") or ""] = abstract_id.get(_VAL) or ""

    def label(self, p: etree._Element) -> str:
        ppr = p.find(_W + "pPr")
        found = _num_pr(ppr) or self._styles.num_pr(_style_id(ppr, "pStyle"))
        if found is None or found[0] == "0":
            return ""
        num_id, ilvl = found
        abstract = self._nums.get(num_id)
        levels = self._levels.get(abstract or "")
        if not levels or ilvl not in levels:
            return ""
        fmt, pattern, _ = levels[ilvl]
        if fmt in ("bullet", "none") or not pattern:
            return ""
        counters = self._counters.setdefault(abstract or "", {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new parent item restarts its children
        text = pattern
        for level in range(ilvl, -1, -1):  # %10 never occurs (nine levels): replacing high to low is safe
            if f"%{level + 1}" in text and level in levels:
                value = counters.get(level, levels[level][2])
                text = text.replace(f"%{level + 1}", _format_number(value, levels[level][0]))
        return text


def _rpr_bold(rpr: etree._Element | None) -> bool | None:
    """Bold as a run-properties element says: True/False, or None when it does not say."""
    if rpr is None:
        return None
    b = rpr.find(_W + "b")
    if b is not None:
        return (b.get(_VAL) or "true").lower() not in _FALSE
    fonts = rpr.find(_W + "rFonts")
    if fonts is not None and "黑体" in (fonts.get(_W + "eastAsia") or ""):
        return True  # Chinese headings are set in 黑体 rather than bold
    return None


def _style_id(props: etree._Element | None, tag: str) -> str | None:
    if props is None:
        return None
    el = props.find(_W + tag)
    return el.get(_VAL) if el is not None else None


def _emphasised(p: etree._Element, styles: _Styles) -> bool:
    ppr = p.find(_W + "pPr")
    p_style = _style_id(ppr, "pStyle")
    if styles.heading(p_style) or (ppr is not None and ppr.find(_W + "outlineLvl") is not None):
        return True
    p_bold = styles.bold(p_style)
    any_text = False
    for run in p.iter(_W + "r"):
        if not any((t.text or "").strip() for t in run.iter(_W + "t")):
            continue
        any_text = True
        rpr = run.find(_W + "rPr")
        bold = _rpr_bold(rpr)
        if bold is None:
            r_style = _style_id(rpr, "rStyle")
            bold = styles.bold(r_style) if r_style else p_bold
        if not bold:
            return False
    return any_text


def _add_paragraph(
    doc: RawDocument, p: etree._Element, number: int, styles: _Styles, numbering: _Numbering,
    texts: dict[etree._Element, str],
) -> None:
    text = texts[p]
    if not text.strip():
        return
    label = numbering.label(p)
    if label and not text.lstrip().startswith(label):
        text = label + text.lstrip()
    emphasised = _emphasised(p, styles)
    locator = SourceLocator(kind="docx", line=number)
    # Soft line breaks separate what reads as separate lines (a signature, a date under it).
    for piece in text.split("\n"):
        line = normalise_space(piece)
        if line:
            doc.lines.append(TextLine(line, locator, emphasised=emphasised))


def _cell_text(tc: etree._Element, texts: dict[etree._Element, str]) -> str:
    pieces: list[str] = []
    for p in tc.iter(_P):  # nested tables are flattened into the cell's text
        text = texts[p]
        if "\n" in text:
            pieces.extend(normalise_space(piece) for piece in text.split("\n"))
        elif text:
            pieces.append(normalise_space(text))
    return join_fragments(pieces)


def _int_attr(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_VAL) or default)
    except ValueError:
        return default


_TRPR, _TCPR, _GRID_BEFORE, _GRID_SPAN, _VMERGE = (
    _W + "trPr", _W + "tcPr", _W + "gridBefore", _W + "gridSpan", _W + "vMerge")


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    """The first child with `tag`: what el.find(tag) gives, without parsing a path on every call (the
    properties a table cell has come first, so this looks at one or two children)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    """A row's w:tc, including those wrapped in content controls."""
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            yield from child.iterfind(f"{_W}sdtContent/{_TC}")
        elif child.tag == _CUSTOM_XML:
            yield from child.iterfind(_TC)


def _blank(table: int, r: int, c: int) -> GridCell:
    return GridCell("", SourceLocator(kind="docx", table=table, row=r + 1, col=c + 1), (r, c))


def _grid(tbl: etree._Element, index: int, after_line: int, notes: list[ReadNote],
          texts: dict[etree._Element, str]) -> Grid | None:
    """Expand gridSpan and vMerge into a rectangle: covered places repeat the origin cell."""
    rows: list[dict[int, GridCell]] = []
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol"))
    total = 0
    for r, tr in enumerate(tr for tr in tbl if tr.tag == _TR):
        placed: dict[int, GridCell] = {}
        trpr = _child(tr, _TRPR)
        c = _int_attr(_child(trpr, _GRID_BEFORE) if trpr is not None else None, 0)
        c = max(0, min(c, MAX_SPAN))
        for tc in _row_cells(tr):
            tcpr = _child(tc, _TCPR)
            span = _int_attr(_child(tcpr, _GRID_SPAN) if tcpr is not None else None, 1)
            span = max(1, min(span, MAX_SPAN))
            vmerge = _child(tcpr, _VMERGE) if tcpr is not None else None
            above = rows[-1].get(c) if rows else None
            if vmerge is not None and (vmerge.get(_VAL) or "continue") == "continue" and above is not None:
                cell = above  # continuation of a vertical merge: the cell above holds the text
            else:
                locator = SourceLocator(kind="docx", table=index, row=r + 1, col=c + 1)
                cell = GridCell(_cell_text(tc, texts), locator, origin=(r, c))
            for dc in range(span):
                placed[c + dc] = cell
            c += span
        width = max(width, c)
        total += max(width, 1)
        if total > MAX_CELLS:
            notes.append(
                ReadNote(
                    code="table-too-large",
                    detail=f"第 {index} 个表格过大（超过 {MAX_CELLS} 个单元格），只读取了前 {r} 行",
                    detail_en=f"table {index} is too large (over {MAX_CELLS} cells); only {r} rows were read",
                    locator=SourceLocator(kind="docx", table=index),
                )
            )
            break
        rows.append(placed)
    if not rows or not width:
        return None
    grid_rows = tuple(
        tuple(placed.get(c) or _blank(index, r, c) for c in range(width)) for r, placed in enumerate(rows)
    )
    return Grid(grid_rows, SourceLocator(kind="docx", table=index), after_line=after_line)
