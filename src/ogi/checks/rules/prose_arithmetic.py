"""Old-shape arithmetic in sentences (A001, A002) and breakdowns against totals (C001)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ogi.checks.prose import decimals_of, find_breakdowns, find_request_outcomes, states_percentages
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Severity

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
                            "'{what}' {count} of {total} is {expected}%, but the report says {actual}%")})
def percentages_match(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文字中“占总数的××%”之类的百分比，按所述件数与总数重新计算，误差不超过所写最后一位的半个单位
    （写 50% 允许 49.5%–50.5%，写 33.9% 允许 33.85%–33.95%）。
    Every stated percentage equals count / total within half a unit of its last written digit.

    为什么重要：
    百分比写错会误导读者（如写 33.9%，实际 258/805 = 32.0%）。

    不合规示例：
    在已答复的2件申请中：“同意公开”1件，占总数的60%。

    合规示例：
    在已答复的2件申请中：“同意公开”1件，占总数的50%。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条（报告内容应当准确）。
    """
    if not states_percentages(ctx.report):
        raise CannotCheck(*_NO_PERCENTAGES)  # nothing below could find one
    groups = []
    outcomes = find_request_outcomes(ctx.report)
    if outcomes is not None:
        groups.append((outcomes.total, outcomes.parts))
    groups += [(b.total, b.parts) for b in find_breakdowns(ctx.report)]
    checked = 0
    for total, parts in groups:
        if total.value == 0:
            continue
        for part in parts:
            if part.percent is None or part.percent_raw is None:
                continue
            checked += 1
            computed = part.fact.value * 100 / total.value
            places = decimals_of(part.percent_raw)
            tolerance = Decimal(5) / (Decimal(10) ** (places + 1))
            if abs(computed - part.percent) > tolerance:
                shown = round(computed, max(places, 1))
                yield ctx.finding(what=part.fact.what, count=_fmt(part.fact.value), unit=part.fact.unit or "",
                                  total=_fmt(total.value), expected=float(shown), actual=float(part.percent),
                                  location=Location(section=part.fact.section, text=part.fact.sentence))
    if checked == 0:
        raise CannotCheck(*_NO_PERCENTAGES)


_NO_PERCENTAGES = ("文字中没有可与件数核对的百分比", "no percentage stated next to a count and its total")


@rule("C001", Category.CONSISTENCY, Severity.WARNING, title="分项之和与所述总数不符",
      title_en="Parts do not agree with the stated total",
      basis="2008 年《条例》（国务院令第492号）第三十二条；报告内容应当准确",
      # 2019/2021 prose is checked against the tables instead (C101).
      formats=("2008",),
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
          "approx": ("“{what}”所述约数“{raw}”与分项之和 {parts}{unit} 相差超过一成",
                     "'{what}' is stated as about '{raw}', more than 10% away from the parts' sum {parts}"),
      })
def breakdowns_agree(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    “共……N（单位）。其中A x（单位），B y（单位）……”这类分项列举，分项之和应与总数相符。
    “多/余/以上”表示“多于”：分项之和应大于所述数字，恰好相等只算大致相符（提示）；
    分项之和小于总数时，列举可能不完整（提示）；大于总数则为警告。
    Parts listed after 其中 agree with the stated total; 多/余 means "more than".

    为什么重要：
    分项与总数矛盾说明统计口径不一或数字有误。

    不合规示例：
    共接受咨询1000人次。其中电话咨询800次，当面咨询500次。

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
        terms = " + ".join(_fmt(p.fact.value) for p in b.parts)
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
        elif qualifier in _APPROX_NEAR:
            if total and abs(parts - total) > total / 10:
                yield ctx.finding("approx", severity=Severity.INFO, **common)
        elif parts > total:
            yield ctx.finding("over", **common)
        elif parts < total:
            yield ctx.finding("under", severity=Severity.INFO, **common)
