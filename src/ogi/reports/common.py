"""Small facts about a result that several renderers show the same way (counts, timeliness, provenance)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ogi.checks.registry import Rule, all_rules, get_rule
from ogi.model import Category, Finding, Location, Report, Severity, SubmissionResult

# Rule D002 (published after the deadline) decides the "on time" column.
TIMELINESS_RULE = "D002"


@dataclass(frozen=True)
class Counts:
    error: int = 0
    warning: int = 0
    info: int = 0
    waived: int = 0


def shown_value(finding: Finding, which: str) -> Any:
    """`finding.expected` or `.actual` as a reader sees it: a number with the relation and unit the rule gave
    in its params ("≤ 20,000 元"); anything else as it is."""
    value = getattr(finding, which)
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool) or not finding.params:
        return value
    params = finding.parameters
    relation, unit = params.get(f"{which}_relation"), params.get("unit")
    if relation is None and unit is None:
        return value
    number = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return " ".join(part for part in (relation, number, unit) if part)


def counts(result: SubmissionResult) -> Counts:
    c = Counter(f.severity.value for f in result.findings)
    return Counts(c.get("error", 0), c.get("warning", 0), c.get("info", 0), len(result.waived))


def timeliness(result: SubmissionResult) -> str:
    """"late", "on_time" or "unknown" (D002 not checked), from the D002 finding."""
    if any(f.rule == TIMELINESS_RULE for f in (*result.findings, *result.waived)):
        return "late"
    if TIMELINESS_RULE in result.passed:
        return "on_time"
    return "unknown"


TIMELINESS_WORDS = {"late": ("逾期", "late"), "on_time": ("按时", "on time"), "unknown": ("未知", "unknown")}


def timeliness_name(value: str, lang: str) -> str:
    zh, en = TIMELINESS_WORDS[value]
    return en if lang == "en" else zh


def display_name(result: SubmissionResult) -> str:
    """The agency's name, or the file's name when the agency could not be read."""
    if result.report is not None and result.report.agency:
        return result.report.agency
    return Path(result.source).name or result.source


def find_rule(code: str) -> Rule | None:
    try:
        return get_rule(code)
    except KeyError:
        return None


def rule_title(code: str, lang: str) -> str:
    rule = find_rule(code)
    if rule is None:
        return code
    return rule.title_en if lang == "en" else rule.title


def category_counts(result: SubmissionResult) -> dict[Category, tuple[int, Severity | None]]:
    """Per category: how many findings and the worst severity among them."""
    out: dict[Category, tuple[int, Severity | None]] = {}
    for category in Category:
        found = [f for f in result.findings if f.category is category]
        worst = max(found, key=lambda f: f.severity.rank).severity if found else None
        out[category] = (len(found), worst)
    return out


def ordered_findings(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule))


@lru_cache(maxsize=1)
def ruleset_id() -> tuple[int, str]:
    """A short fingerprint of the rule set (codes, severities, formats and documentation).

    Two reports made with the same fingerprint were judged by the same rules.
    """
    digest = hashlib.sha256()
    for rule in all_rules():
        digest.update("\x1f".join((rule.code, rule.severity.value, ",".join(rule.formats), rule.basis,
                                   rule.doc)).encode("utf-8"))
        digest.update(b"\x1e")
    return len(all_rules()), digest.hexdigest()[:12]


def ruleset_label(lang: str) -> str:
    count, digest = ruleset_id()
    return f"{count} rules, {digest}" if lang == "en" else f"{count} 条规则，指纹 {digest}"


def cell_names(report: Report | None, loc: Location, lang: str) -> list[str]:
    """The cells a finding lists (`Location.cells`) as readers name them ("自然人×予以公开"); their keys
    ("granted×natural_person") where the report's format is unknown."""
    if not loc.cells:
        return []
    tdef = None
    if report is not None and report.format_version and loc.table:
        from ogi.schemas.definitions import load_format

        tdef = load_format(report.format_version).tables.get(loc.table)
    if tdef is None:
        return [f"{row}×{col}" for row, col in loc.cells]
    from ogi.checks.cells import cell_label, cell_label_en

    label = cell_label_en if lang == "en" else cell_label
    names = []
    for row, col in loc.cells:
        try:
            names.append(label(tdef, row, col))
        except StopIteration:  # a key the definition lacks
            names.append(f"{row}×{col}")
    return names


def cells_line(report: Report | None, loc: Location, lang: str) -> str | None:
    """"3 个：自然人×予以公开、…" / "3: Granted × Natural persons; …" — every listed cell; None when none."""
    names = cell_names(report, loc, lang)
    if not names:
        return None
    return f"{len(names)}: " + "; ".join(names) if lang == "en" else f"{len(names)} 个：" + "、".join(names)
