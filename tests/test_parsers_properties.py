"""Property tests for the number and date parsers: they never raise, offsets hold, formats round-trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.ingest.dates import find_dates, find_period, find_years, parse_date
from ogi.ingest.numbers import (
    chinese_numeral_to_int,
    find_numbers,
    normalize,
    parse_cell,
    parse_number,
)

SETTINGS = settings(max_examples=200, deadline=None)

# Characters that exercise the parsers: digits, separators, numerals, units, qualifiers, odd spaces.
_TRICKY = (
    "0123456789０１２３４５６７８９,，.．:：-－—/／+＋−%％‰ \t\n\u00a0\u3000\u200b\ufeff"
    "一二三四五六七八九十百千万亿零〇○两O第、（）()年月日号时分元件条次人个项多余约近以上左右超过增减少加"
    "统计期限时限为自起至到止百分之点发布日期时间归档"
)
texts = st.one_of(st.text(), st.text(alphabet=_TRICKY, max_size=80))

_FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
_CN_DIGITS = "〇一二三四五六七八九"


def cn_small(n: int) -> str:
    """1–31 as written in dates: 三, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def cn_positional(n: int) -> str:
    """1 ≤ n < 10**12 in the formal positional form, with 零 for inner gaps: 一万零五, 一千零一十."""
    digits = "零一二三四五六七八九"

    def group(x: int) -> str:
        out, gap = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d == 0:
                gap = gap or bool(out)
                continue
            if gap:
                out += "零"
                gap = False
            out += digits[d] + unit
        return out

    out, gap = "", False
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        g = n // value % 10000
        if g == 0:
            gap = gap or bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += group(g) + unit
        gap = False
    return out


# --- never raise; offsets hold ----------------------------------------------------------------------


@SETTINGS
@given(texts)
def test_find_numbers_total_and_offsets(text: str) -> None:
    for m in find_numbers(text):
        assert text[m.start: m.end] == m.raw
        assert m.raw
        assert m.value >= 0
        assert m.sign in (1, -1)
        assert m.multiplier in (1, 10**4, 10**8)


@SETTINGS
@given(texts)
def test_find_dates_total_and_offsets(text: str) -> None:
    for m in find_dates(text):
        assert text[m.start: m.end] == m.raw
        assert 1900 <= m.date.year <= 2100


@SETTINGS
@given(texts)
def test_parsers_never_raise(text: str) -> None:
    for signed in (False, True):
        for decimal_ok in (False, True):
            cell = parse_cell(text, signed=signed, decimal_ok=decimal_ok)
            assert cell.raw == text
            assert cell.kind in ("number", "blank", "placeholder", "annotated", "text")
            assert (cell.value is None) == (cell.kind in ("blank", "placeholder", "text"))
    parse_date(text)
    find_period(text)
    chinese_numeral_to_int(text)
    whole = parse_number(text)
    if whole is not None:
        # The whole text is the number: only whitespace around it.
        assert text[whole.start: whole.end] == whole.raw
        assert not normalize(text[: whole.start]).strip()
        assert not normalize(text[whole.end:]).strip()
    for year, offset in find_years(text):
        assert 1990 <= year <= 2100
        assert 0 <= offset < len(text)


# --- round trips: numbers ---------------------------------------------------------------------------


def number_forms(n: int) -> list[str]:
    return [
        str(n),
        f"{n:,}",
        f"{n:,}".replace(",", "，"),
        str(n).translate(_FULL_WIDTH),
        f"{n:,}".translate(_FULL_WIDTH),
        f" {n} ",
        f"\u00a0{n:,}\u3000",
    ]


@SETTINGS
@given(st.integers(min_value=0, max_value=10**18))
def test_parse_cell_round_trip(n: int) -> None:
    for form in number_forms(n):
        for decimal_ok in (True, False):
            cell = parse_cell(form, decimal_ok=decimal_ok)
            assert cell.kind == "number", form
            assert cell.value == Decimal(n), form
    assert parse_cell(f"-{n}", signed=True).value == -n
    assert parse_cell(f"+{n}", signed=True).value == n


@SETTINGS
@given(st.integers(min_value=0, max_value=10**18))
def test_parse_number_round_trip(n: int) -> None:
    for form in number_forms(n):
        m = parse_number(form)
        assert m is not None and m.value == n and m.sign == 1, form


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["件", "条", "人次", "元", "%"]))
def test_find_numbers_round_trip(n: int, unit: str) -> None:
    for form in number_forms(n)[:5]:
        text = f"本年度共受理{form}{unit}，其中"
        [m] = find_numbers(text)
        assert (m.value, m.unit) == (n, unit)
        assert m.raw == form + unit


@SETTINGS
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([("万", 10**4), ("亿", 10**8)]),
)
def test_multiplier_round_trip(whole: int, cents: int, mult: tuple[str, int]) -> None:
    word, factor = mult
    m = parse_number(f"{whole}.{cents:02d}{word}元")
    assert m is not None
    assert m.value == (Decimal(whole) + Decimal(cents) / 100) * factor
    assert m.unit == "元" and m.multiplier == factor


@SETTINGS
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numeral_round_trip(n: int) -> None:
    assert chinese_numeral_to_int(cn_positional(n)) == n


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9))
def test_chinese_digit_by_digit_round_trip(n: int) -> None:
    assert chinese_numeral_to_int("".join(_CN_DIGITS[int(d)] for d in str(n))) == n


# --- round trips: dates -----------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
times = st.times()


def date_forms(d: dt.date, t: dt.time) -> list[str]:
    cn = "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{cn_small(d.month)}月{cn_small(d.day)}日"
    return [
        f"{d:%Y-%m-%d}",
        f"{d:%Y-%m-%d} {t:%H:%M}",
        f"{d.year}-{d.month}-{d.day} {t.hour}:{t:%M:%S}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d:%Y/%m/%d}",
        f"{d:%Y.%m.%d}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y年%m月%d日}",
        f"{d.year} 年 {d.month} 月 {d.day} 日",
        f"{d.year}年{d.month}月{d.day}日".translate(_FULL_WIDTH),
        cn,
        cn.replace("〇", "○"),
    ]


@SETTINGS
@given(dates, times)
def test_parse_date_round_trip(d: dt.date, t: dt.time) -> None:
    for form in date_forms(d, t):
        assert parse_date(form) == d, form
        assert parse_date(form + " 来源：本网") == d, form


@SETTINGS
@given(dates, times, st.sampled_from(["发布日期", "成文日期", "归档时间", "时间"]))
def test_find_dates_round_trip(d: dt.date, t: dt.time, label: str) -> None:
    for form in date_forms(d, t):
        text = f"标题\n{label}：{form} 来源：本网"
        [m] = find_dates(text)
        assert (m.date, m.raw, m.label) == (d, form, label), form
        assert text[m.start: m.end] == form


@SETTINGS
@given(st.integers(min_value=1990, max_value=2100))
def test_find_period_round_trip(year: int) -> None:
    expected = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert find_period(f"本报告中所列数据统计期限为{year}年1月1日至12月31日。") == expected
    assert find_period(f"统计期限自{year}年1月1日起至{year}年12月31日止。") == expected
    assert find_period(f"统计时限为{year}11日至{year}1231日") == expected
