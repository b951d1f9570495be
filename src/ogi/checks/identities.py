"""The table identities (A101–A104) of the format definitions, evaluated two ways with one meaning.

* `evaluate_identities(cells)`: vectorised over a whole batch, on the long frame of
  `ogi.schemas.frames.cells_frame` (one pandas merge + groupby for every submission at once);
  `precompute_identities` evaluates the same over a batch's reports (matrix products over their
  `identity_inputs`), and a batch stores its failures, split by report, in `RuleContext.precomputed`.
* `table_identities(report, fmt)`: the same for one report in plain Python (a few hundred additions),
  the fallback a rule uses when nothing was precomputed; it also feeds `correction.py`.

Semantics (Arelle-style, stated once): a side is the sum of its cells; a cell without a number
(blank, placeholder, text, or missing from the table) counts as 0 **and is listed**, so a finding can
say so; an instance where no cell holds a number is not evaluable and never fails. Counts compare
exactly; decimal (万元) columns within half a unit of the least significant digit written.

Blank is not zero when a whole side is blank. A *side* of an instance is the set of cells on one side
of its equation: for A103 in one row, the 总计 cell on one side and the six applicant cells on the
other; for A102 in one column, （七）总计 against the outcome rows; for A101, 新收 + 结转 against
办理总计 + 结转下年度. When no cell of one side holds a number while the other side holds one, the
side was not written: its cells are *unknown* (not 0). An instance with an unknown member is not
checked (the rules say so, and V002/V003 report the cells); every other instance counts its blanks as 0.
(Against a side that sums to 0 a blank side is consistent with 0, so it is checked as 0: a 总计 left
blank beside applicant cells of 0 costs no check.) A column of the table without any number that holds
an unknown cell is unknown as a whole: a 总计 column left blank in every row was not written.
So a few blank cells among numbers stay 0, while a 总计 column left blank in every outcome row does not
become a column of zeros that accuses the report of a dozen arithmetic errors. Unknown cells are found
from every instance of the table, so the 总计 cells left blank stop A102 and A101 on that column too.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from ogi.checks.cells import (
    cell_label,
    cell_label_en,
    column_cells,
    column_label,
    column_label_en,
    definition_cells,
    describe_cells,
    fmt_number,
    in_table_order,
    row_label,
    row_label_en,
    table_absent,
    table_name,
    table_name_en,
)
from ogi.checks.registry import CannotCheck, RuleContext, get_rule, per_report
from ogi.config import Config
from ogi.model import NUMERIC_KINDS, CellKind, CellValue, Finding, Location, Report, Severity, Table
from ogi.schemas.definitions import FORMAT_VERSIONS, FormatDef, IdentityDef, TableDef, load_format
from ogi.schemas.pandera_schemas import identity_members

if TYPE_CHECKING:
    import pandas as pd

Cell = tuple[str, str]

IDENTITY_COLUMNS = [
    "source", "format_version", "code", "identity", "table", "axis", "key", "lhs", "rhs", "difference",
    "tolerance", "lhs_cells", "rhs_cells", "blank_cells", "blanks_as_zero", "checked", "blank_side",
    "unknown_cells",
]
_DECIMALS = re.compile(r"[.．](\d+)")


@dataclass(frozen=True)
class IdentityResult:
    """One instance of an identity (one column of a per-column identity, one row of a per-row one)."""

    code: str
    identity: str
    table: str
    axis: str  # "column": the identity holds in column `key`; "row": in row `key`
    key: str
    lhs: Decimal
    rhs: Decimal
    lhs_cells: tuple[Cell, ...]
    rhs_cells: tuple[Cell, ...]
    blank_cells: tuple[Cell, ...]  # cells with no number, counted as 0
    tolerance: Decimal = Decimal(0)
    evaluable: bool = True
    # Blank members that are not 0: they lie on a side (of this or another instance of the table) where
    # no cell holds a number while the other side holds one. An instance with one is not checked.
    unknown_cells: tuple[Cell, ...] = ()
    blank_side: str = ""  # "lhs" | "rhs": this instance's own side without a number (the other has one)

    @property
    def difference(self) -> Decimal:
        return self.lhs - self.rhs

    @property
    def checked(self) -> bool:
        """Whether the instance was compared: it holds a number and no member is unknown."""
        return self.evaluable and not self.unknown_cells

    @property
    def failed(self) -> bool:
        return self.checked and abs(self.difference) > self.tolerance

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.lhs_cells + self.rhs_cells

    @property
    def blanks_as_zero(self) -> bool:
        return bool(self.blank_cells)


@dataclass(frozen=True)
class _Instance:
    """An identity instance's membership, independent of any report."""

    identity: IdentityDef
    key: str
    lhs: tuple[Cell, ...]
    rhs: tuple[Cell, ...]
    decimal: bool


@cache
def _instances(version: str, table_key: str) -> tuple[_Instance, ...]:
    fmt = load_format(version)
    tdef = fmt.tables[table_key]
    out: list[_Instance] = []
    for identity in fmt.identities:
        if identity.table != table_key:
            continue
        lhs, rhs = identity_members(tdef, identity)
        if identity.each == "column":
            for col in tdef.column_keys:
                out.append(_Instance(identity, col, tuple((r, col) for r in lhs), tuple((r, col) for r in rhs),
                                     tdef.column(col).decimal))
        else:
            decimal = any(tdef.column(c).decimal for c in (*lhs, *rhs))
            for row in tdef.row_keys:
                out.append(_Instance(identity, row, tuple((row, c) for c in lhs), tuple((row, c) for c in rhs),
                                     decimal))
    return tuple(out)


def _places(raw: str) -> int:
    m = _DECIMALS.search(raw)
    return len(m.group(1)) if m else 0


def _tolerance(places: int) -> Decimal:
    return Decimal(5) / Decimal(10) ** (places + 1) if places > 0 else Decimal(0)


def _evaluate(instance: _Instance, table: Table) -> IdentityResult:
    blanks: list[Cell] = []
    sums = [Decimal(0), Decimal(0)]
    numbers = [0, 0]
    places = 0
    for side, members in enumerate((instance.lhs, instance.rhs)):
        for cell_key in members:
            cell = table.cells.get(cell_key)
            number = cell.number if cell is not None else None
            if number is None:
                blanks.append(cell_key)
                continue
            numbers[side] += 1
            sums[side] += number
            if instance.decimal and cell is not None:
                places = max(places, _places(cell.raw))
    lhs_n, rhs_n = numbers
    tolerance = _tolerance(places)
    # A side without a number is unknown only against a side that does not sum to 0 (as 0 it would fail).
    blank_side = ("lhs" if not lhs_n and abs(sums[1]) > tolerance
                  else "rhs" if not rhs_n and abs(sums[0]) > tolerance else "")
    return IdentityResult(
        code=instance.identity.code, identity=instance.identity.id, table=instance.identity.table,
        axis=instance.identity.each, key=instance.key, lhs=sums[0], rhs=sums[1], lhs_cells=instance.lhs,
        rhs_cells=instance.rhs, blank_cells=tuple(blanks), tolerance=tolerance,
        evaluable=lhs_n + rhs_n > 0, blank_side=blank_side,
    )


def _with_unknown(results: list[IdentityResult], tdef: TableDef, table: Table) -> list[IdentityResult]:
    """The results of one table's instances, each with its unknown members (see the module's semantics)."""
    unknown: set[Cell] = set()
    for r in results:
        if r.blank_side:
            unknown.update(r.lhs_cells if r.blank_side == "lhs" else r.rhs_cells)
    if not unknown:
        return results
    # A column of the table without any number that holds an unknown cell was not written as a whole.
    for col in tdef.column_keys:
        members = column_cells(tdef, col)
        if not unknown.isdisjoint(members) and not any(_number_at(table, c) for c in members):
            unknown.update(members)
    out = []
    for r in results:
        mine = tuple(c for c in r.blank_cells if c in unknown)
        out.append(replace(r, unknown_cells=mine) if mine else r)
    return out


def _number_at(table: Table, cell: Cell) -> bool:
    found = table.cells.get(cell)
    return found is not None and found.number is not None


@per_report
def _table_results(report: Report, fmt: FormatDef, key: str) -> tuple[IdentityResult, ...]:
    """Every instance of one table, evaluated once per report (the four rules and the correction share it)."""
    table = report.tables.get(key)
    if table is None:
        return ()
    results = [_evaluate(instance, table) for instance in _instances(fmt.version, key)]
    return tuple(_with_unknown(results, fmt.tables[key], table))


def table_identities(report: Report, fmt: FormatDef, table_key: str | None = None,
                     code: str | None = None) -> list[IdentityResult]:
    """Every identity instance of the report's tables (passing ones too), in definition order."""
    out: list[IdentityResult] = []
    for key in fmt.tables:
        if table_key is not None and key != table_key:
            continue
        if key not in report.tables:
            continue
        out += [r for r in _table_results(report, fmt, key) if code is None or r.code == code]
    return out


# ---------------------------------------------------------------------------------------------------
# Vectorised over a batch: every instance is a row of a (instances × cells) matrix of +1/−1, every
# submission a row of a (submissions × cells) matrix of values, so all sums are two matrix products.


@dataclass(frozen=True)
class _System:
    """One format version's identities as matrices over its canonical cells (tables with identities)."""

    cells: tuple[tuple[str, str, str], ...]  # (table, row, column) of each matrix column
    instances: tuple[_Instance, ...]
    plus: Any  # (instances × cells) 1 where the cell is on the left-hand side
    minus: Any  # (instances × cells) 1 where the cell is on the right-hand side
    decimal_cells: Any  # (cells,) bool: a decimal (万元) column
    at: dict[tuple[str, str, str], int]  # matrix column of each cell
    columns: Any  # (table columns × cells) 1 where the cell is in that column of its table

    @property
    def members(self) -> Any:
        return self.plus + self.minus


@cache
def _system(version: str) -> _System:
    import numpy as np

    fmt = load_format(version)
    tables = list(dict.fromkeys(i.table for i in fmt.identities))
    cells = tuple((t, r, c) for t in tables for r, c in fmt.tables[t].cells())
    at = {cell: j for j, cell in enumerate(cells)}
    instances = tuple(i for t in tables for i in _instances(version, t))
    plus = np.zeros((len(instances), len(cells)))
    minus = np.zeros((len(instances), len(cells)))
    for k, instance in enumerate(instances):
        table = instance.identity.table
        for row, col in instance.lhs:
            plus[k, at[(table, row, col)]] = 1
        for row, col in instance.rhs:
            minus[k, at[(table, row, col)]] = 1
    decimal = np.array([fmt.tables[t].column(c).decimal for t, _, c in cells], dtype=bool)
    lines = list(dict.fromkeys((t, c) for t, _, c in cells))
    columns = np.zeros((len(lines), len(cells)))
    for j, (t, _, c) in enumerate(cells):
        columns[lines.index((t, c)), j] = 1
    return _System(cells, instances, plus, minus, decimal, at, columns)


@cache
def _member_columns(version: str) -> tuple[tuple[tuple[Cell, int], ...], ...]:
    """Per instance of the version's system, its member cells (lhs then rhs) with their matrix columns."""
    system = _system(version)
    return tuple(
        tuple((c, system.at[(i.identity.table, *c)]) for c in (*i.lhs, *i.rhs)) for i in system.instances
    )


def _codes(column: pd.Series, rows: Any) -> tuple[Any, list[Any]]:
    """Integer codes of `column` at `rows` and the values they stand for (categoricals: for free)."""
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()[rows], list(column.cat.categories)
    codes, uniques = pd.factorize(column.to_numpy()[rows], sort=False)
    return codes, list(uniques)


def _positions(cells: pd.DataFrame, rows: Any, system: _System) -> Any:
    """The matrix column of each cell at `rows` (−1 for cells no identity involves), without a row loop."""
    import numpy as np

    codes, uniques = zip(*(_codes(cells[name], rows) for name in ("table", "row", "column")), strict=True)
    # One spare slot per axis: a missing value has code −1, which indexes that slot (holding −1).
    lookup = np.full(tuple(len(u) + 1 for u in uniques), -1, dtype=np.int64)
    index = [{v: i for i, v in enumerate(u)} for u in uniques]
    for (table, row, col), j in system.at.items():
        ti, ri, ci = index[0].get(table), index[1].get(row), index[2].get(col)
        if ti is not None and ri is not None and ci is not None:
            lookup[ti, ri, ci] = j
    return lookup[codes[0], codes[1], codes[2]]


def evaluate_identities(cells: pd.DataFrame, *, failures_only: bool = True) -> pd.DataFrame:
    """Every identity instance of every submission in `cells` (the long frame of `cells_frame`) that a
    rule reports: those that fail, and those not checked because a side is blank (`checked` False).

    Returns one row per instance: source, format_version, code (A101…), identity (requests.balance …),
    table, axis ("column" | "row"), key (the column or row the instance holds in), lhs, rhs,
    difference (lhs − rhs), tolerance, lhs_cells / rhs_cells (the (row, column) cells of each side),
    blank_cells (cells without a number, counted as 0), blanks_as_zero, checked, blank_side ("lhs" |
    "rhs" when that side of this instance holds no number and the other does) and unknown_cells (blank
    members that are not 0: the instance is not checked). With `failures_only=False` every instance
    holding a number or an unknown member is returned, with a boolean `failed` column.
    """
    import numpy as np
    import pandas as pd

    columns = IDENTITY_COLUMNS if failures_only else [*IDENTITY_COLUMNS, "failed"]
    records: list[dict[str, Any]] = []
    if cells.empty:
        return pd.DataFrame(records, columns=columns)
    versions = cells["format_version"].to_numpy(dtype=object)
    all_values = cells["value"].to_numpy(dtype=float, na_value=np.nan)
    all_raw = cells["raw"].to_numpy(dtype=object)
    for version in (v for v in FORMAT_VERSIONS if load_format(v).identities):
        rows = np.flatnonzero(versions == version)
        if not len(rows):
            continue
        system = _system(version)
        position = _positions(cells, rows, system)
        keep = position >= 0
        rows, position = rows[keep], position[keep]
        if len(rows):
            source_code, sources = _codes(cells["source"], rows)
            records += _evaluate_system(version, system, sources, source_code, position, all_values[rows],
                                        all_raw[rows], failures_only)
    return pd.DataFrame(records, columns=columns)


def _evaluate_system(version: str, system: _System, sources: Sequence[Any], source_code: Any, position: Any,
                     value: Any, raw: Any, failures_only: bool) -> list[dict[str, Any]]:
    """The instances of one format version for cells given as (source code, matrix column, value, raw).

    `raw` may be None when no cell is in a decimal column (its text is read for nothing else).
    """
    import numpy as np

    has = ~np.isnan(value)
    if not has.all():  # only the cells holding a number count (a batch's inputs hold no other)
        source_code, position, value = source_code[has], position[has], value[has]
        raw = None if raw is None else raw[has]
    shape = (len(sources), len(system.cells))
    at = np.asarray(source_code, dtype=np.intp) * shape[1] + position  # one flat index, for both matrices
    values = np.zeros(shape[0] * shape[1])
    numbers = np.zeros(shape[0] * shape[1])
    values[at] = value
    numbers[at] = 1.0
    values, numbers = values.reshape(shape), numbers.reshape(shape)
    lhs = values @ system.plus.T
    rhs = values @ system.minus.T
    lhs_n = numbers @ system.plus.T
    rhs_n = numbers @ system.minus.T
    counted = lhs_n + rhs_n
    tolerance = _tolerances(raw, position, source_code, system, len(sources))
    # Sums of whole numbers are exact in float64; the epsilon only absorbs decimal representation.
    margin = tolerance + 1e-9
    # A side without a number against a side that does not sum to 0: its cells are unknown, not 0, and
    # every instance with an unknown member is not checked (none is, in the usual report: a few compares).
    lhs_blank = (lhs_n == 0) & (np.abs(rhs) > margin)
    rhs_blank = (rhs_n == 0) & (np.abs(lhs) > margin)
    unknown = None
    if lhs_blank.any() or rhs_blank.any():
        unknown = (lhs_blank @ system.plus + rhs_blank @ system.minus) > 0  # (submissions × cells)
        # A column of the table without any number that holds an unknown cell was not written as a whole.
        whole = ((numbers @ system.columns.T) == 0) & ((unknown @ system.columns.T) > 0)
        unknown |= (whole @ system.columns) > 0
        unchecked = (unknown @ system.members.T) > 0
    else:
        unchecked = np.zeros(counted.shape, dtype=bool)
    failed = (counted > 0) & ~unchecked & (np.abs(lhs - rhs) > margin)
    wanted = (failed | unchecked) if failures_only else (counted > 0) | unchecked
    records = []
    members = _member_columns(version)
    found = np.nonzero(wanted)
    # Per submission with a wanted instance, which matrix columns hold a number (plain Python lists:
    # one numpy scalar read per member cell costs more than the sums).
    wanted_sources = np.unique(found[0]).tolist()
    has_number = {s: numbers[s].tolist() for s in wanted_sources}
    is_unknown = {s: unknown[s].tolist() for s in wanted_sources} if unknown is not None else {}
    for s, k in zip(*found, strict=True):
        instance = system.instances[k]
        table = instance.identity.table
        row_numbers = has_number[int(s)]
        blank = tuple(c for c, j in members[k] if not row_numbers[j])
        missing: tuple[Cell, ...] = ()
        side = ""
        if unchecked[s, k]:
            row_unknown = is_unknown[int(s)]
            missing = tuple(c for c, j in members[k] if row_unknown[j])
            side = "lhs" if lhs_blank[s, k] else "rhs" if rhs_blank[s, k] else ""
        record = {
            "source": sources[s], "format_version": version, "code": instance.identity.code,
            "identity": instance.identity.id, "table": table, "axis": instance.identity.each,
            "key": instance.key, "lhs": lhs[s, k], "rhs": rhs[s, k], "difference": lhs[s, k] - rhs[s, k],
            "tolerance": tolerance[s, k], "lhs_cells": instance.lhs, "rhs_cells": instance.rhs,
            "blank_cells": blank, "blanks_as_zero": bool(blank), "checked": not missing and counted[s, k] > 0,
            "blank_side": side, "unknown_cells": missing,
        }
        if not failures_only:
            record["failed"] = bool(failed[s, k])
        records.append(record)
    return records


def _tolerances(raw: Any, position: Any, source_code: Any, system: _System, n_sources: int) -> Any:
    """Per (submission, instance): half a unit of the last digit written in a decimal cell, else 0.

    `raw`, `position` and `source_code` describe the cells that hold a number (`raw` None: none is decimal).
    """
    import numpy as np

    tolerance = np.zeros((n_sources, len(system.instances)))
    decimal = system.decimal_cells[position]
    if not decimal.any():
        return tolerance
    assert raw is not None
    places = np.zeros((n_sources, len(system.cells)))
    places[source_code[decimal], position[decimal]] = [_places(r) if isinstance(r, str) else 0 for r in raw[decimal]]
    members = system.members.astype(bool)
    for k in np.nonzero((members & system.decimal_cells).any(axis=1))[0]:
        most = places[:, members[k]].max(axis=1)
        tolerance[:, k] = np.where(most > 0, 0.5 * 10.0 ** (-most), 0.0)
    return tolerance


def results_from_frame(frame: pd.DataFrame) -> list[IdentityResult]:
    """Rows of `evaluate_identities` as IdentityResults (for one submission's slice of the frame)."""
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    return [_result(rec) for rec in records]


def _result(rec: dict[str, Any]) -> IdentityResult:
    """A record of `evaluate_identities` (a row of its frame) as an IdentityResult."""
    unknown = tuple(rec["unknown_cells"])
    return IdentityResult(
        code=str(rec["code"]), identity=str(rec["identity"]), table=str(rec["table"]), axis=str(rec["axis"]),
        key=str(rec["key"]), lhs=_dec(rec["lhs"]), rhs=_dec(rec["rhs"]), lhs_cells=tuple(rec["lhs_cells"]),
        rhs_cells=tuple(rec["rhs_cells"]), blank_cells=tuple(rec["blank_cells"]), tolerance=_dec(rec["tolerance"]),
        evaluable=len(rec["blank_cells"]) < len(rec["lhs_cells"]) + len(rec["rhs_cells"]),  # some cell holds a number
        unknown_cells=unknown, blank_side=str(rec["blank_side"]),
    )


def _dec(value: float) -> Decimal:
    # Float sums of table values: round away binary noise below any written digit.
    number = Decimal(repr(round(float(value), 9)))
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


@cache
def _cell_index(version: str) -> tuple[tuple[tuple[str, dict[Cell, int]], ...], tuple[bool, ...]]:
    """Per table with identities (sorted), the matrix column of each (row, column); and per matrix
    column, whether it is a decimal (万元) cell."""
    system = _system(version)
    per: dict[str, dict[Cell, int]] = {}
    for (table, row, col), j in system.at.items():
        per.setdefault(table, {})[(row, col)] = j
    return tuple(sorted(per.items())), tuple(bool(d) for d in system.decimal_cells)


@dataclass(frozen=True)
class IdentityInputs:
    """What the vectorised evaluation needs of one report: its cells holding a number, as matrix columns
    of its format version's system. Small and plain, so a worker process sends it with the report: the
    numbers travel as machine arrays (bytes), which cost a copy to unpickle, not an object per cell."""

    source: str
    version: str
    positions: bytes  # array("i"): the matrix column of each cell holding a number
    values: bytes  # array("d"): its number
    raws: tuple[str, ...]  # the raw text of those of the cells in a decimal (万元) column, for their tolerance
    # The report's tables with identities that hold a number: the rules' preconditions, answered without
    # the tables (which the main process of a batch then unpickles only for a report that fails).
    numbered: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many cells hold a number."""
        return len(self.positions) // _POSITION_BYTES


_POSITION_BYTES = array("i").itemsize


def identity_inputs(report: Report) -> IdentityInputs | None:
    """The report's cells for `precompute_identities`; None when its format has no identities or no table."""
    version = report.format_version
    if version is None or not report.tables or not load_format(version).identities:
        return None
    number, annotated = CellKind.NUMBER, CellKind.ANNOTATED
    at_by_table, decimal = _cell_index(version)
    positions = array("i")
    values = array("d")
    raws: list[str] = []
    numbered: list[str] = []
    # Only cells holding a number count (the others are NaN, which the sums skip), and only a
    # decimal cell's raw text is read (for its tolerance).
    for key, at in at_by_table:
        table = report.tables.get(key)
        if table is None:
            continue
        cells = table.cells
        hits = [
            (j, cell) for j, cell in zip(map(at.get, cells), cells.values(), strict=True)
            if j is not None and cell.value is not None
            and (cell.kind is number or cell.kind is annotated)  # CellValue.number, without hashing the enum
        ]
        positions.extend([j for j, _ in hits])
        values.extend([float(cell.value) for _, cell in hits])  # type: ignore[arg-type]  # a number: not None
        raws += [cell.raw for j, cell in hits if decimal[j]]
        if hits or _holds_numbers(table):
            numbered.append(key)
    return IdentityInputs(report.source, version, positions.tobytes(), values.tobytes(), tuple(raws),
                          tuple(numbered))


def precompute_identities(reports: Sequence[Report], inputs: Sequence[IdentityInputs | None] | None = None,
                          *, frame: bool = True) -> dict[str, Any]:
    """What a batch puts in `RuleContext.precomputed`: every failing instance, vectorised once.

    The same evaluation as `evaluate_identities(cells_frame(reports))`, but the cells go straight from
    the reports into the matrices: building the long frame of strings costs more than the sums.
    `inputs` are the reports' `identity_inputs`, when already taken (a batch's workers do).
    frame=False leaves out the failures as a pandas frame ("identities"): the rules read them split by
    report, and a batch then need not import pandas (half a second) nor build a frame per window.
    """
    given = list(inputs) if inputs is not None else [identity_inputs(r) for r in reports]
    records = _failing_records(given)
    by_source: dict[str, list[IdentityResult]] = {}
    for record in records:
        by_source.setdefault(record["source"], []).append(_result(record))
    out: dict[str, Any] = {
        "identities_sources": frozenset(r.source for r in reports),
        "identities_numbered": {i.source: frozenset(i.numbered) for i in given if i is not None},
        "_identities_by_source": by_source,
    }
    if frame:
        import pandas as pd

        out["identities"] = pd.DataFrame(records, columns=IDENTITY_COLUMNS)
    return out


def _failing_records(given: Sequence[IdentityInputs | None]) -> list[dict[str, Any]]:
    """The failing instances of the reports' inputs, as the records of `evaluate_identities`' frame."""
    import numpy as np

    records: list[dict[str, Any]] = []
    for version in (v for v in FORMAT_VERSIONS if load_format(v).identities):
        mine = [i for i in given if i is not None and i.version == version]
        if not any(i.positions for i in mine):
            continue
        system = _system(version)
        codes = np.repeat(np.arange(len(mine)), [i.count for i in mine])
        positions = np.frombuffer(b"".join(i.positions for i in mine), dtype=np.intc)
        values = np.frombuffer(b"".join(i.values for i in mine), dtype=np.float64)
        raws = None
        decimal_raws = list(chain.from_iterable(i.raws for i in mine))
        if decimal_raws:  # their texts where the tolerance reads them: in the cells of decimal columns
            raws = np.full(len(codes), "", dtype=object)
            raws[system.decimal_cells[positions]] = decimal_raws
        records += _evaluate_system(version, system, [i.source for i in mine], codes, positions, values, raws, True)
    return records


def _precomputed_results(ctx: RuleContext, code: str) -> list[IdentityResult] | None:
    pre = ctx.precomputed
    sources = pre.get("identities_sources")
    if sources is not None and ctx.report.source not in sources:
        return None
    index = pre.get("_identities_by_source")
    if index is None:
        frame = pre.get("identities")
        if frame is None:
            return None
        # Split the batch frame once, not once per report and rule.
        index = {source: results_from_frame(part) for source, part in frame.groupby("source", sort=False)}
        pre["_identities_by_source"] = index
    return [r for r in index.get(ctx.report.source, ()) if r.code == code]


def reported_for(ctx: RuleContext, code: str) -> list[IdentityResult]:
    """The instances of identity `code` a rule reports for the report, failing or not checked (a blank
    side): precomputed if the batch did, else now."""
    found = _precomputed_results(ctx, code)
    if found is not None:
        return found
    assert ctx.fmt is not None
    return [r for r in table_identities(ctx.report, ctx.fmt, code=code) if r.failed or r.unknown_cells]


def failures_for(ctx: RuleContext, code: str) -> list[IdentityResult]:
    """The failing instances of identity `code` for the report: precomputed if the batch did, else now."""
    return [r for r in reported_for(ctx, code) if r.failed]


def unknown_cells(report: Report, fmt: FormatDef, key: str) -> frozenset[Cell]:
    """The cells of table `key` without a number that are not 0 (on a blank side; see the module)."""
    table = report.tables.get(key)
    if table is None or not any(i.table == key for i in fmt.identities):
        return frozenset()
    # Cheaply first (set inclusions, no sums): a side can be unknown only where one side of an instance
    # holds no number and the other does (most reports with blanks have none: 沭阳县发改局's five blank
    # columns are blank on both sides of their identities).
    get = table.cells.get
    empty = frozenset(c for c in definition_cells(fmt.tables[key]) if not _has_number(get(c)))
    if not any(empty.issuperset(i.lhs) is not empty.issuperset(i.rhs) for i in _instances(fmt.version, key)):
        return frozenset()
    return frozenset(c for r in _table_results(report, fmt, key) for c in r.unknown_cells)


def _has_number(cell: CellValue | None) -> bool:
    return cell is not None and cell.kind in NUMERIC_KINDS and cell.value is not None


# ---------------------------------------------------------------------------------------------------
# Findings.


def identity_def(fmt: FormatDef, code: str) -> IdentityDef:
    identity = next((i for i in fmt.identities if i.code == code), None)
    if identity is None:
        raise CannotCheck(f"{fmt.name}没有此勾稽关系", f"the {fmt.name_en} has no such identity")
    return identity


def identity_findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The findings of one identity rule (A101–A104): one per failing instance, each with the fix."""
    fmt = ctx.fmt
    if fmt is None:
        raise CannotCheck("无法确定报告格式版本", "the report's format version is unknown")
    identity = identity_def(fmt, code)
    tdef = fmt.tables[identity.table]
    if identity.table not in ctx.report.tables:
        raise table_absent(ctx.report, fmt, (identity.table,),
                           (f"未找到{table_name(fmt, identity.table)}（{tdef.title}）",
                            f"{table_name_en(fmt, identity.table)} was not found"))
    if not _table_holds_numbers(ctx, identity.table):
        raise CannotCheck(f"{table_name(fmt, identity.table)}没有填写任何数字",
                          f"{table_name_en(fmt, identity.table)} holds no numbers")
    reported = reported_for(ctx, code)
    unchecked = [r for r in reported if r.unknown_cells]
    if unchecked:
        ctx.not_checked_part(*_unchecked_reason(fmt, tdef, identity, unchecked))
    failures = [r for r in reported if r.failed]
    if not failures:
        return
    from ogi.checks.correction import most_likely_correction

    table = ctx.report.tables[identity.table]  # read only now: a batch's report may hold its tables packed
    closable = [r for r in failures if _unread_may_close(table, r)]
    if closable:
        ctx.not_checked_part(*_unread_reason(fmt, tdef, identity, table, closable))
        failures = [r for r in failures if not _unread_may_close(table, r)]
        if not failures:
            return
    correction = most_likely_correction(ctx.report, fmt, identity.table)
    fix = correction.describe(tdef) if correction is not None else None
    order = {k: i for i, k in enumerate(tdef.column_keys if identity.each == "column" else tdef.row_keys)}
    failures = sorted(failures, key=lambda r: order.get(r.key, len(order)))
    if len(failures) > SEPARATE_FAILURES:
        yield _unproved_if_unread(identity_group_finding(ctx, fmt, tdef, identity, table, failures, fix),
                                  _unread(table, failures))
        return
    for result in failures:
        yield _unproved_if_unread(identity_finding(ctx, fmt, tdef, identity, table, result, fix),
                                  _unread(table, [result]))


def _unread(table: Table, results: list[IdentityResult]) -> int:
    """How many members of these instances the file did not give at all (a row or column not read), as
    distinct from a blank cell that is there: a blank is 0, a cell never read is unknown."""
    return sum(1 for r in results for c in dict.fromkeys((*r.lhs_cells, *r.rhs_cells)) if c not in table.cells)


def _unread_may_close(table: Table, result: IdentityResult) -> bool:
    """Whether cells never read could make up the difference: they lie on the side that falls short (counts
    are never negative), so the sum is not shown to fail — only that the reading is incomplete."""
    if result.difference < 0:
        return any(c not in table.cells for c in result.lhs_cells)
    return result.difference > 0 and any(c not in table.cells for c in result.rhs_cells)


def _unread_reason(fmt: FormatDef, tdef: TableDef, identity: IdentityDef, table: Table,
                   results: list[IdentityResult]) -> tuple[str, str]:
    """Why these instances were not checked: the side that falls short has cells the file did not give."""
    per_column = identity.each == "column"
    label, label_en = (column_label, column_label_en) if per_column else (row_label, row_label_en)
    names = "、".join(f"“{label(tdef, r.key)}”" for r in results[:8]) + ("等" if len(results) > 8 else "")
    names_en = ", ".join(f"'{label_en(tdef, r.key)}'" for r in results[:8]) + (", …" if len(results) > 8 else "")
    unit, unit_en = ("列", "column") if per_column else ("行", "row")
    unread = _unread(table, results)
    zh = (f"{table_name(fmt, identity.table)}有 {unread} 个单元格未能从文件中读出（行或列缺失），{names}{unit}的"
          f"“{identity.zh}”已读出的一侧小于另一侧，差额可能正在未读出的单元格中：未核对")
    en = (f"{table_name_en(fmt, identity.table)}: {unread} cell(s) could not be read from the file (a row or column "
          f"is missing); in {unit_en} {names_en} the side of '{identity.en}' that falls short has unread cells, "
          f"which may hold the difference: not checked")
    return zh, en


def _unproved_if_unread(finding: Finding, unread: int) -> Finding:
    """A sum that fails only with cells never read is not proved wrong: a warning that names the doubt."""
    if not unread or finding.severity != Severity.ERROR:
        return finding
    return replace(finding, severity=Severity.WARNING,
                   message=f"{finding.message}（注意：其中 {unread} 个单元格未能从文件中读出（行或列缺失），"
                           f"按 0 计算，此结论存疑，请核对原表）",
                   message_en=f"{finding.message_en} (note: {unread} cell(s) could not be read from the file "
                              f"(a row or column is missing) and count as 0; this is doubtful: check the table)")


# Up to this many failing instances of one identity are reported one by one (each row or column its own
# finding, with its sums); more are one finding listing them, so that one broken table does not bury
# the rest of the report under a finding per row.
SEPARATE_FAILURES = 3


def _unchecked_reason(fmt: FormatDef, tdef: TableDef, identity: IdentityDef,
                      unchecked: list[IdentityResult]) -> tuple[str, str]:
    """Why some instances were not checked: the blank cells (not 0), and which rows or columns they stop."""
    per_column = identity.each == "column"
    keys = tdef.column_keys if per_column else tdef.row_keys
    order = {k: i for i, k in enumerate(keys)}
    unchecked = sorted(unchecked, key=lambda r: order.get(r.key, len(order)))
    cells_zh, cells_en = describe_cells(tdef, in_table_order(tdef, (c for r in unchecked for c in r.unknown_cells)))
    label, label_en = (column_label, column_label_en) if per_column else (row_label, row_label_en)
    names = "、".join(f"“{label(tdef, r.key)}”" for r in unchecked[:8]) + ("等" if len(unchecked) > 8 else "")
    names_en = ", ".join(f"'{label_en(tdef, r.key)}'" for r in unchecked[:8]) + (", …" if len(unchecked) > 8 else "")
    unit, unit_en = ("列", "column") if per_column else ("行", "row")
    plural = "s" if len(unchecked) > 1 else ""
    zh = (f"{table_name(fmt, identity.table)}{cells_zh}空白，而同一勾稽关系的另一侧有数字：这些单元格是未填写，"
          f"未按 0 核对；{len(unchecked)} {unit}的“{identity.zh}”未核对：{names}")
    en = (f"{table_name_en(fmt, identity.table)}: {cells_en}: blank while the other side of the identity holds "
          f"numbers: not written, so not checked as 0; '{identity.en}' not checked in {len(unchecked)} "
          f"{unit_en}{plural}: {names_en}")
    return zh, en


def _holds_numbers(table: Table) -> bool:
    return any(c.number is not None for c in table.cells.values())


def _table_holds_numbers(ctx: RuleContext, key: str) -> bool:
    """Whether the report's table `key` holds a number: as the batch's identity inputs said, else read now."""
    numbered = ctx.precomputed.get("identities_numbered")
    known = numbered.get(ctx.report.source) if numbered is not None else None
    return key in known if known is not None else _holds_numbers(ctx.report.tables[key])


def identity_finding(ctx: RuleContext, fmt: FormatDef, tdef: TableDef, identity: IdentityDef, table: Table,
                     result: IdentityResult, fix: str | None) -> Finding:
    lhs_label, _, rhs_label = identity.zh.partition("=")
    lhs_en, _, rhs_en = identity.en.partition("=")
    if result.axis == "column":
        where = f"“{column_label(tdef, result.key)}”列"
        where_en = f"column '{column_label_en(tdef, result.key)}'"
        location = Location(section=identity.table, table=identity.table, column=result.key)
    else:
        where = f"“{row_label(tdef, result.key)}”行"
        where_en = f"row '{row_label_en(tdef, result.key)}'"
        location = Location(section=identity.table, table=identity.table, row=result.key)
    first = table.cells.get(result.lhs_cells[0]) if result.lhs_cells else None
    if first is not None and first.locator is not None:
        location = Location(location.section, location.table, location.row, location.column, first.locator)
    blank, blank_en = "", ""
    if result.blank_cells:
        shown = result.blank_cells[:6]
        names = "、".join(cell_label(tdef, r, c) for r, c in shown) + ("等" if len(result.blank_cells) > 6 else "")
        names_en = "; ".join(cell_label_en(tdef, r, c) for r, c in shown)
        blank = f"（其中 {len(result.blank_cells)} 个空白或非数字单元格按 0 计算：{names}）"
        blank_en = f" ({len(result.blank_cells)} blank or non-numeric cells counted as 0: {names_en})"
    return ctx.finding(
        table=table_name(fmt, identity.table), table_en=table_name_en(fmt, identity.table), where=where,
        where_en=where_en, lhs_label=lhs_label.strip(), rhs_label=rhs_label.strip(), lhs_label_en=lhs_en.strip(),
        rhs_label_en=rhs_en.strip(), diff=fmt_number(result.difference), blank=blank, blank_en=blank_en,
        expected=_plain(result.rhs), actual=_plain(result.lhs), location=location, fix=fix,
    )


def identity_group_finding(ctx: RuleContext, fmt: FormatDef, tdef: TableDef, identity: IdentityDef, table: Table,
                           failures: list[IdentityResult], fix: str | None) -> Finding:
    """Many failing instances of one identity in one table as one finding: each named with its sums."""
    per_column = identity.each == "column"
    label, label_en = (column_label, column_label_en) if per_column else (row_label, row_label_en)
    unit, unit_en = ("列", "columns") if per_column else ("行", "rows")
    items = [f"“{label(tdef, r.key)}”{fmt_number(r.lhs)} ≠ {fmt_number(r.rhs)}（相差 {fmt_number(r.difference)}）"
             for r in failures]
    items_en = [f"'{label_en(tdef, r.key)}' {fmt_number(r.lhs)} ≠ {fmt_number(r.rhs)} "
                f"(difference {fmt_number(r.difference)})" for r in failures]
    blanks = in_table_order(tdef, (c for r in failures for c in r.blank_cells))
    blank, blank_en = "", ""
    if blanks:
        names, names_en = describe_cells(tdef, blanks)
        blank = f"（其中{names}空白或非数字，按 0 计算）"
        blank_en = f" ({names_en}: blank or non-numeric, counted as 0)"
    cells = in_table_order(tdef, (c for r in failures for c in r.lhs_cells))
    first = table.cells.get(cells[0]) if cells else None
    return ctx.finding(
        "many", table=table_name(fmt, identity.table), table_en=table_name_en(fmt, identity.table),
        n=len(failures), unit=unit, unit_en=unit_en, identity=identity.zh, identity_en=identity.en,
        items="；".join(items[:_NAMED_FAILURES]) + ("；等" if len(items) > _NAMED_FAILURES else ""),
        items_en="; ".join(items_en[:_NAMED_FAILURES]) + ("; …" if len(items) > _NAMED_FAILURES else ""),
        blank=blank, blank_en=blank_en, expected=[_plain(r.rhs) for r in failures],
        actual=[_plain(r.lhs) for r in failures], fix=fix,
        location=Location(section=identity.table, table=identity.table, cells=cells,
                          source=first.locator if first is not None else None))


_NAMED_FAILURES = 8


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------------
# The pandera path: a table validated by its schema, failure cases turned into findings.


def validate_table(report: Report, table_key: str, config: Config | None = None) -> list[Finding]:
    """Validate one table with its pandera schema; one Finding per failing identity (A101–A104) and per
    cell that is negative (V005) or not a whole number (V006). Blank cells are NaN: never failures here.
    """
    import pandera.pandas as pa

    from ogi.schemas.pandera_schemas import INTEGER_CHECK, NON_NEGATIVE_CHECK, report_frame, table_schema

    if report.format_version is None or table_key not in report.tables:
        return []
    fmt = load_format(report.format_version)
    tdef = fmt.tables[table_key]
    table = report.tables[table_key]
    frame = report_frame(report, table_key)
    try:
        table_schema(report.format_version, table_key).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    ctx = RuleContext(report=report, fmt=fmt, config=config or Config())
    findings: list[Finding] = []
    identities = {i.code: i for i in fmt.identities if i.table == table_key}
    results = {(r.code, r.key): r for r in table_identities(report, fmt, table_key)}
    seen: set[tuple[str, str]] = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check in identities:
            identity = identities[check]
            key = str(case.column) if identity.each == "column" else str(case.index)
            # Not a failure where a side is blank (the instance is not checked; V002/V003 report the cells).
            if (check, key) in seen or (check, key) not in results or not results[(check, key)].failed:
                continue
            seen.add((check, key))
            ctx.rule = get_rule(check)
            findings.append(identity_finding(ctx, fmt, tdef, identity, table, results[(check, key)], None))
        elif check.startswith((NON_NEGATIVE_CHECK, INTEGER_CHECK)):
            code = "V006" if check.startswith(INTEGER_CHECK) else "V005"
            row, col = str(case.index), str(case.column)
            cell = table.cells.get((row, col))
            if cell is None or (code == "V005" and cell.kind != CellKind.NUMBER):
                continue
            ctx.rule = get_rule(code)
            where = Location(section=table_key, table=table_key, row=row, column=col, source=cell.locator)
            findings.append(ctx.finding(
                table=table_name(fmt, table_key), table_en=table_name_en(fmt, table_key),
                cell=cell_label(tdef, row, col), cell_en=cell_label_en(tdef, row, col), raw=cell.raw.strip(),
                actual=_plain(cell.value or Decimal(0)), expected="≥ 0" if code == "V005" else "整数",
                location=where))
    return findings
