"""What the file holds but the reader could not place is never called missing, and a sum that fails only with
cells the reader never saw is a warning naming that doubt — on real Markdown conversions of published reports
(tests/real/files), where section numbering restarts and pipe rows lose their labels."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Severity, SubmissionResult

REAL = Path(__file__).parent / "real" / "files"


@cache
def _result(name: str) -> SubmissionResult:
    return check_file(REAL / name, Config())


def test_a_section_numbered_otherwise_is_not_missing() -> None:
    # 上海市科委 2024: 二、收到和处理… after 总体情况's own 一–六; 问题 as （一）主要问题 without a numbered part.
    s001 = [f for f in _result("shanghai-kw-2024.md").findings if f.rule == "S001"]
    assert s001 and all(f.severity == Severity.WARNING for f in s001)
    assert any("（一）主要问题" in f.message for f in s001)
    assert any("收到和处理政府信息公开申请情况" in f.message and "未按格式的编号作为独立章节" in f.message for f in s001)
    # "五、其他需要报告的事项" after "六、政府信息公开平台建设" is a section, numbered otherwise: not "no section".
    assert not any("没有作为独立章节" in f.message for f in s001)


def test_a_heading_the_reading_skipped_is_not_held_against_the_report() -> None:
    # 洪泽区 2023 (WPS PDF): "二、主动公开政府信息情况" sits atop table 二 and is not read as a text line;
    # the sections run 一、三、四、五、六 and table 二 is read: no warning that the section is misplaced.
    s001 = [f for f in _result("hongze-2023.pdf").findings if f.rule == "S001"]
    assert [f.severity for f in s001] == [Severity.INFO]
    assert "一、总体情况" in s001[0].message and "三、收到和处理政府信息公开申请情况" in s001[0].message


def test_a_table_whose_title_is_there_is_not_missing() -> None:
    s004 = [f for f in _result("shanghai-bgt-2025.md").findings if f.rule == "S004"]
    assert [f.severity for f in s004] == [Severity.WARNING]
    assert "表二：主动公开政府信息情况" in s004[0].message and "未能读出其单元格" in s004[0].message


def test_a_sum_that_unread_cells_may_close_is_not_checked() -> None:
    # 上海市政府办公厅 2025: the conversion leaves 部分公开 and three other rows of table 三 without labels; the
    # outcomes read add up to less than （七）总计 (1,097 < 1,139), and the unread rows may hold the 42: the sum is
    # not shown to fail (every identity holds in the published table), so A102 says "not checked", not "wrong".
    result = _result("shanghai-bgt-2025.md")
    assert not [f for f in result.findings if f.rule == "A102"]
    reasons = [n.reason for n in result.not_checked if n.rule == "A102"]
    assert reasons and "未能从文件中读出" in reasons[0]


def test_blank_cells_that_are_there_still_count_as_zero() -> None:
    # 沭阳县发改局 2023: five applicant columns printed blank; the identities hold with them as 0 and pass.
    result = _result("shuyang-fgj-2023.html")
    assert {"A101", "A102", "A103"} <= set(result.passed)
