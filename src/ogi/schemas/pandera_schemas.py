"""pandera schemas for tables 二/三/四, built from the format definitions (never written by hand).

One schema per format version × table, in wide form: the index holds the row keys of SPEC §3
(`new_received`, `denied.state_secret`, … ; for table 四 the groups `review`, …), the columns the
column keys (`natural_person`, …, `total`). Counts are whole numbers ≥ 0, signed columns (2019
本年增/减) may be negative, 万元 amounts are decimals ≥ 0; a blank cell is NaN (never silently 0).
The table identities (A101–A104) are checks named by their rule code: per-column identities are
column checks, per-row identities DataFrame checks, and blanks count as 0 only inside them.

An office can validate its own data::

    from ogi.schemas import requests_schema
    requests_schema("2021").validate(my_frame, lazy=True)

`ogi.checks.identities.validate_table` turns the failure cases into Findings, one per failing identity.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ogi.schemas.definitions import FormatDef, IdentityDef, TableDef, load_format

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

    from ogi.model import Report, Table

__all__ = [
    "INTEGER_CHECK",
    "active_schema",
    "appeals_schema",
    "identity_members",
    "report_frame",
    "requests_schema",
    "table_frame",
    "table_schema",
]

# Names of the element checks, so failure cases can be told apart from identity checks.
INTEGER_CHECK = "integer"
NON_NEGATIVE_CHECK = "greater_than_or_equal_to"  # pandera's own name for Check.ge


def identity_members(tdef: TableDef, identity: IdentityDef) -> tuple[list[str], list[str]]:
    """The keys on each side of an identity: row keys for per-column identities, column keys otherwise."""
    if identity.each == "column":
        return tdef.expand(identity.lhs), tdef.expand(identity.rhs)
    return tdef.expand_columns(identity.lhs), tdef.expand_columns(identity.rhs)


def _column_identity_check(identity: IdentityDef, lhs: list[str], rhs: list[str]) -> pa.Check:
    import pandera.pandas as pa

    def holds(series: pd.Series) -> bool:
        left = series.reindex(lhs)
        right = series.reindex(rhs)
        if left.isna().all() or right.isna().all():
            # Nothing written, or a whole side blank (not written, not 0): not evaluable, not a failure.
            return True
        return bool(left.fillna(0).sum() == right.fillna(0).sum())

    return pa.Check(holds, name=identity.code, description=f"{identity.zh} / {identity.en}")


def _row_identity_check(identity: IdentityDef, lhs: list[str], rhs: list[str]) -> pa.Check:
    import pandera.pandas as pa

    def holds(frame: pd.DataFrame) -> pd.Series:
        left = frame.reindex(columns=lhs)
        right = frame.reindex(columns=rhs)
        # Nothing written, or a whole side blank (not written, not 0): not evaluable, not a failure.
        unknown = left.isna().all(axis=1) | right.isna().all(axis=1)
        return unknown | (left.fillna(0).sum(axis=1) == right.fillna(0).sum(axis=1))

    return pa.Check(holds, name=identity.code, description=f"{identity.zh} / {identity.en}")


def _whole(series: pd.Series) -> pd.Series:
    return series.isna() | (series == series.round())


@cache
def table_schema(version: str, table_key: str) -> pa.DataFrameSchema:
    """The pandera schema of one official table of one format version ("2019"/"2021", "requests" …)."""
    import pandera.pandas as pa

    fmt: FormatDef = load_format(version)
    if table_key not in fmt.tables:
        raise KeyError(f"format {version} has no table {table_key!r}")
    tdef = fmt.tables[table_key]
    identities = [i for i in fmt.identities if i.table == table_key]
    column_checks: dict[str, list[pa.Check]] = {c.key: [] for c in tdef.columns}
    frame_checks: list[pa.Check] = []
    for identity in identities:
        lhs, rhs = identity_members(tdef, identity)
        if identity.each == "column":
            for key in column_checks:
                column_checks[key].append(_column_identity_check(identity, lhs, rhs))
        else:
            frame_checks.append(_row_identity_check(identity, lhs, rhs))
    columns: dict[str, pa.Column] = {}
    for cdef in tdef.columns:
        checks: list[pa.Check] = []
        if not cdef.signed:
            checks.append(pa.Check.ge(0, ignore_na=True))
        if not cdef.decimal:
            checks.append(pa.Check(_whole, name=INTEGER_CHECK))
        columns[cdef.key] = pa.Column(
            float, checks=[*checks, *column_checks[cdef.key]], nullable=True, coerce=True, required=True,
            title=cdef.label, description=cdef.en + (f" ({cdef.unit})" if cdef.unit else ""),
        )
    return pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        index=pa.Index(str, checks=[pa.Check.isin(list(tdef.row_keys))], unique=True, coerce=True),
        name=f"{version}.{table_key}",
        title=tdef.title,
        description=f"{fmt.name}: {tdef.title} / {fmt.name_en}: {tdef.title_en}",
        coerce=True,
    )


def requests_schema(version: str = "2021") -> pa.DataFrameSchema:
    """Table 三 (收到和处理政府信息公开申请情况)."""
    return table_schema(version, "requests")


def appeals_schema(version: str = "2021") -> pa.DataFrameSchema:
    """Table 四 (行政复议、行政诉讼情况): index = review / litigation_direct / litigation_after_review."""
    return table_schema(version, "appeals")


def active_schema(version: str = "2021") -> pa.DataFrameSchema:
    """Table 二 (主动公开政府信息情况); cells a row does not have are NaN."""
    return table_schema(version, "active")


def table_frame(table: Table, tdef: TableDef) -> pd.DataFrame:
    """A Table in wide form (index = row keys, columns = column keys, float; NaN where no number)."""
    import numpy as np
    import pandas as pd

    rows = list(tdef.row_keys)
    cols = list(tdef.column_keys)
    data = np.full((len(rows), len(cols)), np.nan)
    at_row = {r: i for i, r in enumerate(rows)}
    at_col = {c: j for j, c in enumerate(cols)}
    for (row, col), cell in table.cells.items():
        number = cell.number
        if number is not None and row in at_row and col in at_col:
            data[at_row[row], at_col[col]] = float(number)
    return pd.DataFrame(data, index=pd.Index(rows, dtype=object), columns=cols)


def report_frame(report: Report, table_key: str) -> pd.DataFrame:
    """`table_frame` of one table of a report (KeyError if the report lacks it)."""
    if report.format_version is None:
        raise KeyError("the report's format version is unknown")
    tdef = load_format(report.format_version).tables[table_key]
    return table_frame(report.tables[table_key], tdef)

