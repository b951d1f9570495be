"""The two memo idioms of table recognition, besides `functools.lru_cache` on functions of texts.

- `per_object`: a function of a definition (TableDef, FormatDef), worked out once per object. The
  definitions live as long as the process (`load_format` is cached); a FormatDef holds a dict and cannot
  be hashed, and hashing a TableDef walks every label, so they are looked up by identity.
- `remember`: store in a plain dict that starts afresh past a size limit, for what is keyed on labels, row
  structures, header layouts or the identity of grid cells (readers share GridCells between documents).
  Lookups are the dict's own (`get`, `in`, `[]`), which the interpreter specialises for a plain dict only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K")
V = TypeVar("V")


def per_object(func: Callable[[T], R]) -> Callable[[T], R]:
    """Cache `func(obj)` per argument object, by identity; the object is kept with its result, so its id
    cannot be reused while the entry lives."""
    found: dict[int, tuple[T, R]] = {}

    @functools.wraps(func)
    def cached(obj: T) -> R:
        hit = found.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = func(obj)
        found[id(obj)] = (obj, value)
        return value

    return cached


# A memo: any key, any value (each holder says what it keeps).
Memo = dict[Any, Any]


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store `value` under `key` and return it; past `limit` entries the memo starts afresh (odd labels and
    one-off rows would otherwise pile up over a batch). Cleared in place, so holders of the dict (row plans
    keep their cell-value memo) stay valid."""
    if len(memo) > limit:
        memo.clear()
    memo[key] = value
    return value
