"""Reading the old shape's arithmetic out of sentences: totals, their parts, percentages, budgets.

These are interpretations of the Facts the reader extracted; the rules in `rules/prose_rules.py`
and `rules/budget.py` judge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ogi.checks.registry import per_report
from ogi.ingest.numbers import find_numbers, normalize
from ogi.model import Fact, Report

# Units that count the same thing and so can be added together.
UNIT_FAMILIES = {"人次": "次", "次": "次", "件次": "件", "件": "件", "条": "条", "个": "个", "份": "份", "项": "项",
                 "元": "元"}
_SUBHEADING = re.compile(r"（[一二三四五六七八九十]+）|\n")
_PERCENT_AFTER = re.compile(
    r"^[，,]?\s*[^0-9，,。；;]{0,8}?(?:占|比例为|比重为|占比)[^0-9。；;]{0,6}?(\d+(?:\.\d+)?)\s*[%％]"
)
_BREAKDOWN_WINDOW = 160


def unit_family(unit: str | None) -> str | None:
    return UNIT_FAMILIES.get(unit or "")


@dataclass(frozen=True)
class Part:
    fact: Fact
    percent: Decimal | None  # "占总数的50%" stated right after the part
    percent_raw: str | None


@dataclass(frozen=True)
class Breakdown:
    """A stated total and the parts listed after it ("共…13万多人次。其中…80560次，…48489次")."""

    total: Fact
    parts: tuple[Part, ...]
    section: str | None

    @property
    def parts_sum(self) -> Decimal:
        return sum((p.fact.value for p in self.parts), Decimal(0))


# What `normalize` turns into "%": a share is stated only where one of these is written.
_PERCENT_SIGN = re.compile("[%％\ufe6a]")


def states_percentages(report: Report) -> bool:
    """Whether the prose writes a percent sign anywhere; without one no Part has a `percent`."""
    return any(_PERCENT_SIGN.search(text) for _, text in report.prose_texts())


def _percent_after(text: str, end: int) -> tuple[Decimal | None, str | None]:
    # Full-width digits and points ("１８．４％") read like their ASCII forms.
    m = _PERCENT_AFTER.match(normalize(text[end: end + 24]))
    if not m:
        return None, None
    return Decimal(m.group(1)), m.group(0)


@per_report
def find_breakdowns(report: Report) -> list[Breakdown]:
    """Totals followed by "其中" and parts counted in the same unit."""
    found: list[Breakdown] = []
    for key, text in report.prose_texts():
        for m in re.finditer("其中", text):
            numbers = [n for n in find_numbers(text[max(0, m.start() - 80): m.start()]) if unit_family(n.unit)]
            if not numbers:
                continue
            head = numbers[-1]
            offset = max(0, m.start() - 80)
            family = unit_family(head.unit)
            stop = _SUBHEADING.search(text, m.end())
            window_end = min(len(text), m.end() + _BREAKDOWN_WINDOW, stop.start() if stop else len(text))
            # A further "其中" starts a breakdown of its own.
            nxt = text.find("其中", m.end(), window_end)
            if nxt >= 0:
                window_end = nxt
            parts = _parts_until_total(text, m.end(), window_end, family, head.value * head.sign, key)
            if len(parts) >= 2:
                total = _fact(text, head.value * head.sign, head.unit, head.qualifier, offset + head.start,
                              head.raw, key)
                found.append(Breakdown(total, tuple(parts), key))
    return found


def _parts_until_total(text: str, start: int, end: int, family: str | None, total: Decimal,
                       section: str | None) -> list[Part]:
    """Parts sentence by sentence: the 其中 sentence, then following ones only while they still fit the total.

    The parts may run over into the next sentence ("…1592条，占76.9%。各乡镇…477条"), but an unrelated
    count a sentence later ("专栏访问量为753次") must not be added in.
    """
    parts: list[Part] = []
    running = Decimal(0)
    sentence_start = start
    for boundary in [*(m.end() for m in re.finditer("[。；]", text[start:end])), end - start]:
        sentence_end = start + boundary
        found = []
        for n in find_numbers(text[sentence_start:sentence_end]):
            if unit_family(n.unit) != family:
                continue
            at = sentence_start + n.start
            percent, percent_raw = _percent_after(text, sentence_start + n.end)
            found.append(Part(_fact(text, n.value * n.sign, n.unit, n.qualifier, at, n.raw, section),
                              percent, percent_raw))
        added = sum((p.fact.value for p in found), Decimal(0))
        if parts and (not found or running + added > total):
            break
        parts.extend(found)
        running += added
        sentence_start = sentence_end
        if running >= total:
            break
    return parts


def _fact(text: str, value: Decimal, unit: str | None, qualifier: str | None, start: int, raw: str,
          section: str | None) -> Fact:
    left = max(text.rfind(c, 0, start) for c in "。；\n，,：:")
    return Fact(text[left + 1: start].strip(" “”\"'"), value, unit, qualifier, start, raw, section,
                text[max(0, left + 1): start + len(raw)])


# --- requests handled (old shape: outcomes in sentences) -------------------------------------------

_OUTCOME_TOTAL = re.compile(
    r"(?:在已答复的|已答复的|答复的|共(?:受理|收到|接到|接收)|(?:受理|收到|接到|接收)[^。；，,]{0,24}?申请(?:共|总数为|数量为)?)"
    r"\s*(\d+)\s*件"
)
_QUOTED_OUTCOME = re.compile(r"[“\"「『]([^“”\"」』]{2,24})[”\"“」』]\s*(?:的|共|为)?\s*(\d+)\s*件")
_OUTCOME_WORDS = re.compile(
    r"(同意公开|予以公开|同意部分公开|部分公开|不予公开|非本机关职责[^\d，,。]{0,8}|信息不存在|不属于[^\d，,。]{0,12}|"
    r"申请内容不明确|其他)[^\d，,。；]{0,4}?(\d+)\s*件"
)


@dataclass(frozen=True)
class Outcomes:
    total: Fact
    parts: tuple[Part, ...]


@per_report
def find_request_outcomes(report: Report) -> Outcomes | None:
    """The stated number of requests answered and the count per outcome, from the requests section."""
    section = report.section("requests")
    if section is None or not section.text.strip():
        return None
    text = section.text
    totals = list(_OUTCOME_TOTAL.finditer(text))
    if not totals:
        return None
    # The last statement before the outcome list is the one the parts add up to ("在已答复的2件申请中").
    parts: list[Part] = []
    for pattern in (_QUOTED_OUTCOME, _OUTCOME_WORDS):
        for m in pattern.finditer(text):
            if any(p.fact.position == m.start(2) for p in parts):
                continue
            percent, percent_raw = _percent_after(text, m.end())
            parts.append(Part(Fact(m.group(1), Decimal(m.group(2)), "件", None, m.start(2), m.group(0),
                                   "requests", m.group(0)), percent, percent_raw))
        if parts:
            break
    if not parts:
        return None
    first_part = min(p.fact.position for p in parts)
    before = [t for t in totals if t.start(1) < first_part] or totals
    t = before[-1]
    total = Fact(t.group(0), Decimal(t.group(1)), "件", None, t.start(1), t.group(0), "requests", t.group(0))
    return Outcomes(total, tuple(sorted(parts, key=lambda p: p.fact.position)))


# --- money ------------------------------------------------------------------------------------------

_BUDGET = re.compile(r"预算")
_SPENT = re.compile(r"(?:实际)?支出")
_STATED_SPENT = re.compile(r"(?:实际支出|共支出|支出合计|合计支出|总支出|合计)(?:为|共|总计|金额)?\s*$")


@dataclass(frozen=True)
class Spending:
    budget: Fact | None
    items: tuple[Fact, ...]
    stated_total: Fact | None
    sentence: str
    section: str | None


_YUAN: frozenset[str | None] = frozenset({"元"})


@per_report
def find_spending(report: Report) -> Spending | None:
    """The budget, the itemised spending and any stated total, from the sentence(s) about money."""
    for key, text in report.prose_texts():
        for sentence in re.split(r"(?<=[。；\n])", text):
            if not (_BUDGET.search(sentence) or _SPENT.search(sentence)):
                continue
            money = find_numbers(sentence, _YUAN)
            if not money:
                continue
            budget = stated = None
            items: list[Fact] = []
            spent_at = _SPENT.search(sentence)
            for n in money:
                fact = _fact(sentence, n.value * n.sign, "元", n.qualifier, n.start, n.raw, key)
                before = sentence[: n.start]
                if budget is None and _BUDGET.search(before[-12:]) :
                    budget = fact
                elif _STATED_SPENT.search(before[-8:]):
                    stated = fact
                elif spent_at is not None and n.start > spent_at.start():
                    items.append(fact)
            if budget is not None or items:
                return Spending(budget, tuple(items), stated, sentence.strip(), key)
    return None


def decimals_of(raw: str) -> int:
    m = re.search(r"\.(\d+)", raw)
    return len(m.group(1)) if m else 0
