"""A grid's rows prepared once: per cell its label form and whether it holds a value, and the row's
structure (its texts with the values blanked out), on which every per-row reading is memoised.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any, NamedTuple

from ogi.ingest.document import Grid, GridCell
from ogi.ingest.tables.cells import cell_info
from ogi.ingest.tables.memo import Memo, remember
from ogi.model import SourceLocator


class Cell(NamedTuple):
    cell: GridCell
    norm: str
    value: bool
    empty: bool
    col: int


Shape = tuple[tuple[tuple[str, bool, bool], ...], tuple[int, ...], bool, int]
# Ids of row structures and header layouts, so memo keys hash a number rather than a tuple of texts.
# Never reused (a forgotten key only gets a fresh id), so a stale memo entry cannot be hit.
_ids = itertools.count()
_INTERNED: Memo = {}


def key_id(key: tuple[Any, ...]) -> int:
    found = _INTERNED.get(key)
    if found is None:
        found = remember(_INTERNED, key, next(_ids), 50_000)
    return found


@lru_cache(maxsize=16384)
def _row_shape(texts: tuple[str, ...]) -> Shape:
    """(per cell (norm, value, empty), columns of the distinct label cells, all blank, structure id) of
    a row's texts. Rows recur word for word across a batch (the same table in every report)."""
    infos = tuple([cell_info(t) for t in texts])
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
        norm, _, blank = cell_info(text)
        empty = empty and blank
        if not norm or norm in seen:
            continue
        seen.add(norm)
        label_cols.append(ci)
    return tuple(label_cols), empty, key_id(structure)


class Row:
    """A grid row with its cells prepared; `texts` are the distinct non-empty non-value cells, left to
    right (merged spans repeat a label), `empty` whether every cell is blank, `key` the cells' texts,
    `structure` the id of the texts with values blanked (what per-row results are memoised on). `cells`
    and `texts` are built on first use: rows whose reading is memoised only need texts and locators."""

    __slots__ = ("_cells", "_texts", "empty", "grid", "grid_cells", "heading", "index", "infos", "key",
                 "label_cols", "locator", "structure", "width")

    def __init__(self, grid: int, index: int, width: int, grid_cells: tuple[GridCell, ...],
                 locator: SourceLocator, key: tuple[str, ...], shape: Shape) -> None:
        self.grid = grid
        self.index = index
        self.width = width
        self.grid_cells = grid_cells
        self.locator = locator
        self.key = key
        self.infos, self.label_cols, self.empty, self.structure = shape
        self._cells: tuple[Cell, ...] | None = None
        self._texts: tuple[Cell, ...] | None = None
        self.heading = False  # the source marks it a heading row (see Grid.header_rows)

    @property
    def cells(self) -> tuple[Cell, ...]:
        if self._cells is None:
            make = tuple.__new__  # Cell._make without its Python frame
            pairs = enumerate(zip(self.grid_cells, self.infos, strict=True))
            self._cells = tuple([make(Cell, (c, *info, ci)) for ci, (c, info) in pairs])
        return self._cells

    @property
    def texts(self) -> tuple[Cell, ...]:
        if self._texts is None:
            cells = self.cells
            self._texts = tuple([cells[i] for i in self.label_cols])
        return self._texts


def prepare(grid: Grid, gi: int, width: int) -> list[Row]:
    shape = _row_shape
    rows = [
        Row(gi, ri, width, cells, cells[0].locator if cells else grid.locator, key, shape(key))
        for ri, cells in enumerate(grid.rows)
        for key in (tuple([c.text for c in cells]),)
    ]
    for row in rows[:grid.header_rows]:
        row.heading = not row.empty and not any(c.value for c in row.cells)
    return rows
