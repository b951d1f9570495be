"""Who the report is from (and for which year), read from the title or, failing that, from the page.

Titles put the year last (`淮安市人民政府2024年政府信息公开工作年度报告`) as often as first
(`2019年上海市人民政府办公厅政府信息公开工作年度报告`, `关于2022年度XX市XX局……`), and some are split over
two lines or name no agency at all; then the page's 发布机构/发文机关 field, the signature block (the
agency's name followed by the date), the preamble (`现公布XX局2017年政府信息公开工作年度报告`) or the
来源 field names it. Names from the weaker sources must look like an agency's name (its last word is
one agencies end with), so a website's name or a sentence is never taken for one.
"""

from __future__ import annotations

import re

from ogi.ingest.dates import find_dates
from ogi.ingest.document import RawDocument, TextLine
from ogi.ingest.numbers import chinese_numeral_to_int

_YEAR = r"(?P<year>(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})"
# What the report is about, right after the agency's name (the earliest occurrence counts).
_SUBJECT = re.compile(r"政府信息公开|政务公开|信息公开")
# Agency first: "<agency>[关于]<year>年[度][的]<subject>".
_AGENCY_FIRST = re.compile(
    r"(?P<agency>[^\s<>《》]{2,60}?)\s*(?:关于)?\s*" + _YEAR + r"\s*年度?\s*(?:的)?(?=政府信息公开|政务公开|信息公开)"
)
# Year first: "[关于]<year>年[度][的]<agency><subject>", at the start of the title.
_YEAR_FIRST = re.compile(r"^\W{0,3}(?:关于)?\s*" + _YEAR + r"\s*年度?\s*(?:的)?\s*")
# Words that stand for the agency without naming it.
_NOT_A_NAME = re.compile(r"^(?:本|我|该|全|各|政府$|人民政府$)")
_PUNCTUATION = re.compile(r"[，,。；;：:！!？?、“”\"'《》<>|｜]")
# The last word of an agency's name (longest alternatives first where one ends another).
_AGENCY_END = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|管委会|工作委员会|街道办事处|办事处|街道|总局|分局|局|厅|委|办|中心"
    r"|镇|乡|苏木|院|署|会|所|站|处|队|馆|部|室|实验区|开发区|新区|高新区|示范区|保税区|园区|集团|公司|管理处)$"
)
_HEADER_AGENCY_FIELDS = ("发布机构", "发文机关", "发文单位", "发布单位", "发布部门")
_SOURCE_FIELDS = ("来源", "信息来源", "文章来源")
_PREAMBLE = (
    # "现公布XX局2017年政府信息公开工作年度报告" / "现将XX局2019年度政府信息公开工作年度报告公布如下"
    re.compile(r"现(?:予以|予)?(?:公布|发布|将)\s*(?P<agency>[^\s，,。；;（(]{2,40}?)\s*" + _YEAR
               + r"\s*年度?\s*(?:的)?(?:政府信息公开|政务公开|信息公开)"),
    # "本报告……由常德市人民政府政务服务中心(以下简称市政务中心)编制"
    re.compile(r"由(?P<agency>[^\s，,。；;（()）]{2,40}?)\s*(?:[（(]以下简称[^）)]{0,20}[）)])?\s*(?:负责)?编制"),
)
_NOT_SIGNATURE = ("归档", "采集", "更新", "生成时间", "页面生成", "访问", "发布", "来源", "浏览", "点击")


def agency_and_year(title: str | None) -> tuple[str | None, int | None]:
    """(agency, data year) written in a report's title; either may be None."""
    if not title:
        return None, None
    first = _YEAR_FIRST.search(title)
    if first is not None:
        rest = title[first.end():]
        inner = _AGENCY_FIRST.search(rest)  # "2023年XX局2023年度政府信息公开…": the year repeated
        agency = inner.group("agency") if inner and _is_name(inner.group("agency")) else _agency_before_subject(rest)
        return agency, _year(first.group("year"))
    m = _AGENCY_FIRST.search(title)
    if not m:
        return None, None
    agency = m.group("agency").strip("“”\"' ：:").removeprefix("关于")
    return (agency if _is_name(agency) else None), _year(m.group("year"))


def _agency_before_subject(rest: str) -> str | None:
    m = _SUBJECT.search(rest)
    if m is None:
        return None
    agency = rest[: m.start()].strip()
    if agency.endswith("人民") and m.group().startswith("政府"):
        agency += "政府"  # "XX区人民政府信息公开…": the 政府 is the name's
    return agency if _is_name(agency) else None


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_numeral_to_int(text)


def _is_name(text: str) -> bool:
    return 2 <= len(text) <= 60 and not _NOT_A_NAME.search(text) and not _PUNCTUATION.search(text)


def looks_like_agency(text: str) -> bool:
    """A short name without digits or punctuation whose last word is one agencies' names end with."""
    return (_is_name(text) and len(text) <= 40 and not re.search(r"\d", text)
            and _AGENCY_END.search(text) is not None)


def joined_title(lines: list[TextLine], title: str) -> str:
    """A title split over two lines joined again: `淮安市人民政府` / `2024年政府信息公开工作年度报告`, or
    `2025 年上海市人民政府办公厅政府信息公开` / `工作年度报告`."""
    for index, line in enumerate(lines[:8]):
        if line.text.strip() != title.strip() or index == 0:
            continue
        before = next((lines[i].text.strip() for i in range(index - 1, -1, -1) if lines[i].text.strip()), "")
        joined = before + title.strip()
        if looks_like_agency(before) or (_YEAR_FIRST.search(before) and agency_and_year(joined)[0]):
            return joined
        break
    return title


def agency_from_page(raw: RawDocument, fields: dict[str, str], opening: str) -> str | None:
    """The agency a page names outside its title: a 发布机构 field, the signature, the opening, 来源."""
    for key in _HEADER_AGENCY_FIELDS:
        value = _field_name(raw.meta.get(key) or fields.get(key))
        if value:
            return value
    signed = signature_agency(raw.lines)
    if signed:
        return signed
    stated = opening_statement(opening)[0]
    if stated:
        return stated
    for key in _SOURCE_FIELDS:
        value = _field_name(raw.meta.get(key) or fields.get(key))
        if value:
            return value
    return None


def opening_statement(opening: str) -> tuple[str | None, int | None]:
    """(agency, year) the opening sentence states: "现公布XX局2017年政府信息公开工作年度报告", "由XX编制"."""
    for pattern in _PREAMBLE:
        m = pattern.search(opening)
        if m and looks_like_agency(m.group("agency").strip()):
            year = m.groupdict().get("year")
            return m.group("agency").strip(), _year(year) if year else None
    return None, None


def _field_name(value: str | None) -> str | None:
    # A field's value may run on ("淮安市人民政府 发布时间：…"): its first word is the name.
    name = (value or "").strip().split()[0] if (value or "").strip() else ""
    return name if looks_like_agency(name) else None


def signature_agency(lines: list[TextLine]) -> str | None:
    """The name in the signature block: on the date's line ("XX局 2024年1月20日") or the line above it."""
    tail = lines[-12:]
    for index in range(len(tail) - 1, -1, -1):
        text = tail[index].text.strip()
        if not text or any(word in text for word in _NOT_SIGNATURE) or len(text) > 50:
            continue
        found = [d for d in find_dates(text) if d.label is None]
        if len(found) != 1:
            continue
        rest = (text[: found[0].start] + text[found[0].end:]).strip()
        if rest:
            return rest if looks_like_agency(rest) else None
        above = next((tail[i].text.strip() for i in range(index - 1, -1, -1) if tail[i].text.strip()), "")
        return above if looks_like_agency(above) else None
    return None
