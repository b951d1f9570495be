"""Arithmetic in sentences (A001, A002), breakdowns against totals (C001) and stated counts of named
items against the items (C002)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ogi.checks.enumerations import find_count_claims
from ogi.checks.prose import (
    INTRODUCED_ALL,
    Part,
    decimals_of,
    find_breakdowns,
    find_rates,
    find_request_outcomes,
    states_percentages,
)
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Fact, Finding, Location, Severity

_APPROX_MORE = ("多", "余", "以上", "超过")
_APPROX_NEAR = ("约", "近", "左右")


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,}"


@rule("A001", Category.ARITHMETIC, Severity.ERROR, title="办理结果之和不等于申请总数",
      title_en="Request outcomes do not add up to the stated total",
      basis="2008 年《条例》第三十二条第（二）项（依申请公开和不予公开情况）",
      formats=("2008",),
      messages={"default": ("各办理结果之和 {parts} 件（{terms}）不等于所述总数 {total} 件",
                            "The outcomes add up to {parts} ({terms}), not the stated total of {total}")})
def outcomes_add_up(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    旧版（2008 条例时期）报告用文字列出依申请公开的办理结果，各结果件数之和应等于所述申请（答复）总数。
    The outcomes listed in the prose add up to the stated number of requests.

    为什么重要：
    结果之和与总数不符，说明有申请漏统计或重复统计。

    不合规示例：
    在已答复的3件申请中：“同意公开”1件，“非本机关职责权限范围”1件。

    合规示例：
    在已答复的2件申请中：“同意公开”1件，“非本机关职责权限范围”1件。

    依据：
    2008 年《中华人民共和国政府信息公开条例》第三十二条第（二）项。
    """
    outcomes = find_request_outcomes(ctx.report)
    if outcomes is None:
        raise CannotCheck("依申请公开部分未找到申请总数及各办理结果的件数",
                          "no stated request total with per-outcome counts in the requests section")
    parts = sum((p.fact.value for p in outcomes.parts), Decimal(0))
    if parts != outcomes.total.value:
        terms = " + ".join(f"{p.fact.what} {_fmt(p.fact.value)}" for p in outcomes.parts)
        yield ctx.finding(parts=_fmt(parts), total=_fmt(outcomes.total.value), terms=terms,
                          expected=float(outcomes.total.value), actual=float(parts),
                          location=Location(section="requests", text=outcomes.total.sentence))


@rule("A002", Category.ARITHMETIC, Severity.WARNING, title="所述百分比与计算不符",
      title_en="Stated percentage does not match the counts",
      basis={"2008": "2008 年《条例》（国务院令第492号）第三十二条；统计数据应当准确",
             "2019": "《条例》（国务院令第711号）第五十条；统计数据应当准确（第四十七条）",
             "2021": "《条例》（国务院令第711号）第五十条；统计数据应当准确（第四十七条）"},
      messages={"default": ("“{what}”{count}{unit}，占比应为 {expected}%（{count}/{total}），报告写为 {actual}%",
                            "'{what}' {count} of {total} is {expected}%, but the report says {actual}%"),
                "rate": ("“{word}{actual}%”与所述件数不符：按{stem}数 ÷ {base}数计算，{count} ÷ {total} = {expected}%"
                         "{more}",
                         "'{word} {actual}%' does not match the counts: {count} {stem_en} of {total} {base_en} is "
                         "{expected}%{more_en}")})
def percentages_match(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文字中“占总数的××%”之类的百分比，按所述件数与总数重新计算，误差不超过所写最后一位的半个单位
    （写 50% 允许 49.5%–50.5%，写 33.9% 允许 33.85%–33.95%）。
    总数是分项所属的那个数：“共……N条，其中……”“……N条。其中，……”，或框定列举的“在……的N条政府信息中，……”；
    写明以别的数为分母的（“占申请总数的××%”而总数不是申请数）不按该总数核对。
    “办结率”“答复率”按同一句中所述的办结（答复）件数除以受理（收到）件数核对；只说“即办件办结率”
    “按时办结率”而未写出相应件数的不核对。
    Every stated percentage equals count / total within half a unit of its last written digit, the total
    being the one its list belongs to (after 其中, or framing it: 在…的N条…中); a share that names another
    base is not checked against it. A completion or reply rate equals the completed (answered) count
    over the accepted (received) one.

    为什么重要：
    百分比写错会误导读者（如写 33.9%，实际 258/805 = 32.0%）；“受理117件，办结171件，办结率100%”
    三个数字不可能同时正确。

    不合规示例：
    在已答复的2件申请中：“同意公开”1件，占总数的60%。

    合规示例：
    在已答复的2件申请中：“同意公开”1件，占总数的50%。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条（报告内容应当准确）。
    """
    groups: list[tuple[Fact, tuple[Part, ...], bool]] = []
    rates = find_rates(ctx.report)
    if not states_percentages(ctx.report):
        raise CannotCheck(*_NO_PERCENTAGES)  # nothing below could find one
    outcomes = find_request_outcomes(ctx.report)
    if outcomes is not None:  # every share of an outcome is one of the requests ("占申请总数的")
        groups.append((outcomes.total, outcomes.parts, True))
    groups += [(b.total, b.parts, False) for b in find_breakdowns(ctx.report)]
    checked = 0
    for total, parts, any_base in groups:
        if total.value == 0:
            continue
        for part in parts:
            if part.percent is None or part.percent_raw is None:
                continue
            if not any_base and part.percent_base and part.percent_base not in total.what:
                continue  # "占申请总数的40%": a share of another figure than this total
            checked += 1
            computed = part.fact.value * 100 / total.value
            if not _within(computed, part.percent, part.percent_raw):
                shown = round(computed, max(decimals_of(part.percent_raw), 1))
                yield ctx.finding(what=part.fact.what, count=_fmt(part.fact.value), unit=part.fact.unit or "",
                                  total=_fmt(total.value), expected=float(shown), actual=float(part.percent),
                                  location=Location(section=part.fact.section, text=part.fact.sentence))
    for rate in rates:
        if rate.denominator.value == 0:
            continue
        checked += 1
        computed = rate.numerator.value * 100 / rate.denominator.value
        if _within(computed, rate.percent, rate.percent_raw):
            continue
        stem = rate.word.removesuffix("率")
        more = more_en = ""
        if rate.numerator.value > rate.denominator.value:
            more = f"；{stem} {_fmt(rate.numerator.value)} 件多于{rate.base_word} {_fmt(rate.denominator.value)} 件"
            more_en = f"; more {stem} than {rate.base_word}"
        yield ctx.finding("rate", word=rate.word, stem=stem, base=rate.base_word, stem_en=_RATE_EN.get(stem, stem),
                          base_en=_RATE_EN.get(rate.base_word, rate.base_word), count=_fmt(rate.numerator.value),
                          total=_fmt(rate.denominator.value), more=more, more_en=more_en,
                          expected=float(round(computed, max(decimals_of(rate.percent_raw), 1))),
                          actual=float(rate.percent), location=Location(section=rate.section, text=rate.sentence))
    if checked == 0:
        raise CannotCheck(*_NO_PERCENTAGES)


_RATE_EN = {"办结": "completed", "答复": "answered", "回复": "answered", "受理": "accepted", "收到": "received",
            "接收": "received", "接到": "received", "收件": "received", "申请": "requested"}


def _within(computed: Decimal, stated: Decimal, raw: str) -> bool:
    """Whether a computed share rounds to the stated one: within half a unit of its last written digit."""
    return abs(computed - stated) <= Decimal(5) / (Decimal(10) ** (decimals_of(raw) + 1))


_NO_PERCENTAGES = ("文字中没有可与件数核对的百分比", "no percentage stated next to a count and its total")


@rule("C001", Category.CONSISTENCY, Severity.WARNING, title="分项之和与所述总数不符",
      title_en="Parts do not agree with the stated total",
      basis={"2008": "2008 年《条例》（国务院令第492号）第三十二条；报告内容应当准确",
             "2019": "《条例》（国务院令第711号）第四十七条、第五十条；报告内容应当准确",
             "2021": "《条例》（国务院令第711号）第四十七条、第五十条；报告内容应当准确"},
      messages={
          "over": ("“{what}”分项之和 {parts}{unit}（{terms}）大于所述总数 {total}{unit}",
                   "The parts of '{what}' add up to {parts} ({terms}), more than the stated total {total}"),
          "loose": ("“{what}”所述总数为“{raw}”（多于 {total}{unit}），"
                    "分项之和恰为 {parts}{unit}（{terms}），仅大致相符",
                    "'{what}' is stated as '{raw}' (more than {total}); the parts add up to exactly {parts} "
                    "({terms}): consistent only loosely"),
          "under": ("“{what}”分项之和 {parts}{unit}（{terms}）小于所述总数 {total}{unit}，分项可能不完整",
                    "The parts of '{what}' add up to {parts} ({terms}), less than the stated total {total}; "
                    "the list may be partial"),
          "under_all": ("“{what}”分项之和 {parts}{unit}（{terms}）不等于所述总数 {total}{unit}"
                        "（{reading}，分项之和应等于总数）",
                        "The parts of '{what}' add up to {parts} ({terms}), not the stated total {total} "
                        "({reading_en}, so they should add up to it)"),
          "approx": ("“{what}”所述约数“{raw}”与分项之和 {parts}{unit} 相差超过一成",
                     "'{what}' is stated as about '{raw}', more than 10% away from the parts' sum {parts}"),
      })
def breakdowns_agree(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    “共……N（单位）。其中A x（单位），B y（单位）……”这类分项列举，分项之和应与总数相符。
    “其中”“主要是”列出的可能只是一部分：分项之和小于总数只作提示，大于总数则为警告。
    “分别为”“包括”（不带“等”）列出的是全部分项，主动公开、依申请公开、不予公开三类合起来是全部政府信息，
    这时分项之和小于总数也是警告。列举以“其他……”一项收尾（“……，其他类97条”）时，“其他”涵盖其余各项，
    列出的同样是全部分项，分项之和小于总数也是警告（“其他”之后同一分句还有分项的，不算收尾）。
    分项可以写在总数后的括号里，也可以延续到下一句，但下一句须与上一分项措辞一致
    （“区直各单位主动公开政府信息1397条……。各乡镇主动公开政府信息534条”）。
    “多/余/以上”表示“多于”：分项之和应大于所述数字，恰好相等只算大致相符（提示）；
    总数或分项带“约/近”时只作提示。条与件、人次与次视为同一计量单位，万元换算为元。
    Parts listed after a stated total agree with it: 其中 may list a subset (a smaller sum is information),
    分别为/包括, exhaustive categories and a list closed by a catch-all 其他 item list all of it; 多/余
    means "more than".

    为什么重要：
    分项与总数矛盾说明统计口径不一或数字有误。

    不合规示例：
    制作、获取政府信息总数3978条，其中主动公开2026条，依申请公开46条，不予公开1854条（之和 3926 条）。

    合规示例：
    共接受咨询1300人次。其中电话咨询800次，当面咨询500次。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条（报告内容应当准确）。
    """
    breakdowns = find_breakdowns(ctx.report)
    if not breakdowns:
        raise CannotCheck("文字中没有“总数……其中……”形式的分项列举", "no 'total … 其中 parts' statements in the text")
    for b in breakdowns:
        total, parts = b.total.value, b.parts_sum
        if b.exhaustive in INTRODUCED_ALL:
            reading, reading_en = f"“{b.exhaustive}”列出的是全部分项", f"'{b.exhaustive}' lists every part"
        elif b.exhaustive is None and b.catch_all is not None:
            reading = f"最后一项“{b.catch_all}”涵盖其余各项，列出的是全部分项"
            reading_en = f"the last part, '{b.catch_all}', takes in the rest, so the list is complete"
        else:
            reading, reading_en = f"{b.exhaustive}是全部类别", f"{b.exhaustive} are every category"
        named = b.exhaustive is not None and b.exhaustive not in INTRODUCED_ALL
        terms = " + ".join((f"{p.fact.what} " if named else "") + _fmt(p.fact.value) for p in b.parts)
        common: dict[str, Any] = dict(
            what=b.total.what or b.total.raw, parts=_fmt(parts), total=_fmt(total), terms=terms,
            unit=b.total.unit or "", raw=b.total.raw, expected=float(total), actual=float(parts),
            location=Location(section=b.section, text=b.total.sentence))
        qualifier = b.total.qualifier
        if qualifier in _APPROX_MORE:
            if parts == total:
                yield ctx.finding("loose", severity=Severity.INFO, **common)
            elif parts < total:
                yield ctx.finding("under", severity=Severity.INFO, **common)
        elif qualifier in _APPROX_NEAR or b.approximate:
            if total and abs(parts - total) > total / 10:
                yield ctx.finding("approx", severity=Severity.INFO, **common)
        elif parts > total:
            yield ctx.finding("over", **common)
        elif parts < total and (b.exhaustive is not None or b.catch_all is not None):
            yield ctx.finding("under_all", reading=reading, reading_en=reading_en, **common)
        elif parts < total:
            yield ctx.finding("under", severity=Severity.INFO, **common)



@rule("C002", Category.CONSISTENCY, Severity.WARNING, title="所述项数与列举的项目不符",
      title_en="Stated number of items differs from the items named",
      basis="报告内容应当准确（2008 年《条例》第三十二条；2019 年《条例》第四十七条、第五十条）",
      messages={
          "more": ("文中称“{claim}”，但列出的只有 {found} 项：{items}",
                   "The text says '{claim}' ({stated}), but names only {found}: {items}"),
          "fewer": ("文中称“{claim}”，但列出了 {found} 项：{items}",
                    "The text says '{claim}' ({stated}), but names {found}: {items}"),
      })
def stated_counts_match_items(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    “全文包括……共六个部分”“共分12大类：……”“以下三个方面：一是……二是……”这类表述，所说的项数应与
    实际列出的项目数一致。列举可以不止一种读法时（“行政复议、提起行政诉讼的情况”是一项，“存在的主要问题
    及改进措施”也是一项），只有所述项数在每一种读法之外才提示。
    A stated count of parts, aspects or classes equals the number of items named; when the list can be
    read more than one way, only a count outside every reading is reported.

    为什么重要：
    “六部分”只列了五项，往往是删改报告时漏掉了一部分，或照搬了别的报告的说明。

    不合规示例：
    全文包括概述、主动公开情况、依申请公开情况、复议诉讼情况、存在问题及改进措施共六个部分。

    合规示例：
    全文包括概述、主动公开情况、依申请公开情况、复议诉讼情况、存在问题及改进措施共五个部分。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条、第五十条（年度报告内容应当准确、完整）。
    """
    claims = find_count_claims(ctx.report)
    if not claims:
        raise CannotCheck("文中没有“共N个部分”“N大类”之类带列举的项数表述",
                          "the text states no count of parts or classes with the items named")
    for claim in claims:
        if not claim.contradicted:
            continue
        found = claim.high if claim.stated > claim.high else claim.low
        items = "；".join(claim.items)
        yield ctx.finding("more" if claim.stated > claim.high else "fewer", claim=claim.claim, stated=claim.stated,
                          found=found, items=items, expected=claim.stated, actual=found,
                          location=Location(section=claim.section, text=claim.sentence))
