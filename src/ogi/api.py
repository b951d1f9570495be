"""The Python API: `ogi.check(...)` and `ogi.extract(...)`. The CLI and the pytest plugin sit on it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ogi.config import Config
from ogi.engine import discover
from ogi.model import Report, SubmissionResult

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Results:
    """The outcome of a batch: one SubmissionResult per file, in discovery order."""

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
        """Every table cell of every report in long form (SPEC keys)."""
        from ogi.schemas.frames import cells_frame

        return cells_frame(self.reports)


def _previous_reports(paths: Iterable[str | Path] | None, config: Config,
                      jobs: int | None = None) -> dict[str, Report]:
    """Last year's reports, by agency name."""
    from ogi.batch import read_batch

    out: dict[str, Report] = {}
    for report in read_batch(discover(paths or ()), config, jobs=jobs):
        if isinstance(report, Report) and report.agency:
            out[report.agency] = report
    return out


def check(
    paths: Sequence[str | Path] | str | Path,
    config: Config | None = None,
    previous: Sequence[str | Path] | str | Path | None = None,
    history: str | Path | None = None,
    jobs: int | None = None,
    progress: bool = False,
) -> Results:
    """Check every submission under `paths`; `previous` gives last year's reports for cross-year rules."""
    config = config or Config()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if isinstance(previous, (str, Path)):
        previous = [previous]
    from ogi.batch import run_batch

    previous_by_agency = _previous_reports(previous, config, jobs)
    return Results(list(run_batch(discover(paths), config, previous_by_agency, history=history, jobs=jobs,
                                  progress=progress)))


@dataclass
class Extracted:
    """Reports read without being judged, and the files that could not be read."""

    reports: list[Report] = field(default_factory=list)
    unreadable: list[SubmissionResult] = field(default_factory=list)

    def tables_frame(self) -> pd.DataFrame:
        from ogi.schemas.frames import cells_frame

        return cells_frame(self.reports)


def extract(paths: Sequence[str | Path] | str | Path, config: Config | None = None,
            jobs: int | None = None) -> Extracted:
    """Read every submission without running the rules (for consolidating the numbers)."""
    config = config or Config()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    from ogi.batch import read_batch

    out = Extracted()
    for report in read_batch(discover(paths), config, jobs=jobs):
        if isinstance(report, SubmissionResult):
            out.unreadable.append(report)
        else:
            out.reports.append(report)
    return out
