"""Date rules (D): data year, statistical period, publication deadline, signature, no future dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ogi.checks.basis import REGULATION_2008, REGULATION_2019, by_regime, national
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.config import LEVEL_ZH
from ogi.model import Category, Finding, Location, Severity


def regulation_for(year: int) -> str:
    """Which Regulation's deadlines apply to a data year (SPEC §1)."""
    return "2008" if year <= 2018 else "2019"


def deadline_for(ctx: RuleContext) -> dt.date:
    report = ctx.report
    if report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    if report.level is None:
        raise CannotCheck("未能确定机关层级（请用 --level 或配置文件指定）",
                          "the agency level is unknown (give --level or configure it)")
    return ctx.config.deadline(regulation_for(report.year), report.level, report.agency, report.year)


def _level_words(ctx: RuleContext) -> tuple[str, str]:
    report = ctx.report
    level = report.level or "department"
    if report.year is not None and regulation_for(report.year) == "2008" and level not in ctx.config.deadlines:
        # One statutory deadline for every agency then: the level decides nothing.
        return "2008 年《条例》：次年3月31日前", "2008 Regulation: by 31 March of the following year"
    zh = LEVEL_ZH.get(level, level)
    if report.level_inferred:
        return f"按机关名称推断为“{zh}”", f"level '{level}' inferred from the agency name"
    return f"机关层级“{zh}”", f"level '{level}'"


@rule("D001", Category.DATES, Severity.ERROR, title="年度与统计期限不一致", title_en="Data year and period disagree",
      basis={"2008": REGULATION_2008 + "第三十一条（每年公布本机关的年度报告，反映一个年度的工作）",
             "2019": REGULATION_2019 + "第四十九条（上一年度的年度报告）；国办公开办函〔2019〕60号",
             "2021": "国办公开办函〔2021〕30号（统计期限为当年1月1日至12月31日）"},
      messages={
          "period": ("统计期限 {actual} 与报告年度 {year} 年不符（应为 {expected}）",
                     "The statistical period {actual} does not match the data year {year} (should be {expected})"),
          "partial": ("统计期限 {actual} 只覆盖 {year} 年的一部分（应为 {expected}）；"
                      "如机关于年内新设或调整，请在报告中说明",
                      "The statistical period {actual} covers only part of {year} (should be {expected}); if the "
                      "organ was set up or reorganised during the year, the report should say so"),
          "early": ("{label}{actual} 早于统计期限结束（{year}年12月31日），年度可能写错",
                    "The {label_en} {actual} is before the data year {year} ended; the year may be wrong"),
      })
def years_agree(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    标题中的年度、正文写明的统计期限、成文与发布日期相互一致：统计期限应为该年度1月1日至12月31日，
    报告不可能在统计年度结束前成文或发布。
    The title's year, the stated statistical period and the dates agree.

    为什么重要：
    年度写错（沿用上年模板）是常见错误，会让数据被归入错误的年度。

    不合规示例：
    标题“{year}年度……报告”，正文“统计期限为{year-1}年1月1日至{year-1}年12月31日”。

    合规示例：
    标题“{year}年度……报告”，统计期限{year}年1月1日至12月31日，{year+1}年1月20日发布。

    依据：
    国办公开办函〔2021〕30号。
    """
    report = ctx.report
    if report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    year = report.year
    expected = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if report.period is not None and report.period != expected:
        start, end = report.period
        # A part of the data year is no wrong year: an organ set up or merged during the year reports from then.
        partial = expected[0] <= start <= end <= expected[1]
        yield ctx.finding("partial" if partial else "period", year=year, expected=f"{expected[0]}—{expected[1]}",
                          actual=f"{start}—{end}", location=Location(section="preamble"),
                          severity=Severity.WARNING if partial else None)
    for dated, label, label_en in ((report.signed, "成文日期", "signature date"),
                                   (report.published, "发布日期", "publication date")):
        if dated is not None and dated.date < expected[1]:
            yield ctx.finding("early", year=year, label=label, label_en=label_en, actual=dated.date.isoformat(),
                              expected=f"> {expected[1]}", location=Location(text=dated.raw))


@rule("D002", Category.DATES, Severity.ERROR, title="逾期发布", title_en="Published after the deadline",
      basis=by_regime(REGULATION_2008 + "第三十一条：每年3月31日前公布",
                     REGULATION_2019 + "第四十九条：部门1月31日前、政府3月31日前"),
      messages={
          "late": ("发布日期 {actual} 晚于期限 {expected}（{level}），逾期 {days} 天",
                   "Published {actual}, after the deadline {expected} ({level_en}): {days} days late"),
      })
def published_on_time(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    发布日期不晚于法定期限：数据年度 2018 年及以前为次年3月31日（2008 年《条例》第三十一条）；
    2019 年起，县级以上人民政府部门为次年1月31日，人民政府（由主管部门公布）为次年3月31日（《条例》第四十九条）。
    本地更严格的期限可在 ogi.toml 的 [deadlines] 中配置。机关层级取自 --level、配置，或按名称推断（并在结论中说明）。
    The publication date is on or before the deadline for the regime and agency level.

    为什么重要：
    逾期发布是主管部门通报最多的问题之一，可被责令改正（《条例》第四十七条）。

    不合规示例：
    ××县发展和改革局{year}年度报告，{year+1}年2月5日发布（部门期限为1月31日）。

    不合规示例（2008）：
    ××县发展和改革局{year}年度报告，{year+1}年4月8日发布（期限为3月31日）。

    合规示例：
    同一报告于{year+1}年1月17日发布。

    合规示例（2008）：
    同一报告于{year+1}年3月19日发布。

    依据：
    《中华人民共和国政府信息公开条例》第四十九条；2008 年《条例》第三十一条。
    """
    report = ctx.report
    deadline = deadline_for(ctx)
    if report.published is None:
        raise CannotCheck("未找到发布日期", "no publication date was found")
    if report.published.date > deadline:
        level, level_en = _level_words(ctx)
        yield ctx.finding("late", actual=report.published.date.isoformat(), expected=deadline.isoformat(),
                          days=(report.published.date - deadline).days, level=level, level_en=level_en,
                          location=Location(text=report.published.raw))


@rule("D003", Category.DATES, Severity.WARNING, title="成文日期异常", title_en="Signature date out of line",
      basis=by_regime(REGULATION_2008 + "第三十一条；《党政机关公文处理工作条例》（成文日期）",
                     REGULATION_2019 + "第四十九条；《党政机关公文处理工作条例》（成文日期）"),
      messages={
          "after_published": ("成文日期 {actual} 晚于发布日期 {expected}",
                              "Signed {actual}, after publication {expected}"),
          "after_deadline": ("成文日期 {actual} 晚于发布期限 {expected}",
                             "Signed {actual}, after the publication deadline {expected}"),
      })
def signature_in_line(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    落款（成文）日期不晚于发布日期，也不晚于发布期限。
    The signature date is not after the publication date nor after the deadline.

    为什么重要：
    成文晚于发布说明日期写错，或发布后又修改了报告（版本不一）。

    不合规示例：
    {year+1}年1月17日发布，落款“{year+1}年1月25日”。

    合规示例：
    落款“{year+1}年1月16日”，{year+1}年1月17日发布。

    依据：
    《中华人民共和国政府信息公开条例》第四十九条。
    """
    report = ctx.report
    if report.signed is None:
        raise CannotCheck("未找到落款（成文）日期", "no signature date was found")
    signed = report.signed.date
    if report.published is not None and signed > report.published.date:
        yield ctx.finding("after_published", actual=signed.isoformat(), expected=report.published.date.isoformat(),
                          location=Location(text=report.signed.raw))
        return
    deadline = deadline_for(ctx)
    if signed > deadline:
        yield ctx.finding("after_deadline", actual=signed.isoformat(), expected=deadline.isoformat(),
                          location=Location(text=report.signed.raw))


@rule("D004", Category.DATES, Severity.ERROR, title="日期在未来", title_en="Date in the future",
      basis=by_regime("报告日期应真实（" + REGULATION_2008 + "第三十一条：按期公布年度报告）",
                     "报告日期应真实（" + REGULATION_2019 + "第四十七条）"),
      messages={"default": ("{label}{actual} 晚于今天（{expected}）",
                            "The {label_en} {actual} is after today ({expected})")})
def no_future_dates(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    发布日期、成文日期不晚于检查当天。
    No publication or signature date lies in the future.

    为什么重要：
    未来日期一定是笔误（常见于年份写错），会导致逾期判断失真。

    不合规示例：
    {year+1}年检查时，落款为“{year+19}年1月10日”（年份写错）。

    合规示例：
    落款“{year+1}年1月10日”。

    依据：
    《中华人民共和国政府信息公开条例》第四十七条。
    """
    report = ctx.report
    if report.published is None and report.signed is None:
        raise CannotCheck("没有可检查的日期", "no dates to check")
    today = ctx.config.today
    for dated, label, label_en in ((report.published, "发布日期", "publication date"),
                                   (report.signed, "成文日期", "signature date")):
        if dated is not None and dated.date > today:
            yield ctx.finding(label=label, label_en=label_en, actual=dated.date.isoformat(),
                              expected=today.isoformat(), location=Location(text=dated.raw))


@rule("D005", Category.DATES, Severity.INFO, title="未写明统计期限", title_en="Statistical period not stated",
      basis={"2008": REGULATION_2008 + "第三十二条；年度报告通行写法（“本报告中所列数据的统计期限自……”）",
             "2019": "国办公开办函〔2019〕60号（年度报告格式）；统计期限为当年1月1日至12月31日",
             "2021": "国办公开办函〔2021〕30号（“本报告中所列数据的统计期限自……”）"},
      messages={"default": ("报告未写明数据的统计期限（如“本报告所列数据统计期限为{year}年1月1日至12月31日”）",
                            "The report does not state its statistical period (e.g. 1 January – 31 December {year})")})
def period_stated(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告开头写明所列数据的统计期限。
    The report states the period its figures cover.

    为什么重要：
    统计期限是判断数据口径与年度的依据。

    不合规示例：
    开头只写“根据《条例》要求编制本报告”。

    合规示例：
    本报告中所列数据统计期限为{year}年1月1日至12月31日。

    依据：
    国办公开办函〔2021〕30号。
    """
    if ctx.report.period is None:
        yield ctx.finding(year=ctx.report.year or "××××", expected="统计期限", actual=None,
                          location=Location(section="preamble"))


# A year not preceded by a digit. The look-behind comes after the century ("(?<!\d(?:19|20))" there is
# "(?<!\d)" before it), so the pattern starts with a literal and `re` skips ahead to a 1 or a 2.
_BODY_YEAR = re.compile(r"((?:19|20)(?<!\d(?:19|20))\d{2})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_DOCUMENT_TITLE = re.compile(r"《[^《》]{0,80}》")


@rule("D006", Category.DATES, Severity.WARNING, title="总体情况所写年度与报告年度不符",
      title_en="The overview speaks of another year",
      basis={"2008": "年度报告应当反映本年度工作（" + REGULATION_2008 + "第三十二条）",
             **national(prefix="年度报告应当反映本年度工作（" + REGULATION_2019 + "第四十七条“内容雷同”）；")},
      messages={"default": ("“{heading}”提到的年份为 {found}，却没有提到报告年度 {year} 年，可能沿用了往年报告的文字",
                            "'{heading}' mentions {found} but never the data year {year}: text carried over from "
                            "an earlier report?")})
def overview_year(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    “总体情况”（旧版为“概述”）写的应是报告年度的工作：其中提到的年份都早于报告年度、而不提报告年度时，
    很可能照搬了往年报告。文件名《……》中的年份和完整日期不计。
    The overview speaks of the data year; if it only names earlier years, it was probably copied.

    为什么重要：
    年份写错或沿用往年文字，是主管部门通报的“内容雷同”“年度错误”问题。

    不合规示例：
    {year} 年度报告：“一、总体情况　{year-1}年，我局认真贯彻……”

    合规示例：
    “一、总体情况　{year}年，我局认真贯彻……”

    依据：
    《中华人民共和国政府信息公开条例》第四十七条。
    """
    report = ctx.report
    if report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    overview = report.section("overview")
    if overview is None or overview.is_empty:
        raise CannotCheck("没有“总体情况”部分", "there is no overview section")
    years = [int(y) for y in _BODY_YEAR.findall(_DOCUMENT_TITLE.sub("", overview.text))]
    if not years:
        raise CannotCheck("“总体情况”没有提到年份", "the overview names no year")
    if report.year in years or not all(y < report.year for y in years):
        return
    found = "、".join(f"{y} 年" for y in sorted(set(years)))
    yield ctx.finding(heading=overview.heading, found=found, year=report.year, expected=report.year,
                      actual=sorted(set(years)), location=Location(section="overview", text=overview.heading))
