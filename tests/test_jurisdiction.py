"""Text copied from another jurisdiction (issue 15, class 10): places and local bodies of another
province, or of another prefecture for a county's organ, found with the GB/T 2260 divisions (C107)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs2021 import COUNTY_DEPARTMENT, DEPARTMENT, Doc
from ogi.checks.gazetteer import gazetteer
from ogi.checks.rules.jurisdiction import own_division
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Finding, Severity, SubmissionResult


def _run(tmp_path: Path, agency: str, sentence: str) -> SubmissionResult:
    doc = Doc(agency=agency)
    doc.sections["overview"] += sentence
    return check_file(doc.write(tmp_path), Config())


def _c107(result: SubmissionResult) -> list[Finding]:
    return [f for f in result.findings if f.rule == "C107"]


def test_a_county_paper_of_another_province(tmp_path: Path) -> None:
    # The real case: a county bureau's report set up a column in 《今日定安》, the paper of 海南省定安县.
    result = _run(tmp_path, COUNTY_DEPARTMENT, "在《今日定安》开设政务公开专栏，全年刊发稿件12篇。")
    found = _c107(result)
    assert len(found) == 1 and found[0].severity == Severity.WARNING
    assert "《今日定安》" in found[0].message and "海南省定安县" in found[0].message
    assert "江苏省宿迁市沭阳县" in found[0].message  # where the agency is, from its name
    assert found[0].location.text == "在《今日定安》开设政务公开专栏，全年刊发稿件12篇。"


@pytest.mark.parametrize(("agency", "sentence", "named"), [
    # A regulation of another province.
    (DEPARTMENT, "依据《海南省政府信息公开规定》，做好依申请公开工作。", "海南省"),
    # A county's organ naming another prefecture of its province.
    (COUNTY_DEPARTMENT, "在《盐城晚报》开设政务公开专栏。", "《盐城晚报》"),
    (COUNTY_DEPARTMENT, "盐城市自然资源局政务公开工作获得表彰。", "盐城市"),
    (COUNTY_DEPARTMENT, "在定安电视台开设专栏。", "定安电视台"),
])
def test_elsewhere_is_reported(tmp_path: Path, agency: str, sentence: str, named: str) -> None:
    found = _c107(_run(tmp_path, agency, sentence))
    assert [f"“{named}”" in f.message for f in found] == [True]


@pytest.mark.parametrize(("agency", "sentence"), [
    (COUNTY_DEPARTMENT, "在《宿迁日报》开设政务公开专栏。"),  # its own prefecture
    (COUNTY_DEPARTMENT, "按照江苏省政府办公厅的部署开展工作。"),  # its own province
    (DEPARTMENT, "盐城市自然资源局政务公开工作获得表彰。"),  # a prefecture's organ: another prefecture is fine
    # Cooperation, visits, meetings and applicants from elsewhere name other places rightly.
    (COUNTY_DEPARTMENT, "组织人员赴海南省定安县学习考察政务公开工作。"),
    (COUNTY_DEPARTMENT, "做好对口支援新疆维吾尔自治区伊宁县的信息公开工作。"),
    (COUNTY_DEPARTMENT, "参加在南京市召开的全省政务公开工作会议。"),
    (COUNTY_DEPARTMENT, "申请人来自上海市、浙江省等地。"),
    # National papers and common words are not places.
    (COUNTY_DEPARTMENT, "在《光明日报》《新华日报》刊发政务公开经验。"),
    (COUNTY_DEPARTMENT, "优化政务服务区域布局，白云区域服务站点运行良好。"),
])
def test_elsewhere_named_rightly_is_not_reported(tmp_path: Path, agency: str, sentence: str) -> None:
    result = _run(tmp_path, agency, sentence)
    assert _c107(result) == [] and "C107" in result.passed


def test_agency_of_unknown_place_is_not_checked(tmp_path: Path) -> None:
    result = _run(tmp_path, "综合行政执法局", "在《今日定安》开设政务公开专栏。")
    assert _c107(result) == []
    assert "C107" in {n.rule for n in result.not_checked}


@pytest.mark.parametrize(("agency", "where"), [
    ("平潭综合实验区", "福建省福州市平潭县"),  # a name opening with a place's short form
    ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区"),
    ("福州市鼓楼区人民政府", "福建省福州市鼓楼区"),  # 鼓楼区 is also in 南京, 徐州, 开封: 福州市 decides
    ("国家税务总局福州市税务局", "福建省福州市"),
    ("广西壮族自治区人民政府办公厅", "广西壮族自治区"),
    ("鼓楼区人民政府", None),  # four 鼓楼区: unknown
    ("国务院办公厅", None),
])
def test_the_agency_place_from_its_name(agency: str, where: str | None) -> None:
    gaz = gazetteer()
    assert gaz is not None
    own = own_division(gaz, agency)
    assert (gaz.where(own) if own else None) == where
