"""Reading one segment of grid rows as a table: header runs set the column mapping, body rows are matched
by their labels and their cells read; rows and columns that fit nothing become ReadNotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ogi.ingest.labels import normalize_label
from ogi.ingest.tables.cells import CellValues, cell_at, cell_value, known_values, label_and_numbers
from ogi.ingest.tables.grid_rows import Cell, Row
from ogi.ingest.tables.headers import (
    Mapping,
    Target,
    anchored_mapping,
    build_mapping,
    columns_for,
    default_mapping,
    header_like,
    match_group,
    partial_ok,
)
from ogi.ingest.tables.row_labels import damaged_row, group_phrase, is_group_label, match_row
from ogi.ingest.tables.segments import Segment
from ogi.ingest.tables.vocabulary import MAX_LABEL, TableSpec
from ogi.model import CellKind, CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import RowDef

# How a body row reads (see SegmentParser._body_plan).
_Pick = tuple[tuple[str, str], int, bool, bool, CellValues]  # (target, column, signed, decimal, their values)
# A value written in a label cell: (target, column of the cell, the number's text, signed, decimal).
_Extra = tuple[tuple[str, str], int, str, bool, bool]
_Plan = tuple[str, Any, str, bool, tuple[_Pick, ...], set[int], tuple[_Extra, ...]]


@dataclass
class _Unmatched:
    """A body row whose label matched no row, kept until the table is read: the rows read before and after
    it say which row the format expects there (see SegmentParser._read_damaged)."""

    row: Row
    mapping: Mapping
    label: str  # as printed
    norm: str
    carried: str | None
    note: ReadNote
    read_before: frozenset[str]  # the row keys read before it
    done: bool = False

    @property
    def has_values(self) -> bool:
        first = self.mapping.first
        return any(not c.empty for c in self.row.cells if c.col >= first)


@dataclass
class _Legacy:
    """A group heading printed as one row of numbers, as an older format had it (（六）其他处理 in 2019),
    read as the format's `rdef` unless rows of the group follow it."""

    row: Row
    rdef: RowDef
    group: str
    label: str
    values: dict[tuple[str, str], CellValue]
    layout: str | None


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
    unmatched: list[_Unmatched] = field(default_factory=list)  # body rows no label matched, in order
    legacy: _Legacy | None = None  # a group heading carrying numbers, until the rows after it say what it is

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

    def __init__(self, seg: Segment, spec: TableSpec, captions: dict[int, str] | None = None) -> None:
        self.seg = seg
        self.spec = spec
        self.captions = captions or {}
        self.title = spec.tdef.title
        self.results: list[Parsed] = []
        self.out = self._new()
        self.mapping: Mapping | None = None
        self.header_run: list[Row] = []
        self.carried: str | None = None
        self.grid = -1
        self.new_grid = False
        self.data_row_done = False
        # The segment held the table's headings and no row at all (a spreadsheet's blank, unformatted last row
        # is not stored): the table is there with every cell blank, not missing.
        self.headings_only = False

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
            if header_like(row, self.spec) or row.heading:
                if first_of_grid:
                    self.header_run = []  # a page that repeats the headings: they start afresh
                self.header_run.append(row)
                continue
            if self.header_run:
                built = build_mapping(self.header_run, self.spec)
                if self.spec.groups:
                    built = self._captioned(built, self.header_run)
                self._set_mapping(built)
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
        for out in self.results:
            if out.legacy is not None:
                self._settle_legacy(out, None)
            if out.unmatched:
                self._read_damaged(out)
        read = [r for r in self.results if r.cells]
        if not read and self.header_run and not any(r.unmatched_rows for r in self.results):
            self.headings_only = self._names_every_column(build_mapping(self.header_run, self.spec))
        return read

    def _names_every_column(self, mapping: Mapping) -> bool:
        """Headings that name every column of the format (每组 for table 四): the table is there, if empty."""
        wanted = len(self.spec.cols) * max(1, len(self.spec.groups))
        return len(set(mapping.targets.values())) >= wanted

    def _mapping_for(self, row: Row) -> Mapping | None:
        if self.mapping is None:
            default = default_mapping(row.width, self.spec)
            if default is None:
                return None
            self.mapping = default
        base = self.mapping
        mapping = base.aligned(row.width)
        if base.complete:  # the usual case: headings name every column
            return mapping
        if mapping.positional:
            return anchored_mapping(row, row.width, self.spec) or mapping
        if not partial_ok(base, self.spec) and (mapping is not base or any(
                c.value for c in row.cells if c.col > max(mapping.targets, default=-1))):
            # Headings that name only some columns, carried to a row of another width or with values beyond
            # the last of them (a converted table cut into pieces): where its cells belong is a guess. Read it
            # only where its values say so.
            return anchored_mapping(row, row.width, self.spec)
        return mapping

    def _captioned(self, mapping: Mapping, header_run: list[Row]) -> Mapping:
        """Table 四 cut into one table per group, each headed by the five columns only: the group is the one
        the heading line right above the table names (none of the others), else what the headings say."""
        first = header_run[0]
        caption = self.captions.get(first.grid) if first.index == 0 else None
        if not caption or any(match_group(self.spec, c.norm) for row in header_run for c in row.texts):
            return mapping
        norm = normalize_label(caption)
        named = [g.key for g, phrases in self.spec.groups if all(p in norm for p in phrases)]
        keys = [ckey for _, ckey in mapping.targets.values()]
        if len(named) != 1 or len(norm) > MAX_LABEL or len(set(keys)) != len(keys):
            return mapping
        targets: dict[int, Target] = {col: (named[0], ckey) for col, (_, ckey) in mapping.targets.items()}
        return Mapping(mapping.width, targets, set(mapping.ignored), dict(mapping.headers),
                       dict(mapping.header_cells))

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

    def _unmatched_row(self, row: Row, label: str | None, why_zh: str = "", why_en: str = "",
                       out: Parsed | None = None) -> None:
        out = out or self.out
        text = label or " ".join(c.cell.text.strip() for c in row.cells if not c.empty)[:80]
        out.unmatched_rows.append(text)
        out.notes.append(note(
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

    def _stray_cells(self, row: Row, mapping: Mapping, wanted: set[int], label: str,
                     out: Parsed | None = None) -> None:
        """Values in columns the format has no cell for (unknown columns, or a column this row lacks)."""
        out = out or self.out
        for c in row.cells:
            if c.col < mapping.first or c.col in wanted or c.empty or c.col in mapping.ignored:
                continue
            if not c.value:
                continue
            target = mapping.targets.get(c.col)
            name = mapping.headers.get(c.col) or f"第{c.col + 1}列"
            where = f"{label}/{name}"
            if where in out.noted_cols or (target is None and name in out.noted_cols):
                continue
            out.noted_cols.add(where)
            if target is None:
                out.unmatched_cols.append(name)
            out.notes.append(note(
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
        what, rdef, label_text, flag, picks, wanted_cols, extra = plan
        if what != "row":
            self._other_row(row, mapping, plan)
            return
        if rdef.group is None:
            self.carried = None
        row_key = rdef.key
        if self.new_grid:
            self._check_restart(row_key)
        out = self.out
        if out.legacy is not None:
            self._settle_legacy(out, rdef)
        cells = row.grid_cells
        values: dict[tuple[str, str], CellValue] = {}
        for target, col, signed, decimal, known in picks:
            # cell_value inlined: this loop reads most of a report's cells.
            cell = cells[col]
            hit = known.get(id(cell))
            values[target] = hit[1] if hit is not None and hit[0] is cell else cell_value(cell, signed, decimal, known)
        for target, col, text, signed, decimal in extra:
            values[target] = cell_at(text, signed, decimal, cells[col].locator)
        if flag:
            self._stray_cells(row, mapping, wanted_cols, label_text)
        if not row_key or row_key in out.rows:
            self._store(out, row, row_key, label_text, values)
        else:  # _store's usual case, inlined
            out.cells.update(values)
            if values:
                out.rows.add(row_key)

    def _other_row(self, row: Row, mapping: Mapping, plan: _Plan) -> None:
        """A body row that is not a row of the format as written: no label, a group heading, or a label
        that matched nothing (kept: its place in the table may say which row it is)."""
        what, found, label_text, flag, picks, _, _ = plan
        if what == "no-label":
            if flag:
                self._unmatched_row(row, None, "（无行标签）", " (no row label)")
            return
        if what == "legacy":
            self.carried = normalize_label(found.group or "")
            if self.out.legacy is not None:
                self._settle_legacy(self.out, None)
            values = {target: cell_value(row.grid_cells[col], signed, decimal, known)
                      for target, col, signed, decimal, known in picks}
            layout = self.spec.single_rows[self.carried][1]
            self.out.legacy = _Legacy(row, found, self.carried, label_text, values, layout)
            return
        if what == "group":
            if found is not None:  # the group phrase
                self.carried = found
            if flag:
                self._unmatched_row(
                    row, label_text, "（分组标题行填有数值）", " (a group heading carrying values)"
                )
            return
        self._unmatched_row(row, label_text)
        self.out.unmatched.append(_Unmatched(row, mapping, label_text, found, self.carried, self.out.notes[-1],
                                             frozenset(self.out.rows)))

    def _body_plan(self, row: Row, mapping: Mapping) -> _Plan:
        """(what, row def, label, flag, cells to read, wanted columns, values written in a label cell) for a
        body row. `what` is "row", "legacy" (a group heading read as one row), "group" (the row def slot holds
        the group phrase), "unmatched" (it holds the label's normalised form) or "no-label".

        flag: "no-label" and "group" rows carrying values; for a matched row, values in stray columns.
        """
        first = mapping.first
        labels = [c for c in row.texts if c.col < first]
        if not labels:
            split = self._label_in_value_column(row, mapping)
            if split is not None:
                return split
            return "no-label", None, "", any(not c.empty for c in row.cells if c.col >= first), (), set(), ()
        label = labels[-1]
        # The group a row sits under, from its own (rowspan) label cells: （三）不予公开 | 1.属于国家秘密.
        own_group = None
        if len(labels) > 1:
            own_group = next(
                (g for g in (group_phrase(self.spec, c.norm) for c in reversed(labels[:-1])) if g), None
            )
        index = match_row(self.spec, label.norm, own_group, self.carried)
        label_text = label.cell.text.strip()
        if index is None:
            if is_group_label(self.spec, label.norm):
                carries = any(c.value for c in row.cells if c.col >= first)
                phrase = group_phrase(self.spec, label.norm)
                single = self.spec.single_rows.get(phrase or "")
                if carries and single is not None:
                    rdef = self.spec.rows[single[0]][0]
                    picks, wanted_cols, _ = self._row_picks(row, mapping, rdef, {c.norm for c in labels})
                    return "legacy", rdef, label_text, False, picks, wanted_cols, ()
                return "group", phrase, label_text, carries, (), set(), ()
            return "unmatched", label.norm, label_text, False, (), set(), ()
        rdef = self.spec.rows[index][0]
        if rdef.group is not None and self.spec.single_rows:
            # "（六）其他处理" with numbers matches 3.其他 (other.other) by its words: it is the group in one row.
            phrase = group_phrase(self.spec, label.norm)
            single = self.spec.single_rows.get(phrase or "")
            if single is not None and single[0] == index:
                picks, wanted_cols, _ = self._row_picks(row, mapping, rdef, {c.norm for c in labels})
                return "legacy", rdef, label_text, False, picks, wanted_cols, ()
        picks, wanted_cols, stray = self._row_picks(row, mapping, rdef, {c.norm for c in labels})
        extra: tuple[_Extra, ...] = ()
        if all(row.cells[col].empty for _, col, _, _, _ in picks):
            # No value where the columns are: perhaps in the label cell ("行政强制 37", a lost column rule).
            extra = self._values_in_label(label, mapping, rdef)
            if extra:
                picks = ()
        return "row", rdef, label_text, stray, picks, wanted_cols, extra

    def _row_picks(self, row: Row, mapping: Mapping, rdef: RowDef,
                   label_norms: set[str]) -> tuple[tuple[_Pick, ...], set[int], bool]:
        """(the cells to read for row `rdef`, the grid columns it has, whether values stand elsewhere)."""
        first = mapping.first
        columns = columns_for(row, mapping, label_norms)
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
        return tuple(picks), wanted_cols, stray

    def _values_in_label(self, cell: Cell, mapping: Mapping, rdef: RowDef) -> tuple[_Extra, ...]:
        """The row's values when they are written at the end of its label cell, one per column it has."""
        split = label_and_numbers(cell.cell.text)
        if split is None:
            return ()
        targets = list(dict.fromkeys(
            ckey for _, (_, ckey) in sorted(mapping.targets.items()) if rdef.cols is None or ckey in rdef.cols
        ))
        numbers = split[1]
        if len(numbers) != len(targets):
            return ()
        columns = self.spec.columns
        return tuple(((rdef.key, ckey), cell.col, number, columns[ckey].signed, columns[ckey].decimal)
                     for ckey, number in zip(targets, numbers, strict=True))

    def _label_in_value_column(self, row: Row, mapping: Mapping) -> _Plan | None:
        """A row whose only text is a row label with its numbers, in a value column (a PDF that lost the
        rule between the label and its values): read as that row."""
        if any(c.value for c in row.cells):
            return None
        texts = row.texts
        if len(texts) != 1:
            return None
        cell = texts[0]
        split = label_and_numbers(cell.cell.text)
        if split is None:
            return None
        index = match_row(self.spec, normalize_label(split[0]), None, self.carried)
        if index is None:
            return None
        rdef = self.spec.rows[index][0]
        extra = self._values_in_label(cell, mapping, rdef)
        if not extra:
            return None
        wanted = {col for col, (_, ckey) in mapping.targets.items() if rdef.cols is None or ckey in rdef.cols}
        return "row", rdef, split[0].strip(), False, (), wanted, extra

    def _settle_legacy(self, out: Parsed, following: RowDef | None) -> None:
        """A group heading carrying numbers, once the next row is known: rows of the group after it make it a
        heading that should be blank (reported as before); otherwise it is the group in one row, as the older
        format printed it, read as its single row."""
        legacy = out.legacy
        assert legacy is not None
        if following is not None and following.group is not None and normalize_label(following.group) == legacy.group:
            out.legacy = None
            self._unmatched_row(legacy.row, legacy.label, "（分组标题行填有数值）",
                                " (a group heading carrying values)", out=out)
            return
        out.legacy = None
        if legacy.rdef.key in out.rows:
            return
        self._store(out, legacy.row, legacy.rdef.key, legacy.label, legacy.values)
        others = [r for r, _, group in self.spec.rows if group == legacy.group and r is not legacy.rdef]
        layout = f"{legacy.layout}年版" if legacy.layout else "旧版"
        layout_en = f"the {legacy.layout}" if legacy.layout else "an older"
        out.notes.append(note(
            "legacy-row",
            f"表“{self.title}”的“{legacy.label}”按{layout}格式只列一行，已读作“{legacy.rdef.label}”",
            f"{legacy.label!r} of table {self.seg.key!r} is one row, as in {layout_en} format; read as "
            f"{legacy.rdef.en!r}",
            legacy.row.locator, table=self.seg.key, row=legacy.rdef.key, label=legacy.label,
            replaces=",".join(r.key for r in others), layout=legacy.layout or ""))

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
        self._store(self.out, row, "", "", values)

    def _appeals_plan(self, row: Row, mapping: Mapping) -> tuple[bool, tuple[_Pick, ...]]:
        """(whether the row holds a value, the cells to read) for a row of table 四."""
        picks: list[_Pick] = []
        for (group, ckey), col in columns_for(row, mapping, set()).items():
            if group is not None:
                cdef = self.spec.column(ckey)
                picks.append(((group, ckey), col, cdef.signed, cdef.decimal, known_values(cdef.signed, cdef.decimal)))
        return any(c.value for c in row.cells), tuple(picks)

    def _store(self, out: Parsed, row: Row, key: str, label: str, values: dict[tuple[str, str], CellValue]) -> None:
        if key and key in out.rows:
            old = {k: v.raw.strip() for k, v in out.cells.items() if k[0] == key}
            new = {k: v.raw.strip() for k, v in values.items()}
            if old != new:
                out.notes.append(note(
                    "duplicate-row",
                    f"表“{self.title}”的行“{label}”出现多次且数值不同，取第一次出现的数值",
                    f"row {label!r} of table {self.seg.key!r} appears more than once with different values; "
                    "the first is used",
                    row.locator, table=self.seg.key, row=key))
            return
        out.cells.update(values)
        if key:
            if values:
                out.rows.add(key)  # every value of a body row is in its row
        else:
            out.rows.update(k[0] for k in values)

    # -- rows whose label matched nothing, once the table is read ------------------------------------

    def _read_damaged(self, out: Parsed) -> None:
        """Rows no label matched, read as the row the format expects where they stand when their label is a
        damaged form of that row's (characters lost, a label wrapped onto the next row). Never a row already
        read, never a row outside the gap between the rows read before and after; a label that resembles two
        rows is not read, and the note says so."""
        spec = self.spec
        index = {r.key: i for i, (r, _, _) in enumerate(spec.rows)}
        pending = out.unmatched
        for k, item in enumerate(pending):
            if item.done or not item.has_values:
                continue  # a row of labels only is read only as the rest of a neighbour's label
            before = [index[key] for key in item.read_before if key in index]
            lo = max(before, default=-1)
            after = [index[key] for key in out.rows - item.read_before if key in index and index[key] > lo]
            hi = min(after, default=len(spec.rows))
            candidates = [i for i in range(lo + 1, hi) if spec.rows[i][0].key not in out.rows
                          and _fits_group(spec.rows[i][2], item.carried)]
            if not candidates:
                continue
            forms: list[tuple[str, list[_Unmatched]]] = []
            for other, joined in ((_neighbour(pending, k, -1), "before"), (_neighbour(pending, k, 1), "after")):
                if other is not None:
                    norm = other.norm + item.norm if joined == "before" else item.norm + other.norm
                    forms.append((norm, [other]))
            chosen: int | None = None
            used: list[_Unmatched] = []
            for norm, parts in forms:  # a label wrapped onto the row above or below, then read whole
                found = match_row(spec, norm, None, item.carried, lo + 1)
                if found in candidates:
                    chosen, used = found, parts
                    break
            rivals: tuple[int, ...] = ()
            if chosen is None:
                for norm, parts in [*forms, (item.norm, [])]:
                    found, close = damaged_row(spec, norm, candidates)
                    if found is not None:
                        chosen, used = found, parts
                        break
                    rivals = rivals or close
            if chosen is None:
                if rivals:
                    self._ambiguous(out, item, rivals)
                continue
            self._read_as(out, item, used, spec.rows[chosen][0])

    def _read_as(self, out: Parsed, item: _Unmatched, used: list[_Unmatched], rdef: RowDef) -> None:
        row, mapping = item.row, item.mapping
        labels = {c.norm for c in row.texts if c.col < mapping.first}
        picks, wanted_cols, stray = self._row_picks(row, mapping, rdef, labels)
        values = {target: cell_value(row.grid_cells[col], signed, decimal, known)
                  for target, col, signed, decimal, known in picks}
        printed = " / ".join(p.label for p in sorted([item, *used], key=lambda p: (p.row.grid, p.row.index)))
        for part in (item, *used):
            part.done = True
            out.notes.remove(part.note)
            out.unmatched_rows.remove(part.label)
        self._store(out, row, rdef.key, printed, values)
        if stray:
            self._stray_cells(row, mapping, wanted_cols, printed, out=out)
        out.notes.append(note(
            "damaged-label",
            f"表“{self.title}”的行标签“{printed}”与格式不一致（可能在导出时丢字、折行或多出空格），"
            f"按其所在位置读作“{rdef.label}”",
            f"the row label {printed!r} of table {self.seg.key!r} differs from the format's (characters lost, "
            f"wrapped or spaced in export); read, from where it stands, as {rdef.en!r}",
            row.locator, table=self.seg.key, row=rdef.key, label=printed))

    def _ambiguous(self, out: Parsed, item: _Unmatched, rivals: tuple[int, ...]) -> None:
        names = [self.spec.rows[i][0] for i in rivals]
        position = out.notes.index(item.note)
        item.note = out.notes[position] = note(
            "unmatched-row",
            f"表“{self.title}”的行“{item.label}”与格式中的" + "".join(f"“{r.label}”" for r in names)
            + "都相近，无法确定是哪一行，未读取",
            f"row {item.label!r} of table {self.seg.key!r} resembles " + " and ".join(repr(r.en) for r in names)
            + " alike; which row it is cannot be told, so it was not read",
            item.row.locator, table=self.seg.key, row=item.label)


def _fits_group(group: str | None, carried: str | None) -> bool:
    """Whether a row under `group` may stand where the group heading read last is `carried`."""
    return group is None or carried is None or group in carried


def _neighbour(pending: list[_Unmatched], k: int, step: int) -> _Unmatched | None:
    """The unmatched row of labels only directly above (step -1) or below (+1) row `k`, if any."""
    j = k + step
    if not 0 <= j < len(pending):
        return None
    item, other = pending[k], pending[j]
    if other.done or other.has_values or other.row.grid != item.row.grid or other.row.index != item.row.index + step:
        return None
    return other
