"""The rule registry: every rule's code, category, severity, basis, messages and documentation.

A rule is a function over a `RuleContext` that yields Findings (built by `ctx.finding`, which fills
in everything the registry knows) or raises `CannotCheck` when the report lacks what it needs.
Its docstring is its documentation (检查内容 / 为什么重要 / 不合规示例 / 合规示例 / 依据), rendered by
`ogi explain`, the README rule table and the HTML report. Examples follow the report they are shown
for: `{year}`, `{year+1}`, `{year-1}` in a docstring stand for its data year (REFERENCE_YEARS in the
catalogue), and a heading qualified by a version ("合规示例（2008）：") replaces the plain one for
reports of that regime. The basis is chosen the same way (`ogi.checks.basis`).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ogi.checks.basis import Basis, basis_text, basis_version, catalogue_text
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
    # The legal or format basis, per version ("2008" | "2019" | "2021") where the regimes differ.
    bases: Basis
    func: RuleFunc
    # Message templates by name: (Chinese, English), filled from the finding's parameters.
    messages: dict[str, tuple[str, str]]
    # Format versions the rule applies to; empty means every format.
    formats: tuple[str, ...] = ()
    # Needs history (previous years) to run.
    needs_history: bool = False
    # Runs on a file with no report content (S003, template text); other rules do not (see `reads_content`).
    runs_when_empty: bool = False

    @property
    def basis(self) -> str:
        """The basis as the catalogue shows it: every regime's text."""
        return catalogue_text(self.bases)

    def basis_for(self, report: Report) -> str:
        """The basis a finding on `report` cites: its regime's and its data year's format's."""
        # A rule of the national formats on a report whose year says otherwise cites the format it was read in.
        return basis_text(self.bases, basis_version(report), report.format_version)

    @property
    def doc(self) -> str:
        """The documentation as `ogi explain` shows it (examples for each regime's REFERENCE_YEARS)."""
        lines, year = [], REFERENCE_YEARS[None]
        for line in inspect.cleandoc(self.func.__doc__ or "").splitlines():
            heading = _DOC_HEADING.fullmatch(line.strip())
            if heading and heading.group(1) in DOC_HEADINGS:
                year = REFERENCE_YEARS[heading.group(2)]
            lines.append(_with_year(line, year))
        return "\n".join(lines)

    @property
    def reads_content(self) -> bool:
        """False for the rules about the file itself and those that still apply when nothing was read."""
        return not (self.runs_when_empty or self.category is Category.FILE)

    def applies_to(self, version: str | None) -> bool:
        return not self.formats or version in self.formats

    def doc_sections(self, year: int | None = None, version: str | None = None) -> dict[str, str]:
        """The docstring split by its headings (检查内容, 为什么重要, 不合规示例, 合规示例, 依据).

        With a report's data year and version, the examples are that year's and that regime's (a
        heading qualified by the version replaces the plain one); without, the catalogue's.
        """
        sections: dict[str, list[str]] = {}
        current = "summary"
        for line in inspect.cleandoc(self.func.__doc__ or "").splitlines():
            heading = _DOC_HEADING.fullmatch(line.strip())
            if heading and heading.group(1) in DOC_HEADINGS:
                current = heading.group(1) + (f"（{heading.group(2)}）" if heading.group(2) else "")
                continue
            sections.setdefault(current, []).append(line)
        text = {k: _with_year("\n".join(v).strip(), year or REFERENCE_YEARS[k.partition("（")[2][:4] or None])
                for k, v in sections.items()}
        if version is None:
            return text
        out = {k: v for k, v in text.items() if "（" not in k}
        out.update({k.split("（")[0]: v for k, v in text.items() if k.endswith(f"（{version}）")})
        return out


def _with_year(text: str, year: int) -> str:
    return _YEAR_TOKEN.sub(lambda m: str(year + int(m.group(1) or 0)), text)


# The data year the catalogue's examples are written for: a plain heading's, and a regime's own.
REFERENCE_YEARS: dict[str | None, int] = {None: 2023, "2021": 2023, "2019": 2020, "2008": 2017}
_YEAR_TOKEN = re.compile(r"\{year([+-]\d+)?\}")
# "合规示例：" or "合规示例（2008）：" on a line of its own.
_DOC_HEADING = re.compile(r"(\S+?)(?:（(2008|2019|2021)）)?[：:]")
DOC_HEADINGS = ("检查内容", "为什么重要", "不合规示例", "合规示例", "依据", "如何修改")

_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    category: Category,
    severity: Severity,
    *,
    title: str,
    title_en: str,
    basis: Basis,
    messages: dict[str, tuple[str, str]],
    formats: tuple[str, ...] = (),
    needs_history: bool = False,
    runs_when_empty: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. Codes are stable: a code is never reused for a different meaning."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        if code[0] != CATEGORY_PREFIX[category]:
            raise ValueError(f"rule {code}: prefix does not match category {category.value}")
        _REGISTRY[code] = Rule(code, category, severity, title, title_en, basis, func, messages, formats,
                               needs_history, runs_when_empty)
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
        data: dict[str, Any] | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of the current rule, its message filled from the rule's template; the template's numeric
        values and `data` (machine parameters that the message need not show) become its typed `params`."""
        assert self.rule is not None
        zh, en = self.rule.messages[template]
        values = {"expected": expected, "actual": actual, **params}
        typed = {k: v for k, v in params.items() if isinstance(v, _NUMBERS) and not isinstance(v, bool)}
        if data:
            typed.update(data)
        return Finding(
            rule=self.rule.code,
            severity=severity or self.rule.severity,
            category=self.rule.category,
            message=zh.format(**values),
            message_en=en.format(**values),
            location=location or Location(),
            expected=expected,
            actual=actual,
            basis=self.rule.basis_for(self.report),
            fix=fix,
            params=tuple(sorted(typed.items())),
        )


_NUMBERS = (int, float, Decimal)


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
