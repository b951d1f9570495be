"""Cross-year rules (H): this year's report against last year's (from --previous or the history store).

Mergers, renamings and re-counting break cross-year identities legitimately, so these are warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ogi.agency_key import same_agency
from ogi.checks.basis import REGULATION_2008, REGULATION_2019, by_regime, national
from ogi.checks.cells import cell_label, cell_label_en, column_label, fmt_number, row_label, table_name
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Report, Severity

_NO_PREVIOUS = ("未提供上一年度报告（--previous 或 --history）", "no previous year's report was given")


def previous_report(ctx: RuleContext) -> Report:
    """Last year's report of the same agency, or CannotCheck saying why there is none."""
    report = ctx.report
    if report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    candidates = [r for r in (ctx.previous, *ctx.history) if r is not None]
    prev = next((r for r in candidates if r.year == report.year - 1), None)
    if prev is None:
        if candidates:
            years = "、".join(str(r.year) for r in candidates)
            raise CannotCheck(f"提供的往年报告年度为 {years}，不是 {report.year - 1} 年",
                              f"the earlier reports given are for {years}, not {report.year - 1}")
        raise CannotCheck(*_NO_PREVIOUS)
    # The same agency under another name (淮安市洪泽区人民政府 and 洪泽区人民政府) is still the same agency.
    if report.agency and prev.agency and not same_agency(report.agency, prev.agency):
        raise CannotCheck(f"上一年度报告的机关“{prev.agency}”与本报告“{report.agency}”不同",
                          f"last year's report is by '{prev.agency}', not '{report.agency}'")
    return prev


@rule("H001", Category.HISTORY, Severity.WARNING, title="上年结转与上年度报告不衔接",
      title_en="Carried over ≠ last year's carried forward",
      basis=national("表三（“上年结转”即上一年度的“结转下年度继续办理”）"),
      formats=("2019", "2021"), needs_history=True,
      messages={"default": ("表三“{column}”列上年结转 {actual} 件，"
                            "而 {prev_year} 年度报告的结转下年度继续办理为 {expected} 件",
                            "Table 三, column '{column_en}': carried over {actual}, but the {prev_year} report "
                            "carried forward {expected}")})
def carried_over_matches(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    本年度表三“二、上年结转政府信息公开申请数量”逐列等于上一年度表三“四、结转下年度继续办理”。
    机构合并、更名会使两者合理地不一致，故为警告。
    Per column: carried over (year N) = carried forward (year N−1).

    为什么重要：
    不衔接说明有申请在年度之间“消失”或重复统计。

    不合规示例：
    {year-1} 年度结转下年度 5 件，{year} 年度上年结转 3 件。

    合规示例：
    {year} 年度上年结转 5 件。

    依据：
    国办公开办函〔2021〕30号 所附表三。
    """
    prev = previous_report(ctx)
    now_t, prev_t = ctx.report.tables.get("requests"), prev.tables.get("requests")
    if now_t is None or prev_t is None or ctx.fmt is None:
        raise CannotCheck("本年或上年报告缺少表三", "table 三 is missing this year or last year")
    tdef = ctx.fmt.tables["requests"]
    compared = 0
    for col in tdef.column_keys:
        now, before = now_t.value("carried_over", col), prev_t.value("carried_forward", col)
        if now is None or before is None:
            continue
        compared += 1
        if now != before:
            yield ctx.finding(column=column_label(tdef, col), column_en=tdef.column(col).en, prev_year=prev.year,
                              expected=_n(before), actual=_n(now),
                              location=Location(section="requests", table="requests", row="carried_over", column=col))
    if not compared:
        raise CannotCheck("两年的结转栏没有可比较的数字", "no carried-over figures to compare")


@rule("H002", Category.HISTORY, Severity.WARNING, title="现行有效件数与上年不衔接",
      title_en="Documents in force do not follow from last year",
      basis="国办公开办函〔2021〕30号 表二（本年制发件数、本年废止件数、现行有效件数）",
      formats=("2021",), needs_history=True,
      messages={"default": ("表二“{row}”现行有效 {actual} 件，按上年现行有效 {prev} + 本年制发 {issued} − 本年废止 "
                            "{repealed} 应为 {expected} 件",
                            "Table 二, '{row_en}': {actual} in force, but last year's {prev} + issued {issued} − "
                            "repealed {repealed} = {expected}")})
def in_force_stock_flow(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2021 年格式表二的规章、行政规范性文件：本年现行有效件数 ≈ 上年现行有效件数 + 本年制发件数 − 本年废止件数。
    “制发”可能包含修订，因此为警告。
    In force (N) = in force (N−1) + issued (N) − repealed (N) for regulations and normative documents.

    为什么重要：
    存量与增减不衔接，说明制发、废止或现行有效件数之一统计有误。

    不合规示例：
    {year-1} 年现行有效 20 件；{year} 年制发 3 件、废止 1 件，现行有效写 25 件（应为 22 件）。

    合规示例：
    {year} 年现行有效 22 件。

    依据：
    国办公开办函〔2021〕30号 所附表二。
    """
    prev = previous_report(ctx)
    if prev.format_version != "2021":
        raise CannotCheck("上一年度报告不是 2021 年格式，没有“现行有效件数”",
                          "last year's report is not in the 2021 format")
    now_t, prev_t = ctx.report.tables.get("active"), prev.tables.get("active")
    if now_t is None or prev_t is None or ctx.fmt is None:
        raise CannotCheck("本年或上年报告缺少表二", "table 二 is missing this year or last year")
    tdef = ctx.fmt.tables["active"]
    compared = 0
    for row in ("regulations", "normative_documents"):
        in_force, issued, repealed = (now_t.value(row, c) for c in ("in_force", "issued", "repealed"))
        before = prev_t.value(row, "in_force")
        if in_force is None or issued is None or repealed is None or before is None:
            continue
        compared += 1
        expected = before + issued - repealed
        if in_force != expected:
            yield ctx.finding(row=row_label(tdef, row), row_en=tdef.row(row).en, prev=fmt_number(before),
                              issued=fmt_number(issued), repealed=fmt_number(repealed), expected=_n(expected),
                              actual=_n(in_force),
                              location=Location(section="active", table="active", row=row, column="in_force"))
    if not compared:
        raise CannotCheck("两年的表二没有可比较的数字", "table 二 has no comparable figures in both years")


# Prose compared without numbers, years and punctuation: a copy with this year's figures is still a copy.
_NOISE = re.compile(r"[\d０-９零〇○一二三四五六七八九十百千万亿]+|[\W_]+")
_SHINGLE = 4
_MIN_CHARS = 60


def _shingles(text: str) -> set[str]:
    core = _NOISE.sub("", text)
    return {core[i: i + _SHINGLE] for i in range(max(0, len(core) - _SHINGLE + 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of 4-character shingles, numbers and punctuation removed (0…1)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _prose(report: Report) -> dict[str, str]:
    out: dict[str, str] = {}
    for section in report.sections:
        if section.key:
            out[section.key] = section.text
    return out


@rule("H003", Category.HISTORY, Severity.WARNING, title="报告内容与上年雷同", title_en="Copied from last year's report",
      basis=by_regime(REGULATION_2008 + "第三十条、第三十二条（主管部门监督检查；年度报告反映本年度情况）",
                     REGULATION_2019 + "第四十七条（年度报告内容雷同的，主管部门可责令改正）"), needs_history=True,
      messages={
          "default": ("报告正文与 {prev_year} 年度报告的相似度为 {percent}%（阈值 {threshold}%），疑似照抄往年内容",
                      "The text is {percent}% similar to the {prev_year} report (threshold {threshold}%): "
                      "copied from last year?"),
          "section": ("“{heading}”与 {prev_year} 年度报告同一部分的相似度为 {percent}%（阈值 {threshold}%），疑似照抄",
                      "'{heading}' is {percent}% similar to the same part of the {prev_year} report "
                      "(threshold {threshold}%)"),
      })
def not_copied(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    与上一年度报告比较正文（去掉数字、年份和标点后按 4 字片段计算相似度）：全文或某一部分的相似度达到配置的阈值
    （默认 0.9，ogi.toml 中 similarity_threshold）即提示雷同。只改了数字的照抄同样会被发现。
    The text is compared with last year's (numbers and years removed); at or above the threshold it is a copy.

    为什么重要：
    《条例》第四十七条把“内容雷同”列为主管部门应责令改正的情形；照抄往年报告不能反映本年工作。

    不合规示例：
    {year} 年度“存在的主要问题及改进情况”与 {year-1} 年度一字不差，只改了年份。

    合规示例：
    针对本年度实际情况写问题和改进措施。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条。
    """
    prev = previous_report(ctx)
    threshold = ctx.config.similarity_threshold
    now_text, prev_text = _prose(ctx.report), _prose(prev)
    if not now_text or not prev_text:
        now_all, prev_all = ctx.report.text, prev.text
    else:
        now_all, prev_all = "\n".join(now_text.values()), "\n".join(prev_text.values())
    if len(_NOISE.sub("", now_all)) < _MIN_CHARS or len(_NOISE.sub("", prev_all)) < _MIN_CHARS:
        raise CannotCheck("正文过短，无法比较", "too little text to compare")
    overall = similarity(now_all, prev_all)
    common: dict[str, Any] = dict(prev_year=prev.year, threshold=round(threshold * 100), expected=threshold,
                                  data={"expected_relation": "<"})
    if overall >= threshold:
        yield ctx.finding(percent=round(overall * 100), actual=round(overall, 3), **common)
        return
    for section in ctx.report.sections:
        before = prev_text.get(section.key or "")
        if not section.key or before is None or len(_NOISE.sub("", section.text)) < _MIN_CHARS:
            continue
        score = similarity(section.text, before)
        if score >= threshold:
            yield ctx.finding("section", heading=section.heading, percent=round(score * 100),
                              actual=round(score, 3), location=Location(section=section.key), **common)


# Year-on-year jumps worth a look: a factor of 10 either way, and at least this many items apart.
JUMP_FACTOR = 10
JUMP_MIN_DIFFERENCE = 100
_INDICATORS = (
    ("requests", "new_received", "total"),
    ("requests", "total_processed", "total"),
    ("appeals", "review", "total"),
    ("active", "licensing", "decisions"),
    ("active", "punishment", "decisions"),
    ("active", "coercion", "decisions"),
)


@rule("H004", Category.HISTORY, Severity.WARNING, title="数据与上年相比变化异常",
      title_en="Extreme change from last year",
      basis="统计数据应当真实准确（" + REGULATION_2019 + "第四十七条）", formats=("2019", "2021"), needs_history=True,
      messages={"default": ("{table}“{cell}”由 {prev_year} 年的 {expected} 变为 {actual}（{change}），请核实",
                            "{table} '{cell_en}' went from {expected} in {prev_year} to {actual} ({change}); "
                            "please verify")})
def plausible_change(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    与上一年度相比，新收申请数、办理结果总计、行政复议数和表二行政许可、处罚、强制决定数变化十倍以上
    且相差至少 100 的，提示核实（可能是单位写错、漏填或多填一位数字）。
    A key figure changing tenfold (and by at least 100) from last year is flagged for checking.

    为什么重要：
    数量级的跳变多数是填报错误（如把“万”当“个”），少数是真实变化，需要在报告中说明。

    不合规示例：
    {year-1} 年行政处罚决定 350 件，{year} 年填 35,000 件，正文未作说明。

    合规示例：
    {year} 年 380 件。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条。
    """
    prev = previous_report(ctx)
    if ctx.fmt is None:
        raise CannotCheck("无法确定报告格式版本", "the report's format version is unknown")
    compared = 0
    for key, row, col in _INDICATORS:
        now_t, prev_t = ctx.report.tables.get(key), prev.tables.get(key)
        if now_t is None or prev_t is None or key not in ctx.fmt.tables:
            continue
        now, before = now_t.value(row, col), prev_t.value(row, col)
        if now is None or before is None:
            continue
        compared += 1
        if abs(now - before) < JUMP_MIN_DIFFERENCE:
            continue
        small, big = min(now, before), max(now, before)
        if small * JUMP_FACTOR > big:
            continue
        tdef = ctx.fmt.tables[key]
        change = f"{'增加' if now > before else '减少'} {fmt_number(abs(now - before))}"
        if small > 0:
            change += f"，为上年的 {fmt_number(round(now / before, 1))} 倍"
        yield ctx.finding(table=table_name(ctx.fmt, key), cell=cell_label(tdef, row, col),
                          cell_en=cell_label_en(tdef, row, col), prev_year=prev.year, expected=_n(before),
                          actual=_n(now), change=change, location=Location(section=key, table=key, row=row,
                                                                           column=col))
    if not compared:
        raise CannotCheck("两年的报告没有可比较的数字", "no figures to compare between the two years")


@rule("H005", Category.HISTORY, Severity.INFO, title="报告与此前检查的版本不同",
      title_en="Changed since an earlier check",
      basis=by_regime(REGULATION_2008 + "第三十条；年度报告发布后修改应当说明",
                     REGULATION_2019 + "第四十七条；年度报告发布后修改应当说明"), needs_history=True,
      messages={"default": ("本报告与 {when} 检查过的同一年度版本（{source}）不同：{changes}",
                            "This report differs from the version of the same year checked earlier ({source}): "
                            "{changes_en}")})
def unchanged_since_checked(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    历史库中已有本机关同一年度的报告，而本次检查的文件内容不同（文件校验值不同，且表格数字或正文有变化），
    列出变化的单元格数和正文相似度，以便核实发布后是否有未作说明的修改，或不同平台的版本不一致。
    A report already checked for the same agency and year that has changed since is pointed out.

    为什么重要：
    发布后悄悄修改、或不同平台发布不同版本，会使公众和监督者看到的内容不一致。

    不合规示例：
    1 月检查的版本表三总计为 26，3 月再次抓取时为 28，页面未说明更正。

    合规示例：
    内容未变，或更正时注明“本报告于×月×日更正”。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条。
    """
    report = ctx.report
    same_year = [r for r in ctx.history if r.year == report.year and r.sha256 != report.sha256]
    if not same_year:
        raise CannotCheck("历史库中没有同一年度的其他版本", "no other version of this year in the history store")
    earlier = same_year[-1]
    changed = [(key, cell) for key, table in report.tables.items() for cell, value in table.cells.items()
               if (old := earlier.tables.get(key)) is None or (old.value(*cell) != value.number)]
    changed += [(key, cell) for key, table in earlier.tables.items() for cell in table.cells
                if key not in report.tables or cell not in report.tables[key].cells]
    text_score = similarity(report.text, earlier.text) if report.text and earlier.text else 1.0
    if not changed and text_score >= 0.999:
        return
    changes = []
    changes_en = []
    if changed:
        changes.append(f"{len(changed)} 个表格单元格数值不同")
        changes_en.append(f"{len(changed)} table cells differ")
    if text_score < 0.999:
        changes.append(f"正文相似度 {text_score:.0%}")
        changes_en.append(f"text {text_score:.0%} similar")
    when = earlier.published.date.isoformat() if earlier.published else "此前"
    yield ctx.finding(when=when, source=earlier.source, changes="，".join(changes), changes_en="; ".join(changes_en),
                      expected=earlier.sha256, actual=report.sha256)


def _n(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)

