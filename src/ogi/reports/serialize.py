"""Results as plain data: the JSON contract every machine-readable output is built from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ogi import __version__
from ogi.model import Finding, NotChecked, ReadNote, RuleError, SubmissionResult

SCHEMA_VERSION = 2  # see docs/changelog.md


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def finding_dict(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "category": finding.category.value,
        "message": finding.message,
        "message_en": finding.message_en,
        "location": finding.location.to_dict(),
        "expected": jsonable(finding.expected),
        "actual": jsonable(finding.actual),
        "basis": finding.basis,
        "params": {key: jsonable(value) for key, value in finding.params},
    }
    if finding.fix:
        out["fix"] = finding.fix
    if finding.waived is not None:
        w = finding.waived
        out["waiver"] = {"reason": w.reason, "approver": w.approver,
                         "expires": w.expires.isoformat() if w.expires else None}
    return out


def not_checked_dict(item: NotChecked) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": item.rule, "reason": item.reason, "reason_en": item.reason_en}
    if item.partial:  # only then: the rest of the rule ran (findings or a pass for the rest)
        out["partial"] = True
    return out


def read_note_dict(note: ReadNote) -> dict[str, Any]:
    out: dict[str, Any] = {"code": note.code, "detail": note.detail, "detail_en": note.detail_en}
    if note.locator is not None:
        out["locator"] = note.locator.to_dict()
    return out


def rule_error_dict(item: RuleError) -> dict[str, Any]:
    return {"rule": item.rule, "error": item.error, "traceback": item.traceback}


def submission_dict(result: SubmissionResult) -> dict[str, Any]:
    report = result.report
    return {
        "source": result.source,
        "sha256": result.sha256,
        "agency": report.agency if report else None,
        "year": report.year if report else None,
        "format_version": report.format_version if report else None,
        "level": report.level if report else None,
        "level_inferred": report.level_inferred if report else None,
        "kind": report.kind if report else None,
        "title": report.title if report else None,
        "encoding": report.encoding if report else None,
        "published": report.published.date.isoformat() if report and report.published else None,
        "signed": report.signed.date.isoformat() if report and report.signed else None,
        "status": result.status.value,
        "findings": [finding_dict(f) for f in result.findings],
        "not_checked": [not_checked_dict(n) for n in result.not_checked],
        "passed": list(result.passed),
        "waived": [finding_dict(f) for f in result.waived],
        "rule_errors": [rule_error_dict(e) for e in result.rule_errors],
        "read_notes": [read_note_dict(n) for n in report.read_notes] if report else [],
    }


class SummaryCounter:
    """The JSON summary, counted one submission at a time: a streamed batch need not keep its results."""

    def __init__(self) -> None:
        self.submissions = 0
        self.statuses: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()
        self.waived = 0
        self.rule_errors = 0

    def add(self, result: SubmissionResult) -> None:
        self.submissions += 1
        self.statuses[result.status.value] += 1
        self.severities.update(f.severity.value for f in result.findings)
        self.rules.update(f.rule for f in result.findings)
        self.waived += len(result.waived)
        self.rule_errors += len(result.rule_errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "submissions": self.submissions,
            "status": {s: self.statuses.get(s, 0) for s in ("pass", "warn", "fail", "unreadable", "incomplete")},
            "findings": {s: self.severities.get(s, 0) for s in ("error", "warning", "info")},
            "by_rule": dict(sorted(self.rules.items())),
            "waived": self.waived,
            "rule_errors": self.rule_errors,
        }


def summary_dict(results: Sequence[SubmissionResult]) -> dict[str, Any]:
    counter = SummaryCounter()
    for result in results:
        counter.add(result)
    return counter.to_dict()


def results_dict(results: Sequence[SubmissionResult], *, generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The whole JSON document. Timestamps only when asked for, so output is reproducible."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ogi-checks", "version": __version__},
        "submissions": [submission_dict(r) for r in results],
        "summary": summary_dict(results),
    }
    if generated_at is not None:
        out["generated_at"] = generated_at.isoformat()
    return out
