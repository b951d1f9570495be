"""The rule registry: every rule's code, category, severity, basis, messages and documentation.

A rule is a function over a `RuleContext` that yields Findings (built by `ctx.finding`, which fills
in everything the registry knows) or raises `CannotCheck` when the report lacks what it needs.
Its docstring is its documentation (检查内容 / 为什么重要 / 不合规示例 / 合规示例 / 依据), rendered by
`ogi explain`, the README rule table and the HTML report.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ogi.model import Category, Finding, Location, Report, Severity

if TYPE_CHECKING:
    from ogi.config import Config
    from ogi.schemas.definitions import FormatDef


class CannotCheck(Exception):
    """Raised by a rule that cannot be evaluated on this report: it becomes a "not checked" entry."""

    def __init__(self, reason: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason = reason
        self.reason_en = reason_en


RuleFunc = Callable[["RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    category: Category
    severity: Severity
    title: str
    title_en: str
    basis: str
    func: RuleFunc
    # Message templates by name: (Chinese, English), filled from the finding's parameters.
    messages: dict[str, tuple[str, str]]
    # Format versions the rule applies to; empty means every format.
    formats: tuple[str, ...] = ()
    # Needs history (previous years) to run.
    needs_history: bool = False

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    def applies_to(self, version: str | None) -> bool:
        return not self.formats or version in self.formats

    def doc_sections(self) -> dict[str, str]:
        """The docstring split by its headings (检查内容, 为什么重要, 不合规示例, 合规示例, 依据)."""
        sections: dict[str, list[str]] = {}
        current = "summary"
        for line in self.doc.splitlines():
            stripped = line.strip()
            head = stripped.rstrip("：:")
            if head in DOC_HEADINGS and stripped.endswith(("：", ":")):
                current = head
                continue
            sections.setdefault(current, []).append(line)
        return {k: "\n".join(v).strip() for k, v in sections.items()}


DOC_HEADINGS = ("检查内容", "为什么重要", "不合规示例", "合规示例", "依据", "如何修改")

_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    category: Category,
    severity: Severity,
    *,
    title: str,
    title_en: str,
    basis: str,
    messages: dict[str, tuple[str, str]],
    formats: tuple[str, ...] = (),
    needs_history: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. Codes are stable: a code is never reused for a different meaning."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        if code[0] != CATEGORY_PREFIX[category]:
            raise ValueError(f"rule {code}: prefix does not match category {category.value}")
        _REGISTRY[code] = Rule(code, category, severity, title, title_en, basis, func, messages, formats,
                               needs_history)
        return func

    return register


CATEGORY_PREFIX = {
    Category.FILE: "F",
    Category.STRUCTURE: "S",
    Category.VALUE: "V",
    Category.ARITHMETIC: "A",
    Category.CONSISTENCY: "C",
    Category.BUDGET: "B",
    Category.DATES: "D",
    Category.HISTORY: "H",
}


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    _load_rule_modules()
    return list(_sorted_rules())


# The registry only grows (by importing rule modules), so its sorted view is rebuilt when its size changes.
_SORTED: list[tuple[int, tuple[Rule, ...]]] = []


def _sorted_rules() -> tuple[Rule, ...]:
    if not _SORTED or _SORTED[0][0] != len(_REGISTRY):
        _SORTED[:] = [(len(_REGISTRY), tuple(_REGISTRY[c] for c in sorted(_REGISTRY)))]
    return _SORTED[0][1]


def get_rule(code: str) -> Rule:
    _load_rule_modules()
    return _REGISTRY[code.upper()]


def _load_rule_modules() -> None:
    # Importing the modules registers their rules; the import is cached after the first call.
    from ogi.checks import rules  # noqa: F401


@dataclass
class RuleContext:
    """What a rule sees: the report, its format definition, configuration and history."""

    report: Report
    fmt: FormatDef | None
    config: Config
    rule: Rule | None = None
    previous: Report | None = None
    history: list[Report] = field(default_factory=list)
    # Results computed once for a whole batch (e.g. table identities evaluated vectorised over every
    # submission), keyed by name; a rule falls back to computing its own when absent.
    precomputed: dict[str, Any] = field(default_factory=dict)
    # Parts of the report the current rule could not check, (reason, reason_en), though it checked the
    # rest: the engine turns them into partial "not checked" entries (it empties the list per rule).
    unchecked_parts: list[tuple[str, str]] = field(default_factory=list)

    def not_checked_part(self, reason: str, reason_en: str) -> None:
        """Say that part of the report was not checked by the current rule, and why."""
        self.unchecked_parts.append((reason, reason_en))

    def finding(
        self,
        template: str = "default",
        *,
        location: Location | None = None,
        expected: Any = None,
        actual: Any = None,
        severity: Severity | None = None,
        fix: str | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of the current rule, its message filled from the rule's template."""
        assert self.rule is not None
        zh, en = self.rule.messages[template]
        values = {"expected": expected, "actual": actual, **params}
        return Finding(
            rule=self.rule.code,
            severity=severity or self.rule.severity,
            category=self.rule.category,
            message=zh.format(**values),
            message_en=en.format(**values),
            location=location or Location(),
            expected=expected,
            actual=actual,
            basis=self.rule.basis,
            fix=fix,
        )


# --- values shared by the rules of one report --------------------------------------------------------

P = ParamSpec("P")
T = TypeVar("T")

# What `per_report` functions computed for the report being checked (and for no other report).
_MEMO_REPORT: list[Report] = []
_MEMO: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}


def per_report(func: Callable[Concatenate[Report, P], T]) -> Callable[Concatenate[Report, P], T]:
    """`func(report, *args)` computed once per report, so several rules can share what they all read.

    The result is shared: callers must not change it. Strings, numbers and None are told apart by
    value, other arguments (a format definition, a table) by identity.
    """

    @functools.wraps(func)
    def shared(report: Report, *args: P.args, **kwargs: P.kwargs) -> T:
        if not _MEMO_REPORT or _MEMO_REPORT[0] is not report:
            forget_report_values()
            _MEMO_REPORT.append(report)
        # Hashing a definition would walk all of it (and fail on its dicts): only plain values count as such.
        if len(args) == 1 and not kwargs:  # the common case, without building a list
            arg = args[0]
            key: tuple[Any, ...] = (shared, arg if type(arg) in _BY_VALUE else id(arg))
        else:
            key = (shared, *[a if type(a) in _BY_VALUE else id(a) for a in args], *kwargs.items())
        hit = _MEMO.get(key)
        if hit is None:
            # The arguments are kept with the value: an id stays theirs while the memo lasts.
            hit = _MEMO[key] = (func(report, *args, **kwargs), args)
        return hit[0]

    return shared


_BY_VALUE = frozenset({str, int, bool, type(None)})


def forget_report_values() -> None:
    """Drop what `per_report` functions remembered (the engine does so before checking a report)."""
    _MEMO_REPORT.clear()
    _MEMO.clear()
