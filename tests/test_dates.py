"""ogi.ingest.dates on the date forms real reports and their pages use (SPEC §5, §7)."""

from __future__ import annotations

import datetime as dt

import pytest

from ogi.ingest.dates import DateMatch, find_dates, find_period, find_years, parse_date

D = dt.date


# --- parse_date -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-03-19 14:45", D(2018, 3, 19)),
        ("2018-03-19", D(2018, 3, 19)),
        ("2018年3月19日", D(2018, 3, 19)),
        ("2018年03月19日", D(2018, 3, 19)),
        ("2019-8-7 8:56:14", D(2019, 8, 7)),
        ("2018/3/19", D(2018, 3, 19)),
        ("2018.03.19", D(2018, 3, 19)),
        ("二○一一年十二月二日", D(2011, 12, 2)),
        ("二〇一八年三月十九日", D(2018, 3, 19)),
        ("二〇二三年十月三十一日", D(2023, 10, 31)),
        ("二零一九年一月十日", D(2019, 1, 10)),
        ("二O一八年三月十九日", D(2018, 3, 19)),
        ("２０１８年３月１９日", D(2018, 3, 19)),
        ("２０１８－０３－１９", D(2018, 3, 19)),
        ("2018 年 3 月 19 日", D(2018, 3, 19)),
        ("2018年3月19号", D(2018, 3, 19)),
        ("2018-03-19T14:45:00", D(2018, 3, 19)),
        ("  2017-02-23", D(2017, 2, 23)),
        ("\u00a02017-02-23", D(2017, 2, 23)),
        # Starts with a date: the rest is ignored.
        ("2018-03-19 14:45 来源:市行政审批服务局", D(2018, 3, 19)),
        ("2018年3月19日 常德市人民政府政务服务中心", D(2018, 3, 19)),
        ("2024-02-29", D(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2018-02-30",
        "2019-02-29",
        "2018-13-01",
        "2018-00-10",
        "2018年3月32日",
        "二〇一八年十三月一日",
        "2018年",
        "2018年3月",
        "3月19日",
        "2018-03",
        "20180319",
        "2018-03/19",
        "2018-03-195",
        "来源: 2018-03-19",
        "1899-12-31",
        "0736-72-63",
        "abc",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


# --- find_dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "raw", "label", "has_time"),
    [
        ("2018-03-19 14:45 来源:市行政审批服务局", D(2018, 3, 19), "2018-03-19 14:45", None, True),
        ("归档时间:2024-03-25", D(2024, 3, 25), "2024-03-25", "归档时间", False),
        ("发布时间: 2019-01-10 16:13", D(2019, 1, 10), "2019-01-10 16:13", "发布时间", True),
        ("发布日期：2017-02-23", D(2017, 2, 23), "2017-02-23", "发布日期", False),
        ("成文日期 ： 2018年3月19日", D(2018, 3, 19), "2018年3月19日", "成文日期", False),
        ("公开日期：2019-8-7 8:56:14", D(2019, 8, 7), "2019-8-7 8:56:14", "公开日期", True),
        ("生成日期：2020/1/2", D(2020, 1, 2), "2020/1/2", "生成日期", False),
        ("印发日期：2020.01.02", D(2020, 1, 2), "2020.01.02", "印发日期", False),
        ("采集时间：2021-05-06 10:00:00", D(2021, 5, 6), "2021-05-06 10:00:00", "采集时间", True),
        ("更新时间：2021-05-06", D(2021, 5, 6), "2021-05-06", "更新时间", False),
        ("时间：2021-05-06", D(2021, 5, 6), "2021-05-06", "时间", False),
        ("日期:2021-05-06", D(2021, 5, 6), "2021-05-06", "日期", False),
        ("办理时间：2021-05-06", D(2021, 5, 6), "2021-05-06", "时间", False),
        ("常德市人民政府政务服务中心\n2018年3月19日", D(2018, 3, 19), "2018年3月19日", None, False),
        ("于二○一一年十二月二日印发", D(2011, 12, 2), "二○一一年十二月二日", None, False),
        ("２０１８年３月１９日", D(2018, 3, 19), "２０１８年３月１９日", None, False),
        ("2018年3月19日14时30分发布", D(2018, 3, 19), "2018年3月19日14时30分", None, True),
        ("发布日期 2017-02-23", D(2017, 2, 23), "2017-02-23", None, False),
    ],
)
def test_find_dates_single(text: str, date: dt.date, raw: str, label: str | None, has_time: bool) -> None:
    found = find_dates(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.date, m.raw, m.label, m.has_time) == (date, raw, label, has_time)
    assert text[m.start: m.end] == raw


def test_find_dates_several() -> None:
    text = "发布日期：2017-02-23 成文日期：2017年2月20日\n归档时间:2024-03-25"
    found = find_dates(text)
    assert [(m.date, m.label) for m in found] == [
        (D(2017, 2, 23), "发布日期"),
        (D(2017, 2, 20), "成文日期"),
        (D(2024, 3, 25), "归档时间"),
    ]
    for m in found:
        assert text[m.start: m.end] == m.raw


@pytest.mark.parametrize(
    "text",
    [
        "2017年我们进一步加强了政府信息公开工作",
        "截至2017年底",
        "3月19日",
        "2018年3月",
        "2018-02-30",
        "201611日",
        "联系电话:0736-7263110",
        "索引号：000014349/2018-00123",
        "国办公开办函〔2019〕60号",
        "20180319",
        "",
    ],
)
def test_find_dates_nothing(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_offsets_with_zero_width() -> None:
    text = "发布日期：\u200b2017-02-23"
    [m] = find_dates(text)
    assert m == DateMatch(D(2017, 2, 23), "2017-02-23", 6, 16, "发布日期", False)
    assert text[m.start: m.end] == m.raw


def test_find_dates_in_seed_report() -> None:
    text = (
        "常德市人民政府政务服务中心2017年度政府信息公开工作年度报告\n\n"
        "2018-03-19 14:45 来源:市行政审批服务局\n字号:【\n"
        "如对本年度报告有疑问,请联系:市政务中心协调管理科,联系电话:0736-7263110。\n"
        "2018年3月19日\n\n附件:2017年度常德市人民政府政务服务中心政府信息公开工作统计表.doc\n\n"
        "归档时间:2024-03-25\n已归档0"
    )
    assert [(m.date, m.label, m.has_time) for m in find_dates(text)] == [
        (D(2018, 3, 19), None, True),
        (D(2018, 3, 19), None, False),
        (D(2024, 3, 25), "归档时间", False),
    ]


# --- find_period ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本报告中所列数据统计期限为2017年1月1日至12月31日", (D(2017, 1, 1), D(2017, 12, 31))),
        ("统计期限自2018年1月1日起至2018年12月31日止", (D(2018, 1, 1), D(2018, 12, 31))),
        ("本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。", (D(2018, 1, 1), D(2018, 12, 31))),
        ("统计时限为2023年1月1日至2023年12月31日", (D(2023, 1, 1), D(2023, 12, 31))),
        ("统计期限为2016年1月1日至2016年12月31日", (D(2016, 1, 1), D(2016, 12, 31))),
        ("本报告中所列数据的统计期间为2020年1月1日到2020年12月31日。", (D(2020, 1, 1), D(2020, 12, 31))),
        ("统计时间为2019年1月1日—2019年12月31日", (D(2019, 1, 1), D(2019, 12, 31))),
        ("统计期限为2019.1.1-2019.12.31", (D(2019, 1, 1), D(2019, 12, 31))),
        ("统计期限为2019-01-01至2019-12-31", (D(2019, 1, 1), D(2019, 12, 31))),
        ("统计期限为二〇一九年一月一日至十二月三十一日", (D(2019, 1, 1), D(2019, 12, 31))),
        ("统计期限为２０２１年１月１日至１２月３１日", (D(2021, 1, 1), D(2021, 12, 31))),
        ("统计期限为2017年1月至12月", (D(2017, 1, 1), D(2017, 12, 31))),
        ("统计期限为2020年1月至2020年2月", (D(2020, 1, 1), D(2020, 2, 29))),
        # Garbled: 年/月 lost, month and day run together before 日.
        ("统计期限为201611日至20161231日", (D(2016, 1, 1), D(2016, 12, 31))),
        ("统计期限为2016年11日至2016年1231日", (D(2016, 1, 1), D(2016, 12, 31))),
        # The keyword after the dates.
        ("2017年1月1日至12月31日期间的统计数据。", (D(2017, 1, 1), D(2017, 12, 31))),
        # The preamble of a real report: the period comes after other sentences.
        (
            "本年度报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2022年1月1日起至"
            "2022年12月31日止。如对本报告有任何疑问，请联系。",
            (D(2022, 1, 1), D(2022, 12, 31)),
        ),
    ],
)
def test_find_period(text: str, expected: tuple[dt.date, dt.date]) -> None:
    assert find_period(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2017年1月1日至12月31日",  # no keyword: not necessarily the statistical period
        "数据统计工作由办公室负责。2017年1月1日至12月31日另有安排",
        "统计期限为2017年",
        "统计期限为2017年2月30日至12月31日",
        "统计期限为201611至20161231",
    ],
)
def test_find_period_none(text: str) -> None:
    assert find_period(text) is None


def test_find_dates_does_not_read_the_garbled_form() -> None:
    assert find_dates("统计期限为201611日至20161231日") == []


# --- find_years -------------------------------------------------------------------------------------


def test_find_years() -> None:
    text = "常德市2017年度报告，二〇一八年，二O一九年，1989年，2018 年，12018年，2101年，2100年"
    assert find_years(text) == [(2017, 3), (2018, 12), (2019, 18), (2018, 30), (2100, 50)]
    for year, offset in find_years(text):
        assert text[offset] in "2二"
        assert year >= 1990


def test_find_years_full_width_and_offsets() -> None:
    text = "\u200b２０１７年"
    assert find_years(text) == [(2017, 1)]


@pytest.mark.parametrize("text", ["", "2017", "2017-2018", "第2017号", "17年"])
def test_find_years_nothing(text: str) -> None:
    assert find_years(text) == []
