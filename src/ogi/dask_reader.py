"""Reading a batch on a Dask cluster (dask.distributed): the same per-file work as the local engine.

The main process stays the local engine's (`ogi.batch`): input order, windows, the vectorised identities
and the cross-year rules. Only reading and the per-report rules move: each Dask task reads a few
consecutive files (`DaskExecutor.chunk`) with the very task function a local worker runs, so what comes
back, and therefore every output, is byte-for-byte what a local run gives.

What a lost worker costs (a machine gone, the OOM killer, `kill -9`): nothing but time. The scheduler gives
its tasks to another worker (Dask's own rescheduling); the tasks it had are found with the scheduler's
count of workers that died holding them, and their files are listed in `DaskExecutor.retried`. A task
whose workers keep dying (Dask gives up after `distributed.scheduler.allowed-failures` deaths) is split
into one task per file, so that only the file that kills workers ends as F001, as a worker crash does
locally.

What differs from local workers, by design: the per-file time limit interrupts Python code (an exception
raised in the reading thread) but cannot stop a C library that never returns, and a worker's memory is
bounded by Dask's own limit (`dask worker --memory-limit`: its nanny restarts a worker past it), not by the
address-space cap the local engine sets on its own processes (docs/scale.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import threading
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ogi import __version__
from ogi.batch import (
    MIN_WINDOW,
    Outcome,
    Task,
    _failed,
    _main_hidden,
    _Reader,
    _warm_up,
    default_jobs,
    timed_out,
)
from ogi.config import Config
from ogi.executors import DaskExecutor, ExecutorError


class DaskSession:
    """A client connected to a scheduler (given, or a LocalCluster started here and closed with the session)."""

    def __init__(self, address: str | None, workers: int | None, connect_seconds: float = 60.0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError("使用 Dask 需要安装：pip install 'ogi-checks[dask]' / "
                                "the Dask executor needs: pip install 'ogi-checks[dask]'") from exc
        self.cluster: Any = None
        self.visible: set[str] = set()
        try:
            if address is None:
                with _main_hidden():  # worker processes are spawned: they must not re-run the caller's script
                    self.cluster = LocalCluster(n_workers=max(1, workers or default_jobs()), threads_per_worker=1,
                                                processes=True, dashboard_address=None,
                                                silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=connect_seconds)
            self.client.wait_for_workers(1, timeout=connect_seconds)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ExecutorError(f"无法连接 Dask 调度器 {address or '（本机）'}：{exc} / "
                                f"cannot reach the Dask scheduler {address or '(local)'}: {exc}") from exc
        self._check_workers()

    def _check_workers(self) -> None:
        """Every worker runs this ogi-checks version: another one could read differently."""
        try:
            versions = self.client.run(_ogi_version)
        except Exception as exc:
            self.close()
            raise ExecutorError(f"Dask 工作进程无法导入 ogi-checks：{exc} / "
                                f"the Dask workers cannot import ogi-checks: {exc}") from exc
        wrong = {address: version for address, version in versions.items() if version != __version__}
        if wrong:
            self.close()
            raise ExecutorError(f"Dask 工作进程的 ogi-checks 版本与本机（{__version__}）不同：{wrong} / "
                                f"Dask workers run another ogi-checks version than this one ({__version__}): {wrong}")

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def check_visible(self, path: str) -> None:
        """The workers see the batch's files (under the same absolute path): else every file would be F001.
        Asked once per folder."""
        folder = os.path.dirname(path)
        if folder in self.visible:
            return
        seen = self.client.run(os.path.exists, path)
        blind = sorted(address for address, exists in seen.items() if not exists)
        if blind:
            raise ExecutorError(f"Dask 工作进程 {', '.join(blind)} 看不到文件 {path}（需要共享文件系统，路径相同） / "
                                f"Dask worker(s) {', '.join(blind)} cannot see {path} "
                                "(the files must be on a shared file system under the same path)")
        self.visible.add(folder)

    def close(self) -> None:
        client = getattr(self, "client", None)
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
            self.cluster = None


def _ogi_version() -> str:
    return __version__


class DaskReader(_Reader):
    """The batch's files as Dask tasks of `chunk` consecutive files; outcomes come back as tasks finish."""

    def __init__(self, files: Sequence[Path], config: Config, task: Task, executor: DaskExecutor) -> None:
        from distributed import as_completed

        self.session: DaskSession = executor.session()
        self.client = self.session.client
        self.executor = executor
        self.files = files
        self.config = config
        self.task = task
        self.chunk = max(1, executor.chunk)
        self.cwd = os.getcwd()
        self.session.check_visible(self._opened(files[0]))
        self.token = uuid.uuid4().hex[:12]
        self.next = 0
        self.limit = 0
        self.tasks = 0
        self.pending: dict[str, list[int]] = {}  # task key → the files it reads
        self.completed = as_completed(with_results=True, raise_errors=False)
        self.probe_works = True

    def window(self) -> int:
        """Reports per window: two windows in flight keep every worker thread busy with two tasks."""
        return max(MIN_WINDOW, self.chunk * self.session.threads())

    def _opened(self, path: Path) -> str:
        return os.path.join(self.cwd, path)  # an absolute path stays as it is

    def _submit(self, indices: list[int]) -> None:
        from ogi.dask_reader import read_chunk  # by reference: the workers import it

        self.tasks += 1
        items = [(i, self._opened(self.files[i]), str(self.files[i])) for i in indices]
        key = f"ogi-read-{self.token}-{self.tasks}"
        future = self.client.submit(read_chunk, self.task, items, self.config, key=key, pure=False)
        self.pending[key] = indices
        self.completed.add(future)

    def allow(self, limit: int) -> None:
        self.limit = min(limit, len(self.files))
        while self.next < self.limit:
            end = min(self.next + self.chunk, self.limit)
            self._submit(list(range(self.next, end)))
            self.next = end

    def collect(self, block: bool) -> list[tuple[int, Outcome]]:
        if not self.pending:
            if block:
                raise RuntimeError("nothing is being read")  # a bug in the caller's limits
            return []
        batch = self.completed.next_batch(block=block)
        if not batch:
            return []
        retried = self._retried([future.key for future, _ in batch])
        out: list[tuple[int, Outcome]] = []
        for future, result in batch:
            indices = self.pending.pop(future.key)
            if future.status == "finished":
                out.extend(result)
                if future.key in retried:
                    self.executor.retried.extend(str(self.files[i]) for i in indices)
            elif len(indices) > 1:
                for index in indices:  # find the one file that fails: the others are read as usual
                    self._submit([index])
            else:
                out.append((indices[0], self._failure(indices[0], result)))
            future.release()
        return out

    def _retried(self, keys: list[str]) -> dict[str, int]:
        """The keys among `keys` whose worker was lost while they were assigned to it."""
        if not self.probe_works:
            return {}
        try:
            import cloudpickle

            import ogi._dask_probe as probe

            cloudpickle.register_pickle_by_value(probe)  # the scheduler need not have ogi installed
            found: dict[str, int] = self.client.run_on_scheduler(probe.suspicious, keys)
            return found
        except Exception:  # a scheduler refusing pickled code: results stay right, retries go uncounted
            self.probe_works = False
            return {}

    def _failure(self, index: int, error: Any) -> Outcome:
        path, source = Path(self._opened(self.files[index])), str(self.files[index])
        exc = error[1] if isinstance(error, tuple) and len(error) > 1 else error
        if type(exc).__name__ == "KilledWorker":
            return _failed(path, self.config, "读取时处理进程多次意外终止（可能触发了解析库的缺陷或内存不足）",
                           "the reading process died on every worker that read this file (a parsing library's "
                           "defect, or out of memory)", source)
        name = type(exc).__name__
        return _failed(path, self.config, f"读取时出现内部错误（{name}）", f"internal error while reading ({name})",
                       source)

    def close(self) -> None:
        futures = [future for future in self.completed.futures]
        with contextlib.suppress(Exception):
            self.completed.clear()
            if futures:
                self.client.cancel(futures)
        self.pending.clear()


# --- in the Dask worker ---------------------------------------------------------------------------

_PREPARED = False


class _ReadTimeout(BaseException):
    # BaseException: read_file turns every Exception into an "internal error" finding.
    pass


def _prepare() -> None:
    """Once per worker process, what a local worker does at start (imports, quiet warnings, the GC)."""
    global _PREPARED
    if _PREPARED:
        return
    warnings.simplefilter("ignore")  # a library's warning is not the batch's business
    _warm_up()
    # Reading a report makes ~10^5 short-lived objects and almost no cycles (see batch._worker_main).
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    _PREPARED = True


def read_chunk(task: Task, items: list[tuple[int, str, str]], config: Config) -> list[tuple[int, Outcome]]:
    """A Dask task: `task` on each (index, path to open, source), with the per-file time limit."""
    _prepare()
    out: list[tuple[int, Outcome]] = []
    for index, name, source in items:
        path = Path(name)
        try:
            outcome = _within(config.per_file_seconds, task, path, config, source)
        except _ReadTimeout:
            outcome = timed_out(path, config, config.per_file_seconds, source)
        except MemoryError:
            outcome = _failed(path, config, "文件解析所需内存过大", "parsing the file needs too much memory", source)
        out.append((index, outcome))
    return out


def _within(seconds: float, task: Task, path: Path, config: Config, source: str) -> Outcome:
    """task(path, config, source), interrupted by _ReadTimeout after `seconds` (in Python code: Dask runs tasks
    in threads, where no signal can be used)."""
    if seconds <= 0:
        return task(path, config, source)
    thread = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(_ReadTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        return task(path, config, source)
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            # An expiry that fired as the task returned: the file was read in time after all.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)
