"""Dates as reports and their pages write them, and the statistical period a report states.

Forms: "2018-03-19 14:45", "2019-8-7 8:56:14", "2018/3/19", "2018.03.19", "2018年3月19日",
"2018 年 3 月 19 日", "二〇一八年三月十九日", "二○一一年十二月二日", full-width digits. Matching runs on
`normalize`d text; offsets and `raw` refer to the caller's original text. Only years 1900–2100
count as dates, so identifiers and phone numbers do not turn into dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ogi.ingest.numbers import chinese_numeral_to_int, normalize_with_offsets

__all__ = ["DateMatch", "find_dates", "find_period", "find_years", "parse_date"]

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_MIN_REPORT_YEAR, _MAX_REPORT_YEAR = 1990, 2100

# Chinese year digits; O, o, Cyrillic О and Arabic 0 stand in for 〇 in real titles ("二O一八年").
_CN_YEAR = "[〇○零OoО0一二三四五六七八九]"
_CN_MD = "[〇○零一二三四五六七八九十]"
_ZERO_LOOKALIKES = str.maketrans({"O": "〇", "o": "〇", "О": "〇", "0": "〇"})

_DATE_RE = re.compile(
    rf"""
    (?=[\d〇○零OoО一二三四五六七八九])  # cheap first-character filter
    (?:
    (?<![\d.])(?P<y1>\d{{4}})(?P<sep>[-/.])(?P<m1>\d{{1,2}})(?P=sep)(?P<d1>\d{{1,2}})(?!\d)
    (?:(?:[ \t]+|T)(?P<h1>[01]?\d|2[0-3])[:：](?P<n1>[0-5]\d)(?:[:：][0-5]\d)?(?![\d:]))?
  |
    (?<![\d〇○零一二三四五六七八九十])(?P<y2>\d{{4}}|{_CN_YEAR}{{4}})[ \t]*年[ \t]*
    (?P<m2>\d{{1,2}}|{_CN_MD}{{1,3}})[ \t]*月[ \t]*
    (?P<d2>\d{{1,2}}|{_CN_MD}{{1,4}})[ \t]*[日号]
    (?:[ \t]*(?:(?P<h2>[01]?\d|2[0-3])[:：](?P<n2>[0-5]\d)(?:[:：][0-5]\d)?(?![\d:])
               |(?P<h3>[01]?\d|2[0-3])时(?:[0-5]?\d分(?:[0-5]?\d秒)?)?))?
    )
    """,
    re.VERBOSE | re.ASCII,
)
_LABELS = (
    "发布日期", "发布时间", "成文日期", "公开日期", "生成日期", "印发日期",
    "归档时间", "采集时间", "更新时间", "时间", "日期",
)
# Anchored at the end of the text before a date; the leftmost match wins, so "发布时间" beats "时间".
_LABEL_RE = re.compile("(" + "|".join(_LABELS) + r")[ \t]*[:：][ \t]*\Z")
_LABEL_WINDOW = 16
_YEAR_RE = re.compile(
    rf"(?<!\d)(?P<y>\d{{4}})[ \t]*年|(?<!{_CN_MD})(?P<cy>{_CN_YEAR}{{4}})[ \t]*年", re.ASCII
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in text; `label` is the 发布日期/成文日期/… label written right before it, if any."""

    date: dt.date
    raw: str
    start: int
    end: int
    label: str | None = None
    has_time: bool = False


def _year(text: str) -> int | None:
    if text.isdigit() and text.isascii():
        return int(text)
    return chinese_numeral_to_int(text.translate(_ZERO_LOOKALIKES))


def _part(text: str | None) -> int | None:
    """A month or day written in Arabic or Chinese digits ("03", "十二", "三十一")."""
    if text is None:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    return chinese_numeral_to_int(text)


def _make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_of(m: re.Match[str]) -> tuple[dt.date, bool] | None:
    if m.group("y1") is not None:
        date = _make_date(int(m.group("y1")), int(m.group("m1")), int(m.group("d1")))
        has_time = m.group("h1") is not None
    else:
        date = _make_date(_year(m.group("y2")), _part(m.group("m2")), _part(m.group("d2")))
        has_time = m.group("h2") is not None or m.group("h3") is not None
    return None if date is None else (date, has_time)


def _span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1


def parse_date(text: str) -> dt.date | None:
    """The date `text` is, or starts with (leading whitespace allowed); None if none or invalid."""
    norm, _ = normalize_with_offsets(text)
    lo = len(norm) - len(norm.lstrip())
    m = _DATE_RE.match(norm, lo)
    if m is None:
        return None
    found = _date_of(m)
    return found[0] if found else None


def find_dates(text: str) -> list[DateMatch]:
    """Every full date (year, month and day) in running text, with any label written before it."""
    norm, offsets = normalize_with_offsets(text)
    out: list[DateMatch] = []
    for m in _DATE_RE.finditer(norm):
        found = _date_of(m)
        if found is None:
            continue
        label_match = _LABEL_RE.search(norm, max(0, m.start() - _LABEL_WINDOW), m.start())
        start, end = _span(offsets, m.start(), m.end())
        out.append(DateMatch(found[0], text[start:end], start, end,
                             label_match.group(1) if label_match else None, found[1]))
    return out


def find_years(text: str) -> list[tuple[int, int]]:
    """(year, offset) for every "2018年" / "二〇一八年" with 1990 ≤ year ≤ 2100.

    The offset is that of the year's first digit in `text`.
    """
    norm, offsets = normalize_with_offsets(text)
    out: list[tuple[int, int]] = []
    for m in _YEAR_RE.finditer(norm):
        group = "y" if m.group("y") is not None else "cy"
        year = _year(m.group(group))
        if year is not None and _MIN_REPORT_YEAR <= year <= _MAX_REPORT_YEAR:
            out.append((year, _span(offsets, m.start(group), m.end(group))[0]))
    return out


# --- the statistical period -------------------------------------------------------------------------

_P_YEAR = rf"(?<!\d)(?:\d{{4}}|{_CN_YEAR}{{4}})"
_P_MD = rf"(?:\d{{1,2}}|{_CN_MD}{{1,3}})"


def _period_side(p: str, month_day_only: bool) -> str:
    """One end of a period: a date (day optional) or the garbled "201611日"; at the end also "12月31日"."""
    alts = [
        rf"(?P<{p}y>{_P_YEAR})[ \t]*年[ \t]*(?P<{p}m>{_P_MD})[ \t]*月"
        rf"(?:[ \t]*(?P<{p}d>{_P_MD})[ \t]*[日号])?",
        rf"(?<!\d)(?P<{p}ny>\d{{4}})(?P<{p}sep>[-/.])(?P<{p}nm>\d{{1,2}})(?P={p}sep)(?P<{p}nd>\d{{1,2}})(?!\d)",
        # Month and day run together after the year, 年/月 lost in conversion: "201611日", "20161231日".
        rf"(?<!\d)(?P<{p}gy>\d{{4}})年?(?P<{p}gmd>\d{{2,4}})[日号]",
    ]
    if month_day_only:
        alts.append(rf"(?P<{p}mm>{_P_MD})[ \t]*月(?:[ \t]*(?P<{p}md>{_P_MD})[ \t]*[日号])?")
    return "(?:" + "|".join(alts) + ")"


_PERIOD_RE = re.compile(
    _period_side("a", False) + r"[ \t]*起?[ \t]*(?:至|到|[-~～—–])+[ \t]*" + _period_side("b", True), re.ASCII
)
_PERIOD_KEY_RE = re.compile(r"统计(?:期限|时限|期间|时间|周期|区间|时段|范围)|数据统计|统计数据")
_PERIOD_WINDOW = 60
_SENTENCE_END = re.compile(r"[。\n]")


def _garbled(year: int, digits: str, latest: bool) -> dt.date | None:
    """Split run-together month and day digits; the earliest reading for a start, the latest for an end."""
    candidates = []
    for cut in (1, 2):
        if 1 <= len(digits) - cut <= 2:
            date = _make_date(year, int(digits[:cut]), int(digits[cut:]))
            if date is not None:
                candidates.append(date)
    if not candidates:
        return None
    return max(candidates) if latest else min(candidates)


def _side(m: re.Match[str], p: str, is_end: bool, start_year: int | None) -> dt.date | None:
    """Resolve one end of a period; a missing day is the month's first (start) or last (end) day."""
    if m.group(p + "ny") is not None:
        return _make_date(int(m.group(p + "ny")), int(m.group(p + "nm")), int(m.group(p + "nd")))
    if m.group(p + "gy") is not None:
        return _garbled(int(m.group(p + "gy")), m.group(p + "gmd"), is_end)
    if m.group(p + "y") is not None:
        year, month, day = _year(m.group(p + "y")), _part(m.group(p + "m")), _part(m.group(p + "d"))
    else:  # "至12月31日" takes the start's year
        year, month, day = start_year, _part(m.group(p + "mm")), _part(m.group(p + "md"))
    if day is None and year is not None and month is not None and 1 <= month <= 12:
        day = calendar.monthrange(year, month)[1] if is_end else 1
    return _make_date(year, month, day)


def _period_in(norm: str, lo: int, hi: int, last: bool) -> tuple[dt.date, dt.date] | None:
    found: tuple[dt.date, dt.date] | None = None
    for m in _PERIOD_RE.finditer(norm, lo, hi):
        start = _side(m, "a", False, None)
        end = _side(m, "b", True, start.year if start else None)
        if start is not None and end is not None:
            found = (start, end)
            if not last:
                break
    return found


def find_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The statistical period stated near 统计期限/统计时限/统计期间/统计时间/数据统计, or None.

    "统计期限为2017年1月1日至12月31日" → (2017-01-01, 2017-12-31): an end without a year takes the
    start's. The dates are looked for in the same sentence after the keyword, then before it.
    """
    norm, _ = normalize_with_offsets(text)
    keys = list(_PERIOD_KEY_RE.finditer(norm))
    for key in keys:
        stop = _SENTENCE_END.search(norm, key.end())
        hi = min(key.end() + _PERIOD_WINDOW, stop.start() if stop else len(norm))
        found = _period_in(norm, key.end(), hi, last=False)
        if found:
            return found
    for key in keys:
        lo = max(0, key.start() - _PERIOD_WINDOW)
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(norm, lo, key.start())), default=lo)
        found = _period_in(norm, sentence_start, key.start(), last=True)
        if found:
            return found
    return None
