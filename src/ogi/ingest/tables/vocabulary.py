"""The words of each table definition, normalised once: what a label is compared with.

`TableSpec` is a TableDef with its row, column, group and heading phrases normalised; `Vocabulary` holds,
per table of a format, the phrases no other table uses (how a grid row votes for a table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ogi.ingest.labels import normalize_label
from ogi.ingest.tables.memo import Memo, per_object, remember
from ogi.schemas.definitions import ColumnDef, FormatDef, RowDef, TableDef

# A label longer than this (normalised) is prose caught in a grid (PDF text boxes), not a table label.
MAX_LABEL = 60
# "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": the remark in brackets is often left out.
_TRAILING_REMARK = re.compile(r"[（(][^（）()]*[）)]\s*$")

T = TypeVar("T")


def score(label: str, phrases: tuple[str, ...]) -> int:
    """match_score for phrases already normalised: their total length when all occur in the label, else 0."""
    total = 0
    for phrase in phrases:
        if phrase not in label:
            return 0
        total += len(phrase)
    return total


def _norm_all(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in (normalize_label(x) for x in phrases) if p))


@dataclass(frozen=True)
class TableSpec:
    """A TableDef with its phrases normalised, for matching."""

    tdef: TableDef
    rows: tuple[tuple[RowDef, tuple[str, ...], str | None], ...]  # (row, phrases, group phrase)
    cols: tuple[tuple[ColumnDef, tuple[str, ...]], ...]
    groups: tuple[tuple[RowDef, tuple[str, ...]], ...]
    ignore: tuple[str, ...]
    row_groups: tuple[str, ...]  # the `group` phrases rows sit under (不予公开, 无法提供, …)
    group_rows: tuple[tuple[str, ...], ...]  # phrases of rows that only head a group
    header: tuple[str, ...]  # everything a header row may say
    columns: dict[str, ColumnDef] = field(default_factory=dict, compare=False)
    # Per row, its official label normalised, with and without a trailing remark (for damaged labels).
    official: tuple[tuple[str, ...], ...] = ()
    # Group phrase -> (index of the row a group printed as one row is read as, the format that printed it).
    single_rows: dict[str, tuple[int, str | None]] = field(default_factory=dict, compare=False)
    # Label scores, row readings and header layouts: the same few hundred labels and rows recur in every
    # report of a batch. Keys start with a letter saying what is memoised.
    memo: Memo = field(default_factory=dict, compare=False, repr=False)

    def column(self, key: str) -> ColumnDef:
        return self.columns[key]

    def remember(self, key: tuple[Any, ...], value: T) -> T:
        return remember(self.memo, key, value, 200_000)


@per_object
def table_spec(tdef: TableDef) -> TableSpec:
    """The matching view of a table definition (built once per definition)."""
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
    index = {r.key: i for i, r in enumerate(tdef.rows)}
    single_rows = {
        normalize_label(tdef.rows[index[g.single_row]].group or ""): (index[g.single_row], g.single_row_format)
        for g in tdef.group_rows if g.single_row is not None
    }
    official = tuple(_norm_all((r.label, _TRAILING_REMARK.sub("", r.label))) for r in tdef.rows)
    return TableSpec(tdef, rows, cols, groups, ignore, row_groups, group_rows, header,
                     {c.key: c for c in tdef.columns}, official, single_rows)


@dataclass(frozen=True)
class Vocabulary:
    words: dict[str, tuple[str, ...]]  # per table, the phrases no other table of the format uses
    # A label's and a row structure's table vote: labels recur in every report of a batch.
    votes: dict[str, str | None] = field(default_factory=dict)  # label -> table
    row_votes: dict[int, str | None] = field(default_factory=dict)  # row structure -> table


@per_object
def format_vocabulary(fmt: FormatDef) -> Vocabulary:
    """Per table, the phrases (two characters or more) that no other table of the format uses."""
    per: dict[str, set[str]] = {}
    for key, tdef in fmt.tables.items():
        spec = table_spec(tdef)
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
    return Vocabulary(vocab)
