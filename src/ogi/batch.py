"""Running a batch: each submission read and checked in isolation, results streamed in input order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ogi.config import Config
from ogi.engine import check_report, read_file
from ogi.model import Report, SubmissionResult


def run_batch(files: Sequence[Path], config: Config, previous: dict[str, Report] | None = None, *,
              history: str | Path | None = None, jobs: int | None = None,
              progress: bool = False) -> Iterator[SubmissionResult]:
    previous = previous or {}
    progress_bar = None
    task = None
    if progress and len(files) > 1:
        from rich.progress import Progress

        progress_bar = Progress(transient=True)
        progress_bar.start()
        task = progress_bar.add_task("检查中 / checking", total=len(files))
    try:
        for path in files:
            report = read_file(path, config)
            if isinstance(report, SubmissionResult):
                yield report
            else:
                yield check_report(report, config, previous.get(report.agency or ""))
            if progress_bar is not None and task is not None:
                progress_bar.advance(task)
    finally:
        if progress_bar is not None:
            progress_bar.stop()
