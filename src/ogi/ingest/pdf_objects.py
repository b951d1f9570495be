"""A PDF page's characters and ruling lines read with pdfium, as pdfplumber's page has them.

pdfplumber reads a page through pdfminer, whose content-stream interpreter is pure Python and costs ~20x
what pdfium (C, shipped with pdfplumber as pypdfium2) needs to lay out the same page. Table finding and
text lines stay pdfplumber's algorithms (done on tuples by `pdf_layout`): they only need the page's
characters and edges (`pdf_layout.Char`, `pdf_layout.Edge`), which are built here from pdfium with
pdfminer's geometry:

- a character's box is pdfminer's: from its origin, its advance width (the font's declared width) and the
  font's descent, one font size high (pdfium's own "loose" box also covers the glyph's ink);
- characters come in content-stream order (pdfium's text page may reorder them);
- a path is cut into subpaths and classified as pdfminer does (a single segment is a line, a closed
  axis-aligned four-sided one a rect, anything else a curve), in page space (form XObjects included).

`page_objects` returns None whenever pdfium's reading may differ from pdfminer's, and the caller reads the
document with pdfplumber instead: a rotated page or one whose media box does not start at the origin, a
character pdfium cannot map to Unicode (pdfminer names it "(cid:N)"), text that is not upright and
axis-aligned (rotated or vertical writing), a character outside pdfium's own box for it.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ogi.ingest.pdf_layout import Char, Edge

# Rejects a character whose computed box strays this far (points) from pdfium's loose box for it.
_SLACK = 0.5
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PageObjects:
    """What pdfplumber's table finder and text lines read of a page: its characters (`pdf_layout.Char`) and
    ruling edges (`pdf_layout.Edge`) as pdfplumber's `Page.edges` has them: the lines', then the rects',
    then the curves' edges (the order counts: snapping averages positions in it)."""

    bbox: tuple[float, float, float, float]
    chars: list[Char] = field(default_factory=list)
    line_edges: list[Edge] = field(default_factory=list)
    rect_edges: list[Edge] = field(default_factory=list)
    curve_edges: list[Edge] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def edges(self) -> list[Edge]:
        return self.line_edges + self.rect_edges + self.curve_edges


def page_objects(page: Any, size: tuple[float, float]) -> PageObjects | None:
    """The page's chars and path objects as pdfplumber has them, or None when pdfplumber must read it.

    `size`: the page's media box (from the origin, unrotated) as pdfminer reads it."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFPage_GetRotation(page.raw) != 0:
        return None
    width, height = size
    out = PageObjects((0.0, 0.0, width, height))
    order: dict[int, int] = {}  # text object → its place in the content stream
    paths: list[tuple[Any, _Matrix]] = []
    _walk(page.raw, None, _IDENTITY, order, paths)
    chars = _chars(page, order, height)
    if chars is None:
        return None
    out.chars = chars
    for shape, points in _path_ops(paths):
        _classify(shape, points, height, out)
    return out


def _walk(page: Any, form: Any, parent: _Matrix, order: dict[int, int], paths: list[tuple[Any, _Matrix]]) -> None:
    """Text and path objects in content order, forms' contents where the form is drawn."""
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    if form is not None:
        owner, count, get_object = form, calls.form_count(form), calls.form_object
    else:
        owner, count, get_object = page, calls.page_count(page), calls.page_object
    get_type = calls.object_type
    text, path, xobject = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    for i in range(count):
        obj = get_object(owner, i)
        kind = get_type(obj)
        if kind == text:
            order[obj.value or 0] = len(order)
        elif kind in (path, xobject):
            calls.object_matrix(obj, matrix_ref)
            own: _Matrix = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            if parent != _IDENTITY:  # in a form: the form's matrix too (on the page, the identity changes nothing)
                own = _multiply(own, parent)
            if kind == xobject:
                _walk(page, obj, own, order, paths)
            else:
                paths.append((obj, own))


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _multiply(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """`inner` then `outer` (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = inner
    a0, b0, c0, d0, e0, f0 = outer
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


# What the characters in one font, size and scale share: their widths (by text, filled as they come), the
# horizontal scale, the font and its size (as passed to FPDFFont_GetGlyphWidth), the font's descent and size
# scaled to the page.
_Run = tuple[dict[str, float], float, Any, ctypes.c_float, float, float]


class _Calls:
    """The pdfium functions called once per character or path segment, bound without argument types: ctypes
    then passes handles (c_void_p) and indices (int) as they are, at half the cost of converting them, and
    returns handles as c_void_p (never as a Python int, which ctypes would pass on as a 32-bit int). They
    keep the GIL (PYFUNCTYPE): each call lasts a microsecond, less than releasing and taking it back, and
    pdfium never calls back into Python."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        def bind(name: str, restype: Any, *argtypes: Any) -> Any:
            address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value or 0
            return ctypes.PYFUNCTYPE(restype, *argtypes)(address)

        handle = ctypes.c_void_p
        # (text page, index) → the char's text object, as an address (a dict key), 0 for an inferred char
        self.text_object = bind("FPDFText_GetTextObject", handle)
        self.map_error = bind("FPDFText_HasUnicodeMapError", ctypes.c_int)
        self.origin = bind("FPDFText_GetCharOrigin", ctypes.c_int)
        # (font, char code, c_float size, float*): the code's advance width at that size
        self.glyph_width = bind("FPDFFont_GetGlyphWidth", ctypes.c_int)
        self.segment = bind("FPDFPath_GetPathSegment", _Handle)
        self.segment_address = bind("FPDFPath_GetPathSegment", ctypes.c_void_p)  # as an int (None for NULL)
        self.point = bind("FPDFPathSegment_GetPoint", ctypes.c_int)
        self.segment_type = bind("FPDFPathSegment_GetType", ctypes.c_int)
        self.closes = bind("FPDFPathSegment_GetClose", ctypes.c_int)
        self.matrix = bind("FPDFText_GetMatrix", ctypes.c_int)
        self.font_size = bind("FPDFText_GetFontSize", ctypes.c_double)
        self.font = bind("FPDFTextObj_GetFont", handle, handle)
        self.page_count = bind("FPDFPage_CountObjects", ctypes.c_int)
        self.page_object = bind("FPDFPage_GetObject", _Handle)
        self.form_count = bind("FPDFFormObj_CountObjects", ctypes.c_int)
        self.form_object = bind("FPDFFormObj_GetObject", _Handle)
        self.object_type = bind("FPDFPageObj_GetType", ctypes.c_int)
        self.object_matrix = bind("FPDFPageObj_GetMatrix", ctypes.c_int)
        self.segments = bind("FPDFPath_CountSegments", ctypes.c_int)


class _Handle(ctypes.c_void_p):
    """A pdfium handle kept as a ctypes object (a c_void_p subclass is not turned into an int)."""


_CALLS: list[_Calls] = []  # bound on first use (pypdfium2 loads the library then)


def _calls() -> _Calls:
    if not _CALLS:
        _CALLS.append(_Calls())
    return _CALLS[0]


def _chars(page: Any, order: dict[int, int], height: float) -> list[Char] | None:
    import pypdfium2.raw as pdfium_c

    calls = _calls()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        handle = _address(raw)
        count = pdfium_c.FPDFText_CountChars(raw)
        if count <= 0:
            return [] if count == 0 else None
        buffer = ctypes.create_string_buffer(2 * (count + 1))
        written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="surrogatepass")
        if len(text) != count:  # characters outside the BMP: looked at one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
        runs: dict[int, tuple[int, _Run]] = {}  # text object → its place in the content stream, its font's run
        fonts: dict[tuple[int, float, float, float], _Run | None] = {}  # one look at each font, size and scale
        chars: list[Char] = []
        x, y = ctypes.c_double(), ctypes.c_double()
        x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
        matrix = pdfium_c.FS_MATRIX()
        matrix_ref = ctypes.byref(matrix)
        number = ctypes.c_float()
        number_ref = ctypes.byref(number)
        text_object, map_error, origin = calls.text_object, calls.map_error, calls.origin
        glyph_width = calls.glyph_width
        pointer = ctypes.c_void_p(handle)
        add_char = chars.append
        runs_at: list[tuple[int, int]] = []  # (first char, rank) of each run of chars from one text object
        in_order = True
        last = None
        widths: dict[str, float] = {}
        rank, scale_x, descent, tall = 0, 1.0, 0.0, 0.0
        font, font_size = None, ctypes.c_float()
        for i, char in enumerate(text):
            key = text_object(pointer, i)
            if not key:
                continue  # a space or line break pdfium inferred: no character in the file
            if map_error(pointer, i):
                return None  # pdfminer would write "(cid:N)" and the reader note it
            origin(pointer, i, x_ref, y_ref)
            if key != last:
                entry = runs.get(key)
                if entry is None:
                    found = order.get(key)
                    calls.matrix(pointer, i, matrix_ref)
                    if found is None or matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
                        return None  # not upright and axis-aligned: pdfminer's boxes are another shape
                    size = calls.font_size(pointer, i)
                    font_address = calls.font(key)
                    shared_key = (font_address or 0, size, matrix.a, matrix.d)
                    if shared_key not in fonts:
                        fonts[shared_key] = _run(raw, i, font_address, size, matrix.a, matrix.d, x.value, y.value)
                    shared = fonts[shared_key]
                    if shared is None:
                        return None
                    entry = runs[key] = (found, shared)
                found, (widths, scale_x, font, font_size, descent, tall) = entry
                if found < rank:
                    in_order = False
                runs_at.append((len(chars), found))
                last, rank = key, found
            width = widths.get(char)
            if width is None:
                if not glyph_width(font, ord(char), font_size, number_ref):
                    return None
                width = widths[char] = number.value
            x0 = x.value
            bottom = height - (y.value + descent)
            # What pdfplumber's table and text finding read of a char (its other keys are never looked at).
            add_char((x0, x0 + width * scale_x, bottom - tall, bottom, char))
    finally:
        textpage.close()
    return chars if in_order else _content_order(chars, runs_at)  # pdfium's order is mostly the content's


def _content_order(chars: list[Char], runs_at: list[tuple[int, int]]) -> list[Char]:
    """The chars sorted by their text object's place in the content stream (`runs_at`: the first char and
    that place of each run of chars from one object), pdfium's order kept within a place: the runs sorted
    stably by their place, a run's chars staying together and in order."""
    spans = [(rank, start, end) for (start, rank), (end, _) in itertools.pairwise([*runs_at, (len(chars), 0)])]
    spans.sort(key=_rank)
    out: list[Char] = []
    for _, start, end in spans:
        out += chars[start:end]
    return out


_rank = itemgetter(0)


def _run(raw: Any, index: int, font: int | None, size: float, scale_x: float, scale_y: float, x: float,
         y: float) -> _Run | None:
    """What the characters in one font, size and scale share, from the first of them; None when pdfminer would
    lay them out otherwise (pdfium places the glyph elsewhere: vertical writing, a Type3 glyph…)."""
    import pypdfium2.raw as pdfium_c

    if not font:
        return None
    handle = ctypes.cast(font, pdfium_c.FPDF_FONT)
    descent = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(size), ctypes.byref(descent)):
        return None
    loose = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(loose))
    y0 = y + descent.value * scale_y
    if x < loose.left - _SLACK or y0 < loose.bottom - _SLACK or x > loose.right + _SLACK:
        return None
    return {}, scale_x, handle, ctypes.c_float(size), descent.value * scale_y, size * scale_y


def _path_ops(paths: list[tuple[Any, _Matrix]]) -> list[tuple[str, list[tuple[float, float]]]]:
    """Each path as pdfminer's operators (m, l, c, h: one letter each) and their end points in page space
    (a closing h has the point it closes on)."""
    import pypdfium2.raw as pdfium_c

    move, line = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    names = {move: "m", line: "l"}
    curve = pdfium_c.FPDF_SEGMENT_BEZIERTO
    read = _segment_reader()
    out = []
    for obj, matrix in paths:
        a, b, c, d, e, f = matrix
        # Paths are mostly drawn in page space: the identity leaves each coordinate as it is (0.0 may stand
        # for -0.0, which compares, adds and subtracts alike).
        moved = matrix != _IDENTITY
        segments = read(obj)
        if not moved and len(segments) == 5:
            s0, s1, s2, s3, s4 = segments
            if (s0[2] == move and s1[2] == line and s2[2] == line and s3[2] == line and s4[2] == line and s4[3]
                    and not (s0[3] or s1[3] or s2[3] or s3[3])):
                # The common path, a rectangle as "re" draws it (m l l l l, closed): what the loop below makes
                start = (s0[0], s0[1])
                out.append(("mllllh", [start, (s1[0], s1[1]), (s2[0], s2[1]), (s3[0], s3[1]), (s4[0], s4[1]), start]))
                continue
        ops: list[str] = []
        points: list[tuple[float, float]] = []
        bezier = 0
        for px, py, kind, closes in segments:
            point = (a * px + c * py + e, b * px + d * py + f) if moved else (px, py)
            name = names.get(kind)
            if name is not None:
                ops.append(name)
                points.append(point)
            elif kind == curve:
                bezier += 1
                if bezier % 3 == 0:  # two control points, then the end point
                    ops.append("c")
                    points.append(point)
            if closes:
                ops.append("h")
                points.append(points[0] if points else point)
        out.append(("".join(ops), points))
    return out


# A path's segments (FPDF_PATHSEGMENT) point into pdfium's array of CFX_Path::Point: x, y (float), the
# segment type (uint8, FPDF_SEGMENT_*) and whether it closes the figure (bool), 12 bytes each.
_POINT = struct.Struct("=ffBBxx")
_Segment = tuple[float, float, int, int]


def _segment_reader() -> Callable[[Any], list[_Segment]]:
    """A path object's segments (x, y, type, closes), read with four pdfium calls per segment, or from the
    segments' array in one read once that array is seen to hold exactly what those calls return (checked
    on the first path of two segments or more; the array's spacing is checked on every path)."""
    calls = _calls()
    count, get_segment, get_point, get_type, get_close = (calls.segments, calls.segment, calls.point,
                                                          calls.segment_type, calls.closes)
    address = calls.segment_address
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    size = _POINT.size

    def by_calls(obj: Any, n: int) -> list[_Segment]:
        out = []
        for i in range(n):
            segment = get_segment(obj, i)
            get_point(segment, x_ref, y_ref)
            out.append((x.value, y.value, get_type(segment), get_close(segment)))
        return out

    def read(obj: Any) -> list[_Segment]:
        n = count(obj)
        if n < 2 or _ARRAY_READ == [False]:
            return by_calls(obj, n)
        first = address(obj, 0)
        if not first or address(obj, n - 1) != first + size * (n - 1):
            return by_calls(obj, n)
        found = list(_POINT.iter_unpack(ctypes.string_at(first, size * n)))
        if not _ARRAY_READ:  # the first time: the array must hold what the calls return
            same = address(obj, 1) == first + size and found == by_calls(obj, n)
            _ARRAY_READ.append(same)
            if not same:
                return by_calls(obj, n)
        return found

    return read


_ARRAY_READ: list[bool] = []  # [True] once pdfium's segment array is seen to read as _POINT, [False] if not


_SUBPATH = re.compile(r"m[^m]+")


def _classify(shape: str, points: list[tuple[float, float]], height: float, out: PageObjects) -> None:
    """pdfminer's paint_path: each subpath a line, a rect or a curve, kept as pdfplumber's edges of it."""
    if shape == "mllllh" and points[4] == points[0]:  # the common case, a rectangle ("re"): as below, faster
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            out.rect_edges.extend(_rect_edges(points[0], points[2], height))
            return
    if shape[:1] != "m":
        return
    if shape.count("m") > 1:
        for found in _SUBPATH.finditer(shape):
            _classify(found.group(0), points[found.start(0):found.end(0)], height, out)
        return
    start = points[0]
    pts = [start if op == "h" else point for op, point in zip(shape, points, strict=True)]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        out.line_edges.append(_line_edge(pts[0], pts[1], height))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            out.rect_edges.extend(_rect_edges(pts[0], pts[2], height))
        else:
            out.curve_edges.extend(_curve_edges(pts, height))
    else:
        out.curve_edges.extend(_curve_edges(pts, height))


def _line_edge(p0: tuple[float, float], p1: tuple[float, float], height: float) -> Edge:
    """pdfplumber's line_to_edge of the line object: horizontal when its top is its bottom, else vertical
    (even when slanted)."""
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    y0, y1 = min(p0[1], p1[1]), max(p0[1], p1[1])
    top, bottom = height - y1, height - y0
    return ("h" if top == bottom else "v", x0, x1, top, bottom, x1 - x0, y1 - y0)


def _rect_edges(p0: tuple[float, float], p1: tuple[float, float], height: float) -> list[Edge]:
    """pdfplumber's rect_to_edges: top, bottom, left and right (copies of the rect with a few keys changed;
    the bottom edge's top is the rect's top plus its height, its bottom the rect's bottom)."""
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    y0, y1 = min(p0[1], p1[1]), max(p0[1], p1[1])
    top, bottom, width, tall = height - y1, height - y0, x1 - x0, y1 - y0
    return [("h", x0, x1, top, top, width, 0), ("h", x0, x1, top + tall, bottom, width, 0),
            ("v", x0, x0, top, bottom, 0, tall), ("v", x1, x1, top, bottom, 0, tall)]


def _curve_edges(pts: list[tuple[float, float]], height: float) -> list[Edge]:
    """pdfplumber's curve_to_edges (its points top-down), keeping only the horizontal and vertical ones (the
    others are never ruling lines)."""
    down = [(x, height - y) for x, y in pts]
    edges: list[Edge] = []
    for (ax, ay), (bx, by) in itertools.pairwise(down):
        orientation = "v" if ax == bx else ("h" if ay == by else None)
        if orientation is not None:
            edges.append((orientation, min(ax, bx), max(ax, bx), min(ay, by), max(ay, by), abs(ax - bx),
                          abs(ay - by)))
    return edges
