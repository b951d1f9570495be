"""Reading arithmetic out of sentences: totals and their parts, percentages, rates, budgets.

Old-shape reports state all their numbers this way, and the prose of every format states some. These
are readings of the text; the rules in `rules/prose_arithmetic.py` and `rules/budget.py` judge them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ogi.checks.registry import per_report
from ogi.ingest.numbers import NumberMatch, find_numbers, normalize
from ogi.model import Fact, Report

# Units that count the same thing and so can be added together: 条 and 件 both count documents or
# requests ("主动公开信息2026条…文件46件"), 人次 and 次 both count visits.
UNIT_FAMILIES = {"人次": "次", "次": "次", "件次": "件", "件": "件", "条": "件", "个": "个", "份": "份", "项": "项",
                 "元": "元"}
_SUBHEADING = re.compile(r"（[一二三四五六七八九十]+）|\n")
_PERCENT_AFTER = re.compile(
    r"^[，,]?\s*[^0-9，,。；;]{0,8}?(?:占|比例为|比重为|占比)[^0-9。；;]{0,6}?(\d+(?:\.\d+)?)\s*[%％]"
)
_BREAKDOWN_WINDOW = 160
_LIST_WINDOW = 600  # one sentence of a list, however long; past that a list is not read to its end
_HEAD_WINDOW = 80
# What introduces the parts of a stated total, and whether the parts it introduces are all of them:
# 其中/主要 name some (a subset may sum to less), 分别为/包括 name each part (the sum is the total).
_INTRODUCER = re.compile(r"主要(?:是|有|为|包括)|其中|分别为|分别是|包括")
INTRODUCED_ALL = ("分别为", "分别是", "包括")
# "共" as "in all", not inside a word: 公共卫生, 公共资源交易, 共享, 共同, 共产党 name categories.
_IN_ALL = r"(?<!公)共(?![同享产建])"
# A total the parts of 分别为/包括 belong to is stated as one: "共…", "…总数…", "合计…".
_TOTAL_MARK = re.compile(_IN_ALL + r"|总数|总量|合计|总计|累计")
# A count restating a total inside the list ("…，已全部办结10件") is not one more part.
_RESTATEMENT = re.compile(_IN_ALL + r"|合计|总计|累计|全部|均已|总数")
# Categories that together are everything counted: the 2008 Regulation sorts all information an organ
# makes or obtains into these three (制作、获取政府信息总数 = 主动公开 + 依申请公开 + 不予公开).
EXHAUSTIVE_CATEGORIES = (("主动公开", "依申请公开", "不予公开"),)
_SENTENCE_BREAK = re.compile("[。；;！!？?\n]")
_OPEN, _CLOSE = "（(", "）)"


def unit_family(unit: str | None) -> str | None:
    return UNIT_FAMILIES.get(unit or "")


@dataclass(frozen=True)
class Part:
    fact: Fact
    percent: Decimal | None  # "占总数的50%" stated right after the part
    percent_raw: str | None

    @property
    def percent_base(self) -> str:
        """What the share names as its base ("占申请总数的40%" → "申请"); "" for the total itself."""
        return share_base(self.percent_raw)


@dataclass(frozen=True)
class Breakdown:
    """A stated total and the parts listed after it ("共…13万多人次。其中…80560次，…48489次").

    `exhaustive` names why the parts are all of the total (the introducer "分别为", or categories that
    cover everything), or is None when they may be a subset ("其中…"). `catch_all` is the phrase of a
    last part that counts "the rest" ("其他类97条"), which makes even a 其中 list the whole of the total.
    """

    total: Fact
    parts: tuple[Part, ...]
    section: str | None
    exhaustive: str | None = None
    catch_all: str | None = None  # the last part, "其他类…", that takes in whatever the others leave

    @property
    def parts_sum(self) -> Decimal:
        return sum((p.fact.value for p in self.parts), Decimal(0))

    @property
    def approximate(self) -> bool:
        """A part written "约300条" or "1200多条" makes the sum approximate."""
        return any(p.fact.qualifier for p in self.parts)


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


_SHARE_OF = re.compile(r"(?:占比|占|比例为|比重为)([^0-9]*?)\d")
# Words around a share's base that name no other figure: "占总数的", "占全部的", "占比为".
_GENERIC_BASE = re.compile(r"总数|总量|总额|全部|所有|总|比例|比重|的|为|约|近|达|了|是")


def share_base(percent_raw: str | None) -> str:
    """The figure a share says it is a share of, when it names one: "，占申请总数的40%" → "申请";
    "" for "占73%" or "占总数的50%" (the total the count is a part of)."""
    m = _SHARE_OF.search(percent_raw or "")
    return _GENERIC_BASE.sub("", m.group(1)).strip() if m else ""


def _open_bracket(text: str, start: int, end: int) -> int | None:
    """Where the bracket still open at `end` was opened (searching from `start`), or None."""
    depth: list[int] = []
    for i in range(start, end):
        if text[i] in _OPEN:
            depth.append(i)
        elif text[i] in _CLOSE and depth:
            depth.pop()
    return depth[-1] if depth else None


def _bracketed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The outermost bracketed spans between start and end: a nested breakdown's own details."""
    spans: list[tuple[int, int]] = []
    depth, opened = 0, start
    for i in range(start, end):
        if text[i] in _OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif text[i] in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
    if depth:
        spans.append((opened, end))
    return spans


def _head(text: str, at: int, introducer: str) -> tuple[int, NumberMatch] | None:
    """The stated total the parts introduced at `at` belong to: the last count before it in its sentence.

    "…3978条，其中…" and "…3978条。其中…" (其中 opening the next sentence); for 分别为/包括 the total
    must be stated as one in its own clause ("共收到…10件", "…总数3978条").
    """
    lo = max(0, at - _HEAD_WINDOW)
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, lo, at)]
    start = breaks[-1] if breaks else lo
    if introducer == "其中" and breaks and not text[start:at].strip(" ，,：:"):
        start = breaks[-2] if len(breaks) > 1 else lo  # "。其中": the total closed the sentence before
    numbers = [n for n in find_numbers(text[start:at]) if unit_family(n.unit)]
    if not numbers:
        return None
    head = numbers[-1]
    if introducer in INTRODUCED_ALL:
        clause = text[start: start + head.start]
        if not _TOTAL_MARK.search(clause[max(clause.rfind(c) for c in "，,；;：:") + 1:]):
            return None
    return start, head


@per_report
def find_breakdowns(report: Report) -> list[Breakdown]:
    """Totals followed by their parts ("其中", "分别为", "包括", "主要是") counted in the same unit, totals
    that frame a list ("在…的1913条政府信息中，…133条；…"), and totals followed by counts of categories
    that together are everything counted."""
    found: list[Breakdown] = []
    for key, text in report.prose_texts():
        if not text:
            continue
        for m in _INTRODUCER.finditer(text):
            head_at = _head(text, m.start(), m.group())
            if head_at is None:
                continue
            offset, head = head_at
            family = unit_family(head.unit)
            window_end = _window_end(text, m.start(), m.end())
            total = _fact(text, head.value * head.sign, head.unit, head.qualifier, offset + head.start,
                          head.raw, key)
            parts, catch_all = _parts_until_total(text, m.end(), window_end, family, total)
            if len(parts) >= 2:
                exhaustive = m.group() if m.group() in INTRODUCED_ALL else _categories(parts)
                if exhaustive == "包括" and _ETC.match(text, parts[-1].fact.position + len(parts[-1].fact.raw)):
                    exhaustive = _categories(parts)  # "包括…等": some of them
                found.append(Breakdown(total, tuple(parts), key, exhaustive, catch_all))
        found.extend(_framed_lists(report, text, key, found))
        found.extend(_category_totals(text, key, found))
    return found


# "在…主动公开的1913条政府信息中，": a total that frames the list which follows it in its sentence.
_FRAME = re.compile(r"在([^，,。；;：:！!？?\n]{0,60}?)中[，,：:]")
_FRAME_END = re.compile(r"[。！!？?\n]")
# What a frame counts: documents or requests, whose kinds do not overlap ("在60个单位中" may count
# units twice: "50个单位开通网站，40个单位开通微博").
_FRAMED_NOUN = re.compile(r"[^\d]{0,4}(?:信息|文件|申请)")
_FRAME_WINDOW = 600


def _framed_lists(report: Report, text: str, section: str | None, found: list[Breakdown]) -> list[Breakdown]:
    """Lists framed by the total they are part of ("在…的1913条政府信息中，A 133条，占6.95%；B …"):
    read like a 其中 list (a subset of the total), up to the end of the frame's sentence."""
    out: list[Breakdown] = []
    seen = {b.total.position for b in found if b.section == section}
    outcomes = find_request_outcomes(report) if section == "requests" else None
    for m in _FRAME.finditer(text):
        numbers = [n for n in find_numbers(m.group(1)) if unit_family(n.unit) == "件"]
        if not numbers:
            continue
        head = numbers[-1]
        noun = m.group(1)[head.end:]
        at = m.start(1) + head.start
        if at in seen or not _FRAMED_NOUN.fullmatch(noun):
            continue
        if outcomes is not None and outcomes.total.position == at:
            continue  # "在已答复的2件申请中": the requests' outcomes, read by find_request_outcomes
        stop = _FRAME_END.search(text, m.end())
        heading = _SUBHEADING.search(text, m.end())
        window_end = min(stop.start() if stop else len(text), heading.start() if heading else len(text),
                         m.end() + _FRAME_WINDOW)
        total = _fact(text, head.value * head.sign, head.unit, head.qualifier, at, head.raw, section)
        total = replace(total, what=(m.group(1)[: head.start] + noun).strip())
        parts, catch_all = _parts_until_total(text, m.end(), window_end, unit_family(head.unit), total)
        if len(parts) >= 2:
            out.append(Breakdown(total, tuple(parts), section, _categories(parts), catch_all))
            seen.add(at)
    return out


_ETC = re.compile(r"\s*(?:的)?(?:信息|政府信息|文件)?\s*等")


def _window_end(text: str, start: int, end: int) -> int:
    """Where the parts introduced at [start, end) can end: the bracket they sit in closes, the section's
    next sub-heading, a further unbracketed 其中 (a breakdown of its own), or 160 characters on."""
    opened = _open_bracket(text, max(0, start - _HEAD_WINDOW), start)
    if opened is not None:
        close = min((i for i in (text.find(c, end) for c in _CLOSE) if i >= 0), default=len(text))
        return close
    stop = _SUBHEADING.search(text, end)
    reach = end + _BREAKDOWN_WINDOW
    # A long list of categories ("包括A 1条；B 1条；…其他194条。", a dozen clauses) is read to its sentence's end:
    # cut at a fixed width it would be summed short of its total.
    sentence = _FRAME_END.search(text, end, end + _LIST_WINDOW)
    if sentence is not None:
        reach = max(reach, sentence.start())
    window_end = min(len(text), reach, stop.start() if stop else len(text))
    pos = end
    while (nxt := text.find("其中", pos, window_end)) >= 0:
        if _open_bracket(text, end, nxt) is None:
            return nxt
        pos = nxt + 2
    return window_end


def _categories(parts: list[Part]) -> str | None:
    """The exhaustive categories the parts are, each part one of them and all of them named; or None."""
    for categories in EXHAUSTIVE_CATEGORIES:
        named = [next((c for c in categories if c in p.fact.what), None) for p in parts]
        if None not in named and set(named) == set(categories) and len(named) == len(categories):
            return "、".join(categories)
    return None


_CATEGORY_TOTAL = re.compile(r"总数|总量|共计|合计")


def _category_totals(text: str, section: str | None, found: list[Breakdown]) -> list[Breakdown]:
    """A total ("制作、获取政府信息总数3978条") whose following sentences count every category of an
    exhaustive set, without an introducer ("。主动公开…2026条，依申请公开…46条，不予公开…1854条")."""
    out: list[Breakdown] = []
    seen = {b.total.position for b in found if b.section == section}
    for mark in _CATEGORY_TOTAL.finditer(text):
        sentence_end = _SENTENCE_BREAK.search(text, mark.end())
        clause_end = sentence_end.start() if sentence_end else len(text)
        numbers = [n for n in find_numbers(text[mark.end(): min(clause_end, mark.end() + 12)]) if unit_family(n.unit)]
        if not numbers:
            continue
        head = numbers[0]
        at = mark.end() + head.start
        if at in seen:
            continue
        window_end = _window_end(text, at, mark.end() + head.end)
        total = _fact(text, head.value * head.sign, head.unit, head.qualifier, at, head.raw, section)
        parts, _ = _parts_until_total(text, mark.end() + head.end, window_end, unit_family(head.unit), total,
                                      keep_going=True)
        parts = [p for p in parts if any(c in p.fact.what for cats in EXHAUSTIVE_CATEGORIES for c in cats)]
        exhaustive = _categories(parts)
        if exhaustive is not None:
            out.append(Breakdown(total, tuple(parts), section, exhaustive))
            seen.add(at)
    return out


def _parts_until_total(text: str, start: int, end: int, family: str | None, total: Fact,
                       keep_going: bool = False) -> tuple[list[Part], str | None]:
    """Parts sentence by sentence: the 其中 sentence, then following ones only while they continue its list;
    with the catch-all part that ends the list ("其他类97条"), or None.

    The parts may run over into the next sentence ("…1592条，占76.9%。各乡镇…477条"), but an unrelated
    count a sentence later ("专栏访问量为753次") must not be added in. A clause after "；" continues the
    list while it fits the total; a sentence after "。" continues it only when its parts are worded like
    the last one and the total ("各乡镇主动公开政府信息534条" after "区直各单位主动公开政府信息1397条",
    of "主动公开政府信息1913条"), and then even beyond the total. Nothing continues a list after its
    catch-all part ("其他类97条；办理依申请公开1件").
    Counts in brackets are a part's own details, and a count that restates a total ("已全部办结10件") is
    not a part. `keep_going` reads every sentence of the window (the caller keeps the parts it
    recognises).
    """
    value, section = total.value, total.section
    parts: list[Part] = []
    running = Decimal(0)
    sentence_start = start
    skipped = _bracketed(text, start, end)
    closed: Part | None = None  # the catch-all part, once read
    for boundary in [*(m.end() for m in re.finditer("[。；]", text[start:end])), end - start]:
        sentence_end = start + boundary
        found = []
        for n in find_numbers(text[sentence_start:sentence_end]):
            at = sentence_start + n.start
            if unit_family(n.unit) != family or any(lo <= at < hi for lo, hi in skipped):
                continue
            # A part's phrase begins after the word that introduced the list ("(其中机构职能类信息82条").
            fact = _fact(text, n.value * n.sign, n.unit, n.qualifier, at, n.raw, section, floor=start)
            if _RESTATEMENT.search(fact.what):
                if keep_going:
                    continue
                break
            percent, percent_raw = _percent_after(text, sentence_start + n.end)
            found.append(Part(fact, percent, percent_raw))
        # "…，其他类97条；…": a catch-all closes the list, but only as the last part of its clause
        # ("其它公开答复数2条，免于公开答复数2条" names one more).
        last_what = found[-1].fact.what if found and not keep_going else ""
        catch_all = last_what if _CATCH_ALL.match(last_what) else None
        added = sum((p.fact.value for p in found), Decimal(0))
        if closed is not None:
            # After the catch-all, a clause of the same sentence that counts in the very same unit and still
            # fits is one more item ("其他应主动公开的政府信息194条；在…专题专栏公开信息10条。" of 254); a
            # new unit or subject is not ("其他类97条；办理依申请公开1件").
            same_unit = found and all(p.fact.unit == closed.fact.unit for p in found)
            if not same_unit or text[sentence_start - 1] != "；" or running + added > value:
                return parts, closed.fact.what
        if not keep_going and parts and not found:
            break
        if not keep_going and parts:
            # After "；" the list goes on while it fits; a new sentence ("。") must go on with its wording.
            parallel = _continues_list(total, parts[-1], found) and not _CLAUSE_BREAK.search(
                text, sentence_start, found[0].fact.position)  # "区直单位中，区财政局…": a part's own parts
            if not parallel and (text[sentence_start - 1] == "。" or running + added > value):
                break
        parts.extend(found)
        running += added
        sentence_start = sentence_end
        if catch_all is not None and closed is None:
            closed = found[-1]
        if not keep_going and running >= value:
            break
    return parts, closed.fact.what if closed is not None else None


# A part that counts whatever the others leave out ("其他类97条", "其他应主动公开政府信息1053条").
# "其他重要信息" is one more kind, not the rest; "其他结果" (a table 四 column) is followed by 尚未审结.
_CATCH_ALL = re.compile(r"(?:以及|及|和|与)?其[他它](?:类|应|方式|形式|渠道|途径|信息|政府信息|$)")
# A phrase naming a time or a total, not a subject a list could go on with ("2011年…", "累计…").
_NOT_A_SUBJECT = re.compile(r"\d|年|月|同比|较|累计|" + _IN_ALL + r"|合计|总|全部")
_SHARED_NOUN = 4


def _continues_list(total: Fact, last: Part, found: list[Part]) -> bool:
    """Whether the parts of a further sentence go on with the list: each names its own subject and then
    the noun the last part and the total both end with ("各乡镇 | 主动公开政府信息534条")."""
    if not found:
        return False
    for part in found:
        tail = _common_tail(part.fact.what, last.fact.what)
        if len(tail) < _SHARED_NOUN or tail not in total.what:
            return False
        for what in (part.fact.what, last.fact.what):
            subject = what[: len(what) - len(tail)]
            if not subject or _NOT_A_SUBJECT.search(subject):
                return False
    return True


def _common_tail(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[len(a) - 1 - n] == b[len(b) - 1 - n]:
        n += 1
    return a[len(a) - n:]


# How far back a number's phrase is looked for (a clause is shorter; the whole text is not searched).
_PHRASE_WINDOW = 120


def _fact(text: str, value: Decimal, unit: str | None, qualifier: str | None, start: int, raw: str,
          section: str | None, floor: int = 0) -> Fact:
    """The fact of a number: the phrase before it back to its clause's start (not before `floor`)."""
    lo = max(floor, start - _PHRASE_WINDOW)
    left = max(lo - 1, *(text.rfind(c, lo, start) for c in "。；\n，,：:"))
    what = text[left + 1: start].strip(" “”\"'").removeprefix("其中")
    if not what and floor:
        return _fact(text, value, unit, qualifier, start, raw, section)  # "分别为4件": the phrase is before
    return Fact(what, value, unit, qualifier, start, raw, section, text[max(0, left + 1): start + len(raw)])


# --- rates ("办结率100%") ------------------------------------------------------------------------------

# A completion or reply rate stated on its own ("，办结率100%"), not of a subset ("即办件办结率",
# "按时办结率": their counts are not stated, so they are not read).
_RATE = re.compile(
    r"(?:(?<=[，,；;：:。\s])|^)(办结|答复|回复)率(?:为|达|达到|是)?\s*(\d+(?:\.\d+)?)\s*%(?!\s*(?:以上|左右))"
)
# The words that name a rate's numerator in its clause, and those of the base it is a rate of.
_RATE_STEMS = {"办结": ("办结", "办理完毕", "处理完毕"), "答复": ("答复", "回复"), "回复": ("答复", "回复")}
_RATE_BASE = re.compile(r"受理|收到|接收|接到|收件|申请")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。\n]")


@dataclass(frozen=True)
class Rate:
    """A stated rate and the two counts before it in its sentence ("受理117件，办结171件，办结率100%")."""

    word: str  # 办结率
    percent: Decimal
    percent_raw: str
    numerator: Fact
    denominator: Fact
    base_word: str  # 受理
    sentence: str
    section: str | None


def _clause_before(sentence: str, start: int) -> str:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)]
    return sentence[breaks[-1] if breaks else 0: start]


@per_report
def find_rates(report: Report) -> list[Rate]:
    """Rates whose numerator and base are both counted in the same sentence, before the rate."""
    out: list[Rate] = []
    for key, text in report.prose_texts():
        if "率" not in text:
            continue
        for sentence in re.split(r"(?<=[。；;\n])", normalize(text)):
            for m in _RATE.finditer(sentence):
                rate = _rate(sentence, m, key)
                if rate is not None:
                    out.append(rate)
    return out


def _rate(sentence: str, m: re.Match[str], section: str | None) -> Rate | None:
    stems = _RATE_STEMS[m.group(1)]
    counts = [n for n in find_numbers(sentence[: m.start()]) if unit_family(n.unit) and n.sign > 0]
    numerator = next((n for n in reversed(counts) if any(w in _clause_before(sentence, n.start) for w in stems)),
                     None)
    if numerator is None or numerator.qualifier:
        return None
    base: tuple[NumberMatch, str] | None = None
    for count in reversed([c for c in counts if c.end <= numerator.start]):
        clause = _clause_before(sentence, count.start)
        found = _RATE_BASE.search(clause)
        if found is not None and not any(w in clause for w in stems):
            base = (count, found.group())
            break
    if base is None or base[0].qualifier or unit_family(base[0].unit) != unit_family(numerator.unit):
        return None
    n, word = base
    return Rate(m.group(1) + "率", Decimal(m.group(2)), m.group(2) + "%",
                _fact(sentence, numerator.value, numerator.unit, None, numerator.start, numerator.raw, section),
                _fact(sentence, n.value, n.unit, None, n.start, n.raw, section), word, sentence.strip(), section)


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
