"""Number facts from the prose: every counted or priced number with the phrase that names it."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ogi.ingest.numbers import find_numbers
from ogi.model import Fact, Section

# Units that make a number a fact worth checking; years, dates and phone numbers are not.
FACT_UNITS: frozenset[str | None] = frozenset(
    {"件", "条", "次", "人次", "件次", "个", "份", "项", "人", "篇", "期", "场", "家", "名", "户", "页", "元", "%", "‰"}
)
_SENTENCE_BREAK = re.compile(r"[。；;！!？?\n]")
# The end of the last clause (sentence) break before a position: `.*` backtracks from the end, in C.
_LAST_CLAUSE_BREAK = re.compile(r".*[，,。；;：:！!？?\n（(]", re.DOTALL)
_LAST_SENTENCE_BREAK = re.compile(r".*[。；;！!？?\n]", re.DOTALL)
_LEAD_WORDS = re.compile(r"^(?:其中|共计|共|累计|合计|总计|全年|本年度|本年|今年|另有|此外|并|和|及|与)+")


def _phrase_before(text: str, start: int) -> str:
    """The clause before a number, without leading filler: "业务培训费", "咨询电话接听"."""
    head = text[max(0, start - 40): start]
    last_break = _LAST_CLAUSE_BREAK.match(head)
    phrase = head[last_break.end() if last_break else 0:].strip(" “”\"'")
    return _LEAD_WORDS.sub("", phrase).strip()


def _sentence_at(text: str, start: int) -> str:
    last_break = _LAST_SENTENCE_BREAK.match(text, 0, start)
    left = last_break.end() if last_break else 0
    right_match = _SENTENCE_BREAK.search(text, start)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip()


# (what, value, unit, qualifier, position in the line, raw, sentence) of one fact.
_LineFact = tuple[str, Decimal, str | None, str | None, int, str, str]


@lru_cache(maxsize=16384)  # prose lines can be long: a bounded set of the recurring ones
def _line_facts(line: str) -> tuple[_LineFact, ...]:
    """The facts of one line of text; lines (template sentences above all) recur across a batch."""
    out = []
    for number in find_numbers(line, FACT_UNITS):
        out.append((_phrase_before(line, number.start), number.value * number.sign, number.unit,
                    number.qualifier, number.start, number.raw, _sentence_at(line, number.start)))
    return tuple(out)


_new = object.__new__
_set_attr = object.__setattr__


def extract_facts(text: str, section: str | None = None) -> list[Fact]:
    """Every fact of the text, line by line: a number, its phrase and its sentence never span a newline
    (it breaks clauses and sentences, and no number pattern crosses it), so each line is read alone.

    Each Fact is built from its field dict (in field order, as its __init__ would) without the frozen
    dataclass's eight object.__setattr__ calls."""
    facts = []
    offset = 0
    for line in text.split("\n"):
        for what, value, unit, qualifier, position, raw, sentence in _line_facts(line):
            fact = _new(Fact)
            _set_attr(fact, "__dict__", {"what": what, "value": value, "unit": unit, "qualifier": qualifier,
                                         "position": position + offset, "raw": raw, "section": section,
                                         "sentence": sentence})
            facts.append(fact)
        offset += len(line) + 1
    return facts


def section_facts(sections: list[Section], preamble: str) -> list[Fact]:
    facts = extract_facts(preamble, None)
    for section in sections:
        facts.extend(extract_facts(section.text, section.key))
    return facts
