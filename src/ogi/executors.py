"""Where a batch's files are read: this machine's worker processes (the default) or a Dask cluster.

`ogi check … --executor dask` starts a Dask cluster on this machine (one single-threaded worker process
per core, or `-j N`); `--executor dask=tcp://scheduler:8786` uses a running one, whose workers must have
the same ogi-checks installed and see the files under the same paths (a shared file system). Either way
the per-file work is the local engine's, and the outputs are byte-identical to a local run (docs/scale.md).

This module is light (no Dask import): the CLI parses `--executor` with it before anything heavy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Files read by one Dask task: a task costs the scheduler a few ms, a report 5–100 ms of a worker.
DEFAULT_CHUNK = 16


class ExecutorError(ValueError):
    """An --executor that cannot be used (Dask missing, the scheduler unreachable, mismatched workers)."""


@dataclass
class DaskExecutor:
    """A Dask cluster to read on: `address` of a running scheduler, or None for a cluster on this machine
    (`workers` processes, default one per core).

    After a batch, `retried` lists the submissions (their `source`) that were read again because the worker
    reading them was lost; their results are those of the second reading, the same as any reading's.
    Use it as a context manager, or call `close()`, to let the cluster go after the batch(es).
    """

    address: str | None = None
    workers: int | None = None
    chunk: int = DEFAULT_CHUNK
    connect_seconds: float = 60.0  # to reach the scheduler, and for its first worker
    retried: list[str] = field(default_factory=list)
    _session: Any = field(default=None, repr=False, compare=False)

    def session(self) -> Any:
        """The connected `ogi.dask_reader.DaskSession`, started on first use."""
        if self._session is None:
            from ogi.dask_reader import DaskSession

            self._session = DaskSession(self.address, self.workers, self.connect_seconds)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_executor(text: str | None, workers: int | None = None) -> DaskExecutor | None:
    """`local` (or nothing) → None; `dask` → a cluster on this machine; `dask=ADDRESS` → that scheduler."""
    if text is None or text.strip() in ("", "local"):
        return None
    name, _, address = text.strip().partition("=")
    if name != "dask":
        raise ExecutorError(f"未知的执行方式 {text!r}（可用：local、dask、dask=tcp://主机:8786） / "
                            f"unknown executor {text!r} (local, dask, dask=tcp://host:8786)")
    address = address.strip()
    if address and "://" not in address:
        address = f"tcp://{address}"
    return DaskExecutor(address or None, workers)
