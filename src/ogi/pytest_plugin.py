"""pytest plugin: one test item per submission × rule, so CI can gate publishing a report.

    pytest --ogi-submissions site/annual-reports --junitxml=ogi.xml

Items are named ``<agency or file stem>-<year>::<rule code>`` (``-k B001``, ``-k 发展和改革局``). The
checks run once per session through `ogi.api.check`; an item fails when its rule found something at or
above ``--ogi-fail-on`` (default error), is skipped when the rule could not be checked, and passes
otherwise. Without ``--ogi-submissions`` the plugin does nothing: it is installed for every pytest run
of anyone who installs ogi-checks, so this module imports nothing heavy at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

if TYPE_CHECKING:
    from ogi.config import Config
    from ogi.model import Finding, Report, RuleError, SubmissionResult

FAIL_ON = ("error", "warning", "info")
_RANK = {"error": 3, "warning": 2, "info": 1}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ogi", "政府信息公开年报检查 / ogi-checks")
    group.addoption("--ogi-submissions", action="append", default=[], metavar="PATH",
                    help="要检查的年报文件或目录（可重复） / reports or folders to check (repeatable)")
    group.addoption("--ogi-previous", action="append", default=[], metavar="PATH",
                    help="上一年度的报告，用于跨年度核对 / last year's reports, for cross-year rules")
    group.addoption("--ogi-config", metavar="FILE", default=None,
                    help="配置文件（默认：ogi.toml 或 pyproject.toml [tool.ogi]） / configuration file")
    group.addoption("--ogi-fail-on", choices=FAIL_ON, default="error",
                    help="达到该级别的问题使测试失败（默认 error） / severity that fails an item (default error)")
    group.addoption("--ogi-jobs", type=int, default=None, metavar="N",
                    help="并行读取的进程数（默认：全部 CPU 核） / reader processes (default: all CPUs)")


def _active(config: pytest.Config) -> bool:
    return bool(config.getoption("ogi_submissions", default=None))


@dataclass
class _Session:
    """What the plugin keeps for one pytest session: the inputs, and the results once computed."""

    paths: list[Path]
    previous: list[Path]
    config: Config
    fail_on: str
    jobs: int | None = None
    results: list[SubmissionResult] | None = None


_STATE = pytest.StashKey[_Session]()


def pytest_configure(config: pytest.Config) -> None:
    if not _active(config):
        return
    from ogi.config import ConfigError, load_config

    here = config.invocation_params.dir
    paths = [here / p for p in config.getoption("ogi_submissions")]
    previous = [here / p for p in config.getoption("ogi_previous")]
    missing = [str(p) for p in (*paths, *previous) if not p.exists()]
    if missing:
        raise pytest.UsageError("ogi: 找不到 / not found: " + ", ".join(missing))
    try:
        ogi_config = load_config(config.getoption("ogi_config"), search_from=here)
    except ConfigError as exc:
        raise pytest.UsageError(f"ogi: {exc}") from exc
    config.stash[_STATE] = _Session(paths, previous, ogi_config, config.getoption("ogi_fail_on"),
                                    config.getoption("ogi_jobs"))


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _active(config):
        return None
    from ogi import __version__

    state = config.stash[_STATE]
    where = ", ".join(str(p) for p in state.paths)
    return f"ogi-checks {__version__}: {where} (--ogi-fail-on {state.fail_on})"


def _results(state: _Session) -> list[SubmissionResult]:
    if state.results is None:  # once per session, whatever asks first
        from ogi.api import check

        state.results = list(check(state.paths, config=state.config, previous=state.previous or None,
                                   jobs=state.jobs))
    return state.results


_UNSAFE = re.compile(r"[\s/\\:\[\]]+")


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselection, which is another modifyitems hook
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _active(config):
        return
    from ogi.api import submission_label

    seen: set[str] = set()
    for result in _results(config.stash[_STATE]):
        name = submission_label(result)
        if name in seen:  # two files for the same agency and year: tell them apart by file
            name = f"{name}@{_UNSAFE.sub('_', Path(result.source).stem)}"
        base, n = name, 2
        while name in seen:
            name, n = f"{base}~{n}", n + 1
        seen.add(name)
        node = SubmissionCollector.from_parent(session, name=name, nodeid=name,
                                               path=Path(result.source).resolve(), result=result)
        items.extend(session.genitems(node))


class SubmissionCollector(pytest.Collector):
    """One submission: its items are the rules that were run on it."""

    def __init__(self, *, result: SubmissionResult, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result = result
        report = result.report
        if report is not None and report.agency:
            self.extra_keyword_matches.add(report.agency)
        self.extra_keyword_matches.add(Path(result.source).name)

    def collect(self) -> Iterator[RuleItem]:
        r = self.result
        codes = ({f.rule for f in (*r.findings, *r.waived)} | {n.rule for n in r.not_checked} | set(r.passed)
                 | {e.rule for e in r.rule_errors})
        for code in sorted(codes):
            yield RuleItem.from_parent(self, name=code, code=code)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


class OgiFindings(Exception):
    """Raised by an item whose rule found something at or above the threshold."""

    def __init__(self, failing: Sequence[Finding]) -> None:
        super().__init__(f"{len(failing)} finding(s)")
        self.failing = tuple(failing)


class OgiRuleError(Exception):
    """Raised by an item whose rule crashed: a bug in ogi-checks, reported as a failure with its traceback."""

    def __init__(self, error: RuleError) -> None:
        super().__init__(error.error)
        self.error = error


class RuleItem(pytest.Item):
    """One rule on one submission."""

    def __init__(self, *, code: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.code = code
        assert isinstance(self.parent, SubmissionCollector)
        self.result: SubmissionResult = self.parent.result
        title = _rule_title(code)
        if title:
            self.extra_keyword_matches.add(title[2])  # the category, e.g. -k budget

    def runtest(self) -> None:
        crashed = next((e for e in self.result.rule_errors if e.rule == self.code), None)
        if crashed is not None:
            raise OgiRuleError(crashed)
        state = self.config.stash[_STATE]
        threshold = _RANK[state.fail_on]
        mine = [f for f in self.result.findings if f.rule == self.code]
        waived = [f for f in self.result.waived if f.rule == self.code]
        for f in mine:
            self.user_properties.append(("ogi_finding", f"{f.severity.value} {f.rule}: {f.message}"))
        for f in waived:
            self.user_properties.append(("ogi_waived", f"{f.rule}: {f.message}"))
        below = [f for f in mine if f.severity.rank < threshold]
        if below or waived:
            report = self.result.report
            text = "\n\n".join([*(format_finding(f, report) for f in below),
                                *(format_finding(f, report) + "\n  " + _waiver_line(f) for f in waived)])
            self.add_report_section("call", "ogi", text)
        failing = [f for f in mine if f.severity.rank >= threshold]
        if failing:
            raise OgiFindings(failing)
        reason = next((n for n in self.result.not_checked if n.rule == self.code), None)
        if reason is not None:
            how = "部分未检查 / partly not checked" if reason.partial else "未能检查 / not checked"
            pytest.skip(f"{self.code} {how}: {reason.reason} / {reason.reason_en}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, OgiFindings):
            return self._describe(excinfo.value.failing)
        if isinstance(excinfo.value, OgiRuleError):
            error = excinfo.value.error
            return (f"{self.code} 规则执行出错（ogi-checks 的缺陷，检查未完成）/ the rule crashed "
                    f"(a bug in ogi-checks: the check is incomplete)\n{self.result.source}\n\n{error.traceback}")
        return str(super().repr_failure(excinfo, style=style))

    def _describe(self, failing: Sequence[Finding]) -> str:
        report = self.result.report
        title = _rule_title(self.code)
        head = f"{self.code} {title[0]} / {title[1]}" if title else self.code
        who = " ".join(str(x) for x in (report.agency, report.year) if x) if report else ""
        lines = [head, f"{who} — {self.result.source}" if who else self.result.source, ""]
        lines.append("\n\n".join(format_finding(f, report) for f in failing))
        lines += ["", f"规则说明 / rule documentation: ogi explain {self.code}"]
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.parent.name if self.parent else ''}::{self.code}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # A "not checked" skip is about the submission, not about the line of this plugin that raised it;
    # no line number (pytest's terminal report accepts None there, its annotation says int).
    if isinstance(item, RuleItem) and report.skipped and isinstance(report.longrepr, tuple):
        report.longrepr = cast(Any, (str(item.path), None, report.longrepr[2]))
    return report


def _rule_title(code: str) -> tuple[str, str, str] | None:
    from ogi.checks.registry import get_rule

    try:
        rule = get_rule(code)
    except KeyError:
        return None
    return rule.title, rule.title_en, rule.category.value


def _waiver_line(f: Finding) -> str:
    w = f.waived
    if w is None:
        return ""
    until = f"，有效期至 {w.expires.isoformat()}" if w.expires else ""
    return f"已豁免 / waived: {w.reason}（{w.approver}{until}）"


def format_finding(f: Finding, report: Report | None = None) -> str:
    """A finding with its evidence, as shown in a failing item: message, location, expected/actual, fix, basis."""
    from ogi.reports.common import cells_line, shown_value
    from ogi.reports.serialize import jsonable

    lines = [f"[{f.severity.zh} {f.severity.value}] {f.rule} {f.message}", f"  {f.message_en}"]
    loc = f.location
    where = [f"{k} {v}" for k, v in (("section", loc.section), ("table", loc.table), ("row", loc.row),
                                      ("column", loc.column)) if v]
    if loc.source is not None:
        where.append(f"({loc.source.describe()})")
    if where:
        lines.append("  位置 location: " + ", ".join(where))
    listed = cells_line(report, loc, "zh")
    if listed:
        lines.append(f"  单元格 cells: {listed}")
    if loc.text:
        excerpt = loc.text if len(loc.text) <= 160 else loc.text[:157] + "…"
        lines.append(f"  原文 text: {excerpt}")
    if f.expected is not None or f.actual is not None:
        shown = (jsonable(shown_value(f, "expected")), jsonable(shown_value(f, "actual")))
        lines.append(f"  应为 expected: {shown[0]}    实际 actual: {shown[1]}")
    if f.fix:
        lines.append(f"  建议修改 fix: {f.fix}")
    if f.basis:
        lines.append(f"  依据 basis: {f.basis}")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not _active(config):
        return
    state = config.stash[_STATE]
    if state.results is None:
        return
    from collections import Counter

    counts = Counter(r.status.zh for r in state.results)
    summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
    terminalreporter.write_sep("-", "ogi-checks")
    terminalreporter.write_line(f"{len(state.results)} 份报告 / submissions：{summary}")
