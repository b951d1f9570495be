"""The Python API: `ogi.check(...)` and `ogi.extract(...)`. The CLI and the pytest plugin sit on it."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ogi.config import Config
from ogi.engine import discover
from ogi.model import Report, SubmissionResult

if TYPE_CHECKING:
    import pandas as pd

    from ogi.agency_key import AgencyIndex
    from ogi.executors import DaskExecutor


@dataclass
class Results:
    """The outcome of a batch: one SubmissionResult per file, in discovery order.

    Iterate it (or use ``.submissions``) for the model objects; ``.findings_frame()`` and
    ``.tables_frame()`` give the same as pandas DataFrames; ``.reports`` lists the reports that were read.
    """

    submissions: list[SubmissionResult] = field(default_factory=list)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.submissions)

    def __len__(self) -> int:
        return len(self.submissions)

    @property
    def reports(self) -> list[Report]:
        return [r.report for r in self.submissions if r.report is not None]

    def findings_frame(self) -> pd.DataFrame:
        """Every finding as a row: source, agency, year, rule, severity, category, message, …"""
        import pandas as pd

        from ogi.reports.serialize import jsonable

        rows = []
        for r in self.submissions:
            for f in r.findings:
                rows.append({
                    "source": r.source, "agency": r.report.agency if r.report else None,
                    "year": r.report.year if r.report else None, "rule": f.rule, "severity": f.severity.value,
                    "category": f.category.value, "message": f.message, "message_en": f.message_en,
                    "expected": jsonable(f.expected), "actual": jsonable(f.actual), "basis": f.basis,
                })
        columns = ["source", "agency", "year", "rule", "severity", "category", "message", "message_en",
                   "expected", "actual", "basis"]
        return pd.DataFrame(rows, columns=columns)

    def tables_frame(self) -> pd.DataFrame:
        """Every table cell of every report in long form (SPEC keys).

        Columns: source, agency, year, format_version, table (active | requests | appeals), row, column,
        value (float; NaN when the cell is blank or not a number), kind (number | blank | placeholder |
        annotated | text) and raw (the text as written).
        """
        from ogi.schemas.frames import cells_frame

        return cells_frame(self.reports)


def submission_label(result: SubmissionResult) -> str:
    """A short, stable name for a submission: agency (or file stem) and data year, e.g. 某某局-2023.

    The pytest plugin names its items with it and the Great Expectations table keys its rows on it.
    """
    report = result.report
    base = (report.agency if report and report.agency else None) or Path(result.source).stem
    name = _UNSAFE_IN_LABEL.sub("_", base).strip("_") or "submission"
    return f"{name}-{report.year}" if report and report.year else name


_UNSAFE_IN_LABEL = re.compile(r"[\s/\\:\[\]]+")


def _previous_reports(paths: Iterable[str | Path] | None, config: Config,
                      jobs: int | None = None, executor: DaskExecutor | None = None) -> AgencyIndex[Report]:
    """Last year's reports by agency, found by any name of the agency (淮安市洪泽区人民政府 ≡ 洪泽区人民政府).

    A report whose agency could not be read is kept under its file's path, which no agency's name matches,
    so that the cross-year rules can still say what was given.
    """
    from ogi.agency_key import AgencyIndex
    from ogi.batch import read_batch

    out: AgencyIndex[Report] = AgencyIndex()
    for report in read_batch(discover(paths or ()), config, jobs=jobs, executor=executor):
        if isinstance(report, Report):
            out[report.agency or report.source] = report
    return out


def check(
    paths: Sequence[str | Path] | str | Path,
    config: Config | None = None,
    previous: Sequence[str | Path] | str | Path | None = None,
    history: str | Path | None = None,
    jobs: int | None = None,
    progress: bool = False,
    executor: DaskExecutor | str | None = None,
) -> Results:
    """Check every submission under `paths` and return the results (nothing is written anywhere).

    paths: files, or folders searched recursively for .html/.docx/.xlsx/.pdf/.txt/.json/.yaml (and legacy
        .doc/.xls/.wps, which become `file` findings). Each file is read and checked in isolation: an
        unreadable one becomes a result with status "unreadable" and an F001/F002 finding.
    config: a `Config` (`ogi.config.load_config("ogi.toml")`); default: statutory deadlines, no waivers.
    previous: last year's reports (files or folders), matched by agency, for the cross-year rules.
    history: a history database (SQLite, created if absent): last year's data of each agency is read
        from it for the cross-year rules, and every report checked is saved in it (`ogi.history`).
    jobs: worker processes for reading (default: all CPUs); progress: show a progress bar on stderr.
    executor: None (this machine's worker processes), or read on a Dask cluster: "dask" (started here),
        "dask=tcp://scheduler:8786", or an `ogi.executors.DaskExecutor` (kept open for several batches;
        its `.retried` lists files read again after their worker was lost). The results are the same.

    Returns `Results`: ``.submissions`` (one `SubmissionResult` per file, in a stable order, with
    ``findings``, ``not_checked``, ``passed`` and ``status``), ``.findings_frame()`` and
    ``.tables_frame()`` (pandas DataFrames)::

        import ogi
        results = ogi.check("收到的年报/")
        errors = results.findings_frame().query("severity == 'error'")
    """
    return Results(list(iter_check(paths, config, previous, history, jobs, progress, executor=executor)))


def iter_check(
    paths: Sequence[str | Path] | str | Path,
    config: Config | None = None,
    previous: Sequence[str | Path] | str | Path | None = None,
    history: str | Path | None = None,
    jobs: int | None = None,
    progress: bool = False,
    keep_text: bool = True,
    executor: DaskExecutor | str | None = None,
) -> Generator[SubmissionResult, None, None]:
    """`check`, one SubmissionResult at a time as the batch goes (same arguments, same order).

    Nothing is kept: a consumer that writes each result out (the CLI's JSON output does) checks a batch
    of any size in the memory of a few windows of reports. keep_text=False gives each result's report
    without its prose (text, sections, number facts), which saves carrying it between processes when only
    the findings, metadata and tables are wanted; it has no effect with `previous` or `history`.
    """
    config = config or Config()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(previous, (str, Path)):
        previous = [previous]
    with _executor(executor, jobs) as chosen:
        yield from _iter_check(paths, config, previous, history, jobs, progress, keep_text, chosen)


def _iter_check(paths: Sequence[str | Path], config: Config, previous: Sequence[str | Path] | None,
                history: str | Path | None, jobs: int | None, progress: bool, keep_text: bool,
                executor: DaskExecutor | None) -> Generator[SubmissionResult, None, None]:
    from ogi.batch import run_batch

    previous_by_agency = _previous_reports(previous, config, jobs, executor)
    results = run_batch(discover(paths), config, previous_by_agency, history=history, jobs=jobs, progress=progress,
                        keep_text=keep_text, executor=executor)
    if history is None:
        yield from results
        return
    from ogi.history import HistoryStore, apply_history

    with HistoryStore(history) as store:
        yield from apply_history(results, store, config, previous_by_agency)


@contextlib.contextmanager
def _executor(executor: DaskExecutor | str | None, jobs: int | None) -> Iterator[DaskExecutor | None]:
    """The executor to read with: one named by a string is started here and closed after the batch; an
    `ogi.executors.DaskExecutor` given is the caller's to close."""
    if not isinstance(executor, str):
        yield executor
        return
    from ogi.executors import parse_executor

    with contextlib.ExitStack() as stack:
        chosen = parse_executor(executor, jobs)
        if chosen is not None:
            stack.enter_context(chosen)
        yield chosen


@dataclass
class Extracted:
    """Reports read without being judged, and the files that could not be read."""

    reports: list[Report] = field(default_factory=list)
    unreadable: list[SubmissionResult] = field(default_factory=list)

    def tables_frame(self) -> pd.DataFrame:
        from ogi.schemas.frames import cells_frame

        return cells_frame(self.reports)


def extract(paths: Sequence[str | Path] | str | Path, config: Config | None = None,
            jobs: int | None = None, executor: DaskExecutor | str | None = None) -> Extracted:
    """Read every submission without running the rules (for consolidating the numbers).

    Returns `Extracted`: ``.reports`` (the `Report`s read: agency, year, format version, dates,
    sections, tables in the SPEC's canonical keys) and ``.unreadable`` (results for files that could
    not be read, with their F001/F002 finding); ``.tables_frame()`` gives every table cell as a row.
    """
    config = config or Config()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    from ogi.batch import read_batch

    out = Extracted()
    with _executor(executor, jobs) as chosen:
        for report in read_batch(discover(paths), config, jobs=jobs, executor=chosen):
            if isinstance(report, SubmissionResult):
                out.unreadable.append(report)
            else:
                out.reports.append(report)
    return out
