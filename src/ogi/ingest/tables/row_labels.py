"""Which row of the format a row label names: the one place a row label is matched to a row key.

A label matches a row when every phrase of the row's definition occurs in it (normalised: width, spacing,
punctuation and numbering folded away); the row with the longest phrases wins, and a row that sits under
a group (（三）不予公开 …) must fit the group the label sits under.
"""

from __future__ import annotations

from ogi.ingest.tables.vocabulary import TableSpec, score


def row_score(spec: TableSpec, label: str) -> int:
    """Score of the best row match, ignoring group context (0: not a row label)."""
    key = ("r", label)
    found = spec.memo.get(key)
    if found is None:
        found = spec.remember(key, max((score(label, m) for _, m, _ in spec.rows), default=0))
    return found


def group_phrase(spec: TableSpec, label: str) -> str | None:
    """The row-group phrase (不予公开 …) this label names, if any."""
    key = ("p", label)
    memo = spec.memo
    if key in memo:
        return memo[key]
    return spec.remember(key, next((g for g in spec.row_groups if g in label), None))


def is_group_label(spec: TableSpec, label: str) -> bool:
    """A label that only heads a group of rows (三、本年度办理结果, （三）不予公开)."""
    return group_phrase(spec, label) is not None or any(score(label, m) for m in spec.group_rows)


def match_row(spec: TableSpec, label: str, own_group: str | None, carried_group: str | None,
              start: int = 0) -> int | None:
    """Index of the row whose phrases match longest; a row under a group must fit the group context.

    Rows before `start` are not candidates (flattened text, where rows only move forward).
    """
    context = own_group if own_group is not None else carried_group
    key = ("m", label, context, start)
    memo = spec.memo
    if key in memo:
        return memo[key]
    return spec.remember(key, _match_row(spec, label, context, start))


def _match_row(spec: TableSpec, label: str, context: str | None, start: int) -> int | None:
    best: int | None = None
    best_score = 0
    rows = spec.rows
    for i in range(start, len(rows)):
        _, phrases, group = rows[i]
        if group is not None and context is not None and group not in context:
            continue
        found = score(label, phrases)
        if found > best_score:
            best, best_score = i, found
    return best
