"""Run on the Dask scheduler, which need not have ogi-checks installed: pickled by value (see dask_reader)."""

from __future__ import annotations

from typing import Any


def suspicious(keys: list[str], dask_scheduler: Any = None) -> dict[str, int]:
    """How many workers died while each of `keys` was assigned to them (0s left out): the scheduler then gave
    the task to another worker, so its files were read again."""
    tasks = dask_scheduler.tasks
    out: dict[str, int] = {}
    for key in keys:
        state = tasks.get(key)
        count = getattr(state, "suspicious", 0) if state is not None else 0
        if count:
            out[key] = int(count)
    return out
