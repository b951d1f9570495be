"""One agency under several names (issue 15, class 12): the canonical agency key, tested on real pairs."""

from __future__ import annotations

import pytest

from ogi.agency_key import AgencyIndex, agency_key, parse_agency, same_agency

SAME = [
    # A parent-division prefix, or two.
    ("洪泽区人民政府", "淮安市洪泽区人民政府"),
    ("江苏省淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("沭阳县发展和改革局", "宿迁市沭阳县发展和改革局"),
    ("宿迁市沭阳县自然资源局", "江苏省宿迁市沭阳县自然资源局"),
    ("常德市人民政府政务服务中心", "湖南省常德市人民政府政务服务中心"),
    ("浦东新区人民政府", "上海市浦东新区人民政府"),
    ("伊州区丽园街道办事处", "新疆维吾尔自治区哈密市伊州区丽园街道办事处"),
    ("周矶街道办事处", "潜江市周矶街道办事处"),
    ("黔东南苗族侗族自治州人民政府", "贵州省黔东南苗族侗族自治州人民政府"),
    # 人民政府 / 政府, 办公室 / 办公厅 / 办, 委员会 / 委, 管委会, 街道办事处 / 街道.
    ("淮安市洪泽区人民政府", "洪泽区政府"),
    ("上海市人民政府办公厅", "上海市政府办公厅"),
    ("洪泽区人民政府办公室", "淮安市洪泽区政府办"),
    ("深圳市发展和改革委员会", "深圳市发展和改革委"),
    ("平潭综合实验区管理委员会", "福建省平潭综合实验区管委会"),
    ("丽园街道", "伊州区丽园街道办事处"),
    ("淮安市洪泽区人民政府高良涧街道办事处", "高良涧街道办事处"),
    # Width, spaces, brackets.
    ("沭阳县 发展和改革局", "沭阳县发展和改革局"),
    ("ＸＸ县交通运输局", "XX县交通运输局"),
    ("沐阳县发展和改革局", "沭阳县发展和改革局"),  # an OCR misreading of the place (SPEC §7)
    ("淮安市自然资源和规划局（淮安市林业局）", "淮安市自然资源和规划局淮安市林业局"),
    # Place names holding a division suffix (镇江, 乡宁, 苏州, 伊州).
    ("镇江市人民政府", "江苏省镇江市人民政府"),
    ("乡宁县人民政府", "临汾市乡宁县人民政府"),
    ("苏州市昆山市周市镇人民政府", "周市镇人民政府"),
]

DIFFERENT = [
    ("洪泽区人民政府", "洪泽区人民政府办公室"),
    ("洪泽区人民政府办公室", "洪泽区发展和改革局"),
    ("淮安区人民政府", "洪泽区人民政府"),
    ("淮安市人民政府", "淮安市洪泽区人民政府"),
    ("上海市人民政府办公厅", "上海市人民政府"),
    ("沭阳县发展和改革局", "沭阳县自然资源局"),
    # The same district name under two cities: the parents are named and differ.
    ("北京市朝阳区人民政府", "长春市朝阳区人民政府"),
    ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"),
    # 城市, 市场, 城乡 are not divisions: the county stays in the key.
    ("沭阳县城市管理局", "泗阳县城市管理局"),
    ("淮安市市场监督管理局", "淮安市洪泽区市场监督管理局"),
    ("沭阳县住房和城乡建设局", "泗阳县住房和城乡建设局"),
    ("淮安市自然资源和规划局", "淮安市自然资源和规划局洪泽分局"),
    ("伊州区丽园街道办事处", "伊州区东河街道办事处"),
    ("淮安市洪泽区人民政府", "淮安市洪泽区人民政府高良涧街道办事处"),
    ("国家税务总局淮安市洪泽区税务局", "淮安市洪泽区财政局"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_of_one_agency_match(a: str, b: str) -> None:
    assert same_agency(a, b) and same_agency(b, a)
    assert agency_key(a) == agency_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_distinct_agencies_stay_distinct(a: str, b: str) -> None:
    assert not same_agency(a, b) and not same_agency(b, a)


def test_the_key_is_the_own_division_and_the_folded_body() -> None:
    name = parse_agency("江苏省淮安市洪泽区人民政府办公室")
    assert name.divisions == ("江苏省", "淮安市", "洪泽区") and name.body == "政府办"
    assert not same_agency(None, "洪泽区人民政府") and not same_agency("洪泽区人民政府", "")


def test_an_index_finds_an_agency_by_any_of_its_names() -> None:
    index = AgencyIndex([("洪泽区人民政府", 2023), ("淮安区人民政府", 2023), ("北京市朝阳区人民政府", 1)])
    assert index.get("淮安市洪泽区人民政府") == 2023
    assert index.get("淮安市洪泽区人民政府办公室") is None
    assert index.get("长春市朝阳区人民政府") is None
    assert list(index) == ["洪泽区人民政府", "淮安区人民政府", "北京市朝阳区人民政府"]
    # Two stored names that a bare name fits equally: no guess.
    both = AgencyIndex([("北京市朝阳区人民政府", 1), ("长春市朝阳区人民政府", 2)])
    assert both.get("朝阳区人民政府") is None
