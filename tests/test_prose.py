"""Arithmetic the prose states about itself (issue 15, class 9): totals against their parts (C001),
rates and shares against their counts (A002), stated numbers of parts against the parts named (C002),
and the fees statement of old-regime reports (B003).

The sentences are those of real reports (quoted in the issue) placed in the seed report, or in a
2021-format page, so the reader and the rule are exercised together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docs2021 import Doc
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Finding, Severity, SubmissionResult
from rule_cases import CHANGDE, changde

# The seed's overview sentence whose place the real sentences take.
SEED_SENTENCE = ("全年累计受理各类审批及行政许可事项57.23万件,接受各类咨询13万多人次,即办件办结率100%,"
                 "承诺件提前办结率94.82%。")
SEED_ACTIVE = "2017年度主动公开政府信息1200多条,全文电子化率达99%。"


def _check(tmp_path: Path, *changes: tuple[str, str]) -> SubmissionResult:
    return check_file(changde(*changes)(tmp_path), Config())


def _found(result: SubmissionResult, code: str) -> list[Finding]:
    # The seed's own finding on its consultations ("13万多人次", information) is not what these test.
    return [f for f in result.findings if f.rule == code and "13万多" not in f.message]


# --- rates ---------------------------------------------------------------------------------------


def test_completed_more_than_accepted_with_a_full_rate(tmp_path: Path) -> None:
    result = _check(tmp_path, (SEED_SENTENCE, "全年共受理审批事项117件，办结171件，办结率100%。"))
    a002 = _found(result, "A002")
    assert len(a002) == 1 and a002[0].severity == Severity.WARNING
    # The reading used is said, and both counts: 171 ÷ 117 = 146.2%, more completed than accepted.
    assert "按办结数 ÷ 受理数计算，171 ÷ 117 = 146.2%" in a002[0].message
    assert "办结 171 件多于受理 117 件" in a002[0].message
    assert (a002[0].expected, a002[0].actual) == (146.2, 100.0)


@pytest.mark.parametrize("sentence", [
    "截至目前共收到15564件咨询投诉件，已办结15042件，办结率96.6%。",  # 96.65%: within the last digit
    "全年共受理审批事项117件，办结117件，办结率100%。",
    SEED_SENTENCE,  # 即办件办结率: a rate of counts the report does not state, not checked
    "全年共受理审批事项117件，办结171件，按时办结率100%。",
])
def test_rates_that_hold_or_cannot_be_checked(tmp_path: Path, sentence: str) -> None:
    assert _found(_check(tmp_path, (SEED_SENTENCE, sentence)), "A002") == []


# --- totals and their parts ----------------------------------------------------------------------

TOTAL_3978 = ("制作、获取政府信息总数3978条，其中主动公开政府信息2026条，依申请公开政府信息46条，"
              "不予公开政府信息1854条。")


@pytest.mark.parametrize("text", [
    TOTAL_3978,
    # The categories in sentences of their own, without 其中.
    "本年度制作、获取政府信息总数3978条。主动公开政府信息2026条；依申请公开政府信息46条；不予公开政府信息1854条。",
])
def test_exhaustive_categories_against_their_total(tmp_path: Path, text: str) -> None:
    result = _check(tmp_path, (SEED_ACTIVE, text))
    c001 = _found(result, "C001")
    assert len(c001) == 1 and c001[0].severity == Severity.WARNING
    message = c001[0].message
    assert "3,926" in message and "3,978" in message
    assert "主动公开、依申请公开、不予公开是全部类别" in message  # the reading that makes it a contradiction
    assert (c001[0].expected, c001[0].actual) == (3978, 3926)


def test_breakdown_whose_parts_exceed_its_total(tmp_path: Path) -> None:
    text = "本年度主动公开政府信息2026条，其中通过政府网站公开2475条，通过其他形式公开1503条。"
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert [(f.severity, f.actual, f.expected) for f in c001] == [(Severity.WARNING, 3978, 2026)]
    assert "2,475 + 1,503" in c001[0].message and "大于所述总数 2,026条" in c001[0].message


def test_nested_breakdowns_are_each_read(tmp_path: Path) -> None:
    text = ("制作、获取政府信息总数3978条，其中主动公开2026条（其中政府网站公开2475条、政府公报公开1503条），"
            "依申请公开46条，不予公开1854条。")
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert sorted((f.expected, f.actual) for f in c001) == [(2026, 3978), (3978, 3926)]
    assert all(f.severity == Severity.WARNING for f in c001)


@pytest.mark.parametrize(("text", "severities"), [
    # 其中 may name a subset: a smaller sum is information, not a contradiction.
    ("本年度主动公开政府信息2026条，其中政策文件300条，工作动态500条。", [Severity.INFO]),
    # 分别为 names every part: a smaller sum is a contradiction.
    ("本年度共受理政府信息公开申请10件，当面申请、网上申请分别为4件、5件。", [Severity.WARNING]),
    ("本年度共受理政府信息公开申请10件，当面申请、网上申请分别为4件、6件。", []),
    # 条 and 件 count the same documents.
    ("本年度主动公开政府信息100条，其中规范性文件40件，工作动态60条。", []),
    # A count restating the total is no further part.
    ("本年度共受理政府信息公开申请10件，其中当面申请4件，网上申请6件，已全部办结10件。", []),
    # 约: the parts' sum is approximate, so only far off is worth a note.
    ("本年度主动公开政府信息2026条，其中政策文件约1000条，工作动态1000多条。", []),
    # A count in the next sentence about something else is not a part.
    ("本年度主动公开政府信息100条，其中政策文件40条，工作动态60条。专栏访问量为753次。", []),
])
def test_parts_are_not_accused_beyond_what_the_text_says(tmp_path: Path, text: str,
                                                         severities: list[Severity]) -> None:
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert [f.severity for f in c001] == severities


def test_breakdowns_in_national_format_prose(tmp_path: Path) -> None:
    doc = Doc()
    doc.sections["overview"] = doc.sections["overview"].replace(
        "通过门户网站主动公开政府信息。", "通过门户网站主动公开政府信息2026条，其中政策文件2475条，工作动态1503条。")
    c001 = _found(check_file(doc.write(tmp_path), Config()), "C001")
    assert [(f.severity, f.actual) for f in c001] == [(Severity.WARNING, 3978)]


# --- stated numbers of parts ---------------------------------------------------------------------

PINGTAN_PARTS = ("本报告由概述、主动公开政府信息情况、政府信息依申请公开办理情况、"
                 "因政府信息公开申请行政复议、提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进措施和政府信息公开情况统计表共六个部分组成。")
SEED_PARTS = CHANGDE[CHANGDE.index("全文包括"): CHANGDE.index("等。", CHANGDE.index("全文包括")) + 2]


@pytest.mark.parametrize(("text", "found"), [
    (PINGTAN_PARTS, None),  # the real report: six parts, one of them with a "、" inside
    (PINGTAN_PARTS.replace("六个部分", "七个部分"), 6),
    (SEED_PARTS.replace("等。", "等八个部分。"), None),  # the seed's eight parts
    (SEED_PARTS.replace("等。", "等六个部分。"), 7),  # 7 at least ("以及" may join two)
])
def test_number_of_parts_against_the_parts_named(tmp_path: Path, text: str, found: int | None) -> None:
    result = _check(tmp_path, (SEED_PARTS, text))
    c002 = _found(result, "C002")
    if found is None:
        assert c002 == [] and "C002" in result.passed
        return
    assert [(f.severity, f.actual) for f in c002] == [(Severity.WARNING, found)]
    assert "概述；" in c002[0].message  # the items counted are listed


@pytest.mark.parametrize(("text", "found"), [
    ("主要做了以下三个方面的工作：一是健全机制；二是完善制度；三是强化培训；四是加强考核。", 4),
    ("主要做了以下四个方面的工作：一是健全机制；二是完善制度；三是强化培训；四是加强考核。", None),
    ("主动公开的信息共分12大类：机构职能类信息211条；政策法规类信息82条；规划计划类信息15条。", 3),
])
def test_aspects_and_classes(tmp_path: Path, text: str, found: int | None) -> None:
    c002 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C002")
    assert [f.actual for f in c002] == ([] if found is None else [found])


# --- fees (B003) ---------------------------------------------------------------------------------

SEED_FEES = "本年度没有发生政府信息公开收费。"


@pytest.mark.parametrize(("changes", "reported"), [
    ([], False),
    # Spending under a "支出与收费" heading, and not a word on fees: the heading is no statement.
    ([(SEED_FEES, "")], True),
    # "费用" is spending, not a fee charged to applicants.
    ([(SEED_FEES, "政府信息公开工作所需费用全部纳入财政预算。")], True),
    # The organ's ordinary fees, disclosed as content, are not the fees of disclosure.
    ([(SEED_FEES, "依法公开行政事业性收费信息3条。")], True),
    ([(SEED_FEES, "本年度依申请公开未收取任何费用。")], False),
    # A heading about fees with "无" under it says there were none.
    ([(SEED_FEES, "七、政府信息公开收费及减免情况\n\n无。\n"), ("七、其他相关工作情况", "八、其他相关工作情况")],
     False),
])
def test_fees_statement(tmp_path: Path, changes: list[tuple[str, str]], reported: bool) -> None:
    result = _check(tmp_path, *changes)
    assert bool(_found(result, "B003")) is reported
