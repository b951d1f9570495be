"""Number facts stated in the prose about requests, reviews and lawsuits, and what the tables say.

"本年度共收到政府信息公开申请26件，其中予以公开20件，占76.9%" yields two statements: (received, 26)
and (granted, 20, percent 76.9). A statement's topic is the nearest keyword before its number in the
same clause; the tables give each topic's value (one, or several for ambiguous words: "受理" is read
both as new requests and as new plus carried-over ones, SPEC §3.5). Categories named together
("予以公开及部分公开42件") make one joined topic, "granted+partially_granted", whose value is the sum of
their cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ogi.checks.cells import cell_number, fmt_number
from ogi.checks.registry import per_report
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
# The numbers a sentence's statements are read from (the others are skipped, and change nothing).
_READ_UNITS: frozenset[str | None] = _COUNT_UNITS | {"%", None}
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n（(、]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_SHARE_WORDS = re.compile(r"占|比例|比重|比率|占比")
_KEYWORDS = sorted(((k, t) for t, (ks, _, _) in TOPICS.items() for k in ks), key=lambda kt: -len(kt[0]))
_KEYWORD_TOPIC = dict(_KEYWORDS)
_NOT_KEYWORD_AFTER = {"受理": ("举报", "投诉", "咨询")}
_ANY_KEYWORD = re.compile("|".join(re.escape(k) for k, _ in _KEYWORDS))
# Topics whose counts add up to a count of both ("不予公开和无法提供的共15件"); 收到/受理/办结 do not
# (a request received is also answered), so a number after them joined is read as no statement.
_ADDITIVE = frozenset({"granted", "partially_granted", "denied", "unavailable", "not_processed", "carried_over",
                       "review", "litigation"})
_KEYWORD_ALT = "|".join(re.escape(k) for k, _ in _KEYWORDS)
# Categories named together right before a count: "予以公开及部分公开", "行政复议、行政诉讼案件共".
_JOINED = re.compile(
    rf"((?:{_KEYWORD_ALT})(?:\s*(?:以及|及其|及|和|与|、|或者|或)\s*(?:{_KEYWORD_ALT}))+)([^，,；;：:。\d]{{0,8}})$"
)
# Where the words before a count start: a clause break other than "、" (which joins categories).
_LAST_STRONG_BREAK = re.compile(r".*[，,；;：:。！？!?\n（(]", re.DOTALL)
JOIN = "+"


def topic_parts(topic: str) -> tuple[str, ...]:
    """The topics a (possibly joined) topic counts: "granted+partially_granted" → both."""
    return tuple(topic.split(JOIN))


def topic_names(topic: str) -> tuple[str, str]:
    """(Chinese, English) name of a topic; joined topics as the text names them together."""
    parts = topic_parts(topic)
    return "及".join(TOPICS[p][1] for p in parts), " + ".join(TOPICS[p][2] for p in parts)


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


@lru_cache(maxsize=4096)
def _topic_before(clause: str) -> str | None:
    """The topic of the keyword nearest the end of the clause (the one the number belongs to).

    Cached: the clauses before a count ("全年新收政府信息公开申请") repeat from report to report.
    """
    if _ANY_KEYWORD.search(clause) is None:
        return None
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
    if best is not None and best[1] == "processed" and clause.endswith("答复", 0, best[0]):
        # "同意公开答复 9 件": 答复 right after an outcome names the kind of answer, not the answers counted.
        before = clause[: best[0] - 2].rstrip()
        kind = next((t for w, t in _KEYWORDS if before.endswith(w)), None)
        if kind is not None and kind != "processed":
            return kind
    return best[1] if best else None


@per_report
def find_statements(report: Report) -> list[Statement]:
    """Every counted statement about a topic of TOPICS, in reading order (shared: do not change the list)."""
    out: list[Statement] = []
    for section, text in report.prose_texts():
        if text:
            out.extend(_text_statements(text, section))
    return out


def _text_statements(text: str, section: str | None) -> Iterator[Statement]:
    """The statements of the sentences (as `_SENTENCE` splits them) that name a topic.

    Most sentences name none: the keywords are searched in the whole text, and only a sentence
    holding one is cut out and read.
    """
    pos = 0
    while (keyword := _ANY_KEYWORD.search(text, pos)) is not None:
        at = keyword.start()
        # A sentence runs from just after the last terminator before it to the next terminator, which
        # it keeps unless that is a line break. Keywords hold no terminator.
        last_stop = _LAST_TERMINATOR.match(text, pos, at)
        start = last_stop.end() if last_stop else pos
        stop = _TERMINATOR.search(text, at)
        end = len(text) if stop is None else stop.end() if stop.group() != "\n" else stop.start()
        sentence = text[start:end].strip()
        # A statement needs a counted number, and a count needs its unit or 起/宗/例 written after it.
        if _COUNT_MARK.search(sentence):
            yield from _sentence_statements(sentence, section)
        pos = end


# The end of the last terminator before a position: `.*` backtracks from the end, in C.
_LAST_TERMINATOR = re.compile("(?s:.*)[。；;！!？?\n]")
_TERMINATOR = re.compile("[。；;！!？?\n]")
_COUNT_MARK = re.compile("[件条个起宗例]")
# The end of the last clause break before a position: `.*` backtracks from the end, in C.
_LAST_CLAUSE_BREAK = re.compile(r".*[，,；;：:。！？!?\n（(、]", re.DOTALL)


def _joined_topics(sentence: str, start: int) -> tuple[tuple[str, ...], str] | None:
    """The categories named together right before a count at `start`, and the words between them and it.

    None when the count follows one category (or none): the clause's nearest keyword decides then.
    """
    cut = _LAST_STRONG_BREAK.match(sentence, 0, start)
    head = sentence[cut.end() if cut else 0: start]
    m = _JOINED.search(head)
    if m is None or _ANY_KEYWORD.search(m.group(2)):
        return None
    topics: list[str] = []
    for keyword in _ANY_KEYWORD.findall(m.group(1)):
        topic = _KEYWORD_TOPIC[keyword]
        if topic not in topics:
            topics.append(topic)
    return (tuple(topics), m.group(2)) if len(topics) > 1 else None


@lru_cache(maxsize=4096)
def _sentence_statements(sentence: str, section: str | None) -> tuple[Statement, ...]:
    """The statements of one sentence (frozen, so shared). Cached: "结转下年度继续办理0件。" recurs across reports."""
    if _ITEMS_BY_ATTRIBUTE.search(sentence):
        return ()
    numbers = find_numbers(sentence, _READ_UNITS)
    last: Statement | None = None
    last_end = 0
    pending: list[Statement] = []
    respective: list[str] = []  # "予以公开、部分公开分别为22件、20件": the topics the next counts belong to
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
        cut = _LAST_CLAUSE_BREAK.match(sentence, 0, number.start)
        clause = sentence[cut.end() if cut else 0: number.start]
        topic: str | None
        joined = _joined_topics(sentence, number.start)
        if joined is not None:
            topics, between = joined
            if "各" in between:
                respective = []
                continue  # "行政复议和行政诉讼各1件": each, not together
            if "分别" in between:
                topic, respective = topics[0], list(topics[1:])
            elif all(t in _ADDITIVE for t in topics):
                topic, respective = JOIN.join(topics), []
            else:
                respective = []
                continue
        elif respective and _ANY_KEYWORD.search(clause) is None:
            topic = respective.pop(0)
        else:
            respective = []
            topic = _topic_before(clause)
        if topic is None or (topic in _NEEDS_REQUEST_WORD and "申请" not in sentence):
            continue
        if topic in ("review", "litigation") and "复议" in clause and "诉讼" in clause:
            continue  # "被申请行政复议或提起行政诉讼3件": not one topic
        last = Statement(topic, number.value, number.raw, sentence, section, approx=number.approx)
        last_end = number.end
        pending.append(last)
    return tuple(pending)


_CLAUSE_BREAK_STRONG = re.compile(r"[；;。]")
# A sentence that counts information items by disclosure attribute, the old classification still kept in
# some reports ("制发政府信息378条，其中主动公开125条、依申请公开176条、不予公开77条"): its 不予公开 counts
# items, not requests, and its shares are of the items, so it states nothing about tables 三 and 四.
_ITEMS_BY_ATTRIBUTE = re.compile(r"依申请公开(?:的)?(?:政府)?(?:信息)?(?:数量?|总数)?(?:为|共|有)?\s*\d+\s*条")


# ---------------------------------------------------------------------------------------------------
# What the tables say.


_APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")


def _row_total(table: Table, row: str) -> Decimal | None:
    """A row's 总计, or the sum of its applicant columns when 总计 is blank."""
    total = cell_number(table, row, "total")
    if total is not None:
        return total
    parts = [cell_number(table, row, c) for c in _APPLICANTS]
    numbers = [p for p in parts if p is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def _rows_total(table: Table, rows: list[str]) -> Decimal | None:
    values = [_row_total(table, r) for r in rows]
    numbers = [v for v in values if v is not None]
    return sum(numbers, Decimal(0)) if numbers else None


@per_report
def _request_rows(report: Report) -> list[str]:
    """The row keys table 三 has, sorted (shared)."""
    requests = report.tables.get("requests")
    return sorted({r for r, _ in requests.cells}) if requests is not None else []


def _prefixed(report: Report, prefix: str) -> list[str]:
    """Table 三's rows under `prefix` ("denied."), sorted."""
    return [r for r in _request_rows(report) if r.startswith(prefix)]


@dataclass(frozen=True)
class Reading:
    """One way to read a topic off the tables: its value and what it was computed from."""

    value: Decimal
    zh: str
    en: str
    # A joined topic's value is a sum: each term's (reading, value), so a message can name both sides.
    terms: tuple[Reading, ...] = ()

    def said(self) -> tuple[str, str]:
        """(Chinese, English) words for the reading: "本年新收 304", "予以公开 272 + 部分公开 3 = 275"."""
        if not self.terms:
            return f"{self.zh} {fmt_number(self.value)}", f"{self.en} {fmt_number(self.value)}"
        zh = " + ".join(t.said()[0] for t in self.terms) + f" = {fmt_number(self.value)}"
        en = " + ".join(t.said()[1] for t in self.terms) + f" = {fmt_number(self.value)}"
        return zh, en


@per_report
def table_readings(report: Report, topic: str) -> list[Reading]:
    """The values a topic may mean in the report's tables (empty when the tables lack them; shared).

    A joined topic reads as the sum of its parts' first readings (its additive parts have one each).
    """
    parts = topic_parts(topic)
    if len(parts) > 1:
        terms = [table_readings(report, p) for p in parts]
        if not all(terms):
            return []
        firsts = tuple(t[0] for t in terms)
        zh, en = topic_names(topic)
        return [Reading(sum((r.value for r in firsts), Decimal(0)), zh, en, firsts)]
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
            add(_rows_total(requests, _prefixed(report, topic + ".")), TOPICS[topic][1], TOPICS[topic][2])
    elif topic in ("review", "litigation") and appeals is not None:
        if topic == "review":
            add(cell_number(appeals, "review", "total"), "行政复议总计", "reviews in total")
        else:
            direct = cell_number(appeals, "litigation_direct", "total")
            after = cell_number(appeals, "litigation_after_review", "total")
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
