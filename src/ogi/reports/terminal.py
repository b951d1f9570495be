"""The terminal view (rich).

One report: its verdict, findings, what passed and what was not checked. Several: one line per report
(verdict, agency, year, counts, its main rule codes) so that a batch of hundreds stays readable; the
findings themselves on demand (`details=True`, the CLI's --details / -v) or in the files of --out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ogi.model import SubmissionResult
from ogi.reports.common import counts, display_name
from ogi.reports.i18n import category_name, message, reason, rule_title, severity_name, status_name, t
from ogi.reports.serialize import summary_dict

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "unreadable": "bold magenta",
                 "incomplete": "bold white on red"}
# Rule codes named on a report's summary line (the most severe, then the most frequent).
TOP_RULES = 3


def render_terminal(results: Sequence[SubmissionResult], console: Console, lang: str = "zh",
                    details: bool | None = None) -> None:
    """Every result in detail when `details` (default: only when there is one), else a line each."""
    if details is None:
        details = len(results) == 1
    for r in results:
        if details:
            _details(r, console, lang)
        else:
            console.print(summary_line(r, lang), soft_wrap=True)  # one line each, whatever the width (grep)
    if not details and results:
        console.print()
        console.print(t("details_hint", lang), style="dim")
    s = summary_dict(results)
    table = Table(title=t("summary", lang), show_header=True)
    for key in ("submissions", "errors", "warnings", "infos"):
        table.add_column(t(key, lang), justify="right")
    table.add_row(str(s["submissions"]), str(s["findings"]["error"]), str(s["findings"]["warning"]),
                  str(s["findings"]["info"]))
    console.print(table)


def top_rules(result: SubmissionResult, limit: int = TOP_RULES) -> list[tuple[str, int]]:
    """The report's rule codes with their finding counts, most severe first, then most frequent."""
    found = Counter(f.rule for f in result.findings)
    worst: dict[str, int] = {}
    for f in result.findings:
        worst[f.rule] = max(worst.get(f.rule, 0), f.severity.rank)
    ranked = sorted(found, key=lambda code: (-worst[code], -found[code], code))
    return [(code, found[code]) for code in ranked[:limit]]


def _status_and_agency(result: SubmissionResult, name: str, lang: str) -> Text:
    """"■ 不合格  某局 2023": the status, the agency as named, the data year."""
    text = Text()
    text.append(f"■ {status_name(result.status, lang)}", style=_STATUS_STYLE[result.status.value])
    text.append(f"  {name}")
    if result.report and result.report.year:
        text.append(f" {result.report.year}")
    return text


def summary_line(result: SubmissionResult, lang: str = "zh") -> Text:
    """"■ 不合格  某局 2023  错误 2 · 警告 5 · 提示 1  A103×2 V002 S012…  path"."""
    rep = result.report
    line = _status_and_agency(result, display_name(result) if rep and rep.agency else t("unknown", lang), lang)
    c = counts(result)
    line.append("  ")
    for i, (key, n, style) in enumerate((("errors", c.error, "error"), ("warnings", c.warning, "warning"),
                                         ("infos", c.info, "info"))):
        if i:
            line.append(" · ", style="dim")
        line.append(f"{t(key, lang)} {n}", style=_SEVERITY_STYLE[style] if n else "dim")
    top = top_rules(result)
    if top:
        codes = " ".join(f"{code}×{n}" if n > 1 else code for code, n in top)
        more = "…" if len({f.rule for f in result.findings}) > len(top) else ""
        line.append(f"  {codes}{more}")
    if result.rule_errors:  # a crashed rule is never folded away, even on one line
        line.append(f"  {t('rule_error', lang)} " + " ".join(e.rule for e in result.rule_errors),
                    style="bold white on red")
    line.append(f"  {result.source}", style="dim")
    return line


def _details(r: SubmissionResult, console: Console, lang: str) -> None:
    rep = r.report
    head = _status_and_agency(r, rep.agency if rep and rep.agency else t("unknown", lang), lang)
    head.append(f"  {r.source}", style="dim")
    console.print(head)
    if rep:
        level = rep.level or t("unknown", lang)
        if rep.level_inferred and rep.level:
            level += t("inferred", lang)
        console.print(
            f"  {t('format', lang)}: {rep.format_version or '—'}  {t('level', lang)}: {level}  "
            f"{t('published', lang)}: {rep.published.date if rep.published else '—'}  "
            f"{t('signed', lang)}: {rep.signed.date if rep.signed else '—'}", style="dim", highlight=False)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for f in r.findings:
        grid.add_row("", Text(f"{severity_name(f.severity, lang)} {f.rule}",
                              style=_SEVERITY_STYLE[f.severity.value]),
                     Text(f"【{category_name(f.category, lang)}】{message(f, lang)}", overflow="fold"))
    for f in r.waived:
        assert f.waived is not None
        grid.add_row("", Text(f"{t('waived', lang)} {f.rule}", style="dim"),
                     Text(f"{message(f, lang)} — {f.waived.reason}（{f.waived.approver}）", style="dim",
                          overflow="fold"))
    if r.passed:
        grid.add_row("", Text(t("passed", lang), style="green"),
                     Text(t("passed_note", lang) + "，".join(f"{c} {rule_title(c, lang)}" for c in r.passed),
                          overflow="fold"))
    for e in r.rule_errors:
        grid.add_row("", Text(f"{t('rule_error', lang)} {e.rule}", style="bold white on red"),
                     Text(f"{rule_title(e.rule, lang)}：{e.error} — {t('rule_error_note', lang)}",
                          overflow="fold"))
    for n in r.not_checked:
        grid.add_row("", Text(f"{t('not_checked', lang)} {n.rule}", style="dim"),
                     Text(f"{rule_title(n.rule, lang)}：{reason(n, lang)}", style="dim", overflow="fold"))
    console.print(grid)
    console.print()
