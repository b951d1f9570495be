"""Which row of the format a row label names: the one place a row label is matched to a row key.

A label matches a row when every phrase of the row's definition occurs in it (normalised: width, spacing,
punctuation and numbering folded away); the row with the longest phrases wins, and a row that sits under
a group (（三）不予公开 …) must fit the group the label sits under.
"""

from __future__ import annotations

from collections.abc import Sequence

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


# ---------------------------------------------------------------------------------------------
# Damaged labels: PDF exports lose characters ("2.其他法律行政止公开" for 2.其他法律行政法规禁止公开), labels
# wrap or are cut. Only rows no phrase matched come here, and only rows the format expects where the row
# stands (between the rows read before and after it) may be chosen.

# A printed label is a form of an official one when most of its characters are the official label's, in
# order (the longest common subsequence), and it keeps at least half of the official label.
_MIN_COMMON = 4
_MIN_PRECISION = 0.8  # share of the printed label's characters found, in order, in the official label
_MIN_RECALL = 0.5  # share of the official label's characters the printed label keeps
# A damaged label must be this much closer to its row than to any other row of the table, or it is
# ambiguous and not read.
_MARGIN = 0.15


def _common(a: str, b: str) -> int:
    """Length of the longest common subsequence of two short labels."""
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _resemblance(printed: str, official: str) -> float:
    common = _common(printed, official)
    if common < _MIN_COMMON or common < _MIN_PRECISION * len(printed) or common < _MIN_RECALL * len(official):
        return 0.0
    return 2 * common / (len(printed) + len(official))


def resemblances(spec: TableSpec, label: str) -> tuple[float, ...]:
    """Per row of the table, how closely the (normalised) label resembles its official label (0: not)."""
    key = ("d", label)
    found = spec.memo.get(key)
    if found is None:
        found = spec.remember(key, tuple(
            max((_resemblance(label, form) for form in forms), default=0.0) for forms in spec.official
        ))
    return found


def damaged_row(spec: TableSpec, label: str, candidates: Sequence[int]) -> tuple[int | None, tuple[int, ...]]:
    """(the row among `candidates` the damaged label is a form of, or None; when None, the rows it resembles
    too closely to choose among). Any row of the table, not only the candidates, can make it ambiguous."""
    scores = resemblances(spec, label)
    best = max(candidates, key=lambda i: scores[i], default=None)
    if best is None or scores[best] == 0.0:
        return None, ()
    rivals = tuple(i for i, s in enumerate(scores) if i != best and s > 0.0 and s >= scores[best] - _MARGIN)
    if rivals:
        return None, tuple(sorted((best, *rivals)))
    return best, ()
