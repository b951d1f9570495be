"""The terminal summary (rich): each submission's verdict, findings, what passed and what was not checked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ogi.model import SubmissionResult
from ogi.reports.i18n import category_name, message, reason, rule_title, severity_name, status_name, t
from ogi.reports.serialize import summary_dict

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_STATUS_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "unreadable": "bold magenta",
                 "incomplete": "bold white on red"}


def render_terminal(results: Sequence[SubmissionResult], console: Console, lang: str = "zh") -> None:
    for r in results:
        rep = r.report
        head = Text()
        head.append(f"■ {status_name(r.status, lang)}", style=_STATUS_STYLE[r.status.value])
        head.append(f"  {rep.agency if rep and rep.agency else t('unknown', lang)}")
        if rep and rep.year:
            head.append(f" {rep.year}")
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
    s = summary_dict(results)
    table = Table(title=t("summary", lang), show_header=True)
    for key in ("submissions", "errors", "warnings", "infos"):
        table.add_column(t(key, lang), justify="right")
    table.add_row(str(s["submissions"]), str(s["findings"]["error"]), str(s["findings"]["warning"]),
                  str(s["findings"]["info"]))
    console.print(table)
