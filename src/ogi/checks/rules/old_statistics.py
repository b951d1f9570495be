"""The 2008-era statistics table (政府信息公开情况统计表) against itself and against the prose (A105, A106, C108).

No national format bound these tables; what is checked is what the table's own words make provable: rows
listed 其中 1…n under a total are parts of it, and 历年累计 includes 本年度. Cells the reader could only split
by one of these relations (crawled text, see `ingest/tables/old_statistics.py`) satisfy it by construction:
those are not checked against it, and the rule says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ogi.checks.basis import REGULATION_2008
from ogi.checks.cells import fmt_number, table_absent
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Report, Severity, Table
from ogi.schemas.definitions import PartsDef, TableDef

_KEY = "statistics"
_COLUMNS = (("year", "本年度", "this year"), ("cumulative", "历年累计", "cumulative"))
_BASIS = REGULATION_2008 + "第三十二条（年度报告应当包括主动公开、依申请公开和不予公开政府信息的情况）"


def _table(ctx: RuleContext) -> tuple[TableDef, Table]:
    fmt = ctx.fmt
    if fmt is None or _KEY not in fmt.tables:
        raise CannotCheck("该格式没有统计表", "the format has no statistics table")
    table = ctx.report.tables.get(_KEY)
    if table is None:
        raise table_absent(ctx.report, fmt, (_KEY,), ("未附政府信息公开情况统计表", "no statistics table is attached"))
    return fmt.tables[_KEY], table


def _recovered(report: Report, field: str) -> frozenset[str]:
    """The rows the reader split by relying on a relation (`split`: cumulative ≥ year; `by_parts`: parts ≤
    total): the table satisfies it there by construction."""
    out: set[str] = set()
    for note in report.read_notes:
        if note.code == "cells-recovered" and dict(note.data).get("table") == _KEY:
            out.update(k for k in dict(note.data).get(field, "").split(",") if k)
    return frozenset(out)


def _label(tdef: TableDef, key: str) -> str:
    return next(r.label for r in tdef.rows if r.key == key)


def _label_en(tdef: TableDef, key: str) -> str:
    return next(r.en for r in tdef.rows if r.key == key)


# ---------------------------------------------------------------------------------------------------------


@rule("A105", Category.ARITHMETIC, Severity.ERROR, title="统计表“其中”各项与总数不符",
      title_en="Statistics table: the parts do not fit their total", basis=_BASIS, formats=("2008",),
      messages={
          "exceed": ("统计表{column}：“{total_label}”为 {total}，而其中各项（{terms}）之和为 {parts}，分项之和大于总数",
                     "Statistics table, {column_en}: '{total_label_en}' is {total} but its parts ({terms_en}) add up "
                     "to {parts}, more than the total"),
          "part": ("统计表{column}：“{part_label}”为 {part}，大于其所属的“{total_label}” {total}",
                   "Statistics table, {column_en}: '{part_label_en}' is {part}, more than its total "
                   "'{total_label_en}' ({total})"),
          "short": ("统计表{column}：“{total_label}”为 {total}，而其中各项（{terms}，含“{catch_all}”）之和为 {parts}，"
                    "少 {diff}",
                    "Statistics table, {column_en}: '{total_label_en}' is {total} but its parts ({terms_en}, including "
                    "'{catch_all_en}') add up to {parts}, {diff} short"),
      })
def statistics_parts(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2008 年条例时期的“政府信息公开情况统计表”中，列在某一总数下“其中：1.…2.…”的各项（主动公开信息数下的网站公开、
    政府公报公开；受理申请总数下的当面、传真、电子邮件、网上、信函、其它形式申请；答复数下的同意公开、同意部分公开、
    否决公开、其他类型答复），在本年度和历年累计两栏中：
    - 各项之和不得大于总数（每件申请只有一种申请方式、每次答复只有一种结果，“其中”各项是总数的一部分，大于总数
      必有错误：错误）；同一信息可能既在网站又在公报公开，主动公开的各渠道只要求每一项不大于总数（错误）；
    - 列有“其它形式”“其他类型”这样的兜底项时，各项之和应等于总数（少于总数为警告：2008 年条例没有全国统一格式，
      各地对各项的口径可能不同，只能提示核对）。
    从连在一起的网页文字中按“各项之和不大于总数”才唯一拆分出的单元格，这一关系必然成立，不再据此核对。
    Parts listed 其中 under a total cannot exceed it (error); with a catch-all part (其它形式) they should
    add up to it (warning: the 2008 regime had no national format, so a short sum is a doubt, not a proof).

    为什么重要：
    分项与总数矛盾，说明表格数字有误，读者无法判断哪个数字可信。

    不合规示例：
    受理依申请公开信息总数 2 条，其中网上申请数 3 条。

    合规示例：
    受理依申请公开信息总数 2 条，其中当面申请数 0 条，网上申请数 2 条。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条。
    """
    tdef, table = _table(ctx)
    by_parts = _recovered(ctx.report, "by_parts")
    checked = 0
    for group in tdef.parts:
        for col, col_zh, col_en in _COLUMNS:
            found = _group_check(tdef, table, group, col)
            if found is None:
                continue
            checked += 1
            total, parts, terms, terms_en = found
            words: dict[str, Any] = dict(column=col_zh, column_en=col_en, total_label=_label(tdef, group.total),
                         total_label_en=_label_en(tdef, group.total), total=fmt_number(total),
                         parts=fmt_number(parts), terms=terms, terms_en=terms_en)
            where = Location(table=_KEY, row=group.total, column=col)
            if group.overlap:  # one item may count in two parts: only each part alone is bounded
                if by_parts & {group.total, *group.parts}:
                    continue
                for key in group.parts:
                    part = table.value(key, col)
                    if part is not None and part > total:
                        yield ctx.finding("part", expected=_plain(total), actual=_plain(part),
                                          data={"expected_relation": "≤"},
                                          location=Location(table=_KEY, row=key, column=col),
                                          part_label=_label(tdef, key).split(".")[-1].split("：")[-1],
                                          part_label_en=_label_en(tdef, key), part=fmt_number(part), **words)
            elif parts > total and not by_parts & {group.total, *group.parts}:
                yield ctx.finding("exceed", expected=_plain(total), actual=_plain(parts),
                                  data={"expected_relation": "≤"},
                                  location=where, **words)
            elif parts < total and group.complete_with is not None and table.value(group.complete_with, col) \
                    is not None:
                yield ctx.finding("short", severity=Severity.WARNING, expected=_plain(total), actual=_plain(parts),
                                  data={"expected_relation": "="},
                                  diff=fmt_number(total - parts), catch_all=_label(tdef, group.complete_with),
                                  catch_all_en=_label_en(tdef, group.complete_with), location=where, **words)
    if checked == 0:
        raise CannotCheck("统计表中没有同时读到总数及其分项", "no total was read together with its parts")


def _group_check(tdef: TableDef, table: Table, group: PartsDef,
                 col: str) -> tuple[Decimal, Decimal, str, str] | None:
    """(total, sum of the parts, the parts as terms) in one column, when the total and at least one part hold
    numbers and no printed part lacks one; else None (nothing to compare)."""
    total = table.value(group.total, col)
    if total is None:
        return None
    printed = [k for k in group.parts if (k, col) in table.cells]
    values = [table.value(k, col) for k in printed]
    if not printed or any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    pairs = list(zip(printed, numbers, strict=True))
    terms = " + ".join(f"{_label(tdef, k).split('.')[-1].split('：')[-1]} {fmt_number(v)}" for k, v in pairs)
    terms_en = " + ".join(f"{_label_en(tdef, k).removeprefix('of which: ')} {fmt_number(v)}" for k, v in pairs)
    return total, sum(numbers, Decimal(0)), terms, terms_en


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------------------------------------------------


@rule("A106", Category.ARITHMETIC, Severity.ERROR, title="统计表历年累计小于本年度",
      title_en="Statistics table: cumulative below this year", basis=_BASIS, formats=("2008",),
      messages={"default": ("统计表“{row_label}”：历年累计 {cumulative} 小于本年度 {year}",
                            "Statistics table, '{row_label_en}': cumulative {cumulative} is below this year's {year}")})
def statistics_cumulative(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2008 年条例时期的“政府信息公开情况统计表”每一行的“历年累计”不小于“本年度”（历年累计包含本年度，小于本年度
    必有错误）。从连在一起的网页文字中拆分出的行，拆分时已用到这一关系，不再据此核对。
    In every row the cumulative count is at least this year's (it includes this year).

    为什么重要：
    历年累计小于本年度，说明某一栏填错或累计口径有误。

    不合规示例：
    主动公开信息数：本年度 1853 条，历年累计 185 条。

    合规示例：
    主动公开信息数：本年度 1853 条，历年累计 5395 条。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条。
    """
    tdef, table = _table(ctx)
    split = _recovered(ctx.report, "split")
    checked = 0
    for row in tdef.rows:
        year, cumulative = table.value(row.key, "year"), table.value(row.key, "cumulative")
        if year is None or cumulative is None or row.key in split:
            continue
        checked += 1
        if cumulative < year:
            yield ctx.finding(row_label=row.label, row_label_en=row.en, year=fmt_number(year),
                              cumulative=fmt_number(cumulative), expected=_plain(year), data={"expected_relation": "≥"},
                              actual=_plain(cumulative),
                              location=Location(table=_KEY, row=row.key, column="cumulative"))
    if checked == 0:
        raise CannotCheck("统计表没有可核对的行（连在一起的单元格按“历年累计不小于本年度”拆分，这一关系必然成立）",
                          "no row to check (run-together cells were split by cumulative ≥ year, which then holds)")


# ---------------------------------------------------------------------------------------------------------

# A statement is about this year: not a cumulative, last year's or a comparison.
_NOT_THIS_YEAR = ("累计", "历年", "上年", "去年", "同比", "以来")
_CLAUSE_END = re.compile(r"[。；;，,！？\n]")
_GAP = r"[^，。；,;：:、\d\s]{0,16}?"
_VALUE = r"(?:申请|案件)?[数量]{0,2}(?:总数)?(?:为|共|计|有|达)?\s*(\d+)\s*(?:条|件|个|宗)"
_YEAR = re.compile(r"(20\d\d)年")


@dataclass(frozen=True)
class _Said:
    row: str
    value: Decimal
    sentence: str
    section: str | None


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    return text[left: min(rights) + 1 if rights else len(text)].strip()


# Words that make a gap's "申请" another matter's ("受理行政复议申请2件" is no disclosure request).
_OTHER_MATTERS = ("复议", "诉讼", "咨询", "投诉", "举报", "信访", "审批", "许可")


@cache
def _patterns(tdef: TableDef) -> tuple[tuple[str, bool, re.Pattern[str]], ...]:
    """(row key, whether the phrase has a gap, its pattern) per prose phrase, in table order."""
    out = []
    for row in tdef.rows:
        for phrase in row.prose:
            body = _GAP.join(re.escape(part) for part in phrase.split("…"))
            out.append((row.key, "…" in phrase, re.compile(body + _VALUE)))
    return tuple(out)


def _prose(report: Report) -> Iterator[tuple[str | None, str]]:
    for section, text in report.prose_texts():
        at = text.find("指标名称")  # the statistics table flattened into the text is not prose
        yield section, text[:at] if at >= 0 else text


def _statements(report: Report, tdef: TableDef) -> list[_Said]:
    out: list[_Said] = []
    for section, text in _prose(report):
        taken: list[tuple[int, int]] = []
        for key, gapped, pattern in _patterns(tdef):
            for m in pattern.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue  # a longer phrase of another row already read these words
                if gapped and any(w in m.group() for w in _OTHER_MATTERS):
                    continue
                starts = [e.end() for e in _CLAUSE_END.finditer(text, 0, m.start())]
                clause_start = starts[-1] if starts else 0
                before = text[clause_start: m.start()]
                if any(w in before or w in m.group() for w in _NOT_THIS_YEAR):
                    continue
                years = {int(y) for y in _YEAR.findall(before)}
                if years and report.year is not None and years != {report.year}:
                    continue
                taken.append((m.start(), m.end()))
                out.append(_Said(key, Decimal(m.group(1)), _sentence(text, m.start(), m.end()), section))
    return out


@rule("C108", Category.CONSISTENCY, Severity.WARNING, title="正文数字与统计表不符（2008 年条例时期）",
      title_en="Numbers in the text contradict the statistics table (2008 regime)", basis=_BASIS, formats=("2008",),
      messages={"default": ("正文称“{row_label}” {stated}（“{sentence}”），统计表本年度为 {table_value}；两者不一致"
                            "（或统计口径不同而未说明），请核对",
                            "The text states '{row_label_en}' = {stated} ('{sentence}'), the statistics table's "
                            "this-year column says {table_value}: they disagree (or count differently, unexplained)")})
def text_matches_statistics(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    正文中关于申请数（收到、受理）、各申请方式（当面、传真、电子邮件、网上、信函）、答复数及各类答复（同意公开、
    同意部分公开、否决公开）、行政复议和行政诉讼的本年度件数，与所附“政府信息公开情况统计表”的本年度一栏一致。
    累计、上年或同比的数字不比较。
    Counts the prose states for this year equal the statistics table's this-year column.

    为什么重要：
    正文与统计表矛盾，读者不知道哪个数字可信；两者也可能统计口径不同，需要核对（提示为警告）。

    不合规示例：
    正文“共收到申请7条，网上申请数3条，信函申请数4条”，统计表本年度：电子邮件 3，网上 4，信函 0。

    合规示例：
    正文“共收到申请7条，电子邮件申请数3条，网上申请数4条”，统计表同。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条。
    """
    tdef, table = _table(ctx)
    checked = 0
    seen: set[tuple[str, Decimal]] = set()
    for said in _statements(ctx.report, tdef):
        value = table.value(said.row, "year")
        if value is None:
            continue
        checked += 1
        if value == said.value or (said.row, said.value) in seen:
            continue
        seen.add((said.row, said.value))
        sentence = said.sentence if len(said.sentence) <= 80 else said.sentence[:79] + "…"
        yield ctx.finding(row_label=_label(tdef, said.row).split(".")[-1].split("：")[-1],
                          row_label_en=_label_en(tdef, said.row), stated=fmt_number(said.value),
                          sentence=sentence, table_value=fmt_number(value), expected=_plain(value),
                          actual=_plain(said.value),
                          location=Location(section=said.section, table=_KEY, row=said.row, column="year",
                                            text=said.sentence))
    if checked == 0:
        raise CannotCheck("正文中没有可与统计表核对的本年度件数", "the text states no this-year count to compare")
