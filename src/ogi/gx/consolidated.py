"""The consolidated table: one row per submission (and per roster agency that did not submit).

It is what a supervising office tabulates every year — who reported, when, against which deadline,
the headline numbers of tables 三 and 四, whether the table identities hold, and how many problems
the checks found — and what the Great Expectations suite validates. Every value comes from the
engine's results: nothing is checked again here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogi.agency_key import agency_key
from ogi.config import Config
from ogi.model import Report, Severity, SubmissionResult
from ogi.schemas.definitions import FORMAT_VERSIONS, load_format

if TYPE_CHECKING:
    import pandas as pd

    from ogi.roster import RosterEntry

# (column, table, row, column of the table): the key totals the office sums across agencies.
TOTALS: tuple[tuple[str, str, str, str], ...] = (
    ("requests_new_received", "requests", "new_received", "total"),
    ("requests_carried_over", "requests", "carried_over", "total"),
    ("requests_total_processed", "requests", "total_processed", "total"),
    ("requests_carried_forward", "requests", "carried_forward", "total"),
    ("appeals_review_total", "appeals", "review", "total"),
    ("appeals_litigation_direct_total", "appeals", "litigation_direct", "total"),
    ("appeals_litigation_after_review_total", "appeals", "litigation_after_review", "total"),
)
COUNT_COLUMNS = (*(t[0] for t in TOTALS), "appeals_litigation_total", "errors", "warnings", "infos")


@dataclass(frozen=True)
class IdentityColumn:
    """One table identity of SPEC §3.5 (A101 …) as a boolean column of the consolidated table."""

    code: str
    column: str
    zh: str
    en: str


def identity_columns() -> list[IdentityColumn]:
    """Every identity the format definitions declare, once per code, ordered by code."""
    found: dict[str, IdentityColumn] = {}
    for version in FORMAT_VERSIONS:
        for ident in load_format(version).identities:
            found.setdefault(ident.code, IdentityColumn(ident.code, f"identity_{ident.code}", ident.zh, ident.en))
    return [found[c] for c in sorted(found)]


BASE_COLUMNS = ["submission", "source", "agency", "agency_key", "level", "year", "format_version", "published",
                "signed", "deadline", "on_time"]
TAIL_COLUMNS = ["errors", "warnings", "infos", "status", "submitted", "roster_agency", "jurisdiction",
                "roster_status"]


def columns() -> list[str]:
    """The consolidated table's columns, in order."""
    return [*BASE_COLUMNS, *(t[0] for t in TOTALS), "appeals_litigation_total",
            *(i.column for i in identity_columns()), *TAIL_COLUMNS]


def _number(report: Report | None, table: str, row: str, col: str) -> Decimal | None:
    if report is None or table not in report.tables:
        return None
    return report.tables[table].value(row, col)


def identity_outcome(result: SubmissionResult, code: str) -> bool | None:
    """True when the identity's rule ran and found nothing, False when it found something, else None."""
    report = result.report
    if report is None or not report.format_version:
        return None
    if code not in {i.code for i in load_format(report.format_version).identities}:
        return None
    if any(f.rule == code for f in (*result.findings, *result.waived)):
        return False
    if code in result.passed:
        return True
    return None  # not checked, or the rule is not (yet) registered


def _deadline(report: Report | None, config: Config, entry: RosterEntry | None) -> dt.date | None:
    from ogi.roster import regulation_for

    if entry is not None and entry.deadline is not None:
        return entry.deadline
    if report is None or report.year is None:
        return None
    level = (entry.level if entry else None) or report.level
    if level is None:
        return None
    name = f"{entry.jurisdiction}{entry.agency}" if entry else report.agency
    try:
        return config.deadline(regulation_for(report.year), level, name, report.year)
    except (KeyError, ValueError):
        return None


def _row(result: SubmissionResult, label: str, config: Config, entry: RosterEntry | None,
         roster_status: str | None, idents: Sequence[IdentityColumn]) -> dict[str, Any]:
    report = result.report
    published = report.published.date if report and report.published else None
    deadline = _deadline(report, config, entry)
    row: dict[str, Any] = {
        "submission": label, "source": result.source,
        "agency": report.agency if report else None,
        # One agency under two names (淮安市洪泽区人民政府, 洪泽区人民政府) has one key: "one report per agency".
        "agency_key": agency_key(report.agency) if report and report.agency else None,
        "level": report.level if report else None,
        "year": report.year if report else None, "format_version": report.format_version if report else None,
        "published": published, "signed": report.signed.date if report and report.signed else None,
        "deadline": deadline, "on_time": (published <= deadline) if published and deadline else None,
    }
    for column, table, table_row, table_col in TOTALS:
        row[column] = _number(report, table, table_row, table_col)
    direct, after = row["appeals_litigation_direct_total"], row["appeals_litigation_after_review_total"]
    row["appeals_litigation_total"] = direct + after if direct is not None and after is not None else None
    for ident in idents:
        row[ident.column] = identity_outcome(result, ident.code)
    row["errors"] = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    row["warnings"] = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    row["infos"] = sum(1 for f in result.findings if f.severity is Severity.INFO)
    row["status"] = result.status.value
    row["submitted"] = True
    row["roster_agency"] = entry.agency if entry else None
    row["jurisdiction"] = entry.jurisdiction if entry else None
    row["roster_status"] = roster_status
    return row


def _missing_row(entry: RosterEntry, idents: Sequence[IdentityColumn]) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(columns())
    row.update({"submission": entry.agency, "agency": entry.agency, "agency_key": agency_key(entry.agency),
                "level": entry.level,
                "deadline": entry.deadline, "status": "missing", "submitted": False,
                "jurisdiction": entry.jurisdiction, "roster_status": "missing"})
    return row


def consolidated_frame(results: Iterable[SubmissionResult], *, roster: str | Path | Sequence[RosterEntry] | None = None,
                       config: Config | None = None) -> pd.DataFrame:
    """One row per submission, plus one per roster agency that did not submit (``submitted`` False).

    Columns (see `columns()`): submission (label, as in the pytest item names), source, agency, agency_key
    (the same for every name of one agency, `ogi.agency_key`), level,
    year, format_version, published, signed, deadline, on_time; the key totals of tables 三 and 四;
    ``identity_<code>`` per table identity (True holds / False broken / None not evaluated); errors,
    warnings, infos, status; submitted, roster_agency, jurisdiction, roster_status (with a roster).
    """
    import pandas as pd

    from ogi.api import submission_label
    from ogi.roster import match_roster, read_roster

    config = config or Config()
    results = list(results)
    idents = identity_columns()
    entries: list[RosterEntry] = []
    if roster is not None:
        entries = read_roster(roster) if isinstance(roster, (str, Path)) else list(roster)
    by_source: dict[str, tuple[RosterEntry, str]] = {}
    missing: list[RosterEntry] = []
    if entries:
        matched = match_roster(entries, results, config)
        for roster_row in matched.rows:
            if not roster_row.submissions:
                missing.append(roster_row.entry)
            for sub in roster_row.submissions:
                by_source[sub.source] = (roster_row.entry, roster_row.status.value)
    rows = []
    labels: set[str] = set()
    for result in results:
        label = submission_label(result)
        if label in labels:
            label = f"{label}@{Path(result.source).stem}"
        labels.add(label)
        entry, status = by_source.get(result.source, (None, "unlisted" if entries else None))
        rows.append(_row(result, label, config, entry, status, idents))
    rows.extend(_missing_row(e, idents) for e in missing)
    frame = pd.DataFrame(rows, columns=columns())
    return _typed(frame, idents)


def _typed(frame: pd.DataFrame, idents: Sequence[IdentityColumn]) -> pd.DataFrame:
    import pandas as pd

    for column in COUNT_COLUMNS:
        values = frame[column]
        integral = all(v is None or pd.isna(v) or Decimal(v) == Decimal(v).to_integral_value() for v in values)
        numbers = [None if v is None or pd.isna(v) else (int(v) if integral else float(v)) for v in values]
        frame[column] = pd.array(numbers, dtype="Int64" if integral else "Float64")
    frame["year"] = pd.array([None if pd.isna(v) else int(v) for v in frame["year"]], dtype="Int64")
    for column in ("published", "signed", "deadline"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("on_time", "submitted", *(i.column for i in idents)):
        frame[column] = pd.array([None if v is None or pd.isna(v) else bool(v) for v in frame[column]],
                                 dtype="boolean")
    return frame
