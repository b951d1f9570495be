"""Finding the official tables 二/三/四 in a document's grids (or flattened lines) by their labels.

Readers only lay a file out as grids; this module decides which rows belong to which official table,
maps header columns and row labels to the canonical keys of the format definition, and parses the
cells. Nothing is dropped silently: rows and columns that match nothing become ReadNotes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from ogi.ingest.document import Grid, GridCell, RawDocument, TextLine
from ogi.ingest.labels import normalize_label
from ogi.ingest.numbers import ParsedCell, parse_cell
from ogi.model import CellKind, CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import ColumnDef, FormatDef, RowDef, TableDef, load_format

# A label longer than this (normalised) is prose caught in a grid (PDF text boxes), not a table label.
_MAX_LABEL = 60
# A text line longer than this is prose, not a table row flattened into text.
_MAX_TABLE_LINE = 120
# Ordinal-prefixed labels ("2.重复申请", "1、申请人…") parse as annotated numbers; they are labels.
_ORDINAL_LABEL = re.compile(r"^\s*[(（]?\s*[0-9０-９]{1,2}\s*[)）.．、,，]\s*\D")
# A bare ordinal token ("1." before "属于国家秘密" after a line or space split) is a label piece.
_ORDINAL_TOKEN = re.compile(r"^[(（]?[0-9０-９]{1,2}[)）.．、]$")
_FOLD_DROP = re.compile(r"[\W_]+")
_KINDS = {k.value: k for k in CellKind}
_VALUE_START = re.compile(r"^(?:[-+−]?\d|减少|增加|[减增约近]\d|超过\d)")


def _parse(raw: str, signed: bool, decimal_ok: bool) -> ParsedCell:
    # parse_cell reads `signed` only for a "+" sign and `decimal_ok` only for a ".": a text with neither
    # (ASCII or full-width, which it normalises to ASCII) reads the same under every flag, so once.
    if "+" not in raw and "." not in raw and "＋" not in raw and "．" not in raw:
        signed = decimal_ok = True
    return _parse_cached(raw, signed, decimal_ok)


@lru_cache(maxsize=65536)
def _parse_cached(raw: str, signed: bool, decimal_ok: bool) -> ParsedCell:
    # Tables repeat the same few tokens ("0", "", "/") thousands of times per batch.
    return parse_cell(raw, signed=signed, decimal_ok=decimal_ok)


@lru_cache(maxsize=65536)
def _looks_like_value(text: str) -> bool:
    """A data cell (number, placeholder, number with a remark), not a label."""
    stripped = text.strip()
    if not stripped or _ORDINAL_LABEL.match(stripped):
        return False
    kind = _parse(stripped, True, True).kind
    if kind == "annotated":
        # A number somewhere inside words ("上一年项目数量") is a label; a value leads with its number.
        return _VALUE_START.match(unicodedata.normalize("NFKC", stripped)) is not None
    return kind in ("number", "placeholder")


@lru_cache(maxsize=65536)
def _cell_fields(raw: str, signed: bool, decimal_ok: bool) -> dict[str, Any]:
    """CellValue's fields but the locator (raw, kind, value, unit, annotation: in field order) for a raw
    cell text. Shared: only ever copied."""
    parsed = _parse(raw.strip(), signed, decimal_ok)
    return {"raw": raw, "kind": _KINDS[parsed.kind], "value": parsed.value, "unit": parsed.unit,
            "annotation": parsed.annotation}


_new = object.__new__
_set_attr = object.__setattr__


def _cell_at(raw: str, signed: bool, decimal_ok: bool, locator: SourceLocator | None) -> CellValue:
    """CellValue of a cell text at `locator`, built from a copy of its cached field dict, with the locator
    last (the frozen dataclass's __init__ would make six object.__setattr__ calls): tables read hundreds
    of cells."""
    fields = _cell_fields(raw, signed, decimal_ok).copy()
    fields["locator"] = locator
    out = _new(CellValue)
    _set_attr(out, "__dict__", fields)
    return out


# Per (signed, decimal) reading, the CellValue of each grid cell, by the cell's identity. Readers share
# GridCell instances between documents (the same short text at the same place: 98% of a bench batch's
# cells), so most of a table's CellValues (frozen) are found rather than built. The cell is kept with its
# value, so its id cannot be reused while the entry lives.
_CellValues = dict[int, tuple[GridCell, CellValue]]
_CELL_VALUES: dict[tuple[bool, bool], _CellValues] = {(s, d): {} for s in (False, True) for d in (False, True)}
_MAX_CELL_VALUES = 50_000


def _known_values(signed: bool, decimal_ok: bool) -> _CellValues:
    return _CELL_VALUES[signed, decimal_ok]


def _cell_value(cell: GridCell, signed: bool, decimal_ok: bool, known: _CellValues) -> CellValue:
    """The CellValue of a grid cell: found in `known` (the cell values of its reading), else built and kept."""
    hit = known.get(id(cell))
    if hit is not None and hit[0] is cell:
        return hit[1]
    if len(known) > _MAX_CELL_VALUES:
        known.clear()  # in place: plans hold this dict
    value = _cell_at(cell.text, signed, decimal_ok, cell.locator)
    known[id(cell)] = (cell, value)
    return value


@lru_cache(maxsize=65536)
def _cell_info(text: str) -> tuple[str, bool, bool]:
    """(normalised label, looks like a value, empty) of a grid cell's text."""
    if text.isascii() and text.isdigit():
        return text, True, False  # a plain count ("0", "12"), worked out without the label and cell parsers
    return normalize_label(text), _looks_like_value(text), not text.strip()


# ---------------------------------------------------------------------------------------------
# The vocabulary of each table, normalised once per definition.


def _score(label: str, phrases: tuple[str, ...]) -> int:
    """match_score for phrases already normalised."""
    total = 0
    for phrase in phrases:
        if phrase not in label:
            return 0
        total += len(phrase)
    return total


def _norm_all(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in (normalize_label(x) for x in phrases) if p))


@dataclass(frozen=True)
class _Spec:
    """A TableDef with its phrases normalised, for matching."""

    tdef: TableDef
    rows: tuple[tuple[RowDef, tuple[str, ...], str | None], ...]
    cols: tuple[tuple[ColumnDef, tuple[str, ...]], ...]
    groups: tuple[tuple[RowDef, tuple[str, ...]], ...]
    ignore: tuple[str, ...]
    row_groups: tuple[str, ...]  # the `group` phrases rows sit under (不予公开, 无法提供, …)
    group_rows: tuple[tuple[str, ...], ...]  # phrases of rows that only head a group
    header: tuple[str, ...]  # everything a header row may say
    columns: dict[str, ColumnDef] = field(default_factory=dict, compare=False)
    # Per-label scores: the same few hundred labels recur in every report of a batch.
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def column(self, key: str) -> ColumnDef:
        return self.columns[key]

    def _remember(self, key: tuple[Any, ...], value: Any) -> Any:
        if len(self._memo) > 200_000:
            self._memo.clear()  # bounded: labels of odd tables would otherwise pile up over a batch
        self._memo[key] = value
        return value

    def header_score(self, label: str) -> int:
        """Length of the longest heading phrase in the label (0: not a heading)."""
        memo = self._memo.get(("h", label))
        if memo is None:
            memo = self._remember(("h", label), max((len(p) for p in self.header if p in label), default=0))
        return memo

    def row_score(self, label: str) -> int:
        """Score of the best row match, ignoring group context (0: not a row label)."""
        memo = self._memo.get(("r", label))
        if memo is None:
            memo = self._remember(("r", label), max((_score(label, m) for _, m, _ in self.rows), default=0))
        return memo

    def group_phrase(self, label: str) -> str | None:
        """The row-group phrase (不予公开 …) this label names, if any."""
        key = ("p", label)
        if key in self._memo:
            return self._memo[key]
        return self._remember(key, next((g for g in self.row_groups if g in label), None))

    def is_group_label(self, label: str) -> bool:
        """A label that only heads a group of rows (三、本年度办理结果, （三）不予公开)."""
        return self.group_phrase(label) is not None or any(_score(label, m) for m in self.group_rows)

    def match_column(self, label: str) -> tuple[str | None, bool]:
        """(column key, ignored) for a header label; an ignore phrase wins when it is longer."""
        memo = self._memo.get(("c", label))
        if memo is None:
            memo = self._remember(("c", label), self._match_column(label))
        return memo

    def _match_column(self, label: str) -> tuple[str | None, bool]:
        best: str | None = None
        best_score = 0
        for cdef, phrases in self.cols:
            score = _score(label, phrases)
            if score > best_score:
                best, best_score = cdef.key, score
        ignore_score = max((len(p) for p in self.ignore if p in label), default=0)
        if ignore_score > best_score:
            return None, True
        return best, False

    def match_group(self, label: str) -> str | None:
        """Table 四's column group (review, litigation_direct, …) a heading names."""
        key = ("g", label)
        if key in self._memo:
            return self._memo[key]
        return self._remember(key, self._match_group(label))

    def _match_group(self, label: str) -> str | None:
        best: str | None = None
        best_score = 0
        for gdef, phrases in self.groups:
            score = _score(label, phrases)
            if score > best_score:
                best, best_score = gdef.key, score
        return best

    def match_row(
        self, label: str, own_group: str | None, carried_group: str | None, start: int = 0
    ) -> int | None:
        """Index of the row whose phrases match longest; a row under a group must fit the group context."""
        context = own_group if own_group is not None else carried_group
        key = ("m", label, context, start)
        if key in self._memo:
            return self._memo[key]
        return self._remember(key, self._match_row(label, context, start))

    def _match_row(self, label: str, context: str | None, start: int) -> int | None:
        best: int | None = None
        best_score = 0
        for i in range(start, len(self.rows)):
            _, phrases, group = self.rows[i]
            if group is not None and context is not None and group not in context:
                continue
            score = _score(label, phrases)
            if score > best_score:
                best, best_score = i, score
        return best


_SPEC_CACHE: dict[int, tuple[TableDef, _Spec]] = {}


def _spec(tdef: TableDef) -> _Spec:
    """The matching view of a table definition (built once per definition)."""
    hit = _SPEC_CACHE.get(id(tdef))
    if hit is not None and hit[0] is tdef:
        return hit[1]
    spec = _spec_by_value(tdef)
    _SPEC_CACHE[id(tdef)] = (tdef, spec)
    return spec


@lru_cache(maxsize=32)
def _spec_by_value(tdef: TableDef) -> _Spec:
    rows = tuple(
        (r, _norm_all(r.match or (r.label,)), normalize_label(r.group) if r.group else None)
        for r in tdef.rows
    )
    cols = tuple((c, _norm_all(c.match or (c.label,))) for c in tdef.columns)
    groups = tuple((g, _norm_all(g.match or (g.label,))) for g in tdef.groups)
    ignore = _norm_all(tdef.ignore_columns)
    row_groups = _norm_all(g for _, _, g in rows if g)
    group_rows = tuple(m for m in (_norm_all(g.match or (g.label,)) for g in tdef.group_rows) if m)
    header = _norm_all(
        [*(p for _, m in cols for p in m), *(p for _, m in groups for p in m), *ignore, tdef.title]
    )
    return _Spec(tdef, rows, cols, groups, ignore, row_groups, group_rows, header,
                 {c.key: c for c in tdef.columns})


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, tuple[str, ...]]  # per table, the phrases no other table of the format uses
    votes: dict[str, str | None] = field(default_factory=dict)  # label -> table, memoised
    row_votes: dict[int, str | None] = field(default_factory=dict)  # row structure -> table


_VOCAB_CACHE: dict[int, tuple[FormatDef, _Vocabulary]] = {}


def _vocabulary(fmt: FormatDef) -> _Vocabulary:
    """Per table, the phrases (two characters or more) that no other table of the format uses."""
    hit = _VOCAB_CACHE.get(id(fmt))
    if hit is not None and hit[0] is fmt:
        return hit[1]
    per: dict[str, set[str]] = {}
    for key, tdef in fmt.tables.items():
        spec = _spec(tdef)
        words = {
            *spec.header, *(normalize_label(a) for a in tdef.anchors),
            *(p for _, m, _ in spec.rows for p in m), *spec.row_groups,
            *(p for m in spec.group_rows for p in m),
        }
        per[key] = {w for w in words if len(w) >= 2}
    vocab: dict[str, tuple[str, ...]] = {}
    for key, words in per.items():
        others = set().union(*(w for k, w in per.items() if k != key))
        vocab[key] = tuple(sorted(words - others, key=len, reverse=True))
    _VOCAB_CACHE[id(fmt)] = (fmt, _Vocabulary(vocab))
    return _VOCAB_CACHE[id(fmt)][1]


# ---------------------------------------------------------------------------------------------
# Rows of grids, prepared once.


class _Cell(NamedTuple):
    cell: GridCell
    norm: str
    value: bool
    empty: bool
    col: int


_Shape = tuple[tuple[tuple[str, bool, bool], ...], tuple[int, ...], bool, int]
# Ids of row structures and header layouts, so memo keys hash a number rather than a tuple of texts.
# Never reused (a forgotten key only gets a fresh id), so a stale memo entry cannot be hit.
_ids = itertools.count()
_INTERNED: dict[tuple[Any, ...], int] = {}


def _intern(key: tuple[Any, ...]) -> int:
    found = _INTERNED.get(key)
    if found is None:
        if len(_INTERNED) > 50_000:
            _INTERNED.clear()
        found = _INTERNED[key] = next(_ids)
    return found


@lru_cache(maxsize=16384)
def _row_shape(texts: tuple[str, ...]) -> _Shape:
    """(per cell (norm, value, empty), columns of the distinct label cells, all blank, structure id) of
    a row's texts. Rows recur word for word across a batch (the same table in every report)."""
    infos = tuple([_cell_info(t) for t in texts])
    structure = tuple([None if value else text for text, (_, value, _) in zip(texts, infos, strict=True)])
    return (infos, *_structure_shape(structure))


@lru_cache(maxsize=16384)
def _structure_shape(structure: tuple[str | None, ...]) -> tuple[tuple[int, ...], bool, int]:
    """(columns of the distinct label cells, all blank, id) of a row structure: its texts with every value
    blanked out (None). How a row is read depends on its labels and on which cells hold values, not on
    the numbers, which vary from report to report. Value cells are never blank."""
    seen: set[str] = set()
    label_cols: list[int] = []
    empty = True
    for ci, text in enumerate(structure):
        if text is None:
            empty = False
            continue
        norm, _, blank = _cell_info(text)
        empty = empty and blank
        if not norm or norm in seen:
            continue
        seen.add(norm)
        label_cols.append(ci)
    return tuple(label_cols), empty, _intern(structure)


class _Row:
    """A grid row with its cells prepared; `texts` are the distinct non-empty non-value cells, left to
    right (merged spans repeat a label), `empty` whether every cell is blank, `key` the cells' texts,
    `structure` the id of the texts with values blanked (what per-row results are memoised on). `cells`
    and `texts` are built on first use: rows whose reading is memoised only need texts and locators."""

    __slots__ = ("_cells", "_texts", "empty", "grid", "grid_cells", "index", "infos", "key", "label_cols",
                 "locator", "structure", "width")

    def __init__(self, grid: int, index: int, width: int, grid_cells: tuple[GridCell, ...],
                 locator: SourceLocator, key: tuple[str, ...], shape: _Shape) -> None:
        self.grid = grid
        self.index = index
        self.width = width
        self.grid_cells = grid_cells
        self.locator = locator
        self.key = key
        self.infos, self.label_cols, self.empty, self.structure = shape
        self._cells: tuple[_Cell, ...] | None = None
        self._texts: tuple[_Cell, ...] | None = None

    @property
    def cells(self) -> tuple[_Cell, ...]:
        if self._cells is None:
            make = tuple.__new__  # _Cell._make without its Python frame
            pairs = enumerate(zip(self.grid_cells, self.infos, strict=True))
            self._cells = tuple([make(_Cell, (c, *info, ci)) for ci, (c, info) in pairs])
        return self._cells

    @property
    def texts(self) -> tuple[_Cell, ...]:
        if self._texts is None:
            cells = self.cells
            self._texts = tuple([cells[i] for i in self.label_cols])
        return self._texts


def _prepare(grid: Grid, gi: int, width: int) -> list[_Row]:
    shape = _row_shape
    return [
        _Row(gi, ri, width, cells, cells[0].locator if cells else grid.locator, key, shape(key))
        for ri, cells in enumerate(grid.rows)
        for key in (tuple([c.text for c in cells]),)
    ]


def _cell_vote(norm: str, vocab: dict[str, tuple[str, ...]]) -> str | None:
    if len(norm) > _MAX_LABEL:
        return None
    best, best_len = None, 0
    for key, words in vocab.items():
        length = next((len(w) for w in words if w in norm), 0)
        if length > best_len:
            best, best_len = key, length
    return best


def _vote(row: _Row, vocab: _Vocabulary) -> str | None:
    """The table whose own vocabulary most of the row's label cells use; None if none or tied."""
    memo = vocab.row_votes
    if row.structure in memo:
        return memo[row.structure]
    if len(memo) > 100_000:
        memo.clear()
    vote = memo[row.structure] = _count_votes(row, vocab)
    return vote


def _count_votes(row: _Row, vocab: _Vocabulary) -> str | None:
    counts: dict[str, int] = {}
    cache = vocab.votes
    for c in row.texts:
        if c.norm in cache:
            best = cache[c.norm]
        else:
            if len(cache) > 100_000:
                cache.clear()  # bounded: prose caught in grids would otherwise pile up
            best = cache[c.norm] = _cell_vote(c.norm, vocab.words)
        if best is not None:
            counts[best] = counts.get(best, 0) + 1
    if not counts:
        return None
    top = max(counts.values())
    winners = [k for k, n in counts.items() if n == top]
    return winners[0] if len(winners) == 1 else None


def _header_like(row: _Row, spec: _Spec) -> bool:
    """A row of column headings (or a title): no values, mostly header words, and no row label.

    "（七）总计" and "3.其他" read as row labels and as column headings alike; alone they are rows.
    An unknown heading ("备注") among known ones is still a heading row, to be reported as a column.
    """
    key = ("H", row.structure)
    memo = spec._memo.get(key)
    if memo is None:
        memo = spec._remember(key, _is_header_like(row, spec))
    return memo


def _is_header_like(row: _Row, spec: _Spec) -> bool:
    if any(c.value for c in row.cells):
        return False
    texts = row.texts
    heading = 0
    for c in texts:
        if len(c.norm) > _MAX_LABEL:
            return False
        h, r = spec.header_score(c.norm), spec.row_score(c.norm)
        if r > h:
            return False
        if h > r:
            heading += 1
    return heading > 0 and heading * 2 >= len(texts)


# ---------------------------------------------------------------------------------------------
# Segmentation: which rows of which grids make up each table.


@dataclass
class _Segment:
    key: str
    rows: list[_Row] = field(default_factory=list)
    last_grid: int = -1


def _segments(grids: Sequence[Grid], fmt: FormatDef) -> list[_Segment]:
    vocab = _vocabulary(fmt)
    specs = {k: _spec(t) for k, t in fmt.tables.items()}
    segments: list[_Segment] = []
    current: _Segment | None = None
    previous = -1  # the last grid considered: a fragment continues a table only from there
    for gi, grid in enumerate(grids):
        width = grid.width  # a max over the rows on every access
        if width < 2:
            continue  # text boxes and page furniture; they do not break a table across pages
        rows = _prepare(grid, gi, width)
        votes = [_vote(r, vocab) for r in rows]
        # A table continues only into the next grid (a page break), never into another sheet.
        continuing = (current is not None and current.last_grid == previous
                      and grids[previous].locator.sheet == grid.locator.sheet)
        previous = gi
        if not any(votes):
            # A fragment with no labels at all (table 四's data row alone on the next page).
            if current is not None and continuing and _continues(rows, current):
                current.rows.extend(rows)
                current.last_grid = gi
            else:
                current = None
            continue
        pending: list[_Row] = []
        started = False
        for row, vote in zip(rows, votes, strict=True):
            if not started:
                if vote is None:
                    pending.append(row)
                    continue
                started = True
                if current is not None and continuing and vote == current.key:
                    current.rows.extend(pending)
                else:
                    current = _Segment(vote)
                    segments.append(current)
                current.rows.append(row)
                current.last_grid = gi
                continue
            assert current is not None
            if vote is not None and vote != current.key and _header_like(row, specs[vote]):
                current = _Segment(vote)
                segments.append(current)
            current.rows.append(row)
            current.last_grid = gi
    return segments


def _columns_for(row: _Row, mapping: _Mapping, label_norms: set[str]) -> dict[_Target, int]:
    """Per mapped column, the first non-empty cell among the grid columns it spans."""
    found: dict[_Target, int] = {}
    filled: set[_Target] = set()
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


def _continues(rows: list[_Row], seg: _Segment) -> bool:
    last = seg.rows[-1] if seg.rows else None
    if last is not None and rows and rows[0].width == last.width:
        return True
    cells = [c for r in rows for c in r.cells if not c.empty]
    return bool(cells) and sum(c.value for c in cells) * 2 >= len(cells)


# ---------------------------------------------------------------------------------------------
# Parsing one segment.


_Target = tuple[str | None, str]  # (group, column key); group only for table 四
# How a body row reads (see _SegmentParser._body_plan).
_Pick = tuple[tuple[str, str], int, bool, bool, "_CellValues"]  # (target, column, signed, decimal, their values)
_Plan = tuple[str, Any, str, bool, tuple[_Pick, ...], set[int]]


@dataclass
class _Mapping:
    width: int
    targets: dict[int, _Target]  # grid column -> (group, column key)
    ignored: set[int]
    headers: dict[int, str]  # grid column -> its header text as written (levels joined)
    header_cells: dict[int, GridCell]

    _aligned: dict[int, _Mapping] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.first = min(self.targets) if self.targets else 0
        # What a row's reading depends on, to memoise it across reports with the same header layout.
        self.sig = _intern((tuple(self.targets.items()), frozenset(self.ignored)))

    def aligned(self, width: int) -> _Mapping:
        """The same columns counted from the right, for a fragment of a different width."""
        if width == self.width:
            return self
        hit = self._aligned.get(width)
        if hit is None:
            hit = self._aligned[width] = self._shifted(width)
        return hit

    def _shifted(self, width: int) -> _Mapping:
        shift = width - self.width
        return _Mapping(
            width,
            {c + shift: t for c, t in self.targets.items() if c + shift >= 0},
            {c + shift for c in self.ignored if c + shift >= 0},
            {c + shift: h for c, h in self.headers.items() if c + shift >= 0},
            {c + shift: h for c, h in self.header_cells.items() if c + shift >= 0},
        )


# A header layout: per grid column with a heading, the header rows of its distinct levels (top down);
# the column targets; the ignored columns; per column its header text as written (levels joined).
_Layout = tuple[tuple[tuple[int, tuple[int, ...]], ...], dict[int, _Target], set[int], dict[int, str]]


def _build_mapping(header_rows: list[_Row], spec: _Spec) -> _Mapping:
    width = max(r.width for r in header_rows)
    # Header rows repeat word for word across a batch: their layout is worked out once per wording.
    # With it, the mappings built on that layout, by their first heading cell: readers share GridCells
    # between documents, so when the heading cells are the same objects, so is the (never modified) mapping.
    memo_key = ("layout", width, *(row.key for row in header_rows))
    entry: tuple[_Layout, dict[int, _Mapping]] | None = spec._memo.get(memo_key)
    if entry is None:
        entry = spec._remember(memo_key, (_header_layout(header_rows, width, spec), {}))
    assert entry is not None
    layout, mappings = entry
    columns, targets, ignored, headers = layout
    header_cells = {col: header_rows[levels[-1]].grid_cells[col] for col, levels in columns}
    first = id(next(iter(header_cells.values()), None))
    known = mappings.get(first)
    if known is not None and all(known.header_cells[col] is cell for col, cell in header_cells.items()):
        return known
    if len(mappings) > 16:
        mappings.clear()
    mapping = mappings[first] = _Mapping(width, dict(targets), set(ignored), dict(headers), header_cells)
    return mapping


def _header_layout(header_rows: list[_Row], width: int, spec: _Spec) -> _Layout:
    targets: dict[int, _Target] = {}
    ignored: set[int] = set()
    columns: list[tuple[int, tuple[int, ...]]] = []
    for col in range(width):
        levels: list[_Cell] = []
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
        key, ignore = spec.match_column(levels[-1].norm)
        if ignore:
            ignored.add(col)
        if key is None:
            continue
        group: str | None = None
        if spec.groups:
            group = next((g for g in (spec.match_group(c.norm) for c in reversed(levels)) if g), None)
        targets[col] = (group, key)
    if spec.groups:
        _fill_groups(targets, spec)
    headers = {col: "/".join(header_rows[ri].key[col].strip() for ri in levels) for col, levels in columns}
    return tuple(columns), targets, ignored, headers


def _fill_groups(targets: dict[int, _Target], spec: _Spec) -> None:
    """Columns whose group heading was not repeated across its span take the group to their left."""
    order = [g.key for g, _ in spec.groups]
    previous: str | None = None
    used: set[_Target] = set()
    for col in sorted(targets):
        group, key = targets[col]
        if group is None:
            group = previous or order[0]
            if (group, key) in used and order.index(group) + 1 < len(order):
                group = order[order.index(group) + 1]
            targets[col] = (group, key)
        previous = group
        used.add((group, key))


def _default_mapping(width: int, spec: _Spec) -> _Mapping | None:
    """No header seen: the official column order, counted from the right (tables 三 and 四 only)."""
    if spec.groups:
        keys: list[_Target] = [(g.key, c.key) for g, _ in spec.groups for c, _ in spec.cols]
    elif spec.rows and all(r.cols is None for r, _, _ in spec.rows):
        keys = [(None, c.key) for c, _ in spec.cols]
    else:
        return None
    if width < len(keys):
        return None
    start = width - len(keys)
    return _Mapping(width, {start + i: k for i, k in enumerate(keys)}, set(), {}, {})


@dataclass
class _Parsed:
    key: str
    cells: dict[tuple[str, str], CellValue] = field(default_factory=dict)
    unmatched_rows: list[str] = field(default_factory=list)
    unmatched_cols: list[str] = field(default_factory=list)
    notes: list[ReadNote] = field(default_factory=list)
    locator: SourceLocator | None = None
    noted_cols: set[str] = field(default_factory=set)
    rows: set[str] = field(default_factory=set)  # row (or group) keys read so far

    def score(self) -> int:
        number, annotated = CellKind.NUMBER, CellKind.ANNOTATED
        return sum(1 for c in self.cells.values() if c.kind is number or c.kind is annotated)

    def table(self) -> Table:
        return Table(self.key, dict(self.cells), tuple(self.unmatched_rows), tuple(self.unmatched_cols),
                     self.locator)


def _note(code: str, zh: str, en: str, locator: SourceLocator | None, **data: str) -> ReadNote:
    return ReadNote(code, zh, en, locator, tuple(data.items()))


class _SegmentParser:
    """Walks a segment's rows: header runs set the column mapping, body rows are matched by label."""

    def __init__(self, seg: _Segment, spec: _Spec) -> None:
        self.seg = seg
        self.spec = spec
        self.title = spec.tdef.title
        self.results: list[_Parsed] = []
        self.out = self._new()
        self.mapping: _Mapping | None = None
        self.header_run: list[_Row] = []
        self.carried: str | None = None
        self.grid = -1
        self.new_grid = False
        self.data_row_done = False

    def _new(self) -> _Parsed:
        out = _Parsed(self.seg.key)
        self.results.append(out)
        return out

    def run(self) -> list[_Parsed]:
        for row in self.seg.rows:
            first_of_grid = row.grid != self.grid
            if first_of_grid:
                self.grid = row.grid
                self.new_grid = True
            if row.empty and not (self.spec.groups and self.header_run):
                continue
            if _header_like(row, self.spec):
                if first_of_grid:
                    self.header_run = []  # a page that repeats the headings: they start afresh
                self.header_run.append(row)
                continue
            if self.header_run:
                self._set_mapping(_build_mapping(self.header_run, self.spec))
                self.header_run = []
            mapping = self._mapping_for(row)
            if mapping is None:
                self._unmatched_row(row, None)
                continue
            if self.out.locator is None:
                self.out.locator = self.seg.rows[0].locator
            if self.spec.groups:
                self._appeals_row(row, mapping)
            else:
                self._body_row(row, mapping)
        return [r for r in self.results if r.cells]

    def _mapping_for(self, row: _Row) -> _Mapping | None:
        if self.mapping is None:
            default = _default_mapping(row.width, self.spec)
            if default is None:
                return None
            self.mapping = default
        return self.mapping.aligned(row.width)

    def _set_mapping(self, mapping: _Mapping) -> None:
        self.mapping = mapping
        self.data_row_done = False
        first = mapping.first
        for col, text in sorted(mapping.headers.items()):
            if col <= first or col in mapping.targets:
                continue
            loc = mapping.header_cells[col].locator
            if col in mapping.ignored:
                if text not in self.out.noted_cols:
                    self.out.noted_cols.add(text)
                    self.out.notes.append(_note(
                        "extra-column",
                        f"表“{self.title}”有非标准列“{text}”（如法人或其他组织小计），已忽略",
                        f"table {self.seg.key!r} has a non-standard column {text!r} (e.g. a subtotal); "
                        "ignored",
                        loc, table=self.seg.key, column=text))
                continue
            if text not in self.out.noted_cols:
                self.out.noted_cols.add(text)
                self.out.unmatched_cols.append(text)
                self.out.notes.append(_note(
                    "unmatched-column",
                    f"表“{self.title}”的列“{text}”不属于标准格式，未读取",
                    f"column {text!r} of table {self.seg.key!r} matches no column of the format; not read",
                    loc, table=self.seg.key, column=text))

    def _unmatched_row(self, row: _Row, label: str | None, why_zh: str = "", why_en: str = "") -> None:
        text = label or " ".join(c.cell.text.strip() for c in row.cells if not c.empty)[:80]
        self.out.unmatched_rows.append(text)
        self.out.notes.append(_note(
            "unmatched-row",
            f"表“{self.title}”的行“{text}”不属于标准格式{why_zh}，未读取",
            f"row {text!r} of table {self.seg.key!r} matches no row of the format{why_en}; not read",
            row.locator, table=self.seg.key, row=text))

    def _check_restart(self, key: str) -> None:
        """A key seen again in a new grid fragment starts another copy of the table, not a continuation."""
        if self.new_grid and key in self.out.rows:
            self.out = self._new()
            self.data_row_done = False
        self.new_grid = False

    def _stray_cells(self, row: _Row, mapping: _Mapping, wanted: set[int], label: str) -> None:
        """Values in columns the format has no cell for (unknown columns, or a column this row lacks)."""
        for c in row.cells:
            if c.col < mapping.first or c.col in wanted or c.empty or c.col in mapping.ignored:
                continue
            if not c.value:
                continue
            target = mapping.targets.get(c.col)
            name = mapping.headers.get(c.col) or f"第{c.col + 1}列"
            where = f"{label}/{name}"
            if where in self.out.noted_cols or (target is None and name in self.out.noted_cols):
                continue
            self.out.noted_cols.add(where)
            if target is None:
                self.out.unmatched_cols.append(name)
            self.out.notes.append(_note(
                "unmatched-column",
                f"表“{self.title}”的“{label}”行在“{name}”列有数值“{c.cell.text.strip()}”，该单元格不属于标准格式，未读取",
                f"row {label!r} of table {self.seg.key!r} has a value {c.cell.text.strip()!r} in column "
                f"{name!r}, which the format does not have; not read",
                c.cell.locator, table=self.seg.key, row=label, column=name))

    def _body_row(self, row: _Row, mapping: _Mapping) -> None:
        # What the row says depends only on its structure, the header layout and the carried group: the
        # reading is worked out once and replayed (with this row's values and locators) afterwards.
        key = ("b", row.structure, mapping.sig, self.carried)
        plan: _Plan | None = self.spec._memo.get(key)
        if plan is None:
            plan = self.spec._remember(key, self._body_plan(row, mapping))
        assert plan is not None
        what, rdef, label_text, flag, picks, wanted_cols = plan
        if what == "no-label":
            if flag:
                self._unmatched_row(row, None, "（无行标签）", " (no row label)")
            return
        if what == "group":
            if rdef is not None:  # the group phrase
                self.carried = rdef
            if flag:
                self._unmatched_row(
                    row, label_text, "（分组标题行填有数值）", " (a group heading carrying values)"
                )
            return
        if what == "unmatched":
            self._unmatched_row(row, label_text)
            return
        if rdef.group is None:
            self.carried = None
        row_key = rdef.key
        if self.new_grid:
            self._check_restart(row_key)
        cells = row.grid_cells
        values: dict[tuple[str, str], CellValue] = {}
        for target, col, signed, decimal, known in picks:
            # _cell_value inlined: this loop reads most of a report's cells.
            cell = cells[col]
            hit = known.get(id(cell))
            values[target] = hit[1] if hit is not None and hit[0] is cell else _cell_value(cell, signed, decimal, known)
        if flag:
            self._stray_cells(row, mapping, wanted_cols, label_text)
        out = self.out
        if not row_key or row_key in out.rows:
            self._store(row, row_key, label_text, values)
        else:  # _store's usual case, inlined
            out.cells.update(values)
            if values:
                out.rows.add(row_key)

    def _body_plan(self, row: _Row, mapping: _Mapping) -> _Plan:
        """(what, row def or group phrase, label, flag, cells to read, wanted columns) for a body row.

        flag: "no-label" and "group" rows carrying values; for a matched row, values in stray columns.
        """
        first = mapping.first
        labels = [c for c in row.texts if c.col < first]
        if not labels:
            return "no-label", None, "", any(not c.empty for c in row.cells if c.col >= first), (), set()
        label = labels[-1]
        # The group a row sits under, from its own (rowspan) label cells: （三）不予公开 | 1.属于国家秘密.
        own_group = None
        if len(labels) > 1:
            own_group = next(
                (g for g in (self.spec.group_phrase(c.norm) for c in reversed(labels[:-1])) if g), None
            )
        index = self.spec.match_row(label.norm, own_group, self.carried)
        rdef = self.spec.rows[index][0] if index is not None else None
        label_text = label.cell.text.strip()
        if rdef is None:
            if self.spec.is_group_label(label.norm):
                carries = any(c.value for c in row.cells if c.col >= first)
                return "group", self.spec.group_phrase(label.norm), label_text, carries, (), set()
            return "unmatched", None, label_text, False, (), set()
        columns = _columns_for(row, mapping, {c.norm for c in labels})
        wanted_keys = rdef.cols
        picks: list[_Pick] = []
        for (_, ckey), col in columns.items():
            if wanted_keys is not None and ckey not in wanted_keys:
                continue
            cdef = self.spec.columns[ckey]
            picks.append(((rdef.key, ckey), col, cdef.signed, cdef.decimal, _known_values(cdef.signed, cdef.decimal)))
        wanted_cols = {
            col for col, (_, ckey) in mapping.targets.items() if wanted_keys is None or ckey in wanted_keys
        }
        stray = any(
            c.col >= first and c.col not in wanted_cols and not c.empty and c.col not in mapping.ignored and c.value
            for c in row.cells
        )
        return "row", rdef, label_text, stray, tuple(picks), wanted_cols

    def _appeals_row(self, row: _Row, mapping: _Mapping) -> None:
        # Which cells are read depends only on the row's structure and the header layout (see _body_row).
        key = ("a", row.structure, mapping.sig)
        plan: tuple[bool, tuple[_Pick, ...]] | None = self.spec._memo.get(key)
        if plan is None:
            plan = self.spec._remember(key, self._appeals_plan(row, mapping))
        assert plan is not None
        has_value, picks = plan
        if self.data_row_done:
            if has_value:
                self._unmatched_row(row, None, "（多余的数据行）", " (an extra data row)")
            return
        cells = row.grid_cells
        values: dict[tuple[str, str], CellValue] = {}
        for target, col, signed, decimal, known in picks:
            values[target] = _cell_value(cells[col], signed, decimal, known)
        if not values:
            return
        if any(group in self.out.rows for group, _ in values):
            self.out = self._new()  # headings again, then another data row: a second copy of the table
        self.new_grid = False
        self.data_row_done = True
        self._store(row, "", "", values)

    def _appeals_plan(self, row: _Row, mapping: _Mapping) -> tuple[bool, tuple[_Pick, ...]]:
        """(whether the row holds a value, the cells to read) for a row of table 四."""
        picks: list[_Pick] = []
        for (group, ckey), col in _columns_for(row, mapping, set()).items():
            if group is not None:
                cdef = self.spec.column(ckey)
                picks.append(((group, ckey), col, cdef.signed, cdef.decimal, _known_values(cdef.signed, cdef.decimal)))
        return any(c.value for c in row.cells), tuple(picks)

    def _store(self, row: _Row, key: str, label: str, values: dict[tuple[str, str], CellValue]) -> None:
        if key and key in self.out.rows:
            old = {k: v.raw.strip() for k, v in self.out.cells.items() if k[0] == key}
            new = {k: v.raw.strip() for k, v in values.items()}
            if old != new:
                self.out.notes.append(_note(
                    "duplicate-row",
                    f"表“{self.title}”的行“{label}”出现多次且数值不同，取第一次出现的数值",
                    f"row {label!r} of table {self.seg.key!r} appears more than once with different values; "
                    "the first is used",
                    row.locator, table=self.seg.key, row=key))
            return
        self.out.cells.update(values)
        if key:
            if values:
                self.out.rows.add(key)  # every value of a body row is in its row
        else:
            self.out.rows.update(k[0] for k in values)


def recognise_tables(raw: RawDocument, fmt: FormatDef) -> tuple[dict[str, Table], list[ReadNote]]:
    """Tables 二/三/四 found in the document's grids, in canonical keys, with what did not fit."""
    if not fmt.tables or not raw.grids:
        return {}, []
    found: dict[str, list[_Parsed]] = {}
    for seg in _segments(raw.grids, fmt):
        spec = _spec(fmt.tables[seg.key])
        for parsed in _SegmentParser(seg, spec).run():
            found.setdefault(seg.key, []).append(parsed)
    tables: dict[str, Table] = {}
    notes: list[ReadNote] = []
    for key in fmt.tables:
        copies = found.get(key)
        if not copies:
            continue
        best = copies[0] if len(copies) == 1 else max(copies, key=lambda p: p.score())  # first of equals wins
        tables[key] = best.table()
        notes.extend(best.notes)
        if len(copies) > 1:
            title = fmt.tables[key].title
            notes.append(_note(
                "duplicate-table",
                f"表“{title}”出现{len(copies)}次，已取填写数值最多的一份",
                f"table {key!r} appears {len(copies)} times; the copy with the most values is used",
                best.locator, table=key, copies=str(len(copies))))
    return tables, notes


# ---------------------------------------------------------------------------------------------
# Flattened tables: one token per line (flip-book PDFs) or a table run together into text lines.


@dataclass(frozen=True)
class _Token:
    text: str
    norm: str
    value: bool
    locator: SourceLocator


_TOKEN_SPLIT = re.compile(r"[\s\u3000\xa0]+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)


def _tokens(lines: Sequence[TextLine]) -> list[_Token]:
    out: list[_Token] = []
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue  # "- 4 -" between two halves of a table would read as values
        for piece in _TOKEN_SPLIT.split(line.text.strip()):
            if not piece:
                continue
            value = not _ORDINAL_TOKEN.match(piece) and _looks_like_value(piece)
            out.append(_Token(piece, normalize_label(piece), value, line.locator))
    return out


def _row_values(tokens: list[_Token], at: int, count: int) -> tuple[list[_Token], int]:
    """Up to `count` value tokens starting at `at`, stopping at the first label token."""
    values: list[_Token] = []
    i = at
    while i < len(tokens) and len(values) < count and tokens[i].value:
        values.append(tokens[i])
        i += 1
    return values, i


def _token_cell(token: _Token, col: ColumnDef) -> CellValue:
    parsed = _parse(token.text, col.signed, col.decimal)
    return CellValue(
        token.text, _KINDS[parsed.kind], parsed.value, parsed.unit, parsed.annotation, token.locator
    )


def _label_at(tokens: list[_Token], start: int, end: int) -> list[str]:
    """Label candidates for the run tokens[start:end], most specific (shortest suffix) first."""
    return ["".join(t.norm for t in tokens[i:end]) for i in range(end - 1, max(start, end - 4) - 1, -1)]


def _lines_rows_table(tokens: list[_Token], spec: _Spec) -> Table | None:
    """Tables 二 and 三: labels in canonical order, each followed by its row of values."""
    rows = [r for r, _, _ in spec.rows]
    all_cols = [c.key for c, _ in spec.cols]
    cells: dict[tuple[str, str], CellValue] = {}
    unmatched: list[str] = []
    nxt = 0  # index of the next expected row
    carried: str | None = None
    i = 0
    label_start = 0
    locator: SourceLocator | None = None
    misses = 0
    while i < len(tokens) and nxt < len(rows):
        if not tokens[i].value:
            group = spec.group_phrase(tokens[i].norm)
            if group is not None and spec.row_score(tokens[i].norm) <= len(group):
                carried = group
            i += 1
            continue
        # A run of values: which expected row does the label before it name?
        end = i
        index: int | None = None
        for label in _label_at(tokens, label_start, end):
            # The table starts at its first row; after that, rows may only move forward.
            index = spec.match_row(label, None, carried, nxt)
            if index is not None and (cells or index == 0):
                break
            index = None
        tail = None
        if index is None:
            # A label broken around its numbers ("…重新出" 1 0 0 0 0 0 1 "具已获取信息").
            j = i
            while j < len(tokens) and tokens[j].value:
                j += 1
            if j < len(tokens) and end > label_start:
                joined = _label_at(tokens, label_start, end)[0] + tokens[j].norm
                index = spec.match_row(joined, None, carried, nxt)
                if index is not None and (cells or index == 0):
                    tail = j
                else:
                    index = None
        rdef = rows[index] if index is not None else None
        keys = list(rdef.cols) if rdef is not None and rdef.cols is not None else all_cols
        values, i = _row_values(tokens, i, len(keys) if rdef is not None else 10**6)
        if tail is not None and i == tail:
            i = tail + 1
        label_start = i
        if rdef is None or index is None:
            if cells:
                misses += 1
                if end > label_start:
                    unmatched.append("".join(t.text for t in tokens[label_start:end])[:80])
                if misses > 3:
                    break
            continue
        if not cells and len(values) < len(keys):
            continue  # prose that happens to name the first row is not the table
        nxt = index + 1
        if rdef.group is None:
            carried = None
        if locator is None and values:
            locator = values[0].locator
        for ckey, token in zip(keys, values, strict=False):  # a short row leaves its last cells absent
            cells[(rdef.key, ckey)] = _token_cell(token, spec.column(ckey))
    if not cells:
        return None
    return Table(spec.tdef.key, cells, tuple(unmatched), (), locator)


def _lines_appeals_table(tokens: list[_Token], spec: _Spec) -> Table | None:
    """Table 四: after its headings, the first run of 15 values."""
    want = len(spec.groups) * len(spec.cols)
    start = next((k for k, t in enumerate(tokens) if not t.value and spec.match_group(t.norm)), None)
    if start is None:
        return None
    i = start
    while i < len(tokens):
        if not tokens[i].value:
            i += 1
            continue
        values, end = _row_values(tokens, i, want)
        if len(values) == want:
            keys = [(g.key, c) for g, _ in spec.groups for c, _ in spec.cols]
            cells = {(gk, c.key): _token_cell(t, c) for (gk, c), t in zip(keys, values, strict=True)}
            return Table(spec.tdef.key, cells, (), (), values[0].locator)
        i = end
    return None


def recognise_from_lines(lines: list[TextLine], fmt: FormatDef) -> dict[str, Table]:
    """Tables flattened into text: each label followed by its numbers (used when no grid holds them)."""
    if not fmt.tables or not lines:
        return {}
    tokens = _tokens(lines)
    tables: dict[str, Table] = {}
    for key, tdef in fmt.tables.items():
        spec = _spec(tdef)
        table = _lines_appeals_table(tokens, spec) if spec.groups else _lines_rows_table(tokens, spec)
        if table is not None:
            tables[key] = table
    return tables


# ---------------------------------------------------------------------------------------------
# Format detection from the table vocabulary.


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Like normalize_label without the ordinal stripping: word characters only, width-folded.

    Folding each line or cell on its own gives the fold of their "\n"-joined text (NFKC never
    composes across a newline, and the newline itself is dropped), and the parts recur across a batch.
    """
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=8)
def _own_vocabulary(version: str) -> tuple[tuple[str, str], ...]:
    """(word, normalised word) of a format's own vocabulary."""
    return tuple((w, normalize_label(w)) for w in load_format(version).own_vocabulary)


def detect_format(raw: RawDocument, year: int | None) -> tuple[str | None, str]:
    """(format version, evidence) from the table vocabulary, with the data year breaking ties."""
    # Table words in prose ("政府集中采购项目类信息55条") are not a table: only grid cells and short
    # lines (a table flattened into text) count.
    parts = [line.text for line in raw.lines if len(line.text) <= _MAX_TABLE_LINE]
    parts += [cell.text for grid in raw.grids for row in grid.rows for cell in row]
    text = "".join(map(_fold, parts))
    hits: dict[str, list[str]] = {}
    for version in ("2019", "2021"):
        hits[version] = [w for w, norm in _own_vocabulary(version) if norm in text]
    n19, n21 = len(hits["2019"]), len(hits["2021"])
    if year is not None and year <= 2018 and max(n19, n21) < 2:
        # One stray word is no evidence against the old regime's shape.
        return "2008", f"data year {year}, no 2019/2021 table vocabulary"
    if n19 == 0 and n21 == 0:
        return None, ""
    if n19 != n21:
        version = "2019" if n19 > n21 else "2021"
        other = "2021" if version == "2019" else "2019"
        evidence = f"table vocabulary: {', '.join(hits[version])}"
        if hits[other]:
            evidence += f" (also {other}: {', '.join(hits[other])})"
        return version, evidence
    by_year = None if year is None else ("2021" if year >= 2021 else "2019" if year >= 2019 else None)
    both = f"2019: {', '.join(hits['2019'])}; 2021: {', '.join(hits['2021'])}"
    if by_year is None:
        return None, f"table vocabulary of both formats ({both})"
    return by_year, f"table vocabulary of both formats ({both}); data year {year}"
