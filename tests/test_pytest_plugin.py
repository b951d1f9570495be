"""The pytest plugin: `pytest --ogi-submissions PATH` turns submission × rule into test items.

The expected outcomes are computed from `ogi.api.check` itself, so these tests stay right as rules
and examples are added; the seed's own result (B001 the only error) is pinned as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import pandas  # noqa: F401 - see below
import pytest
import yaml

import ogi
from ogi.api import submission_label
from structured_reports import clean_report, write

# pytester's in-process runs restore sys.modules afterwards, dropping what they imported; numpy cannot
# be loaded twice in one process, so pandas (and numpy) are imported here, before any such run.
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "changde-2017-zwzx.txt"
SEED_LABEL = "常德市人民政府政务服务中心-2017"
RANK = {"error": 3, "warning": 2, "info": 1}
FAST = ("-p", "no:cacheprovider", "--ogi-jobs", "1")  # reading in-process: a few files need no workers


@pytest.fixture(scope="module", autouse=True)
def _readers_imported_outside_pytester() -> None:
    """Import every reader (pdf, docx, html …) in this process before the in-process pytester runs, so
    that rewinding sys.modules after them drops nothing that later tests import again."""
    ogi.check([EXAMPLES], jobs=1)


def expected_outcomes(paths: Iterable[Path], fail_on: str = "error") -> dict[str, str]:
    """node id → "failed" | "skipped" | "passed", from the engine's own results."""
    out: dict[str, str] = {}
    for result in ogi.check(list(paths), jobs=1).submissions:
        label = submission_label(result)
        codes = {f.rule for f in (*result.findings, *result.waived)} | set(result.passed)
        codes |= {n.rule for n in result.not_checked}
        not_checked = {n.rule for n in result.not_checked}
        for code in codes:
            failing = any(f.rule == code and f.severity.rank >= RANK[fail_on] for f in result.findings)
            node = f"{label}::{code}"
            assert node not in out, f"two submissions are both named {label}"
            out[node] = "failed" if failing else "skipped" if code in not_checked else "passed"
    return out


def junit_outcomes(path: Path) -> dict[str, tuple[str, str]]:
    """node id → (outcome, message) as the JUnit file lists them."""
    out: dict[str, tuple[str, str]] = {}
    for case in ET.parse(path).iter("testcase"):
        node = f"{case.get('classname')}::{case.get('name')}"
        failure, skipped = case.find("failure"), case.find("skipped")
        if failure is not None:
            out[node] = ("failed", failure.get("message") or "")
        elif skipped is not None:
            out[node] = ("skipped", skipped.get("message") or "")
        else:
            out[node] = ("passed", "")
    return out


def count(outcomes: dict[str, str], what: str) -> int:
    return sum(1 for v in outcomes.values() if v == what)


@pytest.fixture
def reports(pytester: pytest.Pytester) -> Path:
    """A folder with the seed (a real 2017 report) and a clean structured 2021 report."""
    folder = pytester.path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    write(clean_report(), folder / "clean-2023.json")
    return folder


def test_seed_fails_exactly_b001_and_the_clean_report_passes(pytester: pytest.Pytester, reports: Path) -> None:
    expected = expected_outcomes([reports])
    assert {n for n, v in expected.items() if v == "failed"} == {f"{SEED_LABEL}::B001"}
    result = pytester.runpytest("--ogi-submissions", "reports", "--junitxml=junit.xml", "-rs", *FAST)
    result.assert_outcomes(failed=1, passed=count(expected, "passed"), skipped=count(expected, "skipped"))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # The failure shows the finding with its evidence, not a traceback.
    result.stdout.fnmatch_lines([
        f"*{SEED_LABEL}::B001*",
        "B001 支出超出预算 / Spending exceeds the budget",
        "*[[]错误 error[]] B001 政府信息公开支出合计 26,860 元*",
        "*Disclosure spending totals 26,860 yuan*",
        "*应为 expected: ≤ 20,000 元*实际 actual: 26,860 元*",
        "*依据 basis: 2008 年《条例》（国务院令第492号）第三十二条*",
        "*ogi explain B001*",
    ])
    assert "Traceback" not in result.stdout.str() and "pytest_plugin.py" not in result.stdout.str()
    # "Not checked" is a skip with the reason, reported against the submission file.
    result.stdout.fnmatch_lines(["SKIPPED [[]1[]] reports/changde-2017-zwzx.txt: B002 未能检查 / not checked: *"])
    junit = junit_outcomes(pytester.path / "junit.xml")
    assert {n: o for n, (o, _) in junit.items()} == expected
    assert junit[f"{SEED_LABEL}::B002"][1].startswith("B002 未能检查")


def test_k_selects_by_rule_code_and_by_agency(pytester: pytest.Pytester, reports: Path) -> None:
    by_rule = pytester.runpytest("--ogi-submissions", "reports", "-k", "B001", *FAST)
    by_rule.assert_outcomes(failed=1, deselected=len(expected_outcomes([reports])) - 1)
    clean = pytester.runpytest("--ogi-submissions", "reports", "-k", "自然资源和规划局", *FAST)
    assert clean.ret == pytest.ExitCode.OK
    outcomes = clean.parseoutcomes()
    assert outcomes["passed"] > 10 and "failed" not in outcomes


def test_fail_on_warning_also_fails_s002(pytester: pytest.Pytester, reports: Path) -> None:
    expected = expected_outcomes([reports], fail_on="warning")
    failing = {n for n, v in expected.items() if v == "failed"}
    assert {f"{SEED_LABEL}::B001", f"{SEED_LABEL}::S002"} <= failing
    result = pytester.runpytest("--ogi-submissions", "reports", "--ogi-fail-on", "warning", *FAST,
                                "--junitxml=junit.xml")
    result.assert_outcomes(failed=len(failing), passed=count(expected, "passed"), skipped=count(expected, "skipped"))
    assert {n for n, (o, _) in junit_outcomes(pytester.path / "junit.xml").items() if o == "failed"} == failing


def test_findings_below_the_threshold_pass_and_are_shown(pytester: pytest.Pytester, reports: Path) -> None:
    result = pytester.runpytest("--ogi-submissions", "reports", "-k", "S002", "-rP", *FAST)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*[[]警告 warning[]] S002 章节“七、其他相关工作情况”只有标题*"])


def test_an_unreadable_file_is_one_failing_item(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "reports"
    folder.mkdir()
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")
    result = pytester.runpytest("--ogi-submissions", "reports", "-v", *FAST)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["broken::F001 FAILED*", "*F001 文件无法读取*"])


def test_two_files_of_the_same_agency_and_year_get_distinct_names(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "b.txt")
    result = pytester.runpytest("--ogi-submissions", "reports", "-k", "B001", "-v", *FAST)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([f"{SEED_LABEL}::B001 FAILED*", f"{SEED_LABEL}@b::B001 FAILED*"])


def test_a_missing_path_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--ogi-submissions", "nowhere", *FAST)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ogi: 找不到 / not found:*nowhere*"])


def test_without_the_option_the_plugin_does_nothing(pytester: pytest.Pytester, reports: Path) -> None:
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    result = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["test_own.py::test_own", "1 test collected*"])
    assert "ogi-checks" not in result.stdout.str()
    # …and yet it is installed (entry point pytest11), with its options in --help.
    pytester.runpytest("--help").stdout.fnmatch_lines(["*--ogi-submissions=PATH*", "*--ogi-fail-on=*"])


def test_this_projects_own_test_run_collects_no_ogi_items(request: pytest.FixtureRequest) -> None:
    """The plugin is loaded in this very session (entry point), and added nothing to it."""
    from ogi.pytest_plugin import RuleItem, SubmissionCollector

    assert request.config.pluginmanager.has_plugin("ogi")
    assert not any(isinstance(i, RuleItem) or isinstance(i.parent, SubmissionCollector) for i in request.session.items)


def test_acceptance_examples(pytester: pytest.Pytester) -> None:
    """`pytest --ogi-submissions examples/` fails exactly the items of the rules the examples break,
    passes the rest, and its junit file lists them."""
    expected = expected_outcomes([EXAMPLES])
    assert f"{SEED_LABEL}::B001" in {n for n, v in expected.items() if v == "failed"}
    # In a subprocess, as a user runs it: with its default reader processes (an in-process pytester
    # run would fork them from a process whose sys.modules pytester has rewound).
    result = pytester.runpytest_subprocess("--ogi-submissions", str(EXAMPLES), "--junitxml=junit.xml",
                                           "-p", "no:cacheprovider", timeout=600)
    result.assert_outcomes(failed=count(expected, "failed"), passed=count(expected, "passed"),
                           skipped=count(expected, "skipped"))
    junit = junit_outcomes(pytester.path / "junit.xml")
    assert {n: o for n, (o, _) in junit.items()} == expected


# --- the CI recipe (docs/ci.md) ------------------------------------------------------------------

DOCS = ROOT / "docs"


def recipe_commands() -> list[tuple[str, str]]:
    """(file, command) for every line of the CI examples that runs pytest or ogi."""
    found: list[tuple[str, str]] = []
    github = yaml.safe_load((DOCS / "github-actions.yml").read_text(encoding="utf-8"))
    for job in github["jobs"].values():
        for step in job["steps"]:
            found.extend(("github-actions.yml", line.strip()) for line in str(step.get("run", "")).splitlines())
    gitlab = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text(encoding="utf-8"))
    for job in gitlab.values():
        if isinstance(job, dict):
            found.extend(("gitlab-ci.yml", str(line).strip()) for line in job.get("script", ()))
    return [(f, c) for f, c in found if c.split()[:1] in (["pytest"], ["ogi"])]


def test_the_ci_recipes_run_pytest_and_ogi() -> None:
    commands = recipe_commands()
    assert {f for f, _ in commands} == {"github-actions.yml", "gitlab-ci.yml"}
    assert any(c.startswith("pytest --ogi-submissions site/annual-reports") for _, c in commands)
    assert any(c.startswith("ogi check site/annual-reports") and "--fail-on error" in c for _, c in commands)


@pytest.mark.parametrize(("source", "command"), recipe_commands(), ids=lambda v: str(v).split()[0])
def test_the_ci_recipe_blocks_a_report_with_errors(tmp_path: Path, source: str, command: str) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTEST_ADDOPTS", None)
    for case, expected_rc in (("failing", 1), ("passing", 0)):
        site = tmp_path / case
        folder = site / "site" / "annual-reports"
        folder.mkdir(parents=True)
        write(clean_report(), folder / "2023年度报告.json")
        if case == "failing":
            shutil.copy(SEED, folder / SEED.name)
        done = subprocess.run(["bash", "-c", command], cwd=site, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == expected_rc, f"{source}: {command} on the {case} folder\n{done.stdout}\n{done.stderr}"


def test_a_crashed_rule_fails_its_item_with_the_traceback(pytester: pytest.Pytester, reports: Path) -> None:
    # A conftest registers a rule with a bug: its item fails (never skips) and shows the traceback.
    pytester.makeconftest(
        "from ogi.checks import registry\n"
        "from ogi.model import Category, Severity\n"
        "registry.all_rules()\n"
        "def crash(ctx):\n"
        "    yield 1 // 0\n"
        "registry.rule('S990', Category.STRUCTURE, Severity.WARNING, title='t', title_en='t', basis='b',\n"
        "              messages={})(crash)\n"
    )
    try:
        result = pytester.runpytest_subprocess("--ogi-submissions", "reports", "-k", "S990", *FAST)
    finally:
        from ogi import engine
        from ogi.checks import registry

        registry._REGISTRY.pop("S990", None)
        engine._RULES_FOR.clear()
    result.assert_outcomes(failed=2, deselected=len(expected_outcomes([reports])))
    result.stdout.fnmatch_lines(["*S990 规则执行出错*", "*ZeroDivisionError*"])
