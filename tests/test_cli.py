"""The command line: rules, explain, usage errors, exit codes, and a fast --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ogi.checks.registry import all_rules
from ogi.cli import main


def test_rules_lists_the_whole_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in listed] == [r.code for r in all_rules()]
    assert all(r["title"] and r["title_en"] and r["basis"] for r in listed)


def test_every_rule_is_documented_with_examples() -> None:
    for rule in all_rules():
        sections = rule.doc_sections()
        for heading in ("检查内容", "为什么重要", "不合规示例", "合规示例", "依据"):
            assert sections.get(heading), f"{rule.code} lacks {heading}"


def test_explain_prints_the_rule_doc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "b001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("B001 支出超出预算") and "不合规示例" in out and "合规示例" in out


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "Z999"]) == 2
    assert "Z999" in capsys.readouterr().err


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.html")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_bad_config_is_a_usage_error(tmp_path: Path, seed_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "ogi.toml"
    config.write_text('[severity]\nB001 = "fatal"\n', encoding="utf-8")
    assert main(["check", str(seed_report), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "B001" in err and "Traceback" not in err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "ogi check" in capsys.readouterr().out


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys\nfrom ogi.cli import main\n"
            "try:\n    main(['check', '--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('pandas', 'great_expectations', 'pdfplumber', 'lxml', 'openpyxl')\n"
            "heavy = [m for m in heavy if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_closed_pipe_is_not_an_internal_error(examples_dir: Path, tmp_path: Path) -> None:
    page = (examples_dir / "shuyang-fgj-2023.html").read_bytes()
    for i in range(30):  # far more output than a pipe buffers, so the write really hits the closed pipe
        (tmp_path / f"r{i}.html").write_bytes(page)
    proc = subprocess.run(f"{sys.executable} -m ogi.cli extract {tmp_path} -j 1 | head -c 10",
                          shell=True, capture_output=True, text=True, check=False)
    assert proc.stdout == '{\n "schema'
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_batch_prints_one_line_per_report_and_details_on_demand(
        examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shuyang, seed = examples_dir / "shuyang-fgj-2023.html", examples_dir / "changde-2017-zwzx.txt"
    out = tmp_path / "batch.txt"
    assert main(["check", str(shuyang), str(seed), "-j", "1", "-q", "-o", str(out)]) == 1  # B001 is an error
    lines = out.read_text(encoding="utf-8").splitlines()
    line = next(x for x in lines if "沭阳县发展和改革局" in x)
    assert line.startswith("■ 有警告  沭阳县发展和改革局 2023  错误 0 · 警告 5 · 提示 1  V002×5 C104")
    assert line.endswith(str(shuyang))
    assert any(x.startswith("■ 不合格  常德市人民政府政务服务中心 2017  错误 1 ·") and "B001" in x for x in lines)
    text = "\n".join(lines)
    assert "【数值】" not in text and "通过的检查" not in text  # no finding listed one by one
    assert "--details" in text and "汇总" in text
    assert main(["check", str(shuyang), str(seed), "-j", "1", "-q", "--details", "-o", str(out)]) == 1
    detailed = out.read_text(encoding="utf-8")
    assert detailed.count("【数值】") == 5 and "通过的检查" in detailed and "--details" not in detailed
    assert main(["check", str(shuyang), str(seed), "-j", "1", "-q", "-v", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == detailed
    # A single report is always shown in detail.
    assert main(["check", str(shuyang), "-j", "1", "-q"]) == 0
    single = capsys.readouterr().out
    assert "【数值】" in single and "通过的检查" in single and "--details" not in single
