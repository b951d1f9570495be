"""The batch dashboard (index.html): every submission in one table, findings by category, charts, 催报名单.

The table is plain HTML, complete without JavaScript; a small inline script adds sorting (click a
header) and a filter box. Charts are inline SVG drawn in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ogi import __version__
from ogi.model import Category, Severity, Status, SubmissionResult
from ogi.reports import i18n
from ogi.reports.charts import Bar, bar_chart
from ogi.reports.common import (
    category_counts,
    counts,
    display_name,
    rule_title,
    ruleset_label,
    timeliness,
    timeliness_name,
)
from ogi.reports.html import environment, translator
from ogi.roster import RosterReport, RosterRow, RosterStatus

_STATUS_ORDER = {"incomplete": 0, "fail": 1, "unreadable": 2, "warn": 3, "pass": 4}
_TIMELINESS_ORDER = {"late": 0, "unknown": 1, "on_time": 2}


@dataclass(frozen=True)
class MatrixCell:
    count: int
    severity: str  # worst severity, "" when none


@dataclass(frozen=True)
class BoardRow:
    name: str
    href: str | None
    source: str
    level: str
    year: str
    published: str
    on_time: str
    on_time_name: str
    on_time_rank: int
    errors: int
    warnings: int
    status: str
    status_name: str
    status_rank: int
    matrix: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class RosterLine:
    agency: str
    jurisdiction: str
    level: str
    status: str
    status_name: str
    deadline: str
    published: str
    days_late: str
    href: str | None


@dataclass(frozen=True)
class RosterView:
    reminders: tuple[RosterLine, ...]
    rows: tuple[RosterLine, ...]
    unlisted: tuple[tuple[str, str | None], ...]
    counts: tuple[tuple[str, str, int], ...]  # (status, name, count)


def _board_row(result: SubmissionResult, href: str | None, lang: str) -> BoardRow:
    report = result.report
    c = counts(result)
    timely = timeliness(result)
    level = i18n.level_name(report.level, lang) if report and report.level else "—"
    return BoardRow(
        name=display_name(result),
        href=href,
        source=result.source,
        level=level,
        year=str(report.year) if report and report.year else "—",
        published=report.published.date.isoformat() if report and report.published else "—",
        on_time=timely,
        on_time_name=timeliness_name(timely, lang),
        on_time_rank=_TIMELINESS_ORDER[timely],
        errors=c.error,
        warnings=c.warning,
        status=result.status.value,
        status_name=i18n.status_name(result.status, lang),
        status_rank=_STATUS_ORDER[result.status.value],
        matrix=tuple(MatrixCell(n, worst.value if worst else "")
                     for n, worst in category_counts(result).values()),
    )


def _roster_status_name(status: RosterStatus, lang: str) -> str:
    return status.en if lang == "en" else status.zh


def _roster_line(row: RosterRow, hrefs: dict[int, str | None], lang: str) -> RosterLine:
    entry = row.entry
    href = hrefs.get(id(row.submissions[0])) if row.submissions else None
    return RosterLine(
        agency=entry.agency,
        jurisdiction=entry.jurisdiction or "—",
        level=i18n.level_name(entry.level, lang) if entry.level else "—",
        status=row.status.value,
        status_name=_roster_status_name(row.status, lang),
        deadline=row.deadline.isoformat() if row.deadline else "—",
        published=row.published.isoformat() if row.published else "—",
        days_late=str(row.days_late) if row.days_late is not None else "",
        href=href,
    )


def roster_view(roster: RosterReport, hrefs: dict[int, str | None], lang: str) -> RosterView:
    tally = Counter(r.status for r in roster.rows)
    return RosterView(
        reminders=tuple(_roster_line(r, hrefs, lang) for r in roster.reminders),
        rows=tuple(_roster_line(r, hrefs, lang) for r in roster.rows),
        unlisted=tuple((display_name(s), hrefs.get(id(s))) for s in roster.unlisted),
        counts=tuple((s.value, _roster_status_name(s, lang), tally.get(s, 0)) for s in RosterStatus),
    )


def charts(results: Sequence[SubmissionResult], lang: str) -> dict[str, Markup]:
    t = translator(lang)
    by_rule: Counter[str] = Counter(f.rule for r in results for f in r.findings)
    worst: dict[str, Severity] = {}
    for r in results:
        for f in r.findings:
            if f.rule not in worst or f.severity.rank > worst[f.rule].rank:
                worst[f.rule] = f.severity
    rule_bars = [Bar(f"{code} {rule_title(code, lang)}", n, worst[code].value)
                 for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    timely = Counter(timeliness(r) for r in results)
    timely_bars = [Bar(timeliness_name(k, lang), timely.get(k, 0), k) for k in ("on_time", "late", "unknown")]
    statuses = Counter(r.status for r in results)
    status_bars = [Bar(i18n.status_name(s, lang), statuses.get(s, 0), s.value) for s in Status]
    return {
        "rules": bar_chart(rule_bars, t("chart_rules"), label_chars=16),
        "timeliness": bar_chart(timely_bars, t("chart_timeliness"), label_width=110, width=420),
        "status": bar_chart(status_bars, t("chart_status"), label_width=110, width=420),
    }


def render_dashboard(results: Sequence[SubmissionResult], links: Sequence[str | None] | None = None,
                     lang: str = "zh", *, roster: RosterReport | None = None,
                     generated_at: dt.datetime | None = None) -> str:
    """index.html for a batch; `links[i]` is the relative address of submission i's own report."""
    links = list(links) if links is not None else [None] * len(results)
    hrefs = {id(r): link for r, link in zip(results, links, strict=True)}
    rows = [_board_row(r, link, lang) for r, link in zip(results, links, strict=True)]
    statuses = Counter(r.status for r in results)
    total = Counter(f.severity.value for r in results for f in r.findings)
    template = environment().get_template("dashboard.html.j2")
    return template.render(
        lang=lang,
        t=translator(lang),
        rows=rows,
        categories=[i18n.category_name(c, lang) for c in Category],
        totals={"submissions": len(results), **{s: total.get(s, 0) for s in ("error", "warning", "info")}},
        status_counts=[(s.value, i18n.status_name(s, lang), statuses.get(s, 0)) for s in Status],
        charts=charts(results, lang),
        roster=roster_view(roster, hrefs, lang) if roster is not None else None,
        version=__version__,
        ruleset=ruleset_label(lang),
        generated_at=generated_at.isoformat(timespec="seconds") if generated_at else None,
    )
