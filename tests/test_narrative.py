"""Number facts in the prose against the tables (C101–C104), the 信息处理费 statement (B101/B102)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from docs2021 import Doc
from ogi.checks.narrative import find_statements
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Report, Section, Severity, SubmissionResult


def _statements(text: str) -> list[tuple[str, Decimal, Decimal | None]]:
    report = Report(source="x", sha256="", kind="txt", sections=(Section("overview", "一、总体情况", text, 0),))
    return [(s.topic, s.value, s.percent) for s in find_statements(report)]


@pytest.mark.parametrize(("text", "expected"), [
    ("本年度共收到政府信息公开申请26件，其中予以公开20件，占76.9%。",
     [("received", 26, None), ("granted", 20, Decimal("76.9"))]),
    ("全年受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。",
     [("accepted", 3119, None), ("processed", 3050, None), ("carried_over", 34, None)]),
    ("新收申请5件，上年结转1件，结转下年度继续办理2件。",
     [("received", 5, None), ("carried_over", 1, None), ("carried_forward", 2, None)]),
    ("被申请行政复议3件，其中结果维持2件；提起行政诉讼1起。",
     [("review", 3, None), ("upheld", 2, None), ("litigation", 1, None)]),
    ("不予公开4件，无法提供7件，不予处理2件，部分公开1件。",
     [("denied", 4, None), ("unavailable", 7, None), ("not_processed", 2, None), ("partially_granted", 1, None)]),
    # No request in the sentence: 收到 is about something else. Growth rates are not shares.
    ("收到群众来信50件。", []),
    ("收到政府信息公开申请20件，同比增长15%。", [("received", 20, None)]),
    ("行政复议和行政诉讼各1件。", []),
    ("2023年5月收到申请。", []),
    # Categories named together are counted together (a real report: 予以公开 22 + 部分公开 20 = 42).
    ("办结依申请公开81件，其中：予以公开及部分公开42件。",
     [("processed", 81, None), ("granted+partially_granted", 42, None)]),
    ("不予公开和无法提供的共15件，不予处理2件。",
     [("denied+unavailable", 15, None), ("not_processed", 2, None)]),
    ("因政府信息公开被申请行政复议和行政诉讼5件。", [("review+litigation", 5, None)]),
    # 分别: each count belongs to the category named in the same place.
    ("予以公开、部分公开分别为22件、20件。", [("granted", 22, None), ("partially_granted", 20, None)]),
    # Information items by disclosure attribute (Fujian's old 主动/依申请/不予公开 classification), not requests
    # (pingtan-jjf-2021, pingtan-czj-2022): 不予公开 counts items, and its share is of the items.
    ("2021年共制发政府信息378条，其中，主动公开政府信息125条、依申请公开176条、不予公开77条，主动公开及依申请公开政府"
     "信息总条数占总制发信息的79.63%，与2020年基本持平。", []),
    ("2022年制作、获取政府信息总数473条，其中主动公开政府信息123条，依申请公开信息数245条，不予公开信息数105条。", []),
    # 答复 after an outcome is the kind of answer, not the count of answers (shanghai-kw-2024).
    ("所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2 件，无法提供的 10 件。",
     [("granted", 9, None), ("partially_granted", 0, None), ("denied", 2, None), ("unavailable", 10, None)]),
])
def test_statements(text: str, expected: list[tuple[str, int, Decimal | None]]) -> None:
    assert _statements(text) == [(t, Decimal(v), p) for t, v, p in expected]


def _run(doc: Doc, folder: Path) -> SubmissionResult:
    return check_file(doc.write(folder), Config())


def _overview(doc: Doc, old: str, new: str) -> Doc:
    assert old in doc.sections["overview"]
    doc.sections["overview"] = doc.sections["overview"].replace(old, new)
    return doc


def test_clean_prose_agrees(tmp_path: Path) -> None:
    result = _run(Doc(), tmp_path)
    assert "C101" in result.passed
    assert not [f for f in result.findings if f.rule.startswith("C")]


def test_text_contradicting_the_table(tmp_path: Path) -> None:
    doc = _overview(Doc(), "收到政府信息公开申请304件", "收到政府信息公开申请300件")
    c101 = [f for f in _run(doc, tmp_path).findings if f.rule == "C101"]
    assert len(c101) == 1
    finding = c101[0]
    assert finding.severity == Severity.WARNING
    assert (finding.actual, finding.expected) == (300, 304)
    assert finding.message.startswith("正文称收到申请 300 件")
    assert "本年新收 304" in finding.message and finding.location.section == "overview"


@pytest.mark.parametrize(("stated", "severity"), [(316, Severity.INFO), (304, Severity.INFO), (310, Severity.WARNING)])
def test_accepted_is_read_both_ways(tmp_path: Path, stated: int, severity: Severity) -> None:
    # 受理 = new (304) or new + carried over (304 + 12): either fits, and the ambiguity is said.
    doc = _overview(Doc(), "收到政府信息公开申请304件", f"受理政府信息公开申请{stated}件")
    c101 = [f for f in _run(doc, tmp_path).findings if f.rule == "C101"]
    assert [f.severity for f in c101] == [severity]
    if severity == Severity.INFO:
        assert "口径不明确" in c101[0].message and "ambiguous" in c101[0].message_en


@pytest.mark.parametrize(("named", "finding"), [
    ("予以公开及部分公开264件", None),  # 63 + 201: right, though 部分公开 alone is 201
    ("予以公开、部分公开共264件", None),
    ("予以公开及部分公开258件", "正文称予以公开及部分公开 258 件"),
])
def test_categories_named_together(tmp_path: Path, named: str, finding: str | None) -> None:
    doc = _overview(Doc(), "予以公开63件，部分公开201件", named)
    c101 = [f for f in _run(doc, tmp_path).findings if f.rule == "C101"]
    if finding is None:
        assert c101 == []
        return
    assert len(c101) == 1
    # Both sides named: the stated figure, and each cell with their sum.
    assert c101[0].message.startswith(finding)
    assert "表格为 予以公开 63 + 部分公开 201 = 264" in c101[0].message
    assert "granted 63 + partially granted 201 = 264" in c101[0].message_en
    assert (c101[0].actual, c101[0].expected) == (258, 264)


def test_categories_named_together_real_figures(tmp_path: Path) -> None:
    # A real report: "予以公开及部分公开258件", its table 272 + 3 = 275.
    doc = Doc().cell("requests", "granted", "natural_person", 269).cell("requests", "partially_granted",
                                                                         "natural_person", 3)
    doc = _overview(doc, "予以公开63件，部分公开201件", "予以公开及部分公开258件")
    c101 = [f for f in _run(doc, tmp_path).findings if f.rule == "C101"]
    assert [f.message.split("，表格为 ")[-1] for f in c101] == ["予以公开 272 + 部分公开 3 = 275"]


def test_accepted_unambiguous_when_nothing_carried_over(tmp_path: Path) -> None:
    doc = Doc()
    doc.cell("requests", "carried_over", "natural_person", 0).cell("requests", "carried_forward", "natural_person", 0)
    doc.sections["overview"] = "2023年，本局共受理政府信息公开申请304件。"
    result = _run(doc, tmp_path)
    assert "C101" in result.passed


def test_shares_are_recomputed_from_the_table(tmp_path: Path) -> None:
    bad = _overview(Doc(), "予以公开63件", "予以公开63件，占25.0%")
    c102 = [f for f in _run(bad, tmp_path).findings if f.rule == "C102"]
    assert len(c102) == 1 and c102[0].expected == 20.7 and c102[0].actual == 25.0
    good = _overview(Doc(), "予以公开63件", "予以公开63件，占19.9%")  # of new + carried over: also fine
    assert "C102" in _run(good, tmp_path).passed


def test_no_statement_is_not_a_pass(tmp_path: Path) -> None:
    doc = Doc()
    doc.sections["overview"] = "2023年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。"
    result = _run(doc, tmp_path)
    reasons = {n.rule: n.reason for n in result.not_checked}
    assert "C101" in reasons and "C102" in reasons and "C103" in reasons


def test_all_upheld_while_pending(tmp_path: Path) -> None:
    doc = _overview(Doc(), "被申请行政复议4件", "被申请行政复议4件，均获维持")
    c103 = [f for f in _run(doc, tmp_path).findings if f.rule == "C103"]
    assert len(c103) == 1
    assert "尚未审结 1 件、结果纠正 1 件" in c103[0].message and "行政复议" in c103[0].message


def test_all_upheld_is_checked_against_the_group_it_speaks_of(tmp_path: Path) -> None:
    # The lawsuit was upheld; the pending case is a review: "诉讼均获维持" is true.
    doc = _overview(Doc(), "被提起行政诉讼1件。", "被提起行政诉讼1件，诉讼案件均获维持。")
    assert "C103" in _run(doc, tmp_path).passed


def test_none_claimed_while_the_table_counts_cases(tmp_path: Path) -> None:
    doc = _overview(Doc(), "被申请行政复议4件，被提起行政诉讼1件。", "未发生因政府信息公开被申请行政复议的情况。")
    c103 = [f for f in _run(doc, tmp_path).findings if f.rule == "C103"]
    assert len(c103) == 1 and c103[0].actual == 4


def test_none_of_an_outcome_is_not_none_of_the_cases(tmp_path: Path) -> None:
    doc = _overview(Doc(), "被申请行政复议4件，", "被申请行政复议4件，无行政复议被纠错情况，")
    result = _run(doc, tmp_path)
    assert "C103" not in {f.rule for f in result.findings}


def test_appeals_not_mentioned(tmp_path: Path) -> None:
    doc = _overview(Doc(), "被申请行政复议4件，被提起行政诉讼1件。", "")
    doc.sections["appeals"] = "具体情况见下表。"
    c104 = [f for f in _run(doc, tmp_path).findings if f.rule == "C104"]
    assert len(c104) == 1 and c104[0].severity == Severity.INFO and "共 5 件" in c104[0].message


def test_processing_fee_statement(tmp_path: Path) -> None:
    assert "B101" in _run(Doc(), tmp_path).passed
    amount = Doc()
    amount.sections["other"] = "全年收取政府信息公开信息处理费3940元。"
    assert "B101" in _run(amount, tmp_path).passed
    silent = Doc()
    silent.sections["other"] = "无其他需要报告的事项。"
    b101 = [f for f in _run(silent, tmp_path).findings if f.rule == "B101"]
    assert len(b101) == 1 and b101[0].location.section == "other"


def test_table_two_fees_are_not_the_processing_fee(tmp_path: Path) -> None:
    doc = Doc().cell("active", "fees", "amount", "12.5")
    doc.sections["other"] = "本年度行政事业性收费12.5万元，依法公开收费项目。"
    assert "B101" in {f.rule for f in _run(doc, tmp_path).findings}


def test_processing_fee_rules_start_in_2021(tmp_path: Path) -> None:
    doc = Doc(year=2022, published="2023-01-20")
    doc.sections["other"] = "无。"
    assert "B101" in {f.rule for f in _run(doc, tmp_path).findings}
    old = Doc(version="2019", year=2020, published="2021-01-20")
    old.sections["other"] = "无。"
    result = _run(old, tmp_path)
    assert "B101" not in result.passed and "B101" not in {f.rule for f in result.findings}  # 2021 format only


def test_unpaid_fees_without_a_fee_statement(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "other.other", "natural_person", 1).cell("requests", "other.unpaid_fee",
                                                                           "natural_person", 2)
    doc.sections["other"] = "无。"
    result = _run(doc, tmp_path)
    b102 = [f for f in result.findings if f.rule == "B102"]
    assert len(b102) == 1 and b102[0].severity == Severity.INFO and "共 2 件" in b102[0].message
    assert "A102" in result.passed  # the table still balances
