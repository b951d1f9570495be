"""Markdown output: a summary table fit for a merge-request comment, then each submission's findings."""

from __future__ import annotations

from collections.abc import Sequence

from ogi.model import SubmissionResult
from ogi.reports.i18n import category_name, message, reason, rule_title, severity_name, status_name, t

_STATUS_MARK = {"pass": "✅", "warn": "⚠️", "fail": "❌", "unreadable": "⛔", "incomplete": "🛑"}


def _cell(text: object) -> str:
    return str(text if text is not None else "—").replace("|", "\\|").replace("\n", " ")


def render_markdown(results: Sequence[SubmissionResult], lang: str = "zh") -> str:
    lines = [f"# {t('title', lang)}", ""]
    header = [t(k, lang) for k in ("agency", "year", "format", "published", "errors", "warnings", "status", "source")]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        rep = r.report
        count = {s: sum(1 for f in r.findings if f.severity.value == s) for s in ("error", "warning")}
        lines.append("| " + " | ".join(_cell(v) for v in (
            rep.agency if rep else None, rep.year if rep else None, rep.format_version if rep else None,
            rep.published.date.isoformat() if rep and rep.published else None,
            count["error"], count["warning"],
            f"{_STATUS_MARK[r.status.value]} {status_name(r.status, lang)}", f"`{r.source}`",
        )) + " |")
    for r in results:
        rep = r.report
        name = (rep.agency if rep and rep.agency else None) or r.source
        lines += ["", f"## {_STATUS_MARK[r.status.value]} {name} {rep.year if rep and rep.year else ''}".rstrip(), ""]
        lines.append(f"`{r.source}` · SHA-256 `{r.sha256[:16]}…`" if r.sha256 else f"`{r.source}`")
        if r.findings:
            lines += ["", f"### {t('findings', lang)}", "",
                      f"| {t('rule', lang)} | {t('severity', lang)} | {t('category', lang)} | {t('message', lang)} |",
                      "|---|---|---|---|"]
            for f in r.findings:
                lines.append(f"| {f.rule} | {severity_name(f.severity, lang)} | {category_name(f.category, lang)} | "
                             f"{_cell(message(f, lang))} |")
        if r.waived:
            lines += ["", f"### {t('waived', lang)}", ""]
            for f in r.waived:
                assert f.waived is not None
                lines.append(f"- {f.rule}: {_cell(message(f, lang))} — {f.waived.reason}（{f.waived.approver}）")
        if r.passed:
            lines += ["", f"**{t('passed', lang)}**: {t('passed_note', lang)}" + "，".join(
                f"{c} {rule_title(c, lang)}" for c in r.passed)]
        if r.rule_errors:
            lines += ["", f"### {t('rule_errors', lang)}", "", t("rule_error_note", lang), ""]
            lines += [f"- {e.rule} {rule_title(e.rule, lang)}: `{_cell(e.error)}`" for e in r.rule_errors]
        if r.not_checked:
            lines += ["", f"**{t('not_checked', lang)}**:", ""]
            lines += [f"- {n.rule} {rule_title(n.rule, lang)}: {reason(n, lang)}" for n in r.not_checked]
    return "\n".join(lines) + "\n"
