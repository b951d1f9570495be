"""Reading one segment of grid rows as a table: header runs set the column mapping, body rows are matched
by their labels and their cells read; rows and columns that fit nothing become ReadNotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ogi.ingest.tables.cells import CellValues, cell_value, known_values
from ogi.ingest.tables.grid_rows import Row
from ogi.ingest.tables.headers import Mapping, build_mapping, columns_for, default_mapping, header_like
from ogi.ingest.tables.row_labels import group_phrase, is_group_label, match_row
from ogi.ingest.tables.segments import Segment
from ogi.ingest.tables.vocabulary import TableSpec
from ogi.model import CellKind, CellValue, ReadNote, SourceLocator, Table

# How a body row reads (see SegmentParser._body_plan).
_Pick = tuple[tuple[str, str], int, bool, bool, CellValues]  # (target, column, signed, decimal, their values)
_Plan = tuple[str, Any, str, bool, tuple[_Pick, ...], set[int]]


@dataclass
class Parsed:
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


def note(code: str, zh: str, en: str, locator: SourceLocator | None, **data: str) -> ReadNote:
    return ReadNote(code, zh, en, locator, tuple(data.items()))


class SegmentParser:
    """Walks a segment's rows: header runs set the column mapping, body rows are matched by label."""

    def __init__(self, seg: Segment, spec: TableSpec) -> None:
        self.seg = seg
        self.spec = spec
        self.title = spec.tdef.title
        self.results: list[Parsed] = []
        self.out = self._new()
        self.mapping: Mapping | None = None
        self.header_run: list[Row] = []
        self.carried: str | None = None
        self.grid = -1
        self.new_grid = False
        self.data_row_done = False

    def _new(self) -> Parsed:
        out = Parsed(self.seg.key)
        self.results.append(out)
        return out

    def run(self) -> list[Parsed]:
        for row in self.seg.rows:
            first_of_grid = row.grid != self.grid
            if first_of_grid:
                self.grid = row.grid
                self.new_grid = True
            if row.empty and not (self.spec.groups and self.header_run):
                continue
            if header_like(row, self.spec):
                if first_of_grid:
                    self.header_run = []  # a page that repeats the headings: they start afresh
                self.header_run.append(row)
                continue
            if self.header_run:
                self._set_mapping(build_mapping(self.header_run, self.spec))
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

    def _mapping_for(self, row: Row) -> Mapping | None:
        if self.mapping is None:
            default = default_mapping(row.width, self.spec)
            if default is None:
                return None
            self.mapping = default
        return self.mapping.aligned(row.width)

    def _set_mapping(self, mapping: Mapping) -> None:
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
                    self.out.notes.append(note(
                        "extra-column",
                        f"表“{self.title}”有非标准列“{text}”（如法人或其他组织小计），已忽略",
                        f"table {self.seg.key!r} has a non-standard column {text!r} (e.g. a subtotal); "
                        "ignored",
                        loc, table=self.seg.key, column=text))
                continue
            if text not in self.out.noted_cols:
                self.out.noted_cols.add(text)
                self.out.unmatched_cols.append(text)
                self.out.notes.append(note(
                    "unmatched-column",
                    f"表“{self.title}”的列“{text}”不属于标准格式，未读取",
                    f"column {text!r} of table {self.seg.key!r} matches no column of the format; not read",
                    loc, table=self.seg.key, column=text))

    def _unmatched_row(self, row: Row, label: str | None, why_zh: str = "", why_en: str = "") -> None:
        text = label or " ".join(c.cell.text.strip() for c in row.cells if not c.empty)[:80]
        self.out.unmatched_rows.append(text)
        self.out.notes.append(note(
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

    def _stray_cells(self, row: Row, mapping: Mapping, wanted: set[int], label: str) -> None:
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
            self.out.notes.append(note(
                "unmatched-column",
                f"表“{self.title}”的“{label}”行在“{name}”列有数值“{c.cell.text.strip()}”，该单元格不属于标准格式，未读取",
                f"row {label!r} of table {self.seg.key!r} has a value {c.cell.text.strip()!r} in column "
                f"{name!r}, which the format does not have; not read",
                c.cell.locator, table=self.seg.key, row=label, column=name))

    def _body_row(self, row: Row, mapping: Mapping) -> None:
        # What the row says depends only on its structure, the header layout and the carried group: the
        # reading is worked out once and replayed (with this row's values and locators) afterwards.
        key = ("b", row.structure, mapping.sig, self.carried)
        plan: _Plan | None = self.spec.memo.get(key)
        if plan is None:
            plan = self.spec.remember(key, self._body_plan(row, mapping))
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
            # cell_value inlined: this loop reads most of a report's cells.
            cell = cells[col]
            hit = known.get(id(cell))
            values[target] = hit[1] if hit is not None and hit[0] is cell else cell_value(cell, signed, decimal, known)
        if flag:
            self._stray_cells(row, mapping, wanted_cols, label_text)
        out = self.out
        if not row_key or row_key in out.rows:
            self._store(row, row_key, label_text, values)
        else:  # _store's usual case, inlined
            out.cells.update(values)
            if values:
                out.rows.add(row_key)

    def _body_plan(self, row: Row, mapping: Mapping) -> _Plan:
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
                (g for g in (group_phrase(self.spec, c.norm) for c in reversed(labels[:-1])) if g), None
            )
        index = match_row(self.spec, label.norm, own_group, self.carried)
        rdef = self.spec.rows[index][0] if index is not None else None
        label_text = label.cell.text.strip()
        if rdef is None:
            if is_group_label(self.spec, label.norm):
                carries = any(c.value for c in row.cells if c.col >= first)
                return "group", group_phrase(self.spec, label.norm), label_text, carries, (), set()
            return "unmatched", None, label_text, False, (), set()
        columns = columns_for(row, mapping, {c.norm for c in labels})
        wanted_keys = rdef.cols
        picks: list[_Pick] = []
        for (_, ckey), col in columns.items():
            if wanted_keys is not None and ckey not in wanted_keys:
                continue
            cdef = self.spec.columns[ckey]
            picks.append(((rdef.key, ckey), col, cdef.signed, cdef.decimal, known_values(cdef.signed, cdef.decimal)))
        wanted_cols = {
            col for col, (_, ckey) in mapping.targets.items() if wanted_keys is None or ckey in wanted_keys
        }
        stray = any(
            c.col >= first and c.col not in wanted_cols and not c.empty and c.col not in mapping.ignored and c.value
            for c in row.cells
        )
        return "row", rdef, label_text, stray, tuple(picks), wanted_cols

    def _appeals_row(self, row: Row, mapping: Mapping) -> None:
        # Which cells are read depends only on the row's structure and the header layout (see _body_row).
        key = ("a", row.structure, mapping.sig)
        plan: tuple[bool, tuple[_Pick, ...]] | None = self.spec.memo.get(key)
        if plan is None:
            plan = self.spec.remember(key, self._appeals_plan(row, mapping))
        assert plan is not None
        has_value, picks = plan
        if self.data_row_done:
            if has_value:
                self._unmatched_row(row, None, "（多余的数据行）", " (an extra data row)")
            return
        cells = row.grid_cells
        values: dict[tuple[str, str], CellValue] = {}
        for target, col, signed, decimal, known in picks:
            values[target] = cell_value(cells[col], signed, decimal, known)
        if not values:
            return
        if any(group in self.out.rows for group, _ in values):
            self.out = self._new()  # headings again, then another data row: a second copy of the table
        self.new_grid = False
        self.data_row_done = True
        self._store(row, "", "", values)

    def _appeals_plan(self, row: Row, mapping: Mapping) -> tuple[bool, tuple[_Pick, ...]]:
        """(whether the row holds a value, the cells to read) for a row of table 四."""
        picks: list[_Pick] = []
        for (group, ckey), col in columns_for(row, mapping, set()).items():
            if group is not None:
                cdef = self.spec.column(ckey)
                picks.append(((group, ckey), col, cdef.signed, cdef.decimal, known_values(cdef.signed, cdef.decimal)))
        return any(c.value for c in row.cells), tuple(picks)

    def _store(self, row: Row, key: str, label: str, values: dict[tuple[str, str], CellValue]) -> None:
        if key and key in self.out.rows:
            old = {k: v.raw.strip() for k, v in self.out.cells.items() if k[0] == key}
            new = {k: v.raw.strip() for k, v in values.items()}
            if old != new:
                self.out.notes.append(note(
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

