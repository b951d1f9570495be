"""Real published reports against their ground truth: the defects found by hand are reported, and no
error is reported that the truth does not list."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Severity, Status, SubmissionResult

REAL = Path(__file__).parent.parent / "examples"  # the real published reports ship as examples
IDENTITIES = {"A101", "A102", "A103", "A104"}


@cache
def _result(name: str) -> SubmissionResult:
    return check_file(REAL / name, Config())


def _errors(result: SubmissionResult) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in result.findings if f.severity == Severity.ERROR]


def test_huaian_is_a_clean_control() -> None:
    # 淮安市人民政府 2024, a PDF whose tables split across pages: every identity holds; no error at all.
    result = _result("huaian-2024.pdf")
    assert result.report is not None and result.report.format_version == "2021"
    assert _errors(result) == []
    assert set(result.passed) >= IDENTITIES
    assert {"V001", "V002", "V003", "V005", "V006", "S008", "S012"} <= set(result.passed)
    # The prose agrees with the tables (受理 3119 = 新收, the ambiguity said; 复议 351, 诉讼 46).
    assert not [f for f in result.findings if f.rule == "C101" and f.severity != Severity.INFO]
    assert "B101" in result.passed  # 全年收取政府信息公开信息处理费 3940 元


def test_shuyang_reports_the_blank_applicant_columns() -> None:
    # 沭阳县发展和改革局 2023: the five 法人或其他组织 columns are blank, not 0 (a hard defect).
    result = _result("shuyang-fgj-2023.html")
    assert _errors(result) == []
    blank = [f for f in result.findings if f.rule == "V002"]
    assert sorted(f.location.column or "" for f in blank) == sorted(
        ["commercial", "research", "public_interest", "legal_services", "other_org"])
    assert all(f.location.table == "requests" and "25 个单元格均空白" in f.message for f in blank)
    assert all("按 0 处理" in f.message for f in blank)
    # With blanks as 0 the identities hold, so no arithmetic finding: the blanks are the defect.
    assert set(result.passed) >= IDENTITIES
    # Soft defect of the truth: a review in table 四 never mentioned in the text (information).
    assert [f.severity for f in result.findings if f.rule == "C104"] == [Severity.INFO]


def test_blank_template_is_not_a_pass() -> None:
    result = _result("template-2021-blank.docx")
    assert result.status == Status.FAIL
    assert "S003" in {f.rule for f in result.findings}
    assert {n.rule for n in result.not_checked} >= IDENTITIES
    assert "S006" in {f.rule for f in result.findings}  # （文字描述） left in
    # Nothing readable → nothing else: no finding about what the empty template does not say (D005, V002).
    assert {f.rule for f in result.findings} == {"S003", "S006"}


def test_pingtan_prose_arithmetic_holds() -> None:
    # 平潭综合实验区 2018, old-regime prose: its breakdown (2069 = 1592 + 477, 76.9% + 23.1%) and its
    # "共六个部分" (six parts, one holding a "、") are right, so no prose rule accuses it; it never
    # states the fees charged or waived (2008 Regulation art. 32 (3)), a warning.
    result = _result("pingtan-2018.txt")
    assert _errors(result) == []
    assert {"A002", "C001", "C002"} <= set(result.passed)
    # It names 福州市 (its own prefecture: 平潭 is a county of 福州) and no place elsewhere.
    assert "C107" in result.passed
    assert [f.severity for f in result.findings if f.rule == "B003"] == [Severity.WARNING]
