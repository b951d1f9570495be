"""Narrative against the tables (C101–C104): what the prose says about requests, reviews and lawsuits
must agree with tables 三 and 四. Warnings: prose is read by pattern, so a human confirms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ogi.checks.cells import cell_number, fmt_number, table_absent
from ogi.checks.narrative import (
    ALL_UPHELD,
    COMPARED,
    NONE_CLAIMED,
    TOPICS,
    Reading,
    Statement,
    appeal_kinds,
    find_statements,
    share_denominators,
    table_readings,
)
from ogi.checks.prose import decimals_of
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Severity, Table

_BASIS = "《条例》第五十条；年度报告的数据应当准确、前后一致（《条例》第四十七条）"
_FORMATS = ("2019", "2021")


def _readings_text(readings: list[Reading]) -> tuple[str, str]:
    zh = "、".join(f"{r.zh} {fmt_number(r.value)}" for r in readings)
    en = ", ".join(f"{r.en} {fmt_number(r.value)}" for r in readings)
    return zh, en


@rule("C101", Category.CONSISTENCY, Severity.WARNING, title="正文数字与统计表不符",
      title_en="Numbers in the text contradict the tables", basis=_BASIS, formats=_FORMATS,
      messages={
          "default": ("正文称{topic} {stated} 件（“{sentence}”），表格为 {readings}",
                      "The text states {topic_en} = {stated} ('{sentence}'), the tables say {readings_en}"),
          "ambiguous": ("正文称{topic} {stated} 件（“{sentence}”），与表格的“{matched}”相符；但“{word}”也可理解为"
                        "{other}，口径不明确",
                        "The text states {topic_en} = {stated} ('{sentence}'), which matches {matched_en}; the "
                        "word can also mean {other_en}: ambiguous"),
      })
def narrative_matches_tables(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    正文（总体情况等部分）中关于申请和复议诉讼的数字与表三、表四一致：收到/新收/受理申请数、办结（答复）数、
    予以公开、部分公开、不予公开、无法提供、不予处理、上年结转、结转下年度、行政复议和行政诉讼件数。
    “受理”有两种理解（本年新收，或本年新收加上年结转）：符合任一种即不算矛盾，只提示口径不明确。
    Counts stated in the prose equal the tables; "受理" may mean new requests or new plus carried over.

    为什么重要：
    正文与表格矛盾时，读者不知道哪个数字可信（如正文“受理2件”，表格为 3 件）。

    不合规示例：
    正文“本年度共收到政府信息公开申请2件”，表三“本年新收”总计为 3。

    合规示例：
    正文“本年度共收到政府信息公开申请3件”，表三“本年新收”总计为 3。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条、第五十条。
    """
    report = ctx.report
    if "requests" not in report.tables and "appeals" not in report.tables:
        raise table_absent(report, ctx.fmt, ("requests", "appeals"),
                           ("未找到表三、表四，无从核对", "tables 三 and 四 were not found"))
    checked = 0
    seen: set[tuple[str, Decimal]] = set()
    for statement in find_statements(report):
        if statement.topic not in COMPARED or statement.approx:
            continue
        readings = table_readings(report, statement.topic)
        if not readings:
            continue
        checked += 1
        if (statement.topic, statement.value) in seen:
            continue
        seen.add((statement.topic, statement.value))
        matched = [r for r in readings if r.value == statement.value]
        if not matched:
            zh, en = _readings_text(readings)
            yield ctx.finding(readings=zh, readings_en=en, expected=_plain(readings[0].value),
                              **_statement_words(statement))
        elif len(readings) > 1 and (statement.topic == "accepted" or matched[0] is not readings[0]):
            others = [r for r in readings if r is not matched[0]]
            zh, en = _readings_text(others)
            word = "受理" if statement.topic == "accepted" else "收到"
            yield ctx.finding("ambiguous", severity=Severity.INFO, matched=matched[0].zh, matched_en=matched[0].en,
                              other=zh, other_en=en, word=word, expected=_plain(matched[0].value),
                              **_statement_words(statement))
    if checked == 0:
        raise CannotCheck("正文中没有可与表格核对的申请、复议或诉讼件数",
                          "the text states no request, review or lawsuit counts to compare")


def _statement_words(statement: Statement) -> dict[str, Any]:
    """What every C101 finding says of its statement (built only for a finding)."""
    _, topic_zh, topic_en = TOPICS[statement.topic]
    return dict(topic=topic_zh, topic_en=topic_en, stated=fmt_number(statement.value),
                sentence=_clip(statement.sentence), actual=_plain(statement.value),
                location=Location(section=statement.section, text=statement.sentence))


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _clip(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


@rule("C102", Category.CONSISTENCY, Severity.WARNING, title="正文百分比与统计表不符",
      title_en="Percentages in the text do not match the tables", basis=_BASIS, formats=_FORMATS,
      messages={"default": ("正文称{topic} {stated} 件“占{percent}%”，按表三计算应为 {expected}%（{base}）",
                            "The text puts {topic_en} ({stated}) at {percent}%; from table 三 it is {expected}% "
                            "({base_en})")})
def narrative_percentages(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    正文中“予以公开××件，占××%”之类的占比，以表三的办理结果总计（或本年新收、新收加结转）为分母重新计算，
    误差不超过所写最后一位的半个单位；符合任一分母即通过。
    A share stated in the prose equals the count over a table total (within half a unit of its last digit).

    为什么重要：
    百分比错误会误导读者（如写 33.9%，按表格计算为 258/805 = 32.0%）。

    不合规示例：
    表三办理结果总计 805；正文“予以公开258件，占33.9%”。

    合规示例：
    正文“予以公开258件，占32.0%”。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条、第五十条。
    """
    denominators = share_denominators(ctx.report)
    if not denominators:
        raise CannotCheck("表三没有可作分母的总数", "table 三 gives no total to compute shares from")
    checked = 0
    for statement in find_statements(ctx.report):
        if statement.percent is None or statement.percent_raw is None:
            continue
        checked += 1
        places = decimals_of(statement.percent_raw)
        tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
        fits = [d for d in denominators if abs(statement.value * 100 / d.value - statement.percent) <= tolerance]
        if fits:
            continue
        base = denominators[0]
        computed = round(statement.value * 100 / base.value, max(places, 1))
        _, topic_zh, topic_en = TOPICS[statement.topic]
        yield ctx.finding(topic=topic_zh, topic_en=topic_en, stated=fmt_number(statement.value),
                          percent=statement.percent, expected=float(computed), actual=float(statement.percent),
                          base=f"{fmt_number(statement.value)}/{fmt_number(base.value)}，分母为{base.zh}",
                          base_en=f"{fmt_number(statement.value)}/{fmt_number(base.value)} of {base.en}",
                          location=Location(section=statement.section, text=statement.sentence))
    if checked == 0:
        raise CannotCheck("正文中没有与件数并列的百分比", "the text states no share next to a count")


def _group_sum(table: Table, groups: tuple[str, ...], column: str) -> Decimal:
    total = Decimal(0)
    for group in groups:
        value = cell_number(table, group, column)
        if value is None and column == "total":
            parts = [cell_number(table, group, c) for c in ("upheld", "corrected", "other", "pending")]
            value = sum((p for p in parts if p is not None), Decimal(0))
        total += value or Decimal(0)
    return total


def _clause_around(text: str, start: int, end: int) -> str:
    left = max((text.rfind(ch, 0, start) for ch in "。；;\n"), default=-1) + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    return text[left: min(rights) + 1 if rights else len(text)].strip()


@rule("C103", Category.CONSISTENCY, Severity.WARNING, title="复议诉讼结果的表述与表四不符",
      title_en="Statements on reviews and lawsuits contradict table 四", basis=_BASIS, formats=_FORMATS,
      messages={
          "upheld": ("正文称“{phrase}”，但表四{kinds}有尚未审结 {pending} 件、结果纠正 {corrected} 件",
                     "The text says '{phrase}', but table 四 shows {pending} pending and {corrected} corrected "
                     "({kinds_en})"),
          "none": ("正文称“{phrase}”，但表四{kinds}共有 {total} 件",
                   "The text says '{phrase}', but table 四 shows {total} cases ({kinds_en})"),
      })
def appeals_statements(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    正文说“均获维持”“全部维持”，表四中相应的复议或诉讼就不能有“尚未审结”或“结果纠正”；
    正文说“未发生行政复议、行政诉讼”，表四相应总计就应为 0。
    "All upheld" is false while cases are pending or corrected; "none" is false when table 四 counts some.

    为什么重要：
    对复议诉讼结果的不实表述会掩盖行政机关被纠错的情况。

    不合规示例：
    正文“被申请行政复议2件，均获维持”，表四行政复议：结果维持 1，尚未审结 1。

    合规示例：
    正文“被申请行政复议2件，维持1件，尚未审结1件”。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条、第五十条。
    """
    appeals = ctx.report.tables.get("appeals")
    if appeals is None:
        raise _no_appeals(ctx)
    found = 0
    for section, text in ctx.report.prose_texts():
        # Each pattern names what it speaks of: a text without those words holds no match.
        upheld = ALL_UPHELD.finditer(text) if "维持" in text or "胜诉" in text else ()
        none_claimed = NONE_CLAIMED.finditer(text) if "复议" in text or "诉讼" in text else ()
        for m in upheld:
            found += 1
            sentence = _clause_around(text, m.start(), m.end())
            at = sentence.find(m.group())
            groups = appeal_kinds(_subject(sentence, at + len(m.group()) if at >= 0 else len(sentence)))
            pending = _group_sum(appeals, groups, "pending")
            corrected = _group_sum(appeals, groups, "corrected")
            if pending or corrected:
                kinds, kinds_en = _kinds_words(groups)
                yield ctx.finding("upheld", phrase=m.group(), kinds=kinds, kinds_en=kinds_en,
                                  pending=fmt_number(pending), corrected=fmt_number(corrected),
                                  expected="尚未审结 0、结果纠正 0", actual=f"尚未审结 {pending}、结果纠正 {corrected}",
                                  location=Location(section=section, text=sentence))
        for m in none_claimed:
            clause = _clause_around(text, m.start(), m.end())
            tail = text[m.end(): m.end() + 20]
            if any(w in clause or w in tail.split("，")[0] for w in ("纠错", "纠正", "败诉", "撤销", "维持")):
                continue  # "无行政复议被纠错" speaks of outcomes, not of cases
            found += 1
            groups = appeal_kinds(m.group())
            total = _group_sum(appeals, groups, "total")
            if total:
                kinds, kinds_en = _kinds_words(groups)
                yield ctx.finding("none", phrase=m.group(), kinds=kinds, kinds_en=kinds_en, total=fmt_number(total),
                                  expected=0, actual=_plain(total), location=Location(section=section, text=clause))
    if not found:
        raise CannotCheck("正文没有“均获维持”或“未发生复议诉讼”之类的表述",
                          "the text makes no 'all upheld' or 'no reviews or lawsuits' statement")


def _subject(sentence: str, end: int) -> str:
    """The clause a statement at `end` speaks of: the nearest one before it naming 复议 or 诉讼."""
    clauses = re.split(r"[，,；;]", sentence[:end])
    for clause in reversed(clauses):
        if "复议" in clause or "诉讼" in clause:
            return clause
    return sentence


def _kinds_words(groups: tuple[str, ...]) -> tuple[str, str]:
    if groups == ("review",):
        return "行政复议", "administrative reviews"
    if "review" not in groups:
        return "行政诉讼", "lawsuits"
    return "行政复议和行政诉讼", "reviews and lawsuits"


@rule("C104", Category.CONSISTENCY, Severity.INFO, title="表四有复议诉讼但正文未提及",
      title_en="Reviews or lawsuits in table 四 not mentioned in the text", basis=_BASIS, formats=_FORMATS,
      messages={"default": ("表四有行政复议、行政诉讼共 {total} 件，但正文没有任何说明",
                            "Table 四 counts {total} reviews and lawsuits, but the text never mentions them")})
def appeals_mentioned(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表四有行政复议或行政诉讼案件时，正文（总体情况或第四部分）宜简要说明，如案件数量和结果。
    When table 四 counts cases, the text says something about them.

    为什么重要：
    复议诉讼是公众关心的内容，只有表格数字而没有说明，读者难以了解情况。

    不合规示例：
    表四行政复议尚未审结 1 件，正文通篇未提及复议或诉讼。

    合规示例：
    “本年度因政府信息公开被申请行政复议1件，目前尚未审结。”

    依据：
    《中华人民共和国政府信息公开条例》第五十条第（三）项。
    """
    appeals = ctx.report.tables.get("appeals")
    if appeals is None:
        raise _no_appeals(ctx)
    total = _group_sum(appeals, ("review", "litigation_direct", "litigation_after_review"), "total")
    if not total:
        return
    prose = "\n".join(text for _, text in ctx.report.prose_texts())
    if "复议" not in prose and "诉讼" not in prose:
        yield ctx.finding(total=fmt_number(total), expected="正文说明复议诉讼情况", actual=None,
                          location=Location(section="appeals", table="appeals"))


def _no_appeals(ctx: RuleContext) -> CannotCheck:
    return table_absent(ctx.report, ctx.fmt, ("appeals",), ("未找到表四", "table 四 was not found"))
