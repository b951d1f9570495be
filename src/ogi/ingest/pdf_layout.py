"""pdfplumber's table finding and cell text, with the same results in fewer steps.

Three of pdfplumber's steps cost more than reading the page with pdfium: where ruling lines cross
(`edges_to_intersections` sorts every horizontal edge again for each vertical one), the cells between
them (`intersections_to_cells` rebuilds two sets of edge boxes for every pair of points it compares) and a
cell's text (`extract_text` sets up a word extractor and a text map for the three characters of a number).
They are done here the same way with what they need computed once; everything else is pdfplumber's own
(`TableFinder.get_edges`, `cells_to_tables`, `Table`). Tests hold each to pdfplumber's results
(tests/test_pdf_readers.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Any

Obj = dict[str, Any]
Point = tuple[float, float]
# pdfplumber's defaults (x_tolerance, y_tolerance of words and lines).
TOLERANCE = 3


def find_tables(page: Any) -> list[Any]:
    """What page.find_tables() finds with the default settings (on anything with chars, edges and bbox)."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables

    settings = TableSettings.resolve(None)
    finder = TableFinder.__new__(TableFinder)  # its __init__ runs the cell step this module replaces
    finder.page, finder.settings = page, settings
    edges = finder.get_edges()
    intersections = edges_to_intersections(edges, settings.intersection_x_tolerance,
                                           settings.intersection_y_tolerance)
    return [Table(page, group) for group in cells_to_tables(intersections_to_cells(intersections))]


def edges_to_intersections(edges: list[Obj], x_tolerance: float,
                           y_tolerance: float) -> dict[Point, dict[str, list[Obj]]]:
    """pdfplumber's edges_to_intersections: where a vertical edge meets a horizontal one (within the
    tolerances); the horizontal edges sorted once and searched by their top instead of all looked at."""
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in h_edges]
    intersections: dict[Point, dict[str, list[Obj]]] = {}
    for v in v_edges:
        # v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance, as a range of tops
        # (the test itself is kept: a bound computed by subtraction may round the other way)
        start = bisect_left(tops, v["top"] - y_tolerance - 1)
        end = bisect_right(tops, v["bottom"] + y_tolerance + 1)
        for h in h_edges[start:end]:
            if (v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance
                    and v["x0"] >= h["x0"] - x_tolerance and v["x0"] <= h["x1"] + x_tolerance):
                found = intersections.setdefault((v["x0"], h["top"]), {"v": [], "h": []})
                found["v"].append(v)
                found["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict[Point, dict[str, list[Obj]]]) -> list[tuple[float, float, float, float]]:
    """pdfplumber's intersections_to_cells: for each point, the smallest cell whose corners are points joined
    by a common edge; each point's edge boxes made once instead of at every comparison."""
    from pdfplumber.utils import obj_to_bbox

    boxes = {point: ({obj_to_bbox(e) for e in found["v"]}, {obj_to_bbox(e) for e in found["h"]})
             for point, found in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not boxes[p1][0].isdisjoint(boxes[p2][0]):
            return True
        return p1[1] == p2[1] and not boxes[p1][1].isdisjoint(boxes[p2][1])

    points = sorted(intersections)
    # The points after each one in the same column (below it) and the same row (right of it), in order.
    by_x: dict[float, list[Point]] = {}
    by_y: dict[float, list[Point]] = {}
    for point in points:
        by_x.setdefault(point[0], []).append(point)
        by_y.setdefault(point[1], []).append(point)
    order = {point: i for i, point in enumerate(points)}
    cells = []
    for point in points[:-1]:
        i = order[point]
        column = [p for p in by_x[point[0]] if order[p] > i]
        row = [p for p in by_y[point[1]] if order[p] > i]
        cell = _smallest_cell(point, column, row, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point], intersections: dict[Point, Any],
                   connects: Any) -> tuple[float, float, float, float] | None:
    for below_pt in below:
        if not connects(point, below_pt):
            continue
        for right_pt in right:
            if not connects(point, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (point[0], point[1], corner[0], corner[1])
    return None


def extract_text(chars: list[Obj]) -> str:
    """pdfplumber's utils.extract_text(chars) with its defaults, for upright characters: words split at
    whitespace and at gaps over the tolerance, in lines clustered by their tops."""
    from pdfplumber.utils.text import LIGATURES

    if not chars:
        return ""
    words: list[tuple[float, str]] = []  # (top, text)

    def flush(word: list[Obj]) -> None:
        if word:
            words.append((min(c["top"] for c in word), "".join(LIGATURES.get(c["text"], c["text"] or "")
                                                             for c in word)))

    for line in _clusters(chars, itemgetter("top")):
        current: list[Obj] = []
        for char in sorted(line, key=_by_x0):
            text = char["text"]
            if text.isspace():
                flush(current)
                current = []
            elif text == "":  # pdfplumber's "punctuation" test with no punctuation given: "" in ""
                flush(current)
                flush([char])
                current = []
            elif current and _begins_word(current[-1], char):
                flush(current)
                current = [char]
            else:
                current.append(char)
        flush(current)
    return "\n".join(" ".join(text for _, text in line) for line in _clusters(words, itemgetter(0)))


def _by_x0(char: Obj) -> tuple[float, float]:
    return (char["x0"], char["x0"])


def _begins_word(prev: Obj, curr: Obj) -> bool:
    return bool(curr["x0"] < prev["x0"] or curr["x0"] > prev["x1"] + TOLERANCE
                or abs(curr["top"] - prev["top"]) > TOLERANCE)


def _clusters(items: list[Any], key: Any) -> list[list[Any]]:
    """pdfplumber's cluster_objects(items, key, TOLERANCE): groups of values each within the tolerance of the
    one before, items in their group's order and, within it, in their own."""
    if not items:
        return []
    values = sorted(set(map(key, items)))
    cluster: dict[float, int] = {}
    index = 0
    last = values[0]
    for value in values:
        if value > last + TOLERANCE:
            index += 1
        cluster[value] = index
        last = value
    groups: list[list[Any]] = [[] for _ in range(index + 1)]
    for item in items:
        groups[cluster[key(item)]].append(item)
    return groups
