"""ogi.ingest.numbers on the forms real reports use (SPEC §3, §5, §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ogi.ingest.numbers import (
    NumberMatch,
    ParsedCell,
    chinese_numeral_to_int,
    find_numbers,
    normalize,
    normalize_with_offsets,
    parse_cell,
    parse_number,
)

# Sentences from the seed report (常德市人民政府政务服务中心 2017), copied verbatim.
APPROVALS = (
    "全年累计受理各类审批及行政许可事项57.23万件,接受各类咨询13万多人次,"
    "即办件办结率100%,承诺件提前办结率94.82%。"
)
SPENDING = (
    "政府信息公开事务的财政预算2万元,实际支出情况:业务培训费8100元,服务指南编印费15600元,"
    "微信公众号注册费300元,电子显示屏维修2860元。"
)
CONSULTATIONS = "本年度共接受市民咨询13万多人次。其中咨询电话接听80560次,当面咨询48489次,网上咨询951次。"
OUTCOME = "“同意公开”1件,占总数的50%,主要涉及政务服务事项总数等信息。"


def summary(matches: list[NumberMatch]) -> list[tuple[str, Decimal, str | None, str | None, int]]:
    return [(m.raw, m.value, m.unit, m.qualifier, m.sign) for m in matches]


# --- normalize --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３", "123"),
        ("２０１８年３月１９日", "2018年3月19日"),
        ("５０％", "50%"),
        ("９６１７１．６", "96171.6"),
        ("＋１９", "+19"),
        ("－８", "-8"),
        ("ＡＢＣａｂｃ", "ABCabc"),
        ("1\u00a02", "1 2"),
        ("发布日期：\u30002018", "发布日期： 2018"),
        ("12\u200b34", "1234"),
        ("\ufeff标题", "标题"),
        # Chinese punctuation keeps its meaning and stays.
        ("一、（二）1，234。", "一、（二）1，234。"),
        ("“同意公开”", "“同意公开”"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_with_offsets_maps_back_past_removed_characters() -> None:
    text = "共\u200b12\u200d件"
    norm, offsets = normalize_with_offsets(text)
    assert norm == "共12件"
    assert offsets is not None
    assert [text[i] for i in offsets] == list(norm)


def test_normalize_with_offsets_is_identity_without_removals() -> None:
    assert normalize_with_offsets("２０１８年") == ("2018年", None)


# --- chinese_numeral_to_int -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百", 100),
        ("一百零三", 103),
        ("一百一十", 110),
        ("一百十", 110),
        ("一千零一十", 1010),
        ("两千", 2000),
        ("三千零五", 3005),
        ("一万", 10000),
        ("一万零五", 10005),
        ("十三万", 130000),
        ("一亿二千万", 120000000),
        ("一亿零五", 100000005),
        ("十万亿", 10**13),
        # Colloquial abbreviations.
        ("一百五", 150),
        ("两千五", 2500),
        ("三万五", 35000),
        # Digit by digit, as years are written.
        ("二〇一八", 2018),
        ("二○一一", 2011),
        ("二零二三", 2023),
        ("〇", 0),
        ("零", 0),
        # Financial forms.
        ("壹佰贰拾叁", 123),
        (" 十二 ", 12),
    ],
)
def test_chinese_numeral_to_int(text: str, expected: int) -> None:
    assert chinese_numeral_to_int(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "百", "千", "万", "亿", "千家", "十百", "二三十", "一百百", "万万", "十十", "两二",
     "12", "一、", "第三", "三安全"],
)
def test_chinese_numeral_to_int_rejects(text: str) -> None:
    assert chinese_numeral_to_int(text) is None


# --- find_numbers on the seed's sentences -----------------------------------------------------------


def test_find_numbers_approvals() -> None:
    assert summary(find_numbers(APPROVALS)) == [
        ("57.23万件", Decimal("572300"), "件", None, 1),
        ("13万多人次", Decimal("130000"), "人次", "多", 1),
        ("100%", Decimal("100"), "%", None, 1),
        ("94.82%", Decimal("94.82"), "%", None, 1),
    ]
    first, second = find_numbers(APPROVALS)[:2]
    assert first.multiplier == 10000 and not first.approx
    assert second.multiplier == 10000 and second.approx


def test_find_numbers_spending() -> None:
    found = find_numbers(SPENDING)
    assert summary(found) == [
        ("2万元", Decimal("20000"), "元", None, 1),
        ("8100元", Decimal("8100"), "元", None, 1),
        ("15600元", Decimal("15600"), "元", None, 1),
        ("300元", Decimal("300"), "元", None, 1),
        ("2860元", Decimal("2860"), "元", None, 1),
    ]
    assert sum(m.value for m in found[1:]) == Decimal("26860")
    assert found[0].multiplier == 10000


def test_find_numbers_consultations() -> None:
    found = find_numbers(CONSULTATIONS)
    assert summary(found) == [
        ("13万多人次", Decimal("130000"), "人次", "多", 1),
        ("80560次", Decimal("80560"), "次", None, 1),
        ("48489次", Decimal("48489"), "次", None, 1),
        ("951次", Decimal("951"), "次", None, 1),
    ]
    assert sum(m.value for m in found[1:]) == Decimal("130000")


def test_find_numbers_outcome() -> None:
    assert summary(find_numbers(OUTCOME)) == [
        ("1件", Decimal("1"), "件", None, 1),
        ("50%", Decimal("50"), "%", None, 1),
    ]


@pytest.mark.parametrize("text", [APPROVALS, SPENDING, CONSULTATIONS, OUTCOME])
def test_find_numbers_offsets(text: str) -> None:
    for m in find_numbers(text):
        assert text[m.start: m.end] == m.raw


# --- find_numbers: forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit", "qualifier", "sign", "multiplier"),
    [
        ("共12件", "12件", "12", "件", None, 1, 1),
        ("共１２件", "１２件", "12", "件", None, 1, 1),
        ("共1,234条", "1,234条", "1234", "条", None, 1, 1),
        ("共1，234条", "1，234条", "1234", "条", None, 1, 1),
        ("共12,345,678元", "12,345,678元", "12345678", "元", None, 1, 1),
        ("1.5亿元", "1.5亿元", "150000000", "元", None, 1, 10**8),
        ("57.23万件", "57.23万件", "572300", "件", None, 1, 10**4),
        ("13万余人次", "13万余人次", "130000", "人次", "余", 1, 10**4),
        ("1200余万元", "1200余万元", "12000000", "元", "余", 1, 10**4),
        ("约300元", "约300元", "300", "元", "约", 1, 1),
        ("对1200多条信息", "1200多条", "1200", "条", "多", 1, 1),
        ("近1000条", "近1000条", "1000", "条", "近", 1, 1),
        ("300余人", "300余人", "300", "人", "余", 1, 1),
        ("100人以上", "100人以上", "100", "人", "以上", 1, 1),
        ("300元左右", "300元左右", "300", "元", "左右", 1, 1),
        ("超过100件", "超过100件", "100", "件", "超过", 1, 1),
        ("办结率为99%以上", "99%以上", "99", "%", "以上", 1, 1),
        ("占比33.90%", "33.90%", "33.90", "%", None, 1, 1),
        ("千分之三即3‰", "3‰", "3", "‰", None, 1, 1),
        ("５０％", "５０％", "50", "%", None, 1, 1),
        ("50 %", "50 %", "50", "%", None, 1, 1),
        ("2018 年", "2018 年", "2018", "年", None, 1, 1),
        ("减4", "减4", "4", None, None, -1, 1),
        ("增19", "增19", "19", None, None, 1, 1),
        ("较上年减少4件", "减少4件", "4", "件", None, -1, 1),
        ("同比增加12件", "增加12件", "12", "件", None, 1, 1),
        ("变化 -8", "-8", "8", None, None, -1, 1),
        ("变化 +19", "+19", "19", None, None, 1, 1),
        ("下降3个百分点", "3个百分点", "3", "个百分点", None, 1, 1),
        ("20个工作日", "20个工作日", "20", "个工作日", None, 1, 1),
        ("3个月", "3个月", "3", "个月", None, 1, 1),
        ("2小时", "2小时", "2", "小时", None, 1, 1),
        ("45分钟", "45分钟", "45", "分钟", None, 1, 1),
        ("5件次", "5件次", "5", "件次", None, 1, 1),
        # Chinese numerals with a counting unit.
        ("受理两件", "两件", "2", "件", None, 1, 1),
        ("建立三个", "三个", "3", "个", None, 1, 1),
        ("共十二条", "十二条", "12", "条", None, 1, 1),
        ("一百多件", "一百多件", "100", "件", "多", 1, 1),
        ("十多个", "十多个", "10", "个", "多", 1, 1),
        ("约三百人", "约三百人", "300", "人", "约", 1, 1),
        ("十三万多人次", "十三万多人次", "130000", "人次", "多", 1, 10**4),
        ("二〇一八年", "二〇一八年", "2018", "年", None, 1, 1),
        ("组织了一期培训", "一期", "1", "期", None, 1, 1),
        # Percentages in words.
        ("百分之五十", "百分之五十", "50", "%", None, 1, 1),
        ("百分之百", "百分之百", "100", "%", None, 1, 1),
        ("百分之九十九点五", "百分之九十九点五", "99.5", "%", None, 1, 1),
        ("百分之50", "百分之50", "50", "%", None, 1, 1),
    ],
)
def test_find_numbers_single(
    text: str, raw: str, value: str, unit: str | None, qualifier: str | None, sign: int, multiplier: int
) -> None:
    found = find_numbers(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.raw, m.value, m.unit, m.qualifier, m.sign, m.multiplier) == (
        raw, Decimal(value), unit, qualifier, sign, multiplier
    )
    assert text[m.start: m.end] == raw
    assert m.approx == (qualifier is not None)


def test_stated_precision_is_kept() -> None:
    assert str(find_numbers("占33.90%")[0].value) == "33.90"
    # With a multiplier the value is an exact integer, not 5.723E+5.
    assert str(find_numbers("57.23万件")[0].value) == "572300"


def test_signed_value() -> None:
    m = find_numbers("减4")[0]
    assert m.value == 4 and m.sign == -1 and m.signed_value == -4
    assert m.value * m.sign == -4


@pytest.mark.parametrize(
    "text",
    [
        # Headings, ordinals and list markers.
        "一、概述",
        "（二）部分公开",
        "第二十条第（一）项",
        "第三条",
        "第3条",
        "第 3 季度",
        "危及“三安全一稳定”",
        "1、健全政府信息公开工作机制。",
        "工作：2、加强制度建设",
        "1.属于国家秘密",
        "（1）予以公开",
        "(2)部分公开",
        # Words that contain numerals.
        "零件",
        "千家万户",
        "一次性告知",
        "一条龙服务",
        "统一个平台",
        "每一项工作",
        "一是加强领导",
        "十分重视",
        "百姓",
        "三四个",
        # Dates, times, phone numbers, links, versions.
        "2018-03-19 14:45",
        "2019-8-7 8:56:14",
        "2018/3/19",
        "2018.03.19",
        "联系电话:0736-7263110",
        "热线13812345678",
        "见http://www.changde.gov.cn/2018/0319/123.html",
        "版本3.5.1",
        "GB18030",
        "",
    ],
)
def test_find_numbers_nothing(text: str) -> None:
    assert find_numbers(text) == []


def test_date_in_words_gives_year_month_day_units() -> None:
    found = find_numbers("2018年3月19日")
    assert [(m.value, m.unit) for m in found] == [(2018, "年"), (3, "月"), (19, "日")]
    found = find_numbers("二〇一八年三月十九日")
    assert [(m.value, m.unit) for m in found] == [(2018, "年"), (3, "月"), (19, "日")]


def test_range_and_list() -> None:
    assert [(m.value, m.sign) for m in find_numbers("2017-2018年")] == [(2017, 1), (2018, 1)]
    assert [(m.value, m.unit) for m in find_numbers("5-10件")] == [(5, None), (10, "件")]
    # Thousands groups must be exactly three digits; otherwise the comma separates numbers.
    assert [m.value for m in find_numbers("12,34")] == [12, 34]
    assert [m.value for m in find_numbers("1,2345")] == [1, 2345]


def test_enumerator_inside_sentence_is_a_number() -> None:
    # "1、2月" mid-sentence counts; only a list marker at a line or sentence start is dropped.
    assert [m.value for m in find_numbers("本年度1、2月份")] == [1, 2]


def test_offsets_with_zero_width_characters() -> None:
    text = "预算\u200b2\u200b万元，支出8100元"
    found = find_numbers(text)
    assert [m.value for m in found] == [20000, 8100]
    for m in found:
        assert text[m.start: m.end] == m.raw
    assert found[0].raw == "2\u200b万元"


def test_seed_report_paragraph() -> None:
    text = (
        "市县两级共有379个部门的5799个项目上线运行,全市累计网上办件27.29万件,"
        "办结率为99%以上,没有产生红、黄牌。"
    )
    assert summary(find_numbers(text)) == [
        ("379个", Decimal("379"), "个", None, 1),
        ("5799个", Decimal("5799"), "个", None, 1),
        ("27.29万件", Decimal("272900"), "件", None, 1),
        ("99%以上", Decimal("99"), "%", "以上", 1),
    ]


# --- parse_number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "sign"),
    [
        ("12", "12", None, 1),
        ("  12  ", "12", None, 1),
        ("１２", "12", None, 1),
        ("1,234", "1234", None, 1),
        ("96171.6", "96171.6", None, 1),
        ("57.23万件", "572300", "件", 1),
        ("13万多人次", "130000", "人次", 1),
        ("50%", "50", "%", 1),
        ("-8", "8", None, -1),
        ("减4", "4", None, -1),
        ("二十五", "25", None, 1),
        ("二〇一八", "2018", None, 1),
        ("两件", "2", "件", 1),
        ("百分之五十", "50", "%", 1),
    ],
)
def test_parse_number(text: str, value: str, unit: str | None, sign: int) -> None:
    m = parse_number(text)
    assert m is not None
    assert (m.value, m.unit, m.sign) == (Decimal(value), unit, sign)
    assert text[m.start: m.end] == m.raw == text.strip()


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "12abc", "第3", "1、", "2018-03-19", "千", "12 34", "约", "共3件"]
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


# --- parse_cell -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", "12"),
        ("0", "0"),
        ("１２", "12"),
        ("1,234", "1234"),
        ("1，234", "1234"),
        ("96171.6", "96171.6"),
        (" 7 ", "7"),
        ("\u00a012\u00a0", "12"),
        ("\u200b3", "3"),
        ("-8", "-8"),
        ("－8", "-8"),
        ("−8", "-8"),
    ],
)
def test_parse_cell_number(raw: str, value: str) -> None:
    assert parse_cell(raw) == ParsedCell(raw, "number", Decimal(value))


@pytest.mark.parametrize("raw", ["", " ", "   ", "\u00a0", "\u3000", "\t\n"])
def test_parse_cell_blank(raw: str) -> None:
    assert parse_cell(raw) == ParsedCell(raw, "blank")


@pytest.mark.parametrize(
    "raw",
    ["/", "／", "—", "——", "-", "－", "--", "——/", "\\", "无", "不适用", "暂无", "无。", " / ", "N/A", "…"],
)
def test_parse_cell_placeholder(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.kind == "placeholder"
    assert cell.value is None


@pytest.mark.parametrize(
    ("raw", "value", "unit", "annotation"),
    [
        ("减4", "-4", None, "减"),
        ("增4", "4", None, "增"),
        ("减少4", "-4", None, "减少"),
        ("22（其中修订16件）", "22", None, "（其中修订16件）"),
        ("22(其中修订16件)", "22", None, "(其中修订16件)"),
        ("251000元", "251000", "元", "元"),
        ("2万元", "20000", "元", "万元"),
        ("3件", "3", "件", "件"),
        ("3 件", "3", "件", "件"),
        ("1.2万", "12000", None, "万"),
        ("约300", "300", None, "约"),
        ("100多", "100", None, "多"),
        ("0（无）", "0", None, "（无）"),
        ("二十五", "25", None, "二十五"),
        ("共3件", "3", "件", "共3件"),
    ],
)
def test_parse_cell_annotated(raw: str, value: str, unit: str | None, annotation: str) -> None:
    assert parse_cell(raw) == ParsedCell(raw, "annotated", Decimal(value), unit, annotation)


@pytest.mark.parametrize("raw", ["abc", "见附件", "2018-03-19", "5/8", "3:1", "12,34", "3件 5条", "第3"])
def test_parse_cell_text(raw: str) -> None:
    assert parse_cell(raw) == ParsedCell(raw, "text")


@pytest.mark.parametrize(
    ("raw", "signed", "expected"),
    [
        ("+19", True, ParsedCell("+19", "number", Decimal(19))),
        ("-8", True, ParsedCell("-8", "number", Decimal(-8))),
        ("+19", False, ParsedCell("+19", "annotated", Decimal(19), None, "+")),
        ("-8", False, ParsedCell("-8", "number", Decimal(-8))),
        ("＋19", True, ParsedCell("＋19", "number", Decimal(19))),
        ("减4", True, ParsedCell("减4", "annotated", Decimal(-4), None, "减")),
        ("-", True, ParsedCell("-", "placeholder")),
        ("-0", False, ParsedCell("-0", "number", Decimal(0))),
    ],
)
def test_parse_cell_signed(raw: str, signed: bool, expected: ParsedCell) -> None:
    assert parse_cell(raw, signed=signed) == expected


def test_parse_cell_negative_zero_is_zero() -> None:
    value = parse_cell("-0").value
    assert value is not None and not value.is_signed()


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12.0", "12"), ("12.00", "12"), ("0.00", "0"), ("12.5", "12.5"), ("12", "12")],
)
def test_parse_cell_count_column(raw: str, value: str) -> None:
    cell = parse_cell(raw, decimal_ok=False)
    assert cell.kind == "number"
    assert cell.value == Decimal(value)
    assert str(cell.value) == value


def test_parse_cell_keeps_decimal_places_for_amounts() -> None:
    assert str(parse_cell("1.50").value) == "1.50"


def test_parse_cell_keeps_raw() -> None:
    assert parse_cell(" １２ ").raw == " １２ "
