"""Interpreting text into a Report: headings (on lines and inline), metadata, levels, structured input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ogi.config import Config
from ogi.engine import read_file
from ogi.ingest.agency import agency_and_year
from ogi.ingest.document import TextLine
from ogi.ingest.headings import match_section, split_sections
from ogi.ingest.metadata import infer_level
from ogi.model import Report, SourceLocator
from ogi.schemas.definitions import load_format


def lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, SourceLocator("txt", line=i + 1)) for i, t in enumerate(texts)]


def test_headings_on_their_own_lines_map_to_keys() -> None:
    fmt = load_format("2021")
    preamble, sections = split_sections(lines(
        "根据《条例》编制本报告。", "一、总体情况", "本年度……", "二、主动公开政府信息情况", "（表）",
        "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况", "问题……", "六、其他需要报告的事项", "无。"), fmt)
    assert preamble == "根据《条例》编制本报告。"
    assert [s.key for s in sections] == ["overview", "active", "requests", "appeals", "problems", "other"]
    assert sections[3].is_empty and sections[5].text == "无。"


def test_an_out_of_sequence_numeral_is_not_a_heading() -> None:
    fmt = load_format("2021")
    _, sections = split_sections(lines("一、总体情况", "二、主动公开政府信息情况", "一、这是列表中的一项，不是章节。",
                                       "三、收到和处理政府信息公开申请情况", "内容"), fmt)
    assert [s.number for s in sections] == ["一", "二", "三"]
    assert "一、这是列表中的一项" in sections[1].text


def test_a_heading_after_a_lost_number_is_still_its_section() -> None:
    # shanghai-bgt-2025 as converted: the heading 五 is lost, "六、其他需要报告的事项" is still section 六.
    fmt = load_format("2021")
    _, sections = split_sections(lines(
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "（一）2024 年工作中存在问题的改进情况", "六、其他需要报告的事项",
        "未收取信息公开处理费。", "六、这是列表中的一项，不是章节。"), fmt)
    assert [s.key for s in sections] == ["overview", "active", "requests", "appeals", "other"]
    assert "六、这是列表中的一项" in sections[-1].text


def test_inline_headings_in_a_flattened_page() -> None:
    fmt = load_format("2008")
    text = ("某区2018年度政府信息公开工作年度报告 根据《条例》要求编制。一、概述2018年以来，我区……。"
            "二、主动公开政府信息情况（一）主动公开的数量2018年全区主动公开政府信息2069条。"
            "三、政府信息依申请公开工作情况2018年未收到有关政府信息公开申请。"
            "四、因政府信息公开申请行政复议、提起行政诉讼的情况2018年未收到。"
            "五、主要问题和改进措施还存在差距。")
    _, sections = split_sections(lines(text), fmt)
    assert [s.key for s in sections] == ["overview", "active", "requests", "appeals", "problems"]
    assert sections[0].heading == "一、概述"
    assert sections[2].text.startswith("2018年未收到")


@pytest.mark.parametrize(("heading", "key"), [
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("五、存在问题及改进情况", "problems"),
    ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", "appeals"),
    ("二、行政机关主动公开政府信息情况", "active"),
    ("一、总体概述", "overview"),
])
def test_heading_variants(heading: str, key: str) -> None:
    assert (sdef := match_section(heading, load_format("2021"))) is not None and sdef.key == key


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("常德市人民政府政务服务中心2017年度政府信息公开工作年度报告", "常德市人民政府政务服务中心", 2017),
    ("沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", 2023),
    ("淮安市人民政府2024年政府信息公开工作年度报告", "淮安市人民政府", 2024),
    ("关于某某街道办事处二〇二一年度政府信息公开工作年度报告", "某某街道办事处", 2021),
    # Year first (SPEC §7): as common as year last.
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("2023年度××县××局政府信息公开工作年度报告", "××县××局", 2023),
    ("关于2022年度XX市XX局政府信息公开工作年度报告", "XX市XX局", 2022),
    ("XX区人民政府2023年政府信息公开工作年度报告", "XX区人民政府", 2023),
    ("2023年XX区人民政府信息公开工作年度报告", "XX区人民政府", 2023),
    ("二〇二一年某某镇人民政府政务公开工作年度报告", "某某镇人民政府", 2021),
    # No agency named: the year alone, never a word such as 政府 or 本局 taken for a name.
    ("2024年政府信息公开工作年度报告", None, 2024),
    ("2023年度政府信息公开工作年度报告", None, 2023),
    ("本局2023年政府信息公开工作年度报告", None, 2023),
])
def test_agency_and_year_from_title(title: str, agency: str | None, year: int) -> None:
    assert agency_and_year(title) == (agency, year)


_BODY = ["一、总体情况", "本年度主动公开政府信息1200条，收到政府信息公开申请3件，均已按时答复。",
         "二、主动公开政府信息情况", "见下表。"]


@pytest.mark.parametrize(("lines_", "agency", "year"), [
    # A title split over two lines: the agency above, or the title's first half (a PDF's layout).
    (["淮安市人民政府", "2024年政府信息公开工作年度报告", *_BODY], "淮安市人民政府", 2024),
    (["正文", "2025 年上海市人民政府办公厅政府信息公开", "工作年度报告", *_BODY], "上海市人民政府办公厅", 2025),
    (["首页", "2024年政府信息公开工作年度报告", *_BODY], None, 2024),  # a breadcrumb is not a name
    # The signature block: the name above the date, or beside it.
    (["2024年政府信息公开工作年度报告", *_BODY, "", "淮安市洪泽区人民政府", "2025年1月20日"],
     "淮安市洪泽区人民政府", 2024),
    (["2024年政府信息公开工作年度报告", *_BODY, "淮安市洪泽区交通运输局 2025年1月20日", "打印本页 关闭窗口"],
     "淮安市洪泽区交通运输局", 2024),
    # A 发布机构 / 发文机关 field at the top.
    (["政府信息公开工作年度报告", "发布机构：沭阳县发展和改革局", *_BODY], "沭阳县发展和改革局", None),
    # The preamble sentence.
    (["政府信息公开工作年度报告",
      "根据《中华人民共和国政府信息公开条例》，现公布常德市交通运输局2017年政府信息公开工作年度报告。", *_BODY],
     "常德市交通运输局", 2017),
    # 来源 is the last resort, and only when it names an agency (not the website).
    (["2024年政府信息公开工作年度报告", "来源：盱眙县人民政府办公室", *_BODY], "盱眙县人民政府办公室", 2024),
    (["2024年政府信息公开工作年度报告", "来源：本网", *_BODY, "特此报告。", "2025年1月20日"], None, 2024),
])
def test_agency_from_the_page_when_the_title_has_none(lines_: list[str], agency: str | None, year: int | None,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines_), encoding="utf-8")
    report = read_file(path, Config())
    assert isinstance(report, Report)
    assert (report.agency, report.year) == (agency, year)


def test_a_statistical_period_wrapped_over_lines_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("\n".join(["2025 年上海市人民政府办公厅政府信息公开", "工作年度报告",
                               "本年度报告中所列数据统计期限为 2025", "年 1 月 1 日至 12 月 31 日。", *_BODY]),
                    encoding="utf-8")
    report = read_file(path, Config())
    assert isinstance(report, Report)
    assert report.period == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(("agency", "level"), [
    ("淮安市人民政府", "government"), ("沭阳县发展和改革局", "department"),
    ("常德市人民政府政务服务中心", "department"), ("伊州区丽园街道办事处", "township"),
    ("周矶街道", "township"), ("某某镇人民政府", "township"), ("平潭综合实验区", "government"),
])
def test_level_inferred_from_name(agency: str, level: str) -> None:
    assert infer_level(agency) == level


def test_structured_json_submission(tmp_path: Path) -> None:
    doc = {"agency": "某某县交通运输局", "level": "department", "year": 2023, "format_version": "2021",
           "published": "2024-01-20", "signed": "2024-01-19",
           "sections": {"overview": "本年度……", "other": "本年度未收取信息处理费。"},
           "tables": {"requests": {"new_received": {"natural_person": 3, "total": 3}},
                      "appeals": {"review": {"upheld": 1, "total": 1}}}}
    path = tmp_path / "report.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = read_file(path, Config())
    assert isinstance(report, Report)
    assert (report.agency, report.year, report.format_version, report.level) == ("某某县交通运输局", 2023, "2021",
                                                                             "department")
    assert report.published is not None and report.published.date == dt.date(2024, 1, 20)
    assert report.tables["requests"].value("new_received", "natural_person") == 3
    assert report.tables["appeals"].value("review", "total") == 1
    assert report.section("other") is not None


def test_structured_yaml_with_a_bad_date_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text("agency: 某局\nyear: 2023\npublished: 2024-13-45\n", encoding="utf-8")
    result = read_file(path, Config())
    assert not isinstance(result, Report)
    assert result.findings[0].rule == "F001"
