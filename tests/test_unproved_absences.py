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
    assert any("收到和处理政府信息公开申请情况" in f.message and "未按格式的编号作为独立章节" in f.message
               for f in s001)
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


def test_label_less_rows_and_split_headings_are_a_reading_doubt() -> None:
    # 上海市科委 2024: pipe rows "| 0 | 0 | … |" whose labels the conversion printed as loose lines, and table 四's
    # heading split into "结果" / "审结" / "尚未": not rows the agency added (S009), and the rows the reader did not
    # find may be these (no S012 "表三缺少"), but F006 names them as unread.
    result = _result("shanghai-kw-2024.md")
    assert not [f for f in result.findings if f.rule == "S009"]
    assert not [f for f in result.findings if f.rule == "S012" and "表三" in f.message]
    f006 = [f.message for f in result.findings if f.rule == "F006"]
    assert any("表三中有 10 处" in m and "行“1 0 0 0 0 0 1”" in m for m in f006)
    assert any("表四" in m and "列“审结”" in m for m in f006)
    assert any(n.rule == "S012" and "未能读出" in n.reason for n in result.not_checked)


def test_rows_printed_on_lines_beside_the_table_are_not_missing() -> None:
    # The same file prints "行政许可 97", "行政处罚 0", … as text lines above the pipe table of 表二.
    result = _result("shanghai-kw-2024.md")
    assert not [f for f in result.findings if f.rule == "S012" and "行政许可" in f.message]
    assert any(n.rule == "S012" and "行政许可" in n.reason for n in result.not_checked)


def test_a_row_short_of_a_cell_does_not_say_which_cell() -> None:
    # 平潭经发局 2021: "（一）予以公开 0 0 0 0 0 0" — six values for seven cells; which is blank is not in the file.
    s012 = [f.message for f in _result("pingtan-jjf-2021.txt").findings if f.rule == "S012"]
    assert len(s012) == 2 and all("空缺的是哪一格无法从文件确定" in m for m in s012)
    assert not any("总计×" in m for m in s012)


def test_a_split_heading_in_a_clean_conversion_is_not_an_added_column() -> None:
    # 沭阳县 2025 (OCR Markdown): "社会公益" / "数量" are pieces of the format's headings, "- -" rows hold no label.
    result = _result("shuyang-2025.md")
    assert not [f for f in result.findings if f.rule == "S009"]
    assert any("列“社会公益”" in f.message for f in result.findings if f.rule == "F006")
