"""Every registered rule has a failing and a passing document, and both behave (run end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi.checks.registry import all_rules
from ogi.config import Config
from ogi.engine import check_file, read_file
from ogi.model import Report, SubmissionResult
from rule_cases import RULE_CASES, Builder, Case


def test_every_rule_has_cases() -> None:
    codes = {r.code for r in all_rules()}
    assert sorted(codes - set(RULE_CASES)) == [], "rules without a failing and a passing document"
    assert sorted(set(RULE_CASES) - codes) == [], "cases for rules that do not exist"


def _read(build: Builder | None, folder: Path) -> Report | None:
    if build is None:
        return None
    report = read_file(build(folder), Config())
    assert isinstance(report, Report)
    return report


def _run(case: Case, side: int, folder: Path) -> SubmissionResult:
    build = (case.failing, case.passing)[side]
    config = (case.failing_config, case.passing_config)[side] or Config()
    previous = _read(case.previous[side], folder) if case.previous else None
    history = [r for r in (_read(case.history[side], folder),) if r] if case.history else None
    return check_file(build(folder), config, previous=previous, history=history)


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_failing_document_fails(code: str, tmp_path: Path) -> None:
    result = _run(RULE_CASES[code], 0, tmp_path)
    found = [f.rule for f in result.findings]
    assert code in found, f"{code} not among {found}; not checked: {[(n.rule, n.reason) for n in result.not_checked]}"


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_passing_document_passes(code: str, tmp_path: Path) -> None:
    result = _run(RULE_CASES[code], 1, tmp_path)
    mine = [(f.rule, f.message) for f in result.findings if f.rule == code]
    reason = [n.reason for n in result.not_checked if n.rule == code]
    assert code in result.passed, f"{code} did not pass: findings {mine}, not checked {reason}"
