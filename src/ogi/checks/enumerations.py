"""Stated counts of named things: "全文包括……共六个部分", "共12大类", "以下三个方面：一是……二是……".

A claim is read with the items it counts, and the number of items is given as a range when the
list can be split more than one way: "因政府信息公开申请行政复议、提起行政诉讼的情况" is one part
though it holds a "、"; "存在的主要问题及改进措施" is one part though it holds a "及". A claim is
contradicted only when its number lies outside every reading of the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ogi.checks.registry import per_report
from ogi.ingest.numbers import chinese_numeral_to_int, find_numbers, normalize
from ogi.model import Report

_NUMERAL = r"[一二两三四五六七八九十]+|\d+"
# "全文包括 A、B、C 共六个部分", "本报告由 A、B 和 C 等六部分组成": the items come before the number,
# after the words that open the list (found backwards from the claim, so a long line is scanned once).
_PARTS_CLAIM = re.compile(rf"(?:共|等|计|合计)\s*(?P<n>{_NUMERAL})\s*(?:个)?\s*(?P<what>部分|方面|章节)")
_PARTS_LIST_OPENS = re.compile(r"(?:全文|本报告|报告|本年度报告)[^。；;，,]{0,6}?(?:包括|包含|由|分为)")
# "本报告共分六个部分，分别是/包括：A、B、C。": the items come after.
_PARTS_BEFORE_LIST = re.compile(
    rf"(?:全文|本报告|报告|本年度报告)[^。；;，,]{{0,4}}?(?:共|分为|共分为?|包括)\s*(?P<n>{_NUMERAL})\s*(?:个)?\s*"
    r"(?P<what>部分|方面|章节)[，,\s]*(?:(?:分别是|分别为|包括|即|依次为)[：:]?|[：:])\s*(?P<items>[^。]{4,300})"
)
# "主动公开的信息共分12大类：A、B……", "分为机构职能、政策法规……等6大类".
_CLASSES_BEFORE_LIST = re.compile(
    rf"(?:共|分为|共分为?)\s*(?P<n>{_NUMERAL})\s*(?:个)?\s*(?P<what>大类|类别)[，,\s]*"
    r"(?:(?:分别是|分别为|包括|即)[：:]?|[：:])\s*(?P<items>[^。]{4,400})"
)
# "分为机构职能、政策法规……等12大类": the classes come before the number.
_CLASSES_AFTER_LIST = re.compile(
    rf"(?:包括|分为|涵盖|涉及)(?P<items>[^。；;]{{4,200}}?)(?:等|共|计)\s*(?P<n>{_NUMERAL})\s*(?:个)?\s*(?P<what>大类|类别)"
)
# "主要做了以下三个方面的工作：一是……二是……": counted by the ordinals that follow in the paragraph.
_ORDINAL_CLAIM = re.compile(rf"(?:以下|如下|下列)?\s*(?P<n>{_NUMERAL})\s*(?:个|项)?\s*(?P<what>方面|项工作|项措施|项)")
_ORDINAL = re.compile(r"(?<![一二三四五六七八九十])([一二三四五六七八九十]+)是")

# A part's name ends in one of these; a fragment that does not ("因…申请行政复议") runs on into the next.
_HEAD_WORDS = ("情况", "措施", "概述", "事项", "统计表", "附表", "附件", "说明", "部分", "内容", "问题", "工作",
               "建议", "计划", "表", "总结", "目录", "指南")
# Joined words that name one part ("复议、诉讼情况", "问题及改进措施", "支出与收费"): never two items.
_COMPOUND = re.compile(
    r"复议[、和及与或]\s*(?:提起)?\s*(?:行政)?诉讼|收费[、和及与]\s*减免|支出[、和及与]\s*收费|经费[、和及与]\s*收费"
    r"|问题[、和及与]\s*(?:改进|整改)|回应[、和及与]\s*解读|解读[、和及与]\s*回应|收到[、和及与]\s*处理"
    r"|咨询[、和及与]\s*(?:处理|答复)|机构建设[、和及与]\s*保障经费[、和及与]\s*培训会议|依申请公开[、和及与]\s*不予公开"
    r"|工作考核[、和及与]\s*社会评议[、和及与]\s*责任追究"
)
_PRIMARY = re.compile(r"[、，,；;]")
_CONJUNCTION = re.compile(r"以及|及其|和|及|与")
_LIST_END = re.compile(r"等(?:内容|方面|部分)?$")


@dataclass(frozen=True)
class CountClaim:
    """A stated number of items, the items read for it, and how many items the list can be."""

    claim: str  # "共六个部分"
    stated: int
    items: tuple[str, ...]  # the list as most plainly read
    low: int
    high: int
    sentence: str
    section: str | None

    @property
    def contradicted(self) -> bool:
        return not self.low <= self.stated <= self.high


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else chinese_numeral_to_int(word)


def _protect(text: str) -> str:
    """The list with the joiners inside compound names replaced, so no split happens there."""
    return _COMPOUND.sub(lambda m: re.sub(r"[、，,]|以及|及其|和|及|与", "\x00", m.group()), text)


def _fragments(items: str, pattern: re.Pattern[str]) -> list[str]:
    protected = _protect(items)
    out, pos = [], 0
    for m in pattern.finditer(protected):
        out.append(items[pos: m.start()])
        pos = m.end()
    out.append(items[pos:])
    return [f.strip(" ：:“”\"") for f in out if f.strip(" ：:“”\"")]


def _has_head(fragment: str) -> bool:
    return fragment.endswith(_HEAD_WORDS)


def _range_of_parts(items: str) -> tuple[tuple[str, ...], int, int]:
    """(items as read, fewest, most) for a list of report parts."""
    primary = _fragments(items, _PRIMARY)
    most = sum(len(_fragments(f, _CONJUNCTION)) for f in primary)
    merged: list[str] = []
    carry = ""
    for fragment in primary:
        carry = f"{carry}、{fragment}" if carry else fragment
        if _has_head(carry):
            merged.append(carry)
            carry = ""
    if carry:
        merged.append(carry)
    # The plainest reading: each merged item, split at a last "和/以及" that joins two named parts.
    read: list[str] = []
    for item in merged:
        pieces = _fragments(item, _CONJUNCTION)
        if len(pieces) > 1 and all(_has_head(p) for p in pieces):
            read.extend(pieces)
        else:
            read.append(item)
    return tuple(read), len(merged), max(most, len(read))


def _range_of_classes(items: str) -> tuple[tuple[str, ...], int, int] | None:
    """Categories with a count each are counted by their counts; others only bound the number from above."""
    pieces = _fragments(items, _PRIMARY)
    counted = [p for p in pieces if any(n.unit in _CLASS_UNITS for n in find_numbers(p))]
    if len(counted) >= 2:
        return tuple(counted), len(counted), len(pieces)
    if len(pieces) < 2:
        return None
    most = sum(len(_fragments(f, _CONJUNCTION)) for f in pieces)
    return tuple(pieces), 1, most


_CLASS_UNITS = frozenset({"条", "件", "个", "项", "份"})


def _ordinal_run(text: str) -> int:
    """How many ordinals run on from 一是: 一是…二是…三是… → 3 (0 when there is no 一是)."""
    expected = 1
    for m in _ORDINAL.finditer(text):
        value = chinese_numeral_to_int(m.group(1))
        if value == expected:
            expected += 1
        elif value == 1 and expected > 1:
            break  # a second list starts
    return expected - 1


@per_report
def find_count_claims(report: Report) -> list[CountClaim]:
    """Every stated count of parts, aspects or classes whose items can be read."""
    out: list[CountClaim] = []
    for key, raw in report.prose_texts():
        if not raw:
            continue
        text = normalize(raw)
        for line in text.split("\n"):
            out.extend(_line_claims(line, key))
    return out


def _parts_after_list(line: str) -> Iterator[tuple[re.Match[str], str, int]]:
    """(claim, items, where the sentence starts) for "全文包括 A、B、C 共六个部分"."""
    for claim in _PARTS_CLAIM.finditer(line):
        lo = max(0, claim.start() - 300, line.rfind("。", 0, claim.start()) + 1)
        opens = list(_PARTS_LIST_OPENS.finditer(line, lo, claim.start()))
        if opens:
            yield claim, line[opens[-1].end(): claim.start()], opens[-1].start()


def _lists_first(line: str) -> Iterator[tuple[re.Match[str], str, int]]:
    """(claim, items, where the sentence starts) for the patterns whose claim comes first or spans the list."""
    for pattern, words in _PATTERN_WORDS:
        if any(w in line for w in words):
            for m in pattern.finditer(line):
                yield m, m.group("items"), m.start()


@lru_cache(maxsize=4096)  # preambles repeat their template sentences across a batch
def _line_claims(line: str, section: str | None) -> tuple[CountClaim, ...]:
    out: list[CountClaim] = []
    taken: list[tuple[int, int]] = []
    parts = _parts_after_list(line) if _PARTS_CLAIM.search(line) else iter(())
    for m, raw_items, start in (*parts, *_lists_first(line)):
        stated = _number(m.group("n"))
        if stated is None or stated < 2 or any(lo <= m.start("n") < hi for lo, hi in taken):
            continue
        items = _LIST_END.sub("", raw_items.strip(" ：:，,"))
        if m.group("what") in ("大类", "类别"):
            ranged = _range_of_classes(items)
            if ranged is None:
                continue
            read, low, high = ranged
        else:
            read, low, high = _range_of_parts(items)
        if len(read) < 2:
            continue
        taken.append((start, m.end()))
        out.append(CountClaim(line[m.start("n"): m.end("what")], stated, read, low, high, _sentence(line, start),
                              section))
    for m in _ORDINAL_CLAIM.finditer(line) if "一是" in line else ():
        stated = _number(m.group("n"))
        if stated is None or stated < 2 or any(lo <= m.start() < hi for lo, hi in taken):
            continue
        # The list must follow the claim at once ("以下三个方面：一是……"), not a sentence later.
        first = line.find("一是", m.end(), m.end() + 40)
        if first < 0 or _SENTENCE_END.search(line, m.end(), first):
            continue
        found = _ordinal_run(line[first:])
        if found < 2:
            continue
        ordinals = tuple(f"{_cn(i + 1)}是" for i in range(found))
        out.append(CountClaim(line[m.start("n"): m.end("what")], stated, ordinals, found, found,
                              _sentence(line, m.start()), section))
    return tuple(out)


_SENTENCE_END = re.compile("[。；;]")
# Words each pattern needs in a line (a cheap test before the pattern's scan).
_PATTERN_WORDS = ((_PARTS_BEFORE_LIST, ("部分", "方面", "章节")), (_CLASSES_BEFORE_LIST, ("大类", "类别")),
                  (_CLASSES_AFTER_LIST, ("大类", "类别")))


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")


def _sentence(line: str, at: int) -> str:
    left = max(line.rfind(c, 0, at) for c in "。；;") + 1
    ends = [i for i in (line.find(c, at) for c in "。；;") if i >= 0]
    return line[left: min(ends) + 1 if ends else len(line)].strip()
