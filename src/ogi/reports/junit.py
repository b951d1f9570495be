"""JUnit XML for CI servers: one testsuite per submission, one testcase per submission × rule.

A finding whose severity reaches `fail_on` (as for the exit code; default "error") is a
`<failure type="error|warning|info">`; any other finding, and a waived one, is reported in
`<system-out>`. So with the default, errors fail and warnings are only shown. A rule that could
not be checked is `<skipped>` with the reason. The shape follows the schema CI
servers accept (Jenkins' junit-10.xsd): testcase children in the order skipped, error, failure,
system-out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from ogi import __version__
from ogi.model import Finding, Report, Severity, SubmissionResult
from ogi.reports import i18n
from ogi.reports.common import cells_line, display_name, rule_title, ruleset_id, shown_value

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _ILLEGAL_XML.sub("", str(value))


def _describe(finding: Finding, lang: str, report: Report | None = None) -> str:
    lines = [f"[{finding.severity.value}] {finding.rule} {i18n.message(finding, lang)}"]
    loc = finding.location.to_dict()
    if loc:
        lines.append("location: " + ", ".join(f"{k}={v}" for k, v in loc.items() if k not in ("source", "cells")))
        listed = cells_line(report, finding.location, lang)
        if listed:
            lines.append("cells: " + listed)
        if finding.location.source is not None:
            lines.append("in file: " + finding.location.source.describe())
    if finding.expected is not None or finding.actual is not None:
        lines.append(f"expected: {shown_value(finding, 'expected')}  actual: {shown_value(finding, 'actual')}")
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    if finding.basis:
        lines.append(f"basis: {finding.basis}")
    return "\n".join(lines)


def _is_failure(finding: Finding, fail_on: str) -> bool:
    """As the exit code: a finding fails when its severity reaches `fail_on` ("never": none does)."""
    if fail_on == "never":
        return False
    return finding.severity.rank >= Severity(fail_on).rank


def render_junit(results: Sequence[SubmissionResult], *, lang: str = "zh", fail_on: str = "error",
                 generated_at: dt.datetime | None = None) -> str:
    """The JUnit XML document as text (UTF-8, with declaration)."""
    root = ET.Element("testsuites", name="ogi-checks")
    total = failures = skipped = errors = 0
    for index, result in enumerate(results):
        classname = display_name(result)
        report = result.report
        suite_name = f"{classname} {report.year}" if report and report.year else classname
        suite = ET.SubElement(root, "testsuite", name=_text(suite_name), id=str(index))
        props = ET.SubElement(suite, "properties")
        for name, value in (("source", result.source), ("sha256", result.sha256),
                            ("status", result.status.value),
                            ("format_version", report.format_version if report else None),
                            ("tool_version", __version__), ("ruleset", ruleset_id()[1])):
            if value:
                ET.SubElement(props, "property", name=name, value=_text(value))
        by_rule: dict[str, list[Finding]] = {}
        for finding in (*result.findings, *result.waived):
            by_rule.setdefault(finding.rule, []).append(finding)
        not_checked = {n.rule: n for n in result.not_checked}
        crashed = {e.rule: e for e in result.rule_errors}
        codes = sorted({*by_rule, *not_checked, *result.passed, *crashed})
        suite_failures = suite_skipped = suite_errors = 0
        for code in codes:
            case = ET.SubElement(suite, "testcase", classname=_text(classname),
                                 name=_text(f"{code} {rule_title(code, lang)}"), time="0")
            if code in crashed:  # JUnit's <error>: the test itself broke, which is what a crashed rule is
                error = ET.SubElement(case, "error", message=_text(crashed[code].error), type="rule-error")
                error.text = _text(crashed[code].traceback)
                suite_errors += 1
            out: list[str] = []
            part = not_checked.get(code)
            if part is not None and part.partial and code in by_rule:
                # The rule checked the rest and found something there: a testcase is not both skipped
                # and failed, so the part left unchecked is told beside the findings.
                out.append(f"{i18n.t('not_checked', lang)}: {i18n.reason(part, lang)}")
            elif part is not None:
                ET.SubElement(case, "skipped", message=_text(i18n.reason(part, lang)))
                suite_skipped += 1
            failed = False
            for finding in by_rule.get(code, []):
                if finding.waived is not None:
                    waiver = finding.waived
                    out.append(_describe(finding, lang, result.report)
                               + f"\nwaived: {waiver.reason} ({waiver.approver})")
                elif _is_failure(finding, fail_on):
                    attrs = {"message": _text(i18n.message(finding, lang)), "type": finding.severity.value}
                    failure = ET.SubElement(case, "failure", attrs)
                    failure.text = _text(_describe(finding, lang, result.report))
                    failed = True
                else:
                    out.append(_describe(finding, lang, result.report))
            if out:
                ET.SubElement(case, "system-out").text = _text("\n\n".join(out))
            suite_failures += failed
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", str(suite_errors))
        suite.set("skipped", str(suite_skipped))
        suite.set("time", "0")
        if generated_at is not None:
            suite.set("timestamp", generated_at.replace(microsecond=0).isoformat())
        total += len(codes)
        failures += suite_failures
        skipped += suite_skipped
        errors += suite_errors
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
