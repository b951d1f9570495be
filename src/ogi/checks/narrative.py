"""Number facts stated in the prose about requests, reviews and lawsuits, and what the tables say.

"本年度共收到政府信息公开申请26件，其中予以公开20件，占76.9%" yields two statements: (received, 26)
and (granted, 20, percent 76.9). A statement's topic is the nearest keyword before its number in the
same clause; the tables give each topic's value (one, or several for ambiguous words: "受理" is read
both as new requests and as new plus carried-over ones, SPEC §3.5).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ogi.ingest.numbers import find_numbers
from ogi.model import Report, Table

# topic -> (keywords, Chinese name, English name). Order matters only for equal-position ties.
TOPICS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "received": (("新收", "收到", "接收到", "接到"), "收到申请", "requests received"),
    "accepted": (("受理",), "受理申请", "requests accepted"),
    "processed": (("办结", "答复", "办理完毕", "处理完毕", "作出答复"), "办结（答复）", "requests answered"),
    "granted": (("予以公开", "同意公开"), "予以公开", "granted"),
    "partially_granted": (("部分公开",), "部分公开", "partially granted"),
    "denied": (("不予公开",), "不予公开", "denied"),
    "unavailable": (("无法提供",), "无法提供", "unavailable"),
    "not_processed": (("不予处理",), "不予处理", "not processed"),
    "carried_over": (("上年结转", "上年度结转", "上一年度结转", "上一年结转"), "上年结转", "carried over"),
    "carried_forward": (("结转下年", "结转至下", "结转到下", "转入下一年", "结转下一年", "结转至20", "结转到20"),
                        "结转下年度", "carried forward"),
    "review": (("行政复议",), "行政复议", "administrative reviews"),
    "litigation": (("行政诉讼",), "行政诉讼", "lawsuits"),
    # Words that shadow 行政复议/行政诉讼 in "行政复议结果维持1件": stated, but not compared.
    "upheld": (("维持",), "结果维持", "upheld"),
    "corrected": (("纠正",), "结果纠正", "corrected"),
    "pending": (("尚未审结", "未审结", "审理中"), "尚未审结", "pending"),
}
COMPARED = ("received", "accepted", "processed", "granted", "partially_granted", "denied", "unavailable",
            "not_processed", "carried_over", "carried_forward", "review", "litigation")
# Topics about requests are read only in sentences that speak of requests.
_NEEDS_REQUEST_WORD = frozenset({"received", "accepted", "processed"})
_COUNT_UNITS = frozenset({"件", "条", "个"})
_COUNT_AFTER = ("起", "宗", "例")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n（(、]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_SHARE_WORDS = re.compile(r"占|比例|比重|比率|占比")
_KEYWORDS = sorted(((k, t) for t, (ks, _, _) in TOPICS.items() for k in ks), key=lambda kt: -len(kt[0]))
_NOT_KEYWORD_AFTER = {"受理": ("举报", "投诉", "咨询")}
_ANY_KEYWORD = re.compile("|".join(re.escape(k) for k, _ in _KEYWORDS))


@dataclass(frozen=True)
class Statement:
    """A count the prose states about a topic, with the percentage stated next to it if any."""

    topic: str
    value: Decimal
    raw: str
    sentence: str
    section: str | None
    percent: Decimal | None = None
    percent_raw: str | None = None
    approx: bool = False


def _topic_before(clause: str) -> str | None:
    """The topic of the keyword nearest the end of the clause (the one the number belongs to)."""
    best: tuple[int, str] | None = None
    for word, topic in _KEYWORDS:
        at = clause.rfind(word)
        if at < 0:
            continue
        blocked = _NOT_KEYWORD_AFTER.get(word)
        if blocked and any(b in clause[at: at + len(word) + 4] for b in blocked):
            continue
        end = at + len(word)
        if best is None or end > best[0]:
            best = (end, topic)
    return best[1] if best else None


# C101 and C102 read the same report one after the other: keep the last report's statements.
_LAST: list[tuple[Report, list[Statement]]] = []


def find_statements(report: Report) -> list[Statement]:
    """Every counted statement about a topic of TOPICS, in reading order."""
    if _LAST and _LAST[0][0] is report:
        return _LAST[0][1]
    out = _find_statements(report)
    _LAST[:] = [(report, out)]
    return out


def _find_statements(report: Report) -> list[Statement]:
    out: list[Statement] = []
    for section, text in report.prose_texts():
        if not text:
            continue
        for m in _SENTENCE.finditer(text):
            # Most sentences name no topic at all; only those that do are worth reading numbers from.
            if _ANY_KEYWORD.search(m.group()):
                out.extend(_sentence_statements(m.group().strip(), section))
    return out


def _sentence_statements(sentence: str, section: str | None) -> Iterator[Statement]:
    numbers = find_numbers(sentence)
    last: Statement | None = None
    last_end = 0
    pending: list[Statement] = []
    for number in numbers:
        if number.unit == "%":
            between = sentence[last_end: number.start]
            if last is not None and _SHARE_WORDS.search(between) and not _CLAUSE_BREAK_STRONG.search(between):
                last = Statement(last.topic, last.value, last.raw, last.sentence, last.section,
                                 number.value, number.raw, last.approx)
                pending[-1] = last
            continue
        counted = number.unit in _COUNT_UNITS or (
            number.unit is None and sentence[number.end: number.end + 1] in _COUNT_AFTER)
        if not counted or number.sign < 0 or number.multiplier != 1:
            continue
        head = sentence[: number.start]
        cut = max((b.end() for b in _CLAUSE_BREAK.finditer(head)), default=0)
        clause = head[cut:]
        topic = _topic_before(clause)
        if topic is None or (topic in _NEEDS_REQUEST_WORD and "申请" not in sentence):
            continue
        if topic in ("review", "litigation") and "复议" in clause and "诉讼" in clause:
            continue  # "行政复议和行政诉讼各1件": not one topic
        last = Statement(topic, number.value, number.raw, sentence, section, approx=number.approx)
        last_end = number.end
        pending.append(last)
    yield from pending


_CLAUSE_BREAK_STRONG = re.compile(r"[；;。]")


# ---------------------------------------------------------------------------------------------------
# What the tables say.


def _row_total(table: Table, row: str) -> Decimal | None:
    """A row's 总计, or the sum of its applicant columns when 总计 is blank."""
    total = table.value(row, "total")
    if total is not None:
        return total
    parts = [table.value(row, c) for c in ("natural_person", "commercial", "research", "public_interest",
                                           "legal_services", "other_org")]
    numbers = [p for p in parts if p is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def _rows_total(table: Table, rows: list[str]) -> Decimal | None:
    values = [_row_total(table, r) for r in rows]
    numbers = [v for v in values if v is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def _prefixed(table: Table, prefix: str) -> list[str]:
    return sorted({r for r, _ in table.cells if r.startswith(prefix)})


@dataclass(frozen=True)
class Reading:
    """One way to read a topic off the tables: its value and what it was computed from."""

    value: Decimal
    zh: str
    en: str


def table_readings(report: Report, topic: str) -> list[Reading]:
    """The values a topic may mean in the report's tables (empty when the tables lack them)."""
    requests = report.tables.get("requests")
    appeals = report.tables.get("appeals")
    out: list[Reading] = []

    def add(value: Decimal | None, zh: str, en: str) -> None:
        if value is not None and all(r.value != value for r in out):
            out.append(Reading(value, zh, en))

    if topic in ("received", "accepted", "processed", "granted", "partially_granted", "denied", "unavailable",
                 "not_processed", "carried_over", "carried_forward"):
        if requests is None:
            return []
        new = _row_total(requests, "new_received")
        carried = _row_total(requests, "carried_over")
        if topic in ("received", "accepted"):
            add(new, "本年新收", "new requests")
            if new is not None and carried:
                add(new + carried, "本年新收+上年结转", "new + carried over")
        elif topic == "processed":
            add(_row_total(requests, "total_processed"), "办理结果总计", "total processed")
        elif topic in ("granted", "partially_granted", "carried_over", "carried_forward"):
            add(_row_total(requests, topic), TOPICS[topic][1], TOPICS[topic][2])
        else:
            add(_rows_total(requests, _prefixed(requests, topic + ".")), TOPICS[topic][1], TOPICS[topic][2])
    elif topic in ("review", "litigation") and appeals is not None:
        if topic == "review":
            add(appeals.value("review", "total"), "行政复议总计", "reviews in total")
        else:
            direct = appeals.value("litigation_direct", "total")
            after = appeals.value("litigation_after_review", "total")
            if direct is not None or after is not None:
                add((direct or Decimal(0)) + (after or Decimal(0)), "行政诉讼总计", "lawsuits in total")
    return out


def share_denominators(report: Report) -> list[Reading]:
    """What "占…%" may be a share of: requests handled, new requests, or new plus carried over."""
    requests = report.tables.get("requests")
    if requests is None:
        return []
    out: list[Reading] = []
    for value, zh, en in (
        (_row_total(requests, "total_processed"), "办理结果总计", "total processed"),
        (_row_total(requests, "new_received"), "本年新收", "new requests"),
    ):
        if value:
            out.append(Reading(value, zh, en))
    new, carried = _row_total(requests, "new_received"), _row_total(requests, "carried_over")
    if new and carried:
        out.append(Reading(new + carried, "本年新收+上年结转", "new + carried over"))
    return out


# "均获维持", "全部维持", "均被维持", "均胜诉".
ALL_UPHELD = re.compile(r"(?:均|全部|都|皆|全都)(?:已)?(?:获|被|予以|得到|获得|依法)?(?:维持|胜诉)")
# "未发生…行政复议", "没有…诉讼": the clause states there were none.
NONE_CLAIMED = re.compile(
    r"(?:未发生|没有发生|未发现|未出现|没有出现|未有|没有|未收到|无)(?!法)[^，,。；;\d]{0,25}?(?:行政复议|行政诉讼|复议|诉讼)"
)


def appeal_kinds(text: str) -> tuple[str, ...]:
    """Which table 四 groups a phrase speaks of: 复议 → review, 诉讼 → the lawsuits, both when unclear."""
    review = "复议" in text
    litigation = "诉讼" in text
    if review and not litigation:
        return ("review",)
    if litigation and not review:
        return ("litigation_direct", "litigation_after_review")
    return ("review", "litigation_direct", "litigation_after_review")
