"""pdfplumber's table finding, cell text and text lines (default settings), on plain tuples.

pdfplumber builds a dict for every character and edge and copies it at each step (snapping, joining,
word merging, text maps). On a table-dense page that costs more than laying the page out with pdfium.
The same algorithms are done here on tuples, computing each value the way pdfplumber computes it (the
same floating-point operations in the same order), so that the cells and lines come out identical:

- ruling lines: `TableFinder.get_edges` (prefilter, snap, join, filter), `edges_to_intersections`,
  `intersections_to_cells`; `cells_to_tables` and `Table.rows` stay pdfplumber's own (they only see boxes);
- a cell's text: `utils.extract_text(chars)` for upright characters;
- a page's lines: `chars_to_textmap(...).extract_text_lines(strip=True)` for upright characters.

Characters are `Char` tuples (x0, x1, top, bottom, text) and edges `Edge` tuples (orientation, x0, x1, top,
bottom, width, height), both in pdfplumber's top-down page space. tests/test_pdf_readers.py holds each
function to pdfplumber's on the same objects.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, Final, NamedTuple

# (x0, x1, top, bottom, text)
Char = tuple[float, float, float, float, str]
# (orientation "h"/"v", x0, x1, top, bottom, width, height)
Edge = tuple[str, float, float, float, float, float, float]
Box = tuple[float, float, float, float]
Point = tuple[float, float]
# pdfplumber's defaults: word and line tolerances; snap, join and intersection tolerances; edge lengths.
TOLERANCE = 3
SNAP = JOIN = INTERSECTION = 3
MIN_LENGTH_PREFILTER = 1
MIN_LENGTH = 3

_X0: Final = 0
_X1: Final = 1
_TOP: Final = 2
_BOTTOM: Final = 3
_TEXT: Final = 4
_top = itemgetter(_TOP)
_x0 = itemgetter(_X0)
# a box's x0, top, x1 and bottom
_first, _second, _third, _fourth = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)


# --- tables -----------------------------------------------------------------------------------------


class Row(NamedTuple):
    """pdfplumber's table Row: its cells, None where a merged cell above covers the column."""

    cells: list[Box | None]
    bbox: Box


class Table:
    """What the reader reads of pdfplumber's `Table`: its cells, its rows (`Table.rows`, made once) and box."""

    def __init__(self, cells: list[Box]) -> None:
        self.cells = cells
        self.bbox: Box = (min(map(_first, cells)), min(map(_second, cells)), max(map(_third, cells)),
                          max(map(_fourth, cells)))
        # Table._get_rows_or_cols(Row): cells by top then x0, a row per top, a place per distinct x0.
        xs = sorted({c[0] for c in cells})
        self.rows: list[Row] = []
        for _, group in itertools.groupby(sorted(cells, key=itemgetter(1, 0)), itemgetter(1)):
            by_x = {cell[0]: cell for cell in group}
            row = [by_x.get(x) for x in xs]
            present = [c for c in row if c is not None]
            self.rows.append(Row(row, (min(map(_first, present)), min(map(_second, present)),
                                       max(map(_third, present)), max(map(_fourth, present)))))


def find_tables(edges: Sequence[Edge]) -> list[Table]:
    """pdfplumber's tables (rows, bbox) from a page's edges, in `page.edges` order."""
    cells = intersections_to_cells(edges_to_intersections(table_edges(edges)))
    return [Table(group) for group in cells_to_tables(cells)]


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's cells_to_tables: the groups of cells joined through shared corners (its repeated sweeps
    until nothing joins find exactly these), top-most then left-most first, single cells dropped; a table's
    cells in their order in `cells` (pdfplumber's order within a table differs, and nothing reads it: rows
    and box are sorted or taken from the set)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = first_at.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def table_edges(edges: Sequence[Edge]) -> list[Edge]:
    """`TableFinder.get_edges` with the "lines" strategies: long enough edges, snapped to their clusters'
    mean position, joined where they meet along a line, and the short ones dropped."""
    v = [e for e in edges if e[0] == "v" and e[6] >= MIN_LENGTH_PREFILTER]
    h = [e for e in edges if e[0] == "h" and e[5] >= MIN_LENGTH_PREFILTER]
    # Sorted by (orientation, position) — stable, as pdfplumber's sorted(): the horizontal ones ("h" < "v")
    # by their top, then the vertical ones by their x0 — and joined group by group.
    joined: list[Edge] = []
    for snapped, position, horizontal in ((_snap(h, 3), 3, True), (_snap(v, 1), 1, False)):
        snapped.sort(key=itemgetter(position))
        for _, group in itertools.groupby(snapped, itemgetter(position)):
            joined.extend(_join(list(group), horizontal))
    return [e for e in joined if (e[6] if e[0] == "v" else e[5]) >= MIN_LENGTH]


def _snap(edges: list[Edge], key: int) -> list[Edge]:
    """`utils.snap_objects`: each cluster (within SNAP of the next) moved to its mean by `move_object`."""
    out: list[Edge] = []
    position = itemgetter(key)
    for cluster in _clusters(edges, position, SNAP):
        mean = sum(map(position, cluster)) / len(cluster)
        for edge in cluster:
            o, x0, x1, top, bottom, width, height = edge
            if key == 1:
                shift = mean - x0
                out.append(edge if shift == 0 else (o, x0 + shift, x1 + shift, top, bottom, width, height))
            else:
                shift = mean - top
                out.append(edge if shift == 0 else (o, x0, x1, top + shift, bottom + shift, width, height))
    return out


def _join(group: list[Edge], horizontal: bool) -> list[Edge]:
    """`join_edge_group`: edges on one line that overlap or come within JOIN of each other, joined (the
    first of each run extended by `resize_object`: x1 and width, or bottom and height, step by step)."""
    spans = [(e[1], e[2], e) if horizontal else (e[3], e[4], e) for e in group]
    spans.sort(key=_first)  # stable: by x0 or top only, as pdfplumber's sorted()
    joined: list[Edge] = []
    _, end, last = spans[0]
    size = last[5] if horizontal else last[6]  # width or height
    resized = False
    for start, stop, e in spans[1:]:
        if start <= end + JOIN:
            if stop > end:
                # resize_object: width = x1 - x0; height = height + (bottom - old bottom)
                size = stop - last[1] if horizontal else size + (stop - end)
                end = stop
                resized = True
            continue
        joined.append(_resized(last, end, size, horizontal) if resized else last)
        _, end, last = start, stop, e
        size = last[5] if horizontal else last[6]
        resized = False
    joined.append(_resized(last, end, size, horizontal) if resized else last)
    return joined


def _resized(edge: Edge, end: float, size: float, horizontal: bool) -> Edge:
    o, x0, x1, top, bottom, width, height = edge
    return (o, x0, end, top, bottom, size, height) if horizontal else (o, x0, x1, top, end, width, size)


class Intersections(dict[Point, list[int]]):
    """Where ruling lines cross: each point with the edges meeting there, as two bit masks (vertical,
    horizontal) over `boxes`, the distinct edge boxes (x0, top, x1, bottom) — pdfplumber tells edges apart
    by their boxes. "Joined by a common edge" is then an AND of two ints."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[Box] = []

    def edge_boxes(self, point: Point) -> tuple[set[Box], set[Box]]:
        """The boxes of the vertical and of the horizontal edges meeting at `point`."""
        v_mask, h_mask = self[point]
        return ({box for k, box in enumerate(self.boxes) if v_mask >> k & 1},
                {box for k, box in enumerate(self.boxes) if h_mask >> k & 1})


def edges_to_intersections(edges: Iterable[Edge], x_tolerance: float = INTERSECTION,
                           y_tolerance: float = INTERSECTION) -> Intersections:
    """`edges_to_intersections`: where a vertical edge meets a horizontal one (within the tolerances), with
    the edges meeting there; the horizontal edges sorted once and searched by their top instead of all
    looked at for each vertical one."""
    v_edges = sorted((e for e in edges if e[0] == "v"), key=itemgetter(1, 3))
    h_edges = sorted((e for e in edges if e[0] == "h"), key=itemgetter(3, 1))
    intersections = Intersections()
    bit: dict[Box, int] = {}
    for e in (*v_edges, *h_edges):
        box = (e[1], e[3], e[2], e[4])
        if box not in bit:
            bit[box] = 1 << len(intersections.boxes)
            intersections.boxes.append(box)
    h_bits = [bit[(h[1], h[3], h[2], h[4])] for h in h_edges]
    tops = [h[3] for h in h_edges]
    for v in v_edges:
        _, vx, vx1, vtop, vbottom, _, _ = v
        v_bit = bit[(vx, vtop, vx1, vbottom)]
        # the test itself is kept below: a bound computed by subtraction may round the other way
        start = bisect_left(tops, vtop - y_tolerance - 1)
        end = bisect_right(tops, vbottom + y_tolerance + 1)
        for k in range(start, end):
            _, hx0, hx1, htop, _, _, _ = h_edges[k]
            if (vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance
                    and vx >= hx0 - x_tolerance and vx <= hx1 + x_tolerance):
                found = intersections.get((vx, htop))
                if found is None:
                    intersections[(vx, htop)] = [v_bit, h_bits[k]]
                else:
                    found[0] |= v_bit
                    found[1] |= h_bits[k]
    return intersections


def intersections_to_cells(intersections: Intersections) -> list[Box]:
    """`intersections_to_cells`: for each point, the smallest cell whose corners are points joined by a
    common edge."""
    points = sorted(intersections)
    # The points after each one in the same column (below it) and the same row (right of it), in order:
    # the rest of its column and of its row, both sorted as the points are (each point's place in them is
    # how many came before it, the points being visited in that order).
    by_x: dict[float, list[Point]] = {}
    by_y: dict[float, list[Point]] = {}
    places: list[tuple[list[Point], int, list[Point], int]] = []
    for point in points:
        column = by_x.setdefault(point[0], [])
        row = by_y.setdefault(point[1], [])
        places.append((column, len(column) + 1, row, len(row) + 1))
        column.append(point)
        row.append(point)
    cells = []
    for point, (column, below, row, right) in zip(points[:-1], places, strict=False):
        cell = _smallest_cell(point, column[below:], row[right:], intersections)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point], masks: Intersections) -> Box | None:
    """pdfplumber's find_smallest_cell: the first point below joined to this one by a vertical edge and the
    first point right of it joined by a horizontal one whose corner is a point joined to both. (Points in a
    column can only be joined by a vertical edge, points in a row by a horizontal one.)"""
    v_mask, h_mask = masks[point]
    for below_pt in below:
        below_v, below_h = masks[below_pt]
        if not v_mask & below_v:
            continue
        for right_pt in right:
            right_v, right_h = masks[right_pt]
            if not h_mask & right_h:
                continue
            corner = masks.get((right_pt[0], below_pt[1]))
            if corner is not None and corner[0] & right_v and corner[1] & below_h:
                return (point[0], point[1], right_pt[0], below_pt[1])
    return None


# --- text -------------------------------------------------------------------------------------------


def _words(line: list[Char]) -> list[list[Char]]:
    """`WordExtractor.iter_chars_to_words` on one line's characters sorted by x0: split at whitespace and
    where the next character starts left of the last one, beyond the tolerance right of it, or on
    another top; a character without text is a word of its own."""
    words: list[list[Char]] = []
    current: list[Char] = []
    for char in line:
        text = char[_TEXT]
        if text.isspace():
            if current:
                words.append(current)
            current = []
        elif text == "":  # pdfplumber's punctuation test with no punctuation given: "" in ""
            if current:
                words.append(current)
            words.append([char])
            current = []
        elif current and ((last := current[-1])[_X0] > char[_X0] or char[_X0] > last[_X1] + TOLERANCE
                          or abs(char[_TOP] - last[_TOP]) > TOLERANCE):
            words.append(current)
            current = [char]
        else:
            current.append(char)
    if current:
        words.append(current)
    return words


def _ligatures() -> dict[int, str]:
    """pdfplumber's ligature expansions (ﬁ → fi …) as a str.translate table: a char's text is one code
    point, so translating a word's text expands its chars as pdfplumber does one by one."""
    if not _LIGATURES:
        from pdfplumber.utils.text import LIGATURES

        _LIGATURES.update({ord(ligature): letters for ligature, letters in LIGATURES.items()})
    return _LIGATURES


_LIGATURES: dict[int, str] = {}  # filled on first use (pdfplumber is imported then)


def _page_words(chars: list[Char]) -> list[tuple[float, str, list[Char]]]:
    """`WordExtractor.iter_extract_tuples` for upright characters: (top, text, chars) of each word, line by
    line (characters clustered by their tops), each line left to right."""
    ligatures = _ligatures()
    out: list[tuple[float, str, list[Char]]] = []
    for line in _clusters(chars, _top, TOLERANCE):
        line.sort(key=_x0)
        for word in _words(line):
            text = "".join([c[_TEXT] for c in word]).translate(ligatures)
            out.append((min(map(_top, word)), text, word))
    return out


def extract_text(chars: list[Char]) -> str:
    """`utils.extract_text(chars)` with pdfplumber's defaults, for upright characters: the words of each
    line joined by spaces, the lines (words clustered by their tops) by line breaks."""
    if not chars:
        return ""
    if len(chars) == 1:
        text = chars[0][_TEXT]
        return "" if text.isspace() else text.translate(_ligatures())
    tops = [c[_TOP] for c in chars]
    if max(tops) - min(tops) <= TOLERANCE:  # one line: its words (whose tops lie in it too) joined by spaces
        ligatures = _ligatures()
        line = sorted(chars, key=_x0)
        return " ".join(["".join([c[_TEXT] for c in word]) for word in _words(line)]).translate(ligatures)
    words = _page_words(chars)
    return "\n".join(" ".join(word[1] for word in line) for line in _clusters(words, itemgetter(0), TOLERANCE))


def text_lines(chars: list[Char]) -> list[tuple[str, float, float]]:
    """`chars_to_textmap(chars).extract_text_lines(strip=True)` with pdfplumber's defaults, for upright
    characters in page order: each line's (text, x0, top).

    The text map keeps the words in their order (presorted) and starts a line where the next word's top
    falls in another cluster of the words' tops; words are joined by one space (none after a leading word
    without text), and a line is its text stripped of spaces, with the box of its characters."""
    words = _page_words(chars)
    if not words:
        return []
    cluster = _cluster_index([w[0] for w in words], TOLERANCE)
    out: list[tuple[str, float, float]] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i < len(words) and cluster[words[i][0]] == cluster[words[start][0]]:
            continue
        parts: list[str] = []
        length = 0
        x0 = top = float("inf")
        for _, text, word in words[start:i]:
            if length:
                parts.append(" ")
                length += 1
            parts.append(text)
            length += len(text)
            if text:
                x0 = min(x0, min(map(_x0, word)))
                top = min(top, min(map(_top, word)))
        line = "".join(parts).strip(" ")
        if line.strip():
            out.append((line, x0, top))
        start = i
    return out


def _cluster_index(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """`make_cluster_dict`: each distinct value's cluster, clusters being runs of sorted values each within
    `tolerance` of the one before."""
    cluster: dict[float, int] = {}
    index = -1
    last = 0.0
    for value in sorted(set(values)):
        if index < 0 or value > last + tolerance:
            index += 1
        cluster[value] = index
        last = value
    return cluster


def _clusters(items: Sequence[Any], key: Callable[[Any], float], tolerance: float) -> list[list[Any]]:
    """`cluster_objects(items, key, tolerance)`: the items grouped by their value's cluster, the groups in
    order and, within a group, the items in their own order."""
    if not items:
        return []
    values = list(map(key, items))
    if max(values) - min(values) <= tolerance:  # one cluster: no gap between sorted values can exceed it
        return [list(items)]
    cluster = _cluster_index(values, tolerance)
    groups: list[list[Any]] = [[] for _ in range(max(cluster.values()) + 1)]
    for item, value in zip(items, values, strict=True):
        groups[cluster[value]].append(item)
    return groups


# --- a table's cells' text --------------------------------------------------------------------------


class CharIndex:
    """A page's characters with their centres, sorted by vertical centre, for finding those in a box."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        self.cxs = [(c[_X0] + c[_X1]) / 2 for c in chars]
        self.cys = [(c[_TOP] + c[_BOTTOM]) / 2 for c in chars]
        self.by_v = sorted(range(len(chars)), key=self.cys.__getitem__)
        self.vs = [self.cys[i] for i in self.by_v]

    def outside(self, boxes: Sequence[Box]) -> list[Char]:
        """The characters whose centre lies in none of `boxes` (edges included), in page order."""
        if not boxes:
            return self.chars
        inside: set[int] = set()
        cxs, by_v, vs = self.cxs, self.by_v, self.vs
        for x0, top, x1, bottom in boxes:
            inside.update(i for i in by_v[bisect_left(vs, top):bisect_right(vs, bottom)] if x0 <= cxs[i] <= x1)
        return [c for i, c in enumerate(self.chars) if i not in inside]

    def cell_texts(self, rows: Sequence[Any]) -> list[list[str | None]]:
        """`Table.extract()` (default settings) of a table's rows: each cell's text from the characters whose
        centre lies in its row and in it (left and top edges included), in page order; None for the places
        pdfplumber leaves empty. A cell may reach over the next one's start: the cells left of a centre are
        looked at until none reaches it."""
        chars, cxs, cys, by_v, vs = self.chars, self.cxs, self.cys, self.by_v, self.vs
        out: list[list[str | None]] = []
        for row in rows:
            x0, top, x1, bottom = row.bbox
            cells = row.cells
            order = sorted((cell[0], k) for k, cell in enumerate(cells) if cell is not None)
            starts = [x for x, _ in order]
            places = [k for _, k in order]
            reach = list(itertools.accumulate((cells[k][2] for k in places), max))  # rightmost end so far
            found: list[list[int]] = [[] for _ in cells]
            for i in by_v[bisect_left(vs, top):bisect_left(vs, bottom)]:  # top <= centre < bottom
                cx = cxs[i]
                if x0 <= cx < x1:
                    cy = cys[i]
                    j = bisect_right(starts, cx) - 1  # the last cell starting at or left of the centre
                    while j >= 0 and reach[j] > cx:
                        k = places[j]
                        cx0, ctop, cx1, cbottom = cells[k]
                        if cx0 <= cx < cx1 and ctop <= cy < cbottom:
                            found[k].append(i)
                        j -= 1
            out.append([None if cell is None else extract_text([chars[i] for i in sorted(found[k])])
                        for k, cell in enumerate(cells)])
        return out
