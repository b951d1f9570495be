"""Running a batch: submissions read and checked in parallel worker processes, streamed in input order.

Worker processes get a path and send back the Report with what the per-report rules said about it,
or an UNREADABLE SubmissionResult. The main process keeps results in input order and runs, over a
window of reports at once, what needs more than one report: the table identities (A101–A104),
evaluated vectorised on one long pandas frame of the window, and the cross-year rules (which need
last year's reports). Then it yields.

What bounds a batch:

- memory: at most two windows of reports are read ahead of the one being yielded;
- time: a file that keeps a worker busy longer than `Config.per_file_seconds` has its worker killed
  and replaced, and the submission gets F001 (timed out); a worker that dies (a crash in a parsing
  library, the kernel's OOM killer) gives F001 too; the batch goes on;
- memory per worker: the address space of each worker is capped (`resource.RLIMIT_AS`), so a
  decompression bomb ends as a MemoryError → F001 inside that worker, not as an exhausted machine.

`jobs=1` works in the calling process (for debugging and profiling), through the same functions;
the time limit is then a best-effort SIGALRM (it cannot interrupt C code) and memory is not capped.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import heapq
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ogi.checks.content import report_is_empty
from ogi.checks.registry import Rule
from ogi.config import Config
from ogi.engine import (
    NO_PREVIOUS,
    RuleResults,
    applicable_rules,
    file_finding,
    previous_not_found,
    read_file,
    run_rules,
    submission_result,
    unreadable,
)
from ogi.model import PackedTables, Report, SubmissionResult

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

    from ogi.checks.identities import IdentityInputs
    from ogi.executors import DaskExecutor


@dataclass(frozen=True)
class Checked:
    """A report read in a worker, with what the rules run there said about it."""

    report: Report
    results: RuleResults
    # The report's cells for the window's vectorised identities, taken here rather than in the main process.
    identities: IdentityInputs | None = None
    # No report content was read (`report_is_empty`), decided here: the main process may get the report
    # without its prose.
    empty: bool = False


Outcome = Union[Report, SubmissionResult, Checked]  # noqa: UP007 - a runtime alias
# (path to open, config, source): `source` names the submission in the results (the path as given), when the
# file is opened under another name (a Dask worker in another working directory).
Task = Callable[[Path, Config, Union[str, None]], Outcome]  # noqa: UP007 - a runtime alias

# Address space a worker may add to what it has after start-up.
WORKER_MEMORY_BYTES = 2 * 1024**3
# Tasks queued per worker: the next file is already there when one is finished, so workers stay
# busy while the main process checks a window of reports.
QUEUE_DEPTH = 4
# Reports read ahead and handled together: the window is at least this long (pandas has a fixed
# cost per call, amortised over the window).
MIN_WINDOW = 64
# Fewer reports with tables than this in a window: each report's identity rules evaluate their own
# (the same results, without importing pandas: a single report is checked ~0.5 s sooner).
MIN_VECTORISED = 16
# While a window is finished, the workers are fed every this many reports: each has QUEUE_DEPTH files
# queued, far more work than the main process does for a few reports, and each look costs a poll.
PUMP_EVERY = 8
# Waiting for outcomes, the main process first sleeps about as long as the workers take to send this many
# (at most GATHER_SECONDS): each wake-up costs it far more CPU than the message it reads (its caches have
# gone cold meanwhile), and the workers' queues hold more than that much work.
GATHER_OUTCOMES = 4
GATHER_SECONDS = 0.05
START_METHOD_ENV = "OGI_START_METHOD"
# A new worker's imports do not count against the first file it reads (up to this long).
STARTUP_SECONDS = 60.0
# The rules that read precomputed["identities"].
IDENTITY_RULES = frozenset({"A101", "A102", "A103", "A104"})


def default_jobs() -> int:
    """Worker processes by default: every CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_batch(files: Sequence[Path], config: Config, previous: Mapping[str, Report] | None = None, *,
              history: str | Path | None = None, jobs: int | None = None, progress: bool = False,
              window: int | None = None, keep_text: bool = True,
              executor: DaskExecutor | None = None) -> Iterator[SubmissionResult]:
    """Read and check every file; results come in the order of `files`, as soon as their window is done.

    keep_text=False: the reports come back without their prose (see `without_prose`), which the workers
    then need not send; ignored when last year's reports are given, since the cross-year rules read it.
    executor: read on a Dask cluster instead of this machine's worker processes (`ogi.executors`); the
    results are the same.
    """
    previous = previous or {}
    task = _read_and_check if keep_text or previous or history is not None else _read_and_check_slim
    reads = _OrderedReads(files, config, jobs, window, task, executor)  # workers start before the bar's thread
    bar = _Progress(len(files)) if progress and len(files) > 1 else None
    try:
        for chunk in reads:
            checked = [c for c in chunk if isinstance(c, Checked)]
            precomputed = _precompute([c.report for c in checked], config, [c.identities for c in checked])
            for position, item in enumerate(chunk, start=1):
                if isinstance(item, Checked):
                    report = item.report
                    # `previous` is an AgencyIndex (api): any name of the agency finds its report.
                    last = previous.get(report.agency or "")
                    why = previous_not_found(report, previous) if last is None else NO_PREVIOUS
                    here = run_rules(report, config, main_rules(report, config), last, precomputed=precomputed,
                                     empty=item.empty, no_previous=why)
                    item = submission_result(report, item.results + here)
                    if position % PUMP_EVERY == 0:
                        reads.pump()  # keep the workers fed while this window is finished
                assert isinstance(item, SubmissionResult)
                if bar is not None:
                    bar.advance()
                yield item
    finally:
        reads.close()
        if bar is not None:
            bar.stop()


def read_batch(files: Sequence[Path], config: Config, *, jobs: int | None = None,
               window: int | None = None, executor: DaskExecutor | None = None) -> Iterator[Report | SubmissionResult]:
    """Read every file (no rules): a Report or an UNREADABLE result per file, in the order of `files`."""
    reads = _OrderedReads(files, config, jobs, window, _read_only, executor)
    try:
        for chunk in reads:
            for item in chunk:
                assert isinstance(item, (Report, SubmissionResult))
                yield item
    finally:
        reads.close()


def _runs_in_main(rule: Rule) -> bool:
    # Identities are evaluated over the whole window; cross-year rules need last year's reports.
    return rule.code in IDENTITY_RULES or rule.needs_history


def main_rules(report: Report, config: Config) -> list[Rule]:
    """The rules the main process runs on a report (after the window's batch computations)."""
    return list(_split_rules(report, config)[1])


def worker_rules(report: Report, config: Config) -> list[Rule]:
    """The rules that need nothing but the report: they run where it was read."""
    return list(_split_rules(report, config)[2])


# The applicable rules (a cached tuple, by identity) → (those rules, the main process's, the workers').
_SPLIT: dict[int, tuple[tuple[Rule, ...], tuple[Rule, ...], tuple[Rule, ...]]] = {}


def _split_rules(report: Report, config: Config) -> tuple[tuple[Rule, ...], tuple[Rule, ...], tuple[Rule, ...]]:
    rules = applicable_rules(report.format_version, config)  # every report of a batch asks the same few times
    split = _SPLIT.get(id(rules))
    if split is None or split[0] is not rules:
        split = _SPLIT[id(rules)] = (rules, tuple(r for r in rules if _runs_in_main(r)),
                                     tuple(r for r in rules if not _runs_in_main(r)))
    return split


def _read_only(path: Path, config: Config, source: str | None = None) -> Report | SubmissionResult:
    return read_file(path, config, source)


def _read_and_check(path: Path, config: Config, source: str | None = None) -> SubmissionResult | Checked:
    outcome = read_file(path, config, source)
    if isinstance(outcome, SubmissionResult):
        return outcome
    empty = report_is_empty(outcome)
    results = run_rules(outcome, config, worker_rules(outcome, config), empty=empty)
    if config.disabled >= IDENTITY_RULES or empty:
        return Checked(outcome, results, empty=empty)
    from ogi.checks.identities import identity_inputs

    return Checked(outcome, results, identity_inputs(outcome), empty)


def without_prose(report: Report) -> Report:
    """The report without its text, sections and number facts: what the main process needs of it when the
    results are only written out (metadata, tables for the identities, read notes), at half the size.

    The tables travel as one pickled blob, unpickled where they are looked at: in the main process, only
    for the reports an identity fails for (the identities' inputs travel beside the report).
    """
    return replace(report, sections=(), preamble="", facts=(), text="", tables=PackedTables.pack(report.tables))


def _read_and_check_slim(path: Path, config: Config, source: str | None = None) -> SubmissionResult | Checked:
    outcome = _read_and_check(path, config, source)
    if isinstance(outcome, Checked):
        return replace(outcome, report=without_prose(outcome.report))
    return outcome


class _OrderedReads:
    """The outcomes of reading `files` in input order, one window (a list) at a time.

    Files are read up to one window ahead of the window being handed out: what is in memory is
    bounded by two windows, whatever the size of the batch.
    """

    def __init__(self, files: Sequence[Path], config: Config, jobs: int | None, window: int | None,
                 task: Task, executor: DaskExecutor | None = None) -> None:
        self.files = files
        self.reader: _Reader
        if executor is not None and files:
            from ogi.dask_reader import DaskReader

            dask_reader = DaskReader(files, config, task, executor)
            self.reader = dask_reader
            self.size = max(1, window if window is not None else dask_reader.window())
        else:
            jobs = max(1, jobs if jobs is not None else default_jobs())
            self.size = max(1, window if window is not None else max(MIN_WINDOW, 4 * jobs))
            self.reader = (_InProcessReader(files, config, task) if jobs == 1 or len(files) == 0
                           else _PoolReader(files, config, min(jobs, len(files)), task))
        self.done: dict[int, Outcome] = {}

    def __iter__(self) -> Iterator[list[Outcome]]:
        for start in range(0, len(self.files), self.size):
            end = min(start + self.size, len(self.files))
            self.reader.allow(end + self.size)
            for index in range(start, end):
                while index not in self.done:
                    self.done.update(self.reader.collect(block=True))
            yield [self.done.pop(i) for i in range(start, end)]

    def pump(self) -> None:
        """Take in what the workers have finished and give them more, without waiting."""
        self.done.update(self.reader.collect(block=False))

    def close(self) -> None:
        self.reader.close()


def _precompute(reports: Sequence[Report], config: Config,
                inputs: Sequence[IdentityInputs | None] | None = None) -> dict[str, Any]:
    """Batch results the rules read from `RuleContext.precomputed`, shared by the window's reports.

    Table identities are evaluated once over the long cell frame of the whole window. When that is
    not possible the rules compute their own, so a failure here costs time, never findings.
    """
    if sum(1 for r in reports if r.tables) < MIN_VECTORISED or config.disabled >= IDENTITY_RULES:
        return {}  # a handful of reports: cheaper one by one than importing pandas
    try:
        from ogi.checks.identities import precompute_identities

        return precompute_identities(reports, inputs, frame=False)  # the rules need no frame (nor pandas)
    except Exception:  # the rules fall back to their own evaluation
        return {}


class _Progress:
    """A transient progress bar on stderr (the CLI asks for it only on a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=Console(stderr=True))
        self.bar.start()
        self.task = self.bar.add_task("检查中 / checking", total=total)

    def advance(self) -> None:
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    def allow(self, limit: int) -> None:
        """Files with an index below `limit` may be read now."""
        raise NotImplementedError

    def collect(self, block: bool) -> list[tuple[int, Outcome]]:
        """Outcomes finished since the last call (at least one when `block`), in any order."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def timed_out(path: Path, config: Config, seconds: float, source: str | None = None) -> SubmissionResult:
    shown = f"{seconds:g}"
    return _failed(path, config, f"读取超时（超过 {shown} 秒），文件可能过于复杂或是恶意构造的",
                   f"reading timed out after {shown} s; the file may be pathologically complex or hostile", source)


def worker_died(path: Path, config: Config, exitcode: int | None) -> SubmissionResult:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    killed = exitcode == -signal.SIGKILL
    zh = "读取时处理进程意外终止" + ("（可能是内存不足）" if killed else "（可能触发了解析库的缺陷）")
    en = f"the reading process died ({how}{', probably out of memory' if killed else ''})"
    return _failed(path, config, zh, en)


def _failed(path: Path, config: Config, zh: str, en: str, source: str | None = None) -> SubmissionResult:
    source, sha256 = source or str(path), _sha256(path, config)
    return unreadable(source, sha256, file_finding(source, sha256, "F001", zh, en), config)


def _sha256(path: Path, config: Config) -> str:
    """The file's digest for a submission whose reader never finished; "" when it cannot be had."""
    try:
        if path.stat().st_size > config.max_file_bytes:
            return ""
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return ""


class _ReadTimeout(BaseException):
    # BaseException: read_file turns every Exception into an "internal error" finding.
    pass


class _InProcessReader(_Reader):
    """Reads in this process, one file per `collect`; a time limit by SIGALRM where it can be set."""

    def __init__(self, files: Sequence[Path], config: Config, task: Task) -> None:
        self.files = files
        self.config = config
        self.task = task
        self.next = 0
        self.limit = 0

    def allow(self, limit: int) -> None:
        self.limit = min(limit, len(self.files))

    def collect(self, block: bool) -> list[tuple[int, Outcome]]:
        if not block or self.next >= self.limit:
            return []
        index = self.next
        self.next += 1
        return [(index, self._read(self.files[index]))]

    def _read(self, path: Path) -> Outcome:
        seconds = self.config.per_file_seconds
        alarm = (seconds > 0 and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
        if not alarm:
            return self.task(path, self.config, None)

        def expire(signum: int, frame: object) -> None:
            raise _ReadTimeout

        old = signal.signal(signal.SIGALRM, expire)
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return self.task(path, self.config, None)
        except _ReadTimeout:
            return timed_out(path, self.config, seconds)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)

    def close(self) -> None:
        pass


def start_method() -> str:
    """How worker processes start: OGI_START_METHOD if set; else fork where it is safe, else forkserver.

    fork starts a worker in milliseconds with everything already imported, but forking a process
    that runs other threads can copy a lock in the held state, so it is used only while this is
    the sole thread. forkserver forks workers from a clean single-threaded server (one interpreter
    start, ~0.5 s); spawn, the last resort, starts an interpreter per worker.
    """
    wanted = os.environ.get(START_METHOD_ENV)
    methods = multiprocessing.get_all_start_methods()
    if wanted in methods:
        return wanted
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


# Modules a worker needs, imported once in the fork server so that each worker starts warm.
_PRELOAD = ["ogi.engine", "ogi.ingest.assemble", "ogi.ingest.readers", "ogi.ingest.html",
            "ogi.ingest.structured", "ogi.checks.rules"]


def _context() -> BaseContext:
    method = start_method()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(_PRELOAD)
    elif method == "fork":
        _warm_up()
    return ctx


def _warm_up() -> None:
    """Import and load here what every worker needs: forked workers inherit it instead of each doing it
    again (~0.4 s of CPU per worker: the readers' imports and the format definitions)."""
    for module in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    from ogi.schemas.definitions import FORMAT_VERSIONS, load_format

    for version in FORMAT_VERSIONS:
        load_format(version)


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start processes without them importing the caller's __main__.

    spawn and forkserver re-import the main script in the child unless it is guarded by
    `if __name__ == "__main__"`; a worker needs nothing from it, and a script calling `ogi.check()`
    at top level (or a notebook) must not have to know about the guard.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _Worker:
    def __init__(self, ctx: BaseContext, config: Config, task: Task) -> None:
        here, there = ctx.Pipe(duplex=True)
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(there, config, task, WORKER_MEMORY_BYTES), daemon=True)
        with _main_hidden():
            self.process.start()
        there.close()
        self.conn: Connection = here
        self.tasks: deque[int] = deque()
        self.ready = False  # has imported the readers
        self.head_since = 0.0  # when the first queued task started (as far as this process knows)

    def send(self, index: int, path: Path) -> None:
        if not self.tasks:
            self.head_since = time.monotonic()
        self.tasks.append(index)
        self.conn.send((index, str(path)))

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _PoolReader(_Reader):
    """Worker processes, each fed up to QUEUE_DEPTH paths; overdue workers are killed and replaced."""

    def __init__(self, files: Sequence[Path], config: Config, jobs: int, task: Task) -> None:
        self.files = files
        self.config = config
        self.task = task
        self.ctx = _context()
        self.jobs = jobs
        self.next = 0
        self.limit = 0
        self.retry: list[int] = []  # files taken back from a killed worker, read again first
        self.seconds = config.per_file_seconds
        self.first_outcome = 0.0  # when the first outcome arrived
        self.outcomes = 0  # outcomes received since
        # Started now, while (in the CLI) this is the only thread: forked workers are cheap and safe.
        self.workers: list[_Worker] = [_Worker(self.ctx, config, task) for _ in range(jobs)]

    def allow(self, limit: int) -> None:
        self.limit = min(limit, len(self.files))
        self._dispatch()

    def _pending(self) -> bool:
        return bool(self.retry) or self.next < self.limit

    def _take(self) -> int:
        if self.retry:
            return heapq.heappop(self.retry)
        self.next += 1
        return self.next - 1

    def _dispatch(self) -> None:
        while len(self.workers) < self.jobs and self._pending():
            self.workers.append(_Worker(self.ctx, self.config, self.task))
        for depth in range(1, QUEUE_DEPTH + 1):  # spread: every worker gets one before any gets two
            for worker in self.workers:
                if not self._pending():
                    return
                if len(worker.tasks) < depth:
                    index = self._take()
                    try:
                        worker.send(index, self.files[index])
                    except OSError:  # the worker is gone: read the file elsewhere
                        worker.tasks.pop()
                        heapq.heappush(self.retry, index)
                        if not worker.tasks:  # else collect() sees it die and takes its files back
                            worker.kill()
                            self.workers.remove(worker)
                        return

    def collect(self, block: bool) -> list[tuple[int, Outcome]]:
        out: list[tuple[int, Outcome]] = []
        while True:
            self._dispatch()
            busy = [w for w in self.workers if w.tasks]
            if not busy:
                if block and not out:
                    raise RuntimeError("nothing is being read")  # a bug in the caller's limits
                return out
            handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            ready = set(wait(handles, 0.0))
            if block and not out and not ready:
                self._gather()
                # Wake up when the oldest file in reading runs out of time.
                oldest = min(w.head_since for w in busy)
                timeout = max(0.0, oldest + self.seconds - time.monotonic()) if self.seconds > 0 else None
                ready = set(wait(handles, timeout))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._receive(worker, out)  # a dead worker: what it sent before dying, then EOF
            self._expire(out)
            if out or not block:
                self._dispatch()
                return out

    def _gather(self) -> None:
        """Sleep while the workers finish a few files (nothing is ready yet), so that one wake-up reads
        several outcomes."""
        if self.outcomes < GATHER_OUTCOMES:
            return  # no rate known yet
        interval = (time.monotonic() - self.first_outcome) / self.outcomes
        time.sleep(min(GATHER_SECONDS, GATHER_OUTCOMES * interval))

    def _receive(self, worker: _Worker, out: list[tuple[int, Outcome]]) -> None:
        try:
            while worker.conn.poll():
                index, outcome = worker.conn.recv()
                if index is None:  # warmed up: the clock of its first file starts now
                    worker.ready = True
                    worker.head_since = time.monotonic()
                    continue
                if worker.tasks and worker.tasks[0] == index:
                    worker.tasks.popleft()
                    worker.head_since = time.monotonic()
                if not self.outcomes:
                    self.first_outcome = time.monotonic()
                self.outcomes += 1
                out.append((index, outcome))
        except (EOFError, OSError):
            self._replace(worker, out, None)
            return
        if not worker.process.is_alive():
            self._replace(worker, out, None)

    def _expire(self, out: list[tuple[int, Outcome]]) -> None:
        if self.seconds <= 0:
            return
        now = time.monotonic()
        for worker in list(self.workers):
            allowed = self.seconds if worker.ready else self.seconds + STARTUP_SECONDS
            if worker.tasks and now - worker.head_since >= allowed:
                self._replace(worker, out, self.seconds)

    def _replace(self, worker: _Worker, out: list[tuple[int, Outcome]], timeout: float | None) -> None:
        """Kill `worker`: its current file gets F001, the files queued behind it go to another worker."""
        worker.kill()
        self.workers.remove(worker)
        if not worker.tasks:
            return
        head, *rest = worker.tasks
        path = self.files[head]
        if timeout is not None:
            out.append((head, timed_out(path, self.config, timeout)))
        else:
            out.append((head, worker_died(path, self.config, worker.process.exitcode)))
        for index in rest:
            heapq.heappush(self.retry, index)

    def close(self) -> None:
        """Idle workers are asked to exit; busy ones (a batch stopped early, Ctrl-C) are killed."""
        for worker in self.workers:
            if worker.tasks:
                worker.kill()
            else:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2
        for worker in self.workers:
            if not worker.tasks:
                worker.process.join(max(0.0, deadline - time.monotonic()))
                if worker.process.is_alive():
                    worker.kill()
                else:
                    worker.conn.close()
        self.workers.clear()


def _limit_memory(extra: int) -> None:
    """Cap this process's address space at what it has now plus `extra` bytes (Linux)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _worker_main(conn: Connection, config: Config, task: Task, memory: int) -> None:
    """A worker: take paths from `conn` until None, send back (index, task(path))."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process, which stops us
    _limit_memory(memory)
    import warnings

    warnings.simplefilter("ignore")  # a library's warning must not reach the user's terminal
    # Fresh stdout/stderr: a forked worker must not wait on a stream lock copied from the parent,
    # and nothing a parsing library prints belongs on the user's terminal.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    import faulthandler

    faulthandler.disable()  # a crash is reported as F001 for its file, not as a C traceback on the terminal
    for module in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    # Reading a report makes ~10^5 short-lived objects and almost no cycles: with the default thresholds
    # the collector would scan the imported modules' objects over and over (~10% of a worker's time).
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    conn.send((None, None))  # ready
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, name = message
        path = Path(name)
        try:
            outcome = task(path, config, None)
        except MemoryError:
            outcome = _failed(path, config, "文件解析所需内存过大", "parsing the file needs too much memory")
        try:
            conn.send((index, outcome))
        except (EOFError, OSError):
            return
        except Exception as exc:  # e.g. MemoryError or a pickling error on the way back
            conn.send((index, _failed(path, config, f"读取时出现内部错误（{type(exc).__name__}）",
                                      f"internal error while sending the result ({type(exc).__name__})")))
