"""Top-level section headings (一、 … 八、) and their mapping to the format's section keys.

Two passes: headings on lines of their own (most HTML/DOCX/TXT reports), and, when a page was
flattened into one run of text, headings inline ("…取得了一定的成效。二、主动公开政府信息情况（一）…").
Either way the Chinese ordinals must run 一, 二, 三 … so that an "一、" inside a list is not a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.ingest.document import TextLine
from ogi.ingest.numbers import chinese_numeral_to_int
from ogi.model import Section
from ogi.schemas.definitions import FormatDef, SectionDef

_LINE_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．,，]\s*(\S.*?)\s*$")
_INLINE_HEADING = re.compile(r"([一二三四五六七八九十]{1,2})、")
# Where an inline heading ends: before a sub-heading, a digit, or after a typical closing word.
_INLINE_END = re.compile(r"（[一二三四五六七八九十]|\d|[。；]|(?<=情况)|(?<=措施)|(?<=事项)|(?<=概述)|(?<=统计表)")
_MAX_HEADING_CHARS = 40


@dataclass(frozen=True)
class HeadingHit:
    number: int
    numeral: str
    title: str
    line: int  # index into the lines, or -1 for inline
    start: int  # character offset of the heading in the joined text (inline), else 0
    end: int


# Per format (by identity, kept alive here), the section each heading text names: headings recur.
_SECTION_MEMO: dict[int, tuple[FormatDef, dict[str, SectionDef | None]]] = {}


def match_section(title: str, fmt: FormatDef) -> SectionDef | None:
    """The section a heading names: the longest matching phrase wins, ties go to definition order."""
    entry = _SECTION_MEMO.get(id(fmt))
    if entry is None or entry[0] is not fmt:
        if len(_SECTION_MEMO) > 64:
            _SECTION_MEMO.clear()
        entry = _SECTION_MEMO[id(fmt)] = (fmt, {})
    memo = entry[1]
    if title not in memo:
        if len(memo) > 20_000:
            memo.clear()
        memo[title] = _match_section(title, fmt)
    return memo[title]


def _match_section(title: str, fmt: FormatDef) -> SectionDef | None:
    best: tuple[int, int, SectionDef] | None = None
    for order, section in enumerate(fmt.sections):
        for phrase in section.match:
            if phrase in title:
                score = (len(phrase), -order)
                if best is None or score > best[:2]:
                    best = (score[0], score[1], section)
    return best[2] if best else None


def _is_table_row_label(title: str, fmt: FormatDef) -> bool:
    for tdef in fmt.tables.values():
        phrase_sets = [r.match for r in tdef.rows] + [g.match for g in tdef.group_rows]
        if any(phrases and all(p in title for p in phrases) for phrases in phrase_sets):
            return True
    return False


def _line_headings(lines: list[TextLine], fmt: FormatDef) -> list[HeadingHit]:
    hits: list[HeadingHit] = []
    expected = 1
    for index, line in enumerate(lines):
        m = _LINE_HEADING.match(line.text)
        if not m:
            continue
        number = chinese_numeral_to_int(m.group(1))
        title = m.group(2)
        if number is None or (number != expected and not _skips_to_its_place(number, expected, title, fmt)):
            continue
        if len(title) > _MAX_HEADING_CHARS and not line.emphasised:
            continue
        if title.endswith(("。", "；")) and not line.emphasised:
            continue
        # Table 三's own rows are numbered 一、…四、 too ("四、结转下年度继续办理  0 0 …").
        if match_section(title, fmt) is None and _is_table_row_label(title, fmt):
            continue
        hits.append(HeadingHit(number, m.group(1), title, index, 0, 0))
        expected = number + 1
    return hits


def _skips_to_its_place(number: int, expected: int, title: str, fmt: FormatDef) -> bool:
    """A heading after a gap ("四、…" then "六、其他需要报告的事项", the 五 lost in a conversion) is still a
    section when it names the format's section of exactly that number: a list item would not."""
    if number <= expected:
        return False
    sdef = match_section(title, fmt)
    return sdef is not None and fmt.sections.index(sdef) + 1 == number


def _inline_headings(text: str, fmt: FormatDef) -> list[HeadingHit]:
    hits: list[HeadingHit] = []
    expected = 1
    for m in _INLINE_HEADING.finditer(text):
        number = chinese_numeral_to_int(m.group(1))
        if number != expected:
            continue
        window = text[m.end(): m.end() + _MAX_HEADING_CHARS]
        if match_section(window[:20], fmt) is None:
            continue
        end = _INLINE_END.search(window, 2)
        title = window[: end.start()] if end else window[:20]
        hits.append(HeadingHit(number, m.group(1), title.strip(), -1, m.start(), m.end() + len(title)))
        expected += 1
    return hits


def split_sections(lines: list[TextLine], fmt: FormatDef) -> tuple[str, list[Section]]:
    """(preamble, sections) of the body text."""
    hits = _line_headings(lines, fmt)
    if len(hits) >= 3:
        preamble = "\n".join(line.text for line in lines[: hits[0].line])
        sections = []
        for order, hit in enumerate(hits):
            stop = hits[order + 1].line if order + 1 < len(hits) else len(lines)
            body = "\n".join(line.text for line in lines[hit.line + 1: stop])
            sdef = match_section(hit.title, fmt)
            sections.append(Section(sdef.key if sdef else None, f"{hit.numeral}、{hit.title}", body, order,
                                    hit.numeral, lines[hit.line].locator.line or hit.line + 1))
        return preamble, _dedupe_keys(sections)
    text = "\n".join(line.text for line in lines)
    inline = _inline_headings(text, fmt)
    if len(inline) < 3:
        return text, []
    preamble = text[: inline[0].start]
    sections = []
    for order, hit in enumerate(inline):
        stop = inline[order + 1].start if order + 1 < len(inline) else len(text)
        sdef = match_section(hit.title, fmt)
        sections.append(Section(sdef.key if sdef else None, f"{hit.numeral}、{hit.title}",
                                text[hit.end: stop].strip(), order, hit.numeral, None))
    return preamble, _dedupe_keys(sections)


def _dedupe_keys(sections: list[Section]) -> list[Section]:
    """A key names one section: a later heading matching a key already taken keeps no key."""
    seen: set[str] = set()
    out = []
    for section in sections:
        if section.key in seen:
            section = Section(None, section.heading, section.text, section.order, section.number, section.line)
        elif section.key:
            seen.add(section.key)
        out.append(section)
    return out
