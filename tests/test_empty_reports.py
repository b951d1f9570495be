"""Nothing readable → nothing else: a file without report content gets S003 (and findings about the file),
not a finding for each thing its absent content does not say."""

from __future__ import annotations

from pathlib import Path

from ogi.batch import run_batch
from ogi.config import Config
from ogi.engine import EMPTY_REASON, check_file
from ogi.model import Severity, Status

EXAMPLES = Path(__file__).parent.parent / "examples"
TEMPLATE = EXAMPLES / "template-2021-blank.docx"


def test_a_file_that_is_not_a_report_gets_s003_alone(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("关于开展政务公开培训的通知\n各科室：定于3月5日在三楼会议室开展培训，请准时参加。\n",
                    encoding="utf-8")
    result = check_file(path, Config())
    assert [f.rule for f in result.findings] == ["S003"]
    assert result.status == Status.FAIL
    # The date, period and section rules say why they did not run rather than reporting what is missing.
    reasons = {n.rule: n.reason for n in result.not_checked}
    assert reasons["D005"] == reasons["S001"] == EMPTY_REASON[0]


def test_the_blank_template_read_in_a_batch_gets_the_same(tmp_path: Path) -> None:
    # The batch's main process gets the report without its prose: emptiness is decided where it was read.
    alone = check_file(TEMPLATE, Config())
    for keep_text in (True, False):
        [batched] = run_batch([TEMPLATE], Config(), jobs=1, keep_text=keep_text)
        assert [f.rule for f in batched.findings] == [f.rule for f in alone.findings] == ["S003", "S006"]
        assert {n.rule: n.reason for n in batched.not_checked}["A101"] == EMPTY_REASON[0]


def test_a_page_whose_report_is_in_an_attachment_is_not_accused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        '<html><head><meta charset="utf-8"><title>某县交通运输局2023年政府信息公开工作年度报告</title></head><body>'
        "<h1>某县交通运输局2023年政府信息公开工作年度报告</h1><p>发布日期：2024-01-20</p>"
        '<p>附件：<a href="/files/report2023.pdf">某县交通运输局2023年政府信息公开工作年度报告.pdf</a></p>'
        "</body></html>", encoding="utf-8")
    result = check_file(path, Config())
    assert [(f.rule, f.severity) for f in result.findings] == [("S003", Severity.WARNING)]
    assert "附件" in result.findings[0].message


def test_a_short_report_without_recognised_sections_is_checked(tmp_path: Path) -> None:
    # One heading is not enough to split sections, but a titled report with a sentence is not empty.
    path = tmp_path / "short.txt"
    path.write_text("某某局2023年政府信息公开工作年度报告\n\n一、总体情况\n本机关依法公开政府信息。\n",
                    encoding="utf-8")
    result = check_file(path, Config())
    assert "S003" in result.passed
    assert "S004" in {f.rule for f in result.findings}  # its tables are missing, and that is said
