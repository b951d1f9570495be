"""The report the project started from, checked end to end through the CLI (SPEC §5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogi.cli import main
from ogi.tools.validate_json import validate


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_seed_gives_exactly_the_expected_result(seed_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(capsys, str(seed_report))
    validate(doc)
    assert code == 1
    [sub] = doc["submissions"]
    assert (sub["agency"], sub["year"], sub["format_version"]) == ("常德市人民政府政务服务中心", 2017, "2008")
    assert sub["published"] == "2018-03-19" and sub["signed"] == "2018-03-19"
    assert sub["level"] == "department" and sub["level_inferred"] is True
    assert sub["status"] == "fail"
    serious = [(f["rule"], f["severity"], f["category"]) for f in sub["findings"] if f["severity"] != "info"]
    assert serious == [("B001", "error", "budget"), ("S002", "warning", "structure")]
    budget = sub["findings"][0]
    assert "26,860 元" in budget["message"] and "20,000 元" in budget["message"]
    assert "6,860" in budget["message"] and "34.3%" in budget["message"]
    assert "26,860" in budget["message_en"]
    empty = sub["findings"][1]
    assert "七、其他相关工作情况" in empty["message"]
    infos = {f["rule"]: f for f in sub["findings"] if f["severity"] == "info"}
    assert ".doc" in infos["F004"]["message"] and infos["F004"]["category"] == "file"
    # 80,560 + 48,489 + 951 = 130,000 against "13万多人次": consistent only loosely.
    assert "13万多人次" in infos["C001"]["message"] and "130,000" in infos["C001"]["message"]
    # What passed (SPEC §5): outcomes 1 + 1 = 2, 50% + 50%, dates before 31 March, year agrees.
    assert {"A001", "A002", "D001", "D002", "D003", "D004", "S001", "B003"} <= set(sub["passed"])


def test_seed_text_output_lists_findings_and_what_passed(seed_report: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(seed_report)])
    out = capsys.readouterr().out
    assert code == 1
    assert "B001" in out and "26,860" in out and "S002" in out
    assert "通过的检查" in out and "A001" in out
    assert "Traceback" not in out


def test_fail_on_thresholds(seed_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(seed_report), "--fail-on", "never", "--format", "json"]) == 0
    assert main(["check", str(seed_report), "--fail-on", "warning", "--format", "json"]) == 1
    capsys.readouterr()


def test_english_output(seed_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(seed_report), "--lang", "en"])
    out = capsys.readouterr().out
    assert "over the budget" in out and "Passed" in out


def test_markdown_output_to_file(seed_report: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    assert main(["check", str(seed_report), "--format", "markdown", "-o", str(target)]) == 1
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 政府信息公开工作年度报告检查结果")
    assert "| B001 | 错误 | 经费 |" in text


def test_json_output_is_deterministic(seed_report: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    main(["check", str(seed_report), "--format", "json", "-o", str(first)])
    main(["check", str(seed_report), "--format", "json", "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()
    assert "generated_at" not in json.loads(first.read_text(encoding="utf-8"))


def test_level_option_changes_the_deadline_basis(seed_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, doc = run_json(capsys, str(seed_report), "--level", "government")
    sub = doc["submissions"][0]
    assert sub["level"] == "government" and sub["level_inferred"] is False
