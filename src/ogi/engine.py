"""The engine: find submissions, read each in isolation, run the rules, and collect the results.

Every front end (CLI, pytest plugin, Python API, Great Expectations adapter) goes through here.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ogi.checks.content import report_is_empty
from ogi.checks.registry import (
    CannotCheck,
    Rule,
    RuleContext,
    all_rules,
    forget_report_values,
    get_rule,
)
from ogi.config import Config
from ogi.ingest import UnreadableFile, read_report
from ogi.ingest.read_notes import ReadingDoubt, reading_doubt
from ogi.model import (
    Finding,
    Location,
    NotChecked,
    Report,
    RuleError,
    Severity,
    Status,
    SubmissionResult,
)
from ogi.schemas.definitions import load_format

# What a folder may hold as submissions; a file named on the command line is always checked.
SUBMISSION_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".htm", ".html", ".shtml", ".xhtml", ".docx", ".xlsx", ".pdf", ".json", ".yaml",
     ".yml", ".doc", ".xls", ".wps", ".et", ".xml", ""}
)


# A folder's own notes (README.md, LICENSE.txt …) describe the folder; they are no agency's report. A file
# named on the command line is still checked, whatever its name.
_FOLDER_NOTES = re.compile(r"^(?:readme|license|licence|changelog|notice)(?:\.[^.]*)?$", re.IGNORECASE)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and submission files found under folders (recursively), in a stable order."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if (not name.startswith(".") and candidate.suffix.lower() in SUBMISSION_SUFFIXES
                            and not _FOLDER_NOTES.match(name)):
                        found.append(candidate)
        else:
            found.append(path)
    return found


def file_finding(source: str, sha256: str, code: str, reason: str, reason_en: str,
                 **params: Any) -> Finding:
    """A finding about the file itself, before any report exists (F001, F002)."""
    rule_ = get_rule(code)
    ctx = RuleContext(report=Report(source=source, sha256=sha256, kind="unknown"), fmt=None, config=Config())
    ctx.rule = rule_
    return ctx.finding(reason=reason, reason_en=reason_en, location=Location(text=source), **params)


def unreadable(source: str, sha256: str, finding: Finding, config: Config) -> SubmissionResult:
    """The result for a file no report could be read from: F001/F002 alone (its reason names what the file
    is, so a name/content mismatch noticed before giving up adds nothing), never findings about content."""
    finding = _apply_config(finding, config, None)
    return SubmissionResult(source, sha256, None, (finding,), (), (), Status.UNREADABLE)


def read_file(path: Path, config: Config, source: str | None = None) -> Report | SubmissionResult:
    """The report in a file, or an UNREADABLE result saying why. Opens read-only; never writes."""
    source = source or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        finding = file_finding(source, "", "F001", f"无法打开文件（{exc.strerror}）",
                               f"cannot open the file ({exc.strerror})")
        return unreadable(source, "", finding, config)
    if size > config.max_file_bytes:
        finding = file_finding(source, "", "F002", "", "", size_mb=round(size / 2**20, 1),
                               limit_mb=round(config.max_file_bytes / 2**20, 1))
        return unreadable(source, "", finding, config)
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        finding = file_finding(source, "", "F001", f"无法读取文件（{exc.strerror}）",
                               f"cannot read the file ({exc.strerror})")
        return unreadable(source, "", finding, config)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return read_report(data, path.name, source=source, sha256=sha256, config=config)
    except UnreadableFile as exc:
        finding = file_finding(source, sha256, "F001", exc.reason_zh, exc.reason_en)
    except RecursionError:
        finding = file_finding(source, sha256, "F001", "文件结构嵌套过深，无法解析",
                               "the file is nested too deeply to parse")
    except MemoryError:
        finding = file_finding(source, sha256, "F001", "文件解析所需内存过大", "parsing the file needs too much memory")
    except Exception as exc:
        finding = file_finding(source, sha256, "F001", f"读取时出现内部错误（{type(exc).__name__}）",
                               f"internal error while reading ({type(exc).__name__}: {exc})")
    return unreadable(source, sha256, finding, config)


def _apply_config(finding: Finding, config: Config, agency: str | None) -> Finding:
    severity = config.severity.get(finding.rule)
    if severity is not None and severity != finding.severity:
        finding = replace(finding, severity=severity)
    waiver = config.active_waiver(finding.rule, agency)
    if waiver is not None:
        finding = replace(finding, waived=waiver)
    return finding


def rules_for(report: Report, config: Config) -> list[Rule]:
    return list(applicable_rules(report.format_version, config))


def applicable_rules(version: str | None, config: Config) -> tuple[Rule, ...]:
    """The rules for a report of format `version`: the same tuple for the same question (it is cached)."""
    disabled = config.disabled if isinstance(config.disabled, frozenset) else frozenset(config.disabled)
    return _rules_for(version, disabled, len(all_rules()))


# Every report of a batch asks the same few questions (format version, disabled set).
_RULES_FOR: dict[tuple[str | None, frozenset[str], int], tuple[Rule, ...]] = {}


def _rules_for(version: str | None, disabled: frozenset[str], registered: int) -> tuple[Rule, ...]:
    key = (version, disabled, registered)
    hit = _RULES_FOR.get(key)
    if hit is None:
        hit = _RULES_FOR[key] = tuple(r for r in all_rules() if r.code not in disabled and r.applies_to(version))
    return hit


@dataclass(frozen=True)
class RuleResults:
    """What a set of rules said about one report; results for disjoint rule sets can be added."""

    findings: tuple[Finding, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    passed: tuple[str, ...] = ()
    errors: tuple[RuleError, ...] = ()

    def __add__(self, other: RuleResults) -> RuleResults:
        return RuleResults(self.findings + other.findings, self.not_checked + other.not_checked,
                           self.passed + other.passed, self.errors + other.errors)


def check_report(report: Report, config: Config, previous: Report | None = None,
                 history: list[Report] | None = None,
                 precomputed: dict[str, Any] | None = None) -> SubmissionResult:
    """Run every applicable rule on `report`; `precomputed` holds batch results (see RuleContext)."""
    return submission_result(report, run_rules(report, config, rules_for(report, config), previous, history,
                                               precomputed))


# Why the rules about a report's content do not run on a file where none was read (nothing readable → nothing else).
EMPTY_REASON = ("文件中没有可读的报告内容（见 S003），不检查其内容",
                "the file holds no readable report content (see S003); its content is not checked")


NO_PREVIOUS = ("未提供上一年度报告（--previous 或 --history）",
               "no previous year's report was given (--previous or --history)")


def previous_not_found(report: Report, given: Mapping[str, Report]) -> tuple[str, str]:
    """Why the cross-year rules did not run although last year's reports were given: what they were."""
    if not given:
        return NO_PREVIOUS
    names = [r.agency or f"{Path(r.source).name}（未能确定机关）" for r in given.values()]
    names_en = [r.agency or f"{Path(r.source).name} (agency unknown)" for r in given.values()]
    more = len(names) - _NAMES_SHOWN
    found = "、".join(names[:_NAMES_SHOWN]) + (f" 等 {len(names)} 个" if more > 0 else "")
    found_en = ", ".join(names_en[:_NAMES_SHOWN]) + (f" and {more} more" if more > 0 else "")
    if not report.agency:
        return (f"未能确定本报告的机关，无法对应提供的上一年度报告（找到 {found}）",
                f"this report's agency is unknown, so no previous report can be matched to it (found {found_en})")
    return (f"提供的上一年度报告中没有同一机关：找到 {found}",
            f"none of the previous reports is from this agency: found {found_en}")


_NAMES_SHOWN = 5


def run_rules(report: Report, config: Config, rules: Iterable[Rule], previous: Report | None = None,
              history: list[Report] | None = None, precomputed: dict[str, Any] | None = None,
              empty: bool | None = None, no_previous: tuple[str, str] = NO_PREVIOUS) -> RuleResults:
    """Run `rules` on `report`, each isolated: a rule that cannot check or fails says so and no more.

    empty: whether the report has no content (`report_is_empty`), when the caller knows it (a report
    stripped of its prose for the main process of a batch no longer shows it); then only the rules that
    do not read content run, the others are "not checked". no_previous: why the cross-year rules do not
    run when there is neither `previous` nor `history` (`previous_not_found`).
    """
    fmt = load_format(report.format_version) if report.format_version else None
    if empty is None:
        empty = report_is_empty(report)
    findings: list[Finding] = []
    not_checked: list[NotChecked] = []
    passed: list[str] = []
    errors: list[RuleError] = []
    # What rules share about a report is computed afresh for each check (the report may be a new one).
    forget_report_values()
    # One context serves every rule in turn (its `rule` is set before each); rules only read it.
    ctx = RuleContext(report=report, fmt=fmt, config=config, previous=previous, history=history or [],
                      precomputed=precomputed if precomputed is not None else {})
    doubt = reading_doubt(report.read_notes)  # what a reading loss leaves unproved (usually nothing)
    for rule_ in rules:
        if empty and rule_.reads_content:
            not_checked.append(NotChecked(rule_.code, *EMPTY_REASON))
            continue
        if rule_.needs_history and previous is None and not ctx.history:
            not_checked.append(NotChecked(rule_.code, *no_previous))
            continue
        ctx.unchecked_parts.clear()
        try:
            ctx.rule = rule_
            produced = list(rule_.func(ctx))
        except CannotCheck as exc:
            not_checked.append(NotChecked(rule_.code, exc.reason, exc.reason_en))
            continue
        except Exception as exc:  # a bug in the rule: loud, never mistaken for "could not apply"
            errors.append(rule_error(rule_.code, exc))
            continue
        if doubt.any:
            code = rule_.code
            if (code in doubt.void_findings and produced) or (code in doubt.unconfirmed_passes and not produced):
                not_checked.append(NotChecked(code, doubt.reason, doubt.reason_en))
                continue
            if code in doubt.doubted:
                produced = [_in_doubt(f, doubt) for f in produced]
        # A rule that checked only part of the report has not passed: what it left is said instead.
        not_checked += [NotChecked(rule_.code, zh, en, partial=True) for zh, en in ctx.unchecked_parts]
        if produced:
            findings.extend(_apply_config(f, config, report.agency) for f in produced)
        elif not ctx.unchecked_parts:
            passed.append(rule_.code)
    forget_report_values()
    return RuleResults(tuple(findings), tuple(not_checked), tuple(passed), tuple(errors))


def _in_doubt(finding: Finding, doubt: ReadingDoubt) -> Finding:
    """An error that a reading loss may explain is no accusation: a warning that names the doubt."""
    if finding.severity != Severity.ERROR:
        return finding
    return replace(finding, severity=Severity.WARNING, message=f"{finding.message}（注意：{doubt.reason}）",
                   message_en=f"{finding.message_en} (note: {doubt.reason_en})")


def rule_error(code: str, exc: BaseException) -> RuleError:
    """What a crashed rule leaves: the exception and its traceback, for the developers to fix."""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return RuleError(code, f"{type(exc).__name__}: {exc}", trace)


def submission_result(report: Report, results: RuleResults) -> SubmissionResult:
    """The checked submission; entries are put in rule-code order, so rules may have run in any grouping."""
    active = tuple(f for f in results.findings if f.waived is None)
    waived = tuple(f for f in results.findings if f.waived is not None)
    return SubmissionResult(
        source=report.source, sha256=report.sha256, report=report, findings=_ordered(active),
        not_checked=tuple(sorted(results.not_checked, key=lambda n: n.rule)),
        passed=tuple(sorted(results.passed)),
        status=Status.INCOMPLETE if results.errors else status_of(active), waived=_ordered(waived),
        rule_errors=tuple(sorted(results.errors, key=lambda e: e.rule)),
    )


def _ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    # Deterministic: most severe first, then by rule code; a rule's own order is kept.
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.rule)))


def status_of(findings: Iterable[Finding]) -> Status:
    worst = max((f.severity.rank for f in findings), default=0)
    if worst >= Severity.ERROR.rank:
        return Status.FAIL
    if worst >= Severity.WARNING.rank:
        return Status.WARN
    return Status.PASS


def check_file(path: Path, config: Config, source: str | None = None, previous: Report | None = None,
               history: list[Report] | None = None) -> SubmissionResult:
    report = read_file(path, config, source)
    if isinstance(report, SubmissionResult):
        return report
    return check_report(report, config, previous, history)


def check_paths(paths: Iterable[str | Path], config: Config) -> Iterator[SubmissionResult]:
    for path in discover(paths):
        yield check_file(path, config)
