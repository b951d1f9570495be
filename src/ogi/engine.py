"""The engine: find submissions, read each in isolation, run the rules, and collect the results.

Every front end (CLI, pytest plugin, Python API, Great Expectations adapter) goes through here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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
from ogi.model import Finding, Location, NotChecked, Report, Severity, Status, SubmissionResult
from ogi.schemas.definitions import load_format

# What a folder may hold as submissions; a file named on the command line is always checked.
SUBMISSION_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".htm", ".html", ".shtml", ".xhtml", ".docx", ".xlsx", ".pdf", ".json", ".yaml",
     ".yml", ".doc", ".xls", ".wps", ".et", ".xml", ""}
)


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
                    if not name.startswith(".") and candidate.suffix.lower() in SUBMISSION_SUFFIXES:
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

    def __add__(self, other: RuleResults) -> RuleResults:
        return RuleResults(self.findings + other.findings, self.not_checked + other.not_checked,
                           self.passed + other.passed)


def check_report(report: Report, config: Config, previous: Report | None = None,
                 history: list[Report] | None = None,
                 precomputed: dict[str, Any] | None = None) -> SubmissionResult:
    """Run every applicable rule on `report`; `precomputed` holds batch results (see RuleContext)."""
    return submission_result(report, run_rules(report, config, rules_for(report, config), previous, history,
                                               precomputed))


def run_rules(report: Report, config: Config, rules: Iterable[Rule], previous: Report | None = None,
              history: list[Report] | None = None, precomputed: dict[str, Any] | None = None) -> RuleResults:
    """Run `rules` on `report`, each isolated: a rule that cannot check or fails says so and no more."""
    fmt = load_format(report.format_version) if report.format_version else None
    findings: list[Finding] = []
    not_checked: list[NotChecked] = []
    passed: list[str] = []
    # What rules share about a report is computed afresh for each check (the report may be a new one).
    forget_report_values()
    # One context serves every rule in turn (its `rule` is set before each); rules only read it.
    ctx = RuleContext(report=report, fmt=fmt, config=config, previous=previous, history=history or [],
                      precomputed=precomputed if precomputed is not None else {})
    for rule_ in rules:
        if rule_.needs_history and previous is None and not ctx.history:
            not_checked.append(NotChecked(rule_.code, "未提供上一年度报告（--previous 或 --history）",
                                          "no previous year's report was given (--previous or --history)"))
            continue
        try:
            ctx.rule = rule_
            produced = list(rule_.func(ctx))
        except CannotCheck as exc:
            not_checked.append(NotChecked(rule_.code, exc.reason, exc.reason_en))
            continue
        except Exception as exc:
            not_checked.append(NotChecked(rule_.code, f"规则执行出错（{type(exc).__name__}）",
                                          f"the rule failed internally ({type(exc).__name__}: {exc})"))
            continue
        if produced:
            findings.extend(_apply_config(f, config, report.agency) for f in produced)
        else:
            passed.append(rule_.code)
    forget_report_values()
    return RuleResults(tuple(findings), tuple(not_checked), tuple(passed))


def submission_result(report: Report, results: RuleResults) -> SubmissionResult:
    """The checked submission; entries are put in rule-code order, so rules may have run in any grouping."""
    active = tuple(f for f in results.findings if f.waived is None)
    waived = tuple(f for f in results.findings if f.waived is not None)
    return SubmissionResult(
        source=report.source, sha256=report.sha256, report=report, findings=_ordered(active),
        not_checked=tuple(sorted(results.not_checked, key=lambda n: n.rule)),
        passed=tuple(sorted(results.passed)), status=status_of(active), waived=_ordered(waived),
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
