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
    # "其他重要信息" is one more kind, not the rest: the list may still be partial.
    ("本年度主动公开政府信息500条，其中政策文件100条，其他重要信息50条。", [Severity.INFO]),
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


# Real sentences (平潭综合实验区 2012): shares of a total stated a sentence before, and of a total that
# frames the list; 534 of 1913 is 27.9%, and 145 of 1913 is 7.58%.
PINGTAN_SHARES = ("2012年主动公开政府信息1913条。其中，区直、县直各单位主动公开政府信息1397条，占73%。"
                  "各乡镇主动公开政府信息534条，占27%。")
PINGTAN_CATEGORIES = ("在平潭综合实验区管委会网站主动公开的1913条政府信息中，机构职能、主要职能、办事程序信息133条，"
                      "占6.95%；政策、规范性文件类信息403条，占21.07%；规划计划类信息12条，占0.63%；"
                      "行政许可类信息145条，占8.05%；重大建设项目、为民办实事类信息41条，占2.14%；"
                      "民政扶贫救灾社会社保就业类信息57条，占2.98%；国土资源城乡建设环保能源类信息12条，占0.63%；"
                      "科教文体卫生类信息89条，占4.65%；安全生产、应急管理类信息19条，占0.99%。")


def test_a_list_going_on_in_the_next_sentence_is_read_whole(tmp_path: Path) -> None:
    result = _check(tmp_path, (SEED_ACTIVE, PINGTAN_SHARES))
    a002 = _found(result, "A002")
    # 73% of 1913 is right (1397 is 73.03%); 27% is not (534 is 27.9%).
    assert [(f.severity, f.expected, f.actual) for f in a002] == [(Severity.WARNING, 27.9, 27.0)]
    assert "534/1,913" in a002[0].message
    c001 = _found(result, "C001")
    assert [(f.severity, f.expected, f.actual) for f in c001] == [(Severity.WARNING, 1913, 1931)]


def test_shares_of_a_total_that_frames_the_list(tmp_path: Path) -> None:
    a002 = _found(_check(tmp_path, (SEED_ACTIVE, PINGTAN_CATEGORIES)), "A002")
    assert [(f.expected, f.actual) for f in a002] == [(7.58, 8.05)]  # the other eight agree
    assert "145/1,913" in a002[0].message


@pytest.mark.parametrize("text", [
    PINGTAN_SHARES.replace("534条", "516条"),  # 516 is 26.97%: right, and 1397 + 516 = 1913
    PINGTAN_CATEGORIES.replace("占8.05%", "占7.58%"),
    # A share of another figure ("占申请总数的") is not checked against this total.
    "本年度主动公开政府信息100条，其中政策文件40条，占申请总数的10%，工作动态60条，占总数的60%。",
    # A sentence about another year does not go on with the list, though it is worded like it.
    "2012年主动公开政府信息1913条。其中，区直单位主动公开政府信息1397条，占73%。2011年主动公开政府信息1800条，占94%。",

    # 平潭县 2011: 1402 has no unit, and the next sentences break down the 425, not the 1873 (a new
    # sentence not worded like the list does not go on with it, even when it fits the total).
    "2011年制作、获取政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条，不予公开信息数1402。"
    "主动公开的政府信息，县直各单位主动公开政府信息303条，占71.3%。各乡镇主动公开政府信息122条，占28.7%。",

    # A sentence that breaks down a part is not one more part, though it is worded like the list.
    "2012年主动公开政府信息1913条。其中，区直单位主动公开政府信息1397条。区直单位中，区财政局主动公开政府信息600条。",
    # A frame counting units may count one twice (a unit with a site and an account): not a breakdown.
    "在全区60个单位中，50个单位开通了政务网站，40个单位开通了政务微博。",
])
def test_shares_that_hold_or_are_not_of_the_total(tmp_path: Path, text: str) -> None:
    result = _check(tmp_path, (SEED_ACTIVE, text))
    assert _found(result, "A002") == []
    assert all(f.severity == Severity.INFO for f in _found(result, "C001"))


# 平潭综合实验区 2020 and 苏平片区 2021: lists that end with a catch-all (其他…), so they are complete.
PINGTAN_2020 = ("全年我区政府信息公开单位共公布政府信息2602条(其中机构职能类信息82条，政策、规范性文件类信息80条，"
                "规划计划类信息21条，行政许可类信息40条，重大建设项目信息390条，为民办实事类信息69条，"
                "民政扶贫救灾社会保障就业类信息143条，国土资源城乡建设环保能源类信息208条，科教文体卫生类信息246条，"
                "安全生产、应急管理类信息271条，其他应主动公开政府信息1053条)，对于主动公开的政府信息，主要通过政府门户网站公开。")
PINGTAN_SPP = ("全年政府信息主动公开135条，其中政策及规范性文件类1条，行政许可类3条，社会保障类9条，"
               "安全生产应急管理类24条，其他类97条；办理依申请公开1件。")


@pytest.mark.parametrize("text", [PINGTAN_2020, PINGTAN_2020.replace("(", "（").replace(")", "）")])
def test_parts_in_brackets_after_their_total(tmp_path: Path, text: str) -> None:
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert [(f.severity, f.expected, f.actual) for f in c001] == [(Severity.WARNING, 2602, 2603)]
    assert "大于所述总数 2,602条" in c001[0].message


def test_a_list_ending_with_a_catch_all_is_complete(tmp_path: Path) -> None:
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, PINGTAN_SPP)), "C001")
    assert [(f.severity, f.expected, f.actual) for f in c001] == [(Severity.WARNING, 135, 134)]
    assert "1 + 3 + 9 + 24 + 97" in c001[0].message and "“其他类”涵盖其余各项" in c001[0].message


@pytest.mark.parametrize("text", [
    PINGTAN_SPP.replace("其他类97条", "其他类98条"),
    # 其它 followed by one more part in its clause is one category among others, not the rest.
    "对依申请公开的答复总数21条，其中同意公开答复数17条，其它公开答复数2条，免于公开答复数2条；未收到行政复议申请。",
])
def test_catch_alls_that_hold_or_are_not_last(tmp_path: Path, text: str) -> None:
    assert _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001") == []


# 君山片区's 2020 report (pingtan-htp-2020): a dozen categories, 公共 in two of them, a catch-all and then one
# more item of the same unit, all in one sentence longer than a list's usual reach; they add to 254.
PINGTAN_HTP = (
    "我局共公开政府信息254条，信息类别包括行政法规、规章和规范性文件1条；机关职能、机构设"
    "置、办公地址、办公时间、联系方式、负责人姓名1条；国民经济和社会发展规划、专项规划、区域"
    "规划及相关政策3条；办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果3条"
    "；财政预算、决算信息4条；政府集中采购项目的目录、标准及实施情况9条；扶贫、教育、医疗、"
    "社会保障、促进就业等方面的政策、措施及其实施情况2条；突发公共事件的应急预案、预警信息及"
    "应对情况8条；环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况16条；重大"
    "建设项目的批准和实施情况1条；法律、法规、规章和国家有关规定应当主动公开的其他政府信息2"
    "条；其他应主动公开的政府信息194条；在“基层政务公开标准化规范化建设”专题专栏公开信息"
    "10条。"
)


@pytest.mark.parametrize(("text", "found"), [
    (PINGTAN_HTP, []),
    # One more than stated: the clause after the catch-all no longer fits, so the list closes at the catch-all
    # (244); either way the listed items do not make the total, and that is reported.
    (PINGTAN_HTP.replace("信息10条", "信息11条"), [(254, 244)]),
    (PINGTAN_HTP.replace("194条", "184条"), [(254, 244)]),  # the list read to its end, ten short
])
def test_a_long_list_is_read_to_the_end_of_its_sentence(tmp_path: Path, text: str,
                                                          found: list[tuple[int, int]]) -> None:
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert [(f.expected, f.actual) for f in c001] == found


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


def test_a_subject_with_gong_in_a_word_goes_on_with_the_list(tmp_path: Path) -> None:
    # "公共服务中心" names a subject; only "共" as "in all" (共计, 共有) marks a total that ends a list.
    text = "全年主动公开政府信息100条。其中，区直部门主动公开政府信息60条。公共服务中心主动公开政府信息50条。"
    c001 = _found(_check(tmp_path, (SEED_ACTIVE, text)), "C001")
    assert [(f.expected, f.actual) for f in c001] == [(100, 110)]
