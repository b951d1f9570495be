"""Checks run off the request path: a queue of jobs served by a few checker threads, each handing its
files to the batch engine (`ogi.batch.run_batch`), which reads every file in a worker process with the
engine's time and memory limits. A large PDF, a zip bomb or a billion-laughs file costs one worker at
most `Config.per_file_seconds` and is answered with a finding; other users' checks go on in the other
checker thread meanwhile.

Jobs waiting when a thread becomes free are checked together as one batch, so that the worker processes'
start-up (~0.5 s a batch) is shared when many reports arrive at once: up to BATCH_SIZE submissions, but
only DRAFT_BATCH_SIZE self-checks, whose senders are watching the page (a batch's results come together).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ogi.config import Config
from ogi.model import Finding, SubmissionResult

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("ogi.serve")

# Checking yields the CPU to answering requests: on Linux a thread's niceness is its own, and the worker
# processes it starts (through the fork server it starts first) inherit it.
NICENESS = 10
BATCH_SIZE = 64
DRAFT_BATCH_SIZE = 4
WORKERS_PER_BATCH = 2  # never 1 (see Checker.check)


@dataclasses.dataclass
class Job:
    """One file to check. `path` is a file the job owns (deleted after the check) or a link to a stored blob."""

    id: str
    path: Path
    name: str  # what the user called the file: shown, never used as a path
    config: Config
    save_history: bool
    on_done: Callable[[Job], None] | None = None
    state: str = "queued"  # queued | checking | done
    queued_at: float = dataclasses.field(default_factory=time.monotonic)
    started_at: float | None = None
    result: SubmissionResult | None = None
    done: threading.Event = dataclasses.field(default_factory=threading.Event)


class Checker:
    def __init__(self, engine: Engine | None, threads: int = 2, workers: int = WORKERS_PER_BATCH) -> None:
        self.engine = engine
        self.workers = max(2, workers)
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._stopping = False
        self._threads = [threading.Thread(target=self._run, name=f"ogi-checker-{i}", daemon=True)
                         for i in range(max(1, threads))]
        self.scratch = Path(tempfile.mkdtemp(prefix="ogi-desk-"))
        self._names = itertools.count()
        for thread in self._threads:
            thread.start()

    # --- the queue ---------------------------------------------------------------------------------

    def submit(self, job: Job) -> Job:
        with self._cond:
            self._queue.append(job)
            self._cond.notify()
        return job

    def position(self, job: Job) -> int:
        """1 for the next job to start; 0 once it has started."""
        with self._cond:
            for index, queued in enumerate(self._queue):
                if queued is job:
                    return index + 1
        return 0

    def pending(self) -> int:
        with self._cond:
            return len(self._queue)

    def stop(self, timeout: float = 30) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def scratch_file(self, name: str, data: bytes | None = None, link_to: Path | None = None) -> Path:
        """A path named after `name` (cleaned) in a fresh folder: the file's bytes, or a link to a stored blob.

        The reader sees the suffix the user gave (a mismatch with the content is itself a finding, F003);
        the folder is the job's own, so names never collide.
        """
        from ogi.reports.bundle import safe_stem

        folder = self.scratch / f"j{next(self._names)}"
        folder.mkdir()
        suffix = Path(name).suffix
        clean_suffix = "." + safe_stem(suffix.lstrip("."))[:10] if suffix else ""
        path = folder / (safe_stem(Path(name).stem)[:80] + clean_suffix)
        if link_to is not None:
            os.symlink(link_to, path)
        else:
            path.write_bytes(data or b"")
        return path

    # --- the threads -------------------------------------------------------------------------------

    def _take(self) -> list[Job]:
        with self._cond:
            while not self._queue and not self._stopping:
                self._cond.wait()
            if self._stopping:
                return []
            first = self._queue.popleft()
            batch = [first]
            size = BATCH_SIZE if first.save_history else DRAFT_BATCH_SIZE
            # Only jobs with the same configuration share a batch (the engine takes one per batch).
            for job in list(self._queue):
                if len(batch) >= size:
                    break
                if job.config == first.config and job.save_history == first.save_history:
                    self._queue.remove(job)
                    batch.append(job)
            for job in batch:
                job.state = "checking"
                job.started_at = time.monotonic()
            return batch

    def _run(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            os.nice(NICENESS)
        while True:
            batch = self._take()
            if not batch:
                return
            try:
                results = self.check(batch)
            except Exception:  # never lose a job: each gets an internal-error finding
                log.exception("checking a batch failed")
                results = [_internal_error(job) for job in batch]
            for job, result in zip(batch, results, strict=True):
                job.result = result
                job.state = "done"
                with contextlib.suppress(OSError):
                    shutil.rmtree(job.path.parent)
                if job.on_done is not None:
                    try:
                        job.on_done(job)
                    except Exception:
                        log.exception("recording a checked job failed")
                job.done.set()

    def check(self, batch: list[Job]) -> list[SubmissionResult]:
        from ogi.batch import run_batch

        config = batch[0].config
        # jobs >= 2 even for one file: the engine then reads it in a worker process (one, for one file) with
        # its time and memory limits; jobs=1 would read it in this process, with neither.
        results = list(run_batch([job.path for job in batch], config, jobs=self.workers))
        if self.engine is not None:
            from ogi.history import HistoryStore, apply_history

            store = HistoryStore(self.engine)
            results = list(apply_history(results, store, config, save=batch[0].save_history))
        return [relabel(result, job.path, job.name) for job, result in zip(batch, results, strict=True)]


def relabel(result: SubmissionResult, path: Path, name: str) -> SubmissionResult:
    """The result as if the file had been checked under the name its sender gave it (not our scratch path)."""
    where = str(path)

    def fix(finding: Finding) -> Finding:
        if finding.location.text == where:
            return dataclasses.replace(finding, location=dataclasses.replace(finding.location, text=name))
        return finding

    report = result.report
    if report is not None:
        report = dataclasses.replace(report, source=name)
    return dataclasses.replace(result, source=name, report=report, findings=tuple(fix(f) for f in result.findings),
                               waived=tuple(fix(f) for f in result.waived))


def _internal_error(job: Job) -> SubmissionResult:
    from ogi.engine import file_finding, unreadable

    finding = file_finding(job.name, "", "F001", "检查时出现内部错误，请稍后重试",
                           "an internal error occurred while checking; please try again")
    return unreadable(job.name, "", finding, job.config)
