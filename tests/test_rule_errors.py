"""A rule that raises is a bug in ogi-checks: it is recorded with its traceback, apart from "not checked",
makes the submission's check incomplete and the CLI exit 2 — in every output — and never happens on the
generated and real corpus."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console

from ogi.checks import registry
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Category, Severity, Status, SubmissionResult
from ogi.reports.html import render_report_html
from ogi.reports.json_report import render_json
from ogi.reports.junit import render_junit
from ogi.reports.markdown import render_markdown
from ogi.reports.terminal import render_terminal
from ogi.testing import generate, render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "shuyang-fgj-2023.html"
SCHEMA = json.loads((ROOT / "src" / "ogi" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
BROKEN = "S990"


def _crash(ctx: registry.RuleContext) -> Iterator[object]:
    """A rule with a bug: it divides by zero on every report."""
    yield 1 // 0


@pytest.fixture()
def broken_rule() -> Iterator[str]:
    """S990 registered for the test only; every cache keyed on the registry is forgotten afterwards."""
    from ogi import engine

    registry.all_rules()  # the real rules first, so the test rule is an addition
    registry.rule(BROKEN, Category.STRUCTURE, Severity.WARNING, title="测试用的故障规则",
                  title_en="A broken rule for the test", basis="测试", messages={})(_crash)  # type: ignore[arg-type]
    try:
        yield BROKEN
    finally:
        del registry._REGISTRY[BROKEN]
        engine._RULES_FOR.clear()


@pytest.fixture()
def crashed(broken_rule: str) -> SubmissionResult:
    return check_file(EXAMPLE, Config())


def test_a_crash_is_a_rule_error_not_a_not_checked(crashed: SubmissionResult) -> None:
    assert [e.rule for e in crashed.rule_errors] == [BROKEN]
    error = crashed.rule_errors[0]
    assert error.error.startswith("ZeroDivisionError")
    assert "_crash" in error.traceback and "1 // 0" in error.traceback
    assert BROKEN not in {n.rule for n in crashed.not_checked}
    assert BROKEN not in crashed.passed
    assert crashed.status == Status.INCOMPLETE
    # The other rules still ran and said what they say.
    assert {"A101", "A102", "A103"} <= set(crashed.passed)


def test_every_output_shows_the_rule_error(crashed: SubmissionResult) -> None:
    document = json.loads(render_json([crashed]))
    jsonschema.validate(document, SCHEMA)
    entry = document["submissions"][0]
    assert entry["status"] == "incomplete"
    assert [e["rule"] for e in entry["rule_errors"]] == [BROKEN]
    assert "ZeroDivisionError" in entry["rule_errors"][0]["traceback"]
    assert document["summary"]["rule_errors"] == 1

    junit = ET.fromstring(render_junit([crashed]).encode("utf-8"))
    errors = junit.findall(".//testcase/error")
    assert [e.get("type") for e in errors] == ["rule-error"]
    assert junit.get("errors") == "1"

    html = render_report_html(crashed)
    assert 'id="rule-errors"' in html and "ZeroDivisionError" in html and "检查未完成" in html
    assert f"{BROKEN}" in render_markdown([crashed]) and "ZeroDivisionError" in render_markdown([crashed])

    out = StringIO()
    render_terminal([crashed], Console(file=out, width=200, no_color=True))
    assert f"规则出错 {BROKEN}" in out.getvalue() and "检查未完成" in out.getvalue()


def test_cli_exits_2_on_a_rule_error_unless_allowed(tmp_path: Path) -> None:
    # A fresh interpreter registers the broken rule before running the CLI, as a plugin would.
    script = textwrap.dedent(f"""
        import sys
        from ogi.checks import registry
        from ogi.model import Category, Severity
        registry.all_rules()
        def crash(ctx):
            yield 1 // 0
        registry.rule("{BROKEN}", Category.STRUCTURE, Severity.WARNING, title="t", title_en="t", basis="b",
                      messages={{}})(crash)
        from ogi.cli import main
        sys.argv = ["ogi", *sys.argv[1:]]
        sys.exit(main())
    """)
    runner = tmp_path / "run.py"
    runner.write_text(script, encoding="utf-8")

    def ogi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(runner), *args], capture_output=True, text=True, timeout=300,
                              check=False)

    plain = ogi("check", str(EXAMPLE), "-q", "-j", "1")
    assert plain.returncode == 2, plain.stderr
    assert "Traceback" not in plain.stderr and "规则执行出错" in plain.stderr
    streamed = ogi("check", str(EXAMPLE), "-q", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert streamed.returncode == 2
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["rule_errors"] == 1
    allowed = ogi("check", str(EXAMPLE), "-q", "--allow-rule-errors", "--fail-on", "never")
    assert allowed.returncode == 0, allowed.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated reports of every format, kind and defect, plus the real examples."""
    folder = tmp_path_factory.mktemp("no-rule-errors")
    defects = ("unbalanced", "outcomes_off", "total_column_off", "appeals_off", "narrative_mismatch",
               "without_fee_statement", "period_mismatch", "template_leftover", "late", "future_dates",
               "wrong_format", "signed_after_published", None)
    kinds = ("html", "docx", "xlsx", "txt", "json")
    for i, defect in enumerate(defects * 2):
        report = generate(seed=900 + i, format_version=("2021", "2019", "2008")[i % 3])
        if defect is not None:
            with contextlib.suppress(ValueError, KeyError):  # a defect the format cannot carry (2008 tables)
                report = getattr(report, defect)()
        kind = kinds[i % len(kinds)]
        (folder / f"{i:02d}.{kind}").write_bytes(render(report, kind, realistic=kind == "html"))
    for example in sorted((ROOT / "examples").iterdir()):
        if example.suffix != ".md":
            (folder / example.name).write_bytes(example.read_bytes())
    real = ROOT / "tests" / "real" / "files"
    if real.is_dir():
        for path in sorted(real.iterdir()):
            (folder / f"real-{path.name}").write_bytes(path.read_bytes())
    return sorted(folder.iterdir())


def test_no_rule_crashes_on_the_generated_and_real_corpus(corpus: list[Path]) -> None:
    crashes = [(path.name, e.rule, e.error) for path in corpus for e in check_file(path, Config()).rule_errors]
    assert crashes == []
