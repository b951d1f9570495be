"""Header rows → column mapping: which grid column holds which column (and, in table 四, group) of the
format, which columns are known extras to ignore, and what each heading says as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ogi.ingest.document import GridCell
from ogi.ingest.tables.grid_rows import Cell, Row, key_id
from ogi.ingest.tables.memo import Memo, remember
from ogi.ingest.tables.row_labels import row_score
from ogi.ingest.tables.vocabulary import MAX_LABEL, TableSpec, score
from ogi.schemas.definitions import ColumnDef, RowDef

Target = tuple[str | None, str]  # (group, column key); group only for table 四


def header_score(spec: TableSpec, label: str) -> int:
    """Length of the longest heading phrase in the label (0: not a heading)."""
    key = ("h", label)
    found = spec.memo.get(key)
    if found is None:
        found = spec.remember(key, max((len(p) for p in spec.header if p in label), default=0))
    return found


def match_column(spec: TableSpec, label: str) -> tuple[str | None, bool]:
    """(column key, ignored) for a header label; an ignore phrase wins when it is longer."""
    key = ("c", label)
    found = spec.memo.get(key)
    if found is None:
        found = spec.remember(key, _match_column(spec, label))
    return found


def _best_key(entries: Iterable[tuple[ColumnDef | RowDef, tuple[str, ...]]], label: str) -> tuple[str | None, int]:
    """The key of the definition whose phrases `label` matches best (the first of equals), and its score."""
    best: str | None = None
    best_score = 0
    for definition, phrases in entries:
        found = score(label, phrases)
        if found > best_score:
            best, best_score = definition.key, found
    return best, best_score


def _match_column(spec: TableSpec, label: str) -> tuple[str | None, bool]:
    best, best_score = _best_key(spec.cols, label)
    ignore_score = max((len(p) for p in spec.ignore if p in label), default=0)
    if ignore_score > best_score:
        return None, True
    return best, False


def match_group(spec: TableSpec, label: str) -> str | None:
    """Table 四's column group (review, litigation_direct, …) a heading names."""
    key = ("g", label)
    memo = spec.memo
    if key in memo:
        return memo[key]
    return spec.remember(key, _match_group(spec, label))


def _match_group(spec: TableSpec, label: str) -> str | None:
    return _best_key(spec.groups, label)[0]


def header_like(row: Row, spec: TableSpec) -> bool:
    """A row of column headings (or a title): no values, mostly header words, and no row label.

    "（七）总计" and "3.其他" read as row labels and as column headings alike; alone they are rows.
    An unknown heading ("备注") among known ones is still a heading row, to be reported as a column.
    """
    key = ("H", row.structure)
    found = spec.memo.get(key)
    if found is None:
        found = spec.remember(key, _is_header_like(row, spec))
    return found


def _is_header_like(row: Row, spec: TableSpec) -> bool:
    if any(c.value for c in row.cells):
        return False
    texts = row.texts
    heading = 0
    for c in texts:
        if len(c.norm) > MAX_LABEL:
            return False
        h, r = header_score(spec, c.norm), row_score(spec, c.norm)
        if r > h:
            return False
        if h > r:
            heading += 1
    return heading > 0 and heading * 2 >= len(texts)


@dataclass
class Mapping:
    width: int
    targets: dict[int, Target]  # grid column -> (group, column key)
    ignored: set[int]
    headers: dict[int, str]  # grid column -> its header text as written (levels joined)
    header_cells: dict[int, GridCell]
    positional: bool = False  # no header was seen: the official order, placed by each row's values
    complete: bool | None = None  # headings name every column of the format (see partial_ok), worked out once

    _aligned: dict[int, Mapping] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.first = min(self.targets) if self.targets else 0
        # What a row's reading depends on, to memoise it across reports with the same header layout.
        self.sig = key_id((tuple(self.targets.items()), frozenset(self.ignored)))

    def aligned(self, width: int) -> Mapping:
        """The same columns counted from the right, for a fragment of a different width."""
        if width == self.width:
            return self
        hit = self._aligned.get(width)
        if hit is None:
            hit = self._aligned[width] = self._shifted(width)
        return hit

    def _shifted(self, width: int) -> Mapping:
        spans = self._spans()
        if len(spans) == width < self.width:
            # A fragment (a table cut by a page break) whose rows print a merged heading's span as one cell, as
            # the heading does (本年增/减 over two columns, in a row of three): its cells are the spans, left to
            # right. Counted from the right, its label would fall off.
            keep = {i: spans[i] for i in range(width)}
            return Mapping(
                width,
                {i: self.targets[c] for i, c in keep.items() if c in self.targets},
                {i for i, c in keep.items() if c in self.ignored},
                {i: self.headers[c] for i, c in keep.items() if c in self.headers},
                {i: self.header_cells[c] for i, c in keep.items() if c in self.header_cells},
                self.positional,
            )
        shift = width - self.width
        return Mapping(
            width,
            {c + shift: t for c, t in self.targets.items() if c + shift >= 0},
            {c + shift for c in self.ignored if c + shift >= 0},
            {c + shift: h for c, h in self.headers.items() if c + shift >= 0},
            {c + shift: h for c, h in self.header_cells.items() if c + shift >= 0},
            self.positional,
        )


    def _spans(self) -> list[int]:
        """The first grid column of each heading span, when every column has a heading cell and some heading
        spans several columns (every reader repeats a merged cell's one GridCell over the places it covers);
        else none."""
        cells = self.header_cells
        if len(cells) != self.width or any(c not in cells for c in range(self.width)):
            return []
        firsts = [c for c in range(self.width) if c == 0 or cells[c] is not cells[c - 1]]
        return firsts if len(firsts) < self.width else []


# A header layout: per grid column with a heading, the header rows of its distinct levels (top down);
# the column targets; the ignored columns; per column its header text as written (levels joined).
_Layout = tuple[tuple[tuple[int, tuple[int, ...]], ...], dict[int, Target], set[int], dict[int, str]]


def build_mapping(header_rows: list[Row], spec: TableSpec) -> Mapping:
    width = max(r.width for r in header_rows)
    # Header rows repeat word for word across a batch: their layout is worked out once per wording.
    # With it, the mappings built on that layout, by their first heading cell: readers share GridCells
    # between documents, so when the heading cells are the same objects, so is the (never modified) mapping.
    memo_key = ("layout", width, *(row.key for row in header_rows))
    entry: tuple[_Layout, Memo] | None = spec.memo.get(memo_key)
    if entry is None:
        entry = spec.remember(memo_key, (_header_layout(header_rows, width, spec), {}))
    assert entry is not None
    layout, mappings = entry
    columns, targets, ignored, headers = layout
    header_cells = {col: header_rows[levels[-1]].grid_cells[col] for col, levels in columns}
    first = id(next(iter(header_cells.values()), None))
    known: Mapping | None = mappings.get(first)
    if known is not None and all(known.header_cells[col] is cell for col, cell in header_cells.items()):
        return known
    mapping = Mapping(width, dict(targets), set(ignored), dict(headers), header_cells)
    return remember(mappings, first, mapping, 16)


def _header_layout(header_rows: list[Row], width: int, spec: TableSpec) -> _Layout:
    targets: dict[int, Target] = {}
    ignored: set[int] = set()
    columns: list[tuple[int, tuple[int, ...]]] = []
    for col in range(width):
        levels: list[Cell] = []
        rows: list[int] = []
        for ri, row in enumerate(header_rows):
            if col < len(row.cells):
                c = row.cells[col]
                if c.norm and all(c.norm != x.norm for x in levels):
                    levels.append(c)
                    rows.append(ri)
        if not levels:
            continue
        columns.append((col, tuple(rows)))
        # The most specific (lowest) heading decides: 商业企业 under 法人或其他组织 under 申请人情况;
        # an unknown lowest heading is an unknown column, whatever spans above it.
        key, ignore = match_column(spec, levels[-1].norm)
        if ignore:
            ignored.add(col)
        if key is None:
            continue
        group: str | None = None
        if spec.groups:
            group = next((g for g in (match_group(spec, c.norm) for c in reversed(levels)) if g), None)
        targets[col] = (group, key)
    if spec.groups:
        _fill_groups(targets, spec)
    else:
        _fill_by_position(targets, [col for col, _ in columns if col not in ignored], spec)
    headers = {col: "/".join(header_rows[ri].key[col].strip() for ri in levels) for col, levels in columns}
    return tuple(columns), targets, ignored, headers


def _fill_groups(targets: dict[int, Target], spec: TableSpec) -> None:
    """Columns whose group heading was not repeated across its span take the group to their left."""
    order = [g.key for g, _ in spec.groups]
    previous: str | None = None
    used: set[Target] = set()
    for col in sorted(targets):
        group, key = targets[col]
        if group is None:
            group = previous or order[0]
            if (group, key) in used and order.index(group) + 1 < len(order):
                group = order[order.index(group) + 1]
            targets[col] = (group, key)
        previous = group
        used.add((group, key))


def _fill_by_position(targets: dict[int, Target], headed: list[int], spec: TableSpec) -> None:
    """Headings a conversion made up ("数据1" … "数据6", 总计) take the official column at their place, when
    the last headed columns are as many as the format's and every heading that is known stands at its own."""
    if not spec.rows or any(r.cols is not None for r, _, _ in spec.rows):
        return
    keys = [c.key for c, _ in spec.cols]
    tail = headed[-len(keys):]
    if len(tail) < len(keys) or all(col in targets for col in tail) or not any(col in targets for col in tail):
        return
    if all(targets.get(col, (None, key))[1] == key for col, key in zip(tail, keys, strict=True)):
        for col, key in zip(tail, keys, strict=True):
            targets.setdefault(col, (None, key))


def partial_ok(mapping: Mapping, spec: TableSpec) -> bool:
    """Whether a header mapping may be carried to a fragment of another width: it names every column (table
    二's mini-tables name theirs), so counting from the right is the only guess left."""
    if mapping.complete is None:
        wanted = len(spec.groups) * len(spec.cols) if spec.groups else len(spec.cols)
        mapping.complete = (not spec.groups and any(r.cols is not None for r, _, _ in spec.rows)) \
            or len(set(mapping.targets.values())) >= wanted
    return mapping.complete


def anchored_mapping(row: Row, width: int, spec: TableSpec) -> Mapping | None:
    """The format's columns in official order placed where this row's values are: right after its labels
    when the cells from there to the last filled one are exactly the format's columns (a converted table
    whose rows end in an empty cell); None when they are not."""
    key = ("p", row.structure, width)
    if key in spec.memo:
        found: Mapping | None = spec.memo[key]
        return found
    return spec.remember(key, _anchored(row, width, spec))


def _anchored(row: Row, width: int, spec: TableSpec) -> Mapping | None:
    cells = row.cells
    first = 0
    while first < len(cells) and not cells[first].value and not cells[first].empty:
        first += 1
    last = max((c.col for c in cells if not c.empty), default=-1)
    count = len(spec.groups) * len(spec.cols) if spec.groups else len(spec.cols)
    if last - first + 1 != count:
        return None
    placed = default_mapping(first + count, spec)
    return None if placed is None else Mapping(width, placed.targets, set(), {}, {}, True, False)


def default_mapping(width: int, spec: TableSpec) -> Mapping | None:
    """No header seen: the official column order, counted from the right (tables 三 and 四 only)."""
    if spec.groups:
        keys: list[Target] = [(g.key, c.key) for g, _ in spec.groups for c, _ in spec.cols]
    elif spec.rows and all(r.cols is None for r, _, _ in spec.rows):
        keys = [(None, c.key) for c, _ in spec.cols]
    else:
        return None
    if width < len(keys):
        return None
    start = width - len(keys)
    return Mapping(width, {start + i: k for i, k in enumerate(keys)}, set(), {}, {}, True, False)


def columns_for(row: Row, mapping: Mapping, label_norms: set[str]) -> dict[Target, int]:
    """Per mapped column, the first non-empty cell among the grid columns it spans."""
    found: dict[Target, int] = {}
    filled: set[Target] = set()
    targets = mapping.targets
    for c in row.cells:
        target = targets.get(c.col)
        if target is None or target in filled:
            continue
        if not c.value and c.norm in label_norms:
            continue  # a label whose merged span reaches into the data columns
        if not c.empty:
            found[target] = c.col
            filled.add(target)
        else:
            found.setdefault(target, c.col)
    return found
