"""The table identities (A101–A104) of the format definitions, evaluated two ways with one meaning.

* `evaluate_identities(cells)`: vectorised over a whole batch, on the long frame of
  `ogi.schemas.frames.cells_frame` (one pandas merge + groupby for every submission at once);
  a batch stores it in `RuleContext.precomputed["identities"]` (see `precompute_identities`).
* `table_identities(report, fmt)`: the same for one report in plain Python (a few hundred additions),
  the fallback a rule uses when nothing was precomputed; it also feeds `correction.py`.

Semantics (Arelle-style, stated once): a side is the sum of its cells; a cell without a number
(blank, placeholder, text, or missing from the table) counts as 0 **and is listed**, so a finding can
say so; an instance where no cell holds a number is not evaluable and never fails. Counts compare
exactly; decimal (万元) columns within half a unit of the least significant digit written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ogi.checks.cells import (
    cell_label,
    cell_label_en,
    column_label,
    column_label_en,
    fmt_number,
    row_label,
    row_label_en,
    table_name,
    table_name_en,
)
from ogi.checks.registry import CannotCheck, RuleContext, get_rule
from ogi.model import CellKind, Finding, Location, Report, Table
from ogi.schemas.definitions import FORMAT_VERSIONS, FormatDef, IdentityDef, TableDef, load_format
from ogi.schemas.pandera_schemas import identity_members

if TYPE_CHECKING:
    import pandas as pd

Cell = tuple[str, str]

IDENTITY_COLUMNS = [
    "source", "format_version", "code", "identity", "table", "axis", "key", "lhs", "rhs", "difference",
    "tolerance", "lhs_cells", "rhs_cells", "blank_cells", "blanks_as_zero",
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

    @property
    def difference(self) -> Decimal:
        return self.lhs - self.rhs

    @property
    def failed(self) -> bool:
        return self.evaluable and abs(self.difference) > self.tolerance

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
    numbers = 0
    places = 0
    for side, members in enumerate((instance.lhs, instance.rhs)):
        for cell_key in members:
            cell = table.cells.get(cell_key)
            number = cell.number if cell is not None else None
            if number is None:
                blanks.append(cell_key)
                continue
            numbers += 1
            sums[side] += number
            if instance.decimal and cell is not None:
                places = max(places, _places(cell.raw))
    return IdentityResult(
        code=instance.identity.code, identity=instance.identity.id, table=instance.identity.table,
        axis=instance.identity.each, key=instance.key, lhs=sums[0], rhs=sums[1], lhs_cells=instance.lhs,
        rhs_cells=instance.rhs, blank_cells=tuple(blanks), tolerance=_tolerance(places), evaluable=numbers > 0,
    )


def table_identities(report: Report, fmt: FormatDef, table_key: str | None = None,
                     code: str | None = None) -> list[IdentityResult]:
    """Every identity instance of the report's tables (passing ones too), in definition order."""
    out: list[IdentityResult] = []
    for key in fmt.tables:
        if table_key is not None and key != table_key:
            continue
        table = report.tables.get(key)
        if table is None:
            continue
        for instance in _instances(fmt.version, key):
            if code is None or instance.identity.code == code:
                out.append(_evaluate(instance, table))
    return out


# ---------------------------------------------------------------------------------------------------
# Vectorised over a batch.


@cache
def _membership(versions: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-column map: version, table, row → code, side; per-row map: version, table, column → code, side)."""
    import pandas as pd

    by_row: list[tuple[str, str, str, str, str, int, bool]] = []
    by_col: list[tuple[str, str, str, str, str, int, bool]] = []
    for version in versions:
        fmt = load_format(version)
        for identity in fmt.identities:
            tdef = fmt.tables[identity.table]
            lhs, rhs = identity_members(tdef, identity)
            for side, members in ((1, lhs), (-1, rhs)):
                for member in members:
                    if identity.each == "column":
                        by_row.append((version, identity.table, member, identity.code, identity.id, side, False))
                    else:
                        decimal = tdef.column(member).decimal
                        by_col.append((version, identity.table, member, identity.code, identity.id, side, decimal))
    columns = ["format_version", "table", "member", "code", "identity", "side", "decimal_member"]
    return pd.DataFrame(by_row, columns=columns), pd.DataFrame(by_col, columns=columns)


def _decimal_columns(versions: Iterable[str]) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for version in versions:
        for key, tdef in load_format(version).tables.items():
            out.update((version, key, c.key) for c in tdef.columns if c.decimal)
    return out


def evaluate_identities(cells: pd.DataFrame, *, failures_only: bool = True) -> pd.DataFrame:
    """Every failing identity instance of every submission in `cells` (the long frame of `cells_frame`).

    Returns one row per instance: source, format_version, code (A101…), identity (requests.balance …),
    table, axis ("column" | "row"), key (the column or row the instance holds in), lhs, rhs,
    difference (lhs − rhs), tolerance, lhs_cells / rhs_cells (the (row, column) cells of each side),
    blank_cells (cells without a number, counted as 0) and blanks_as_zero. With `failures_only=False`
    every evaluable instance is returned, with a boolean `failed` column.
    """
    import numpy as np
    import pandas as pd

    versions = tuple(v for v in FORMAT_VERSIONS if load_format(v).identities
                     and v in set(cells["format_version"].dropna().unique()))
    empty = pd.DataFrame(columns=[*IDENTITY_COLUMNS, *([] if failures_only else ["failed"])])
    if cells.empty or not versions:
        return empty
    by_row, by_col = _membership(versions)
    base = cells.loc[cells["format_version"].isin(versions),
                     ["source", "format_version", "table", "row", "column", "value", "raw"]]
    per_column = base.merge(by_row, left_on=["format_version", "table", "row"],
                            right_on=["format_version", "table", "member"], sort=False)
    per_column["key"] = per_column["column"]
    per_column["axis"] = "column"
    per_row = base.merge(by_col, left_on=["format_version", "table", "column"],
                         right_on=["format_version", "table", "member"], sort=False)
    per_row["key"] = per_row["row"]
    per_row["axis"] = "row"
    # A per-column instance holds in every column of its table, a per-row one in every row.
    keep_cols = _valid_keys(versions, "column")
    keep_rows = _valid_keys(versions, "row")
    per_column = per_column[_in_keys(per_column, keep_cols)]
    per_row = per_row[_in_keys(per_row, keep_rows)]
    merged = pd.concat([per_column, per_row], ignore_index=True)
    if merged.empty:
        return empty
    value = merged["value"]
    merged["has_number"] = value.notna()
    filled = value.fillna(0.0)
    merged["lhs_part"] = np.where(merged["side"] > 0, filled, 0.0)
    merged["rhs_part"] = np.where(merged["side"] < 0, filled, 0.0)
    decimal_cols = _decimal_columns(versions)
    if decimal_cols:
        triple = list(zip(merged["format_version"], merged["table"], merged["column"], strict=True))
        is_decimal = np.fromiter((t in decimal_cols for t in triple), dtype=bool, count=len(triple))
        places = merged["raw"].where(is_decimal & merged["has_number"]).astype("object")
        merged["places"] = places.map(lambda r: _places(r) if isinstance(r, str) else 0).astype("int64")
    else:
        merged["places"] = 0
    keys = ["source", "format_version", "code", "identity", "table", "axis", "key"]
    grouped = merged.groupby(keys, sort=False, dropna=False).agg(
        lhs=("lhs_part", "sum"), rhs=("rhs_part", "sum"), numbers=("has_number", "sum"),
        places=("places", "max"),
    ).reset_index()
    grouped["difference"] = grouped["lhs"] - grouped["rhs"]
    grouped["tolerance"] = np.where(grouped["places"] > 0, 0.5 * 10.0 ** (-grouped["places"].astype(float)), 0.0)
    evaluable = grouped["numbers"] > 0
    # Sums of whole numbers are exact in float64; the epsilon only absorbs decimal representation.
    failed = evaluable & (grouped["difference"].abs() > grouped["tolerance"] + 1e-9)
    grouped["failed"] = failed
    out = grouped[failed] if failures_only else grouped[evaluable]
    out = out.reset_index(drop=True)
    if out.empty:
        return empty
    # Which cells had a number, for the instances reported (a small subset, usually).
    wanted = out[keys].merge(merged.loc[merged["has_number"], [*keys, "row", "column"]], on=keys, how="left")
    with_number: dict[tuple[Any, ...], set[Cell]] = {}
    for record in wanted.itertuples(index=False):
        if isinstance(record.row, str):
            with_number.setdefault(tuple(record[:7]), set()).add((record.row, record.column))
    lhs_cells, rhs_cells, blank_cells = [], [], []
    for record in out[keys].itertuples(index=False):
        instance = _instance_of(record.format_version, record.table, record.code, record.key)
        present = with_number.get(tuple(record), set())
        lhs_cells.append(instance.lhs)
        rhs_cells.append(instance.rhs)
        blank_cells.append(tuple(c for c in (*instance.lhs, *instance.rhs) if c not in present))
    out["lhs_cells"] = lhs_cells
    out["rhs_cells"] = rhs_cells
    out["blank_cells"] = blank_cells
    out["blanks_as_zero"] = [bool(b) for b in blank_cells]
    columns = IDENTITY_COLUMNS if failures_only else [*IDENTITY_COLUMNS, "failed"]
    return out[columns]


@cache
def _valid_keys(versions: tuple[str, ...], axis: str) -> frozenset[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for version in versions:
        fmt = load_format(version)
        for identity in fmt.identities:
            tdef = fmt.tables[identity.table]
            keys = tdef.column_keys if axis == "column" else tdef.row_keys
            out.update((version, identity.code, k) for k in keys)
    return frozenset(out)


def _in_keys(frame: pd.DataFrame, valid: frozenset[tuple[str, str, str]]) -> Any:
    import numpy as np

    triples = zip(frame["format_version"], frame["code"], frame["key"], strict=True)
    return np.fromiter((t in valid for t in triples), dtype=bool, count=len(frame))


@lru_cache(maxsize=4096)
def _instance_of(version: str, table: str, code: str, key: str) -> _Instance:
    return next(i for i in _instances(version, table) if i.identity.code == code and i.key == key)


def results_from_frame(frame: pd.DataFrame) -> list[IdentityResult]:
    """Rows of `evaluate_identities` as IdentityResults (for one submission's slice of the frame)."""
    out = []
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    for rec in records:
        out.append(IdentityResult(
            code=str(rec["code"]), identity=str(rec["identity"]), table=str(rec["table"]), axis=str(rec["axis"]),
            key=str(rec["key"]), lhs=_dec(rec["lhs"]), rhs=_dec(rec["rhs"]), lhs_cells=tuple(rec["lhs_cells"]),
            rhs_cells=tuple(rec["rhs_cells"]), blank_cells=tuple(rec["blank_cells"]), tolerance=_dec(rec["tolerance"]),
        ))
    return out


def _dec(value: float) -> Decimal:
    # Float sums of table values: round away binary noise below any written digit.
    number = Decimal(repr(round(float(value), 9)))
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def precompute_identities(reports: Sequence[Report]) -> dict[str, Any]:
    """What a batch puts in `RuleContext.precomputed`: every failing instance, vectorised once."""
    from ogi.schemas.frames import cells_frame

    frame = evaluate_identities(cells_frame(reports))
    return {"identities": frame, "identities_sources": frozenset(r.source for r in reports)}


def _precomputed_failures(ctx: RuleContext, code: str) -> list[IdentityResult] | None:
    pre = ctx.precomputed
    frame = pre.get("identities")
    if frame is None:
        return None
    sources = pre.get("identities_sources")
    if sources is not None and ctx.report.source not in sources:
        return None
    index = pre.get("_identities_by_source")
    if index is None:
        # Split the batch frame once, not once per report and rule.
        index = {source: results_from_frame(part) for source, part in frame.groupby("source", sort=False)}
        pre["_identities_by_source"] = index
    return [r for r in index.get(ctx.report.source, ()) if r.code == code]


def failures_for(ctx: RuleContext, code: str) -> list[IdentityResult]:
    """The failing instances of identity `code` for the report: precomputed if the batch did, else now."""
    found = _precomputed_failures(ctx, code)
    if found is not None:
        return found
    assert ctx.fmt is not None
    return [r for r in table_identities(ctx.report, ctx.fmt, code=code) if r.failed]


# ---------------------------------------------------------------------------------------------------
# Findings.


def identity_def(fmt: FormatDef, code: str) -> IdentityDef:
    identity = next((i for i in fmt.identities if i.code == code), None)
    if identity is None:
        raise CannotCheck(f"{fmt.name}没有此勾稽关系", f"the {fmt.name_en} has no such identity")
    return identity


def identity_findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The findings of one identity rule (A101–A104): one per failing instance, each with the fix."""
    from ogi.checks.correction import most_likely_correction

    fmt = ctx.fmt
    if fmt is None:
        raise CannotCheck("无法确定报告格式版本", "the report's format version is unknown")
    identity = identity_def(fmt, code)
    tdef = fmt.tables[identity.table]
    table = ctx.report.tables.get(identity.table)
    name = table_name(fmt, identity.table)
    if table is None:
        raise CannotCheck(f"未找到{name}（{tdef.title}）", f"{table_name_en(fmt, identity.table)} was not found")
    if not any(c.number is not None for c in table.cells.values()):
        raise CannotCheck(f"{name}没有填写任何数字", f"{table_name_en(fmt, identity.table)} holds no numbers")
    failures = failures_for(ctx, code)
    if not failures:
        return
    correction = most_likely_correction(ctx.report, fmt, identity.table)
    fix = correction.describe(tdef) if correction is not None else None
    order = {k: i for i, k in enumerate(tdef.column_keys if identity.each == "column" else tdef.row_keys)}
    for result in sorted(failures, key=lambda r: order.get(r.key, len(order))):
        yield identity_finding(ctx, fmt, tdef, identity, table, result, fix)


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


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------------
# The pandera path: a table validated by its schema, failure cases turned into findings.


def validate_table(report: Report, table_key: str, config: Any = None) -> list[Finding]:
    """Validate one table with its pandera schema; one Finding per failing identity (A101–A104) and per
    cell that is negative (V005) or not a whole number (V006). Blank cells are NaN: never failures here.
    """
    import pandera.pandas as pa

    from ogi.config import Config
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
            if (check, key) in seen or (check, key) not in results:
                continue
            seen.add((check, key))
            ctx.rule = get_rule(check)
            findings.append(identity_finding(ctx, fmt, tdef, identity, table, results[(check, key)], None))
        elif check.startswith((NON_NEGATIVE_CHECK, "greater_than_or_equal_to", INTEGER_CHECK)):
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
