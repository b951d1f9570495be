"""Structure rules (S): the required sections and tables are there and have content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ogi.checks.basis import REGULATION_2008, REGULATION_2019, by_regime, national
from ogi.checks.cells import unreadable_tables
from ogi.checks.content import report_is_empty
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.ingest.numbers import chinese_numeral_to_int
from ogi.model import Category, Finding, Location, Report, Severity
from ogi.schemas.definitions import SectionDef

# "无" and its kin are content: the agency states there was nothing to report.
_NOTHING_TO_REPORT = ("无", "暂无", "本年度无", "无其他需要报告的事项")


@rule("S001", Category.STRUCTURE, Severity.ERROR, title="缺少必备章节", title_en="Required section missing",
      basis={"2008": REGULATION_2008 + "第三十二条（年度报告的六项内容）",
             **national(prefix=REGULATION_2019 + "第五十条；")},
      messages={"default": ("缺少必备内容“{heading}”", "Required section missing: {heading} ({heading_en})"),
                "unplaced": ("“{heading}”未按格式的编号作为独立章节出现，但报告中有其内容（“{found}”），"
                             "编号或标题不符合格式",
                             "'{heading_en}' is not a section of its own under the format's numbering, but the report "
                             "has its content ('{found}'): numbered or titled otherwise than the format"),
                "unread": ("“{heading}”的标题未能读出（章节编号在“{before}”与“{after}”之间空缺），但报告中有其内容"
                           "（“{found}”），不作缺少论处",
                           "The heading of '{heading_en}' was not read (the section numbers skip from '{before}' to "
                           "'{after}'), but the report has its content ('{found}'): not held as missing")})
def required_sections(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    年度报告包含格式要求的全部章节：2019/2021 格式的六个部分（总体情况、主动公开、收到和处理申请、
    复议诉讼、问题及改进、其他事项），2008 条例时期的六项内容（主动公开、依申请公开、收费及减免、复议诉讼、
    问题及改进、其他事项）。标题措辞可以不同（如“存在问题及改进情况”），按关键词识别。
    2008 条例时期没有全国统一格式，缺项为警告；2019 年起为错误。
    Every section the format requires is present (headings matched loosely).

    为什么重要：
    《条例》规定了年度报告必须包含的内容，缺项即报告不完整，主管部门可责令改正（第四十七条）。

    不合规示例：
    只有“一、总体情况”至“四、复议诉讼情况”，没有“五、存在的主要问题及改进情况”。

    合规示例：
    六个部分齐全，“六、其他需要报告的事项”写明“无”。

    依据：
    《中华人民共和国政府信息公开条例》第五十条；2008 年条例第三十二条；国办公开办函〔2021〕30号。
    """
    if ctx.fmt is None:
        raise CannotCheck("无法确定报告格式版本", "the report's format version is unknown")
    if not ctx.report.sections:
        raise CannotCheck("未能识别出任何章节标题（一、二、三……）", "no section headings (一、二、三…) were recognised")
    present = {s.key for s in ctx.report.sections}
    # 2008 had no national format: a missing item is a warning there (the definition says so).
    severity = Severity(ctx.fmt.missing_section_severity)
    for sdef in ctx.fmt.sections:
        if sdef.required and sdef.key not in present:
            found = _content_elsewhere(ctx.report, sdef)
            gap = _vacant_slot(ctx.report, ctx.fmt.sections.index(sdef) + 1) if found else None
            if found and gap:  # its number is the one the headings skip: the heading itself was not read
                yield ctx.finding("unread", heading=sdef.heading, heading_en=sdef.en, found=found, before=gap[0],
                                  after=gap[1], severity=Severity.INFO, location=Location(section=sdef.key, text=found),
                                  expected=sdef.heading, actual=found)
                continue
            if found:  # there, under another number or as a sub-heading: no missing content to accuse
                yield ctx.finding("unplaced", heading=sdef.heading, heading_en=sdef.en, found=found,
                                  severity=Severity.WARNING, location=Location(section=sdef.key, text=found),
                                  expected=sdef.heading, actual=found)
                continue
            yield ctx.finding(heading=sdef.heading, heading_en=sdef.en, severity=severity,
                              location=Location(section=sdef.key), expected=sdef.heading, actual=None)


def _vacant_slot(report: Report, number: int) -> tuple[str, str] | None:
    """(heading before, heading after) when the report's sections run up to `number` and resume after it
    with that number alone skipped ("四、…" then "六、…"): a heading the reading lost, not a section left out."""
    numbered = [(chinese_numeral_to_int(s.number or ""), s.heading) for s in report.sections]
    before = [h for n, h in numbered if n == number - 1]
    after = [h for n, h in numbered if n == number + 1]
    if before and after and all(n != number for n, _ in numbered):
        return before[0], after[0]
    return None


# A numbered line: 一、 / （一） / 1. / 1、, the way headings and sub-headings start (not a sentence of the preamble).
_NUMBERED_LINE = re.compile(
    r"^(?:#+\s*)?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_HEADING_LINE_MAX = 40


def _table_title_line(report: Report, title: str) -> str | None:
    """A short line naming the table ("表二：主动公开政府信息情况", "## 表三 收到和处理…"), if the text has one."""
    for line in report.text.splitlines():
        line = line.strip().lstrip("#* ")
        if len(line) <= _HEADING_LINE_MAX and title in line and line.startswith("表"):
            return line
    return None


def _content_elsewhere(report: Report, sdef: SectionDef) -> str | None:
    """Where a section the parser did not find is present all the same: its table was read, or a numbered
    heading-like line names it (a section renumbered after 总体情况's own parts, a 问题 sub-heading)."""
    if sdef.key in report.tables:  # sections 二–四 are where tables 二–四 (same keys) sit
        return f"{sdef.heading}的统计表"
    phrases = [p for p in (sdef.heading, *sdef.match) if len(p) >= 4]
    for line in report.text.splitlines():
        line = line.strip()
        if len(line) <= _HEADING_LINE_MAX and _NUMBERED_LINE.match(line) and any(p in line for p in phrases):
            return line.lstrip("# ")
    return None


@rule("S002", Category.STRUCTURE, Severity.WARNING, title="章节内容为空", title_en="Section is empty",
      basis={"2008": REGULATION_2008 + "第三十二条", **national(prefix=REGULATION_2019 + "第五十条；")},
      messages={"default": ("章节“{heading}”只有标题，没有内容（如确无内容，请写明“无”）",
                            "Section '{heading}' is a bare heading with no content (write 无 if there is nothing)")})
def sections_not_empty(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    每个章节标题下都有内容。“无”“本年度无”是合格的内容；只有标题、下面空白则不合格。
    Every section has content; "无" counts as content, a bare heading does not.

    为什么重要：
    空章节让读者无法判断是“没有情况”还是“漏写”。

    不合规示例：
    七、其他相关工作情况
    （下面直接是“八、……”）

    合规示例：
    七、其他相关工作情况
    无。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。
    """
    if not ctx.report.sections:
        raise CannotCheck("未能识别出任何章节", "no sections were recognised")
    tables_in = {t for t in ctx.report.tables}
    for section in ctx.report.sections:
        if not section.is_empty:
            continue
        # A 2019/2021 table section may hold only its table.
        if section.key in tables_in:
            continue
        yield ctx.finding(heading=section.heading, location=Location(section=section.key or section.heading),
                          expected="内容或“无”", actual="")


@rule("S003", Category.STRUCTURE, Severity.ERROR, title="报告为空或未填写", title_en="Empty or unfilled report",
      basis=by_regime(REGULATION_2008 + "第三十一条、第三十二条", REGULATION_2019 + "第五十条"), runs_when_empty=True,
      messages={"default": ("未能读出报告的基本内容（{missing}），这可能是空白模板或非年度报告文件",
                            "The report's basics could not be read ({missing_en}); this may be a blank template "
                            "or not an annual report"),
                "attachment": ("页面没有报告正文或数据，报告可能在附件中（{names}），附件未随页面提供，无法检查",
                               "The page holds no report text or data; the report may be in its attachment(s) "
                               "({names}), which were not provided, so it cannot be checked")})
def report_not_empty(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文件中有年度报告的内容：至少一个章节写有正文（“（文字描述）”之类的模板占位符不算），或统计表填有数字。
    空白模板、只有标题和占位符的文件、不是年度报告的文件不是年度报告。页面只有标题和附件链接时，报告可能在附件中，
    此时只作警告。报告为空时，只报告本项和文件本身的问题，不再就其不存在的内容逐项提示。
    The file holds a report: a section with text (not a template placeholder) or a table with numbers.

    为什么重要：
    空白报告若被当作“通过”，主管部门会漏掉未实际编制报告的机关。

    不合规示例：
    官方 2021 年格式模板原样提交：没有机关名称、年度，各部分只有“（文字描述）”，表格全空。

    不合规示例（2008）：
    上级下发的年度报告模板原样提交：没有机关名称、年度，各部分只有填写说明。

    合规示例：
    “××市××局{year}年政府信息公开工作年度报告”，六个部分均有内容，表格已填。

    合规示例（2008）：
    “××市××局{year}年度政府信息公开工作年度报告”，概述、主动公开、依申请公开、收费及减免、复议诉讼、问题及改进
    等部分均有内容。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。
    """
    report = ctx.report
    if not report_is_empty(report):
        return
    if report.attachments:
        names = "、".join(a.name for a in report.attachments)
        yield ctx.finding("attachment", names=names, severity=Severity.WARNING, expected="报告正文或数据",
                          actual=None)
        return
    missing, missing_en = [], []
    if not report.agency:
        missing.append("机关名称")
        missing_en.append("agency")
    if report.year is None:
        missing.append("年度")
        missing_en.append("year")
    missing.append("正文或数据")
    missing_en.append("text or data")
    yield ctx.finding(missing="、".join(missing), missing_en=", ".join(missing_en),
                      expected="机关名称、年度、正文与数据", actual="缺少" + "、".join(missing))


@rule("S004", Category.STRUCTURE, Severity.ERROR, title="缺少统计表格", title_en="Required table missing",
      basis=national("（年度报告格式）"),
      formats=("2019", "2021"),
      messages={"default": ("未找到表格“{title}”", "Table not found: {title} ({title_en})"),
                "unread": ("表格“{title}”的标题在文件中（“{found}”），但未能读出其单元格，无法核对",
                           "The title of table '{title_en}' is in the file ('{found}'), but its cells could not be "
                           "read, so it cannot be checked")})
def required_tables(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2019 年起的年度报告须包含三张统计表：二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；
    四、政府信息公开行政复议、行政诉讼情况。表格可以在正文中，也可以是可读的附件。
    表格在文件中存在、但单元格数字连在一起无法读取的，不在此报告（由 F007 说明）。
    The three official tables are present (a table whose cells run together in the file is F007's).

    为什么重要：
    表格是全国统一口径的数据，缺表就无法汇总和核对。

    不合规示例：
    “三、收到和处理政府信息公开申请情况”下只写了一段文字，没有表格。

    合规示例：
    按国办格式列出表二、表三、表四。

    依据：
    国办公开办函〔2019〕60号；国办公开办函〔2021〕30号。
    """
    assert ctx.fmt is not None
    unread = unreadable_tables(ctx.report)  # there, but its cells could not be read: F007 says so
    for key, tdef in ctx.fmt.tables.items():
        if key not in ctx.report.tables and key not in unread:
            found = _table_title_line(ctx.report, tdef.title)
            if found:  # a table whose title is there is not missing: say it could not be read
                yield ctx.finding("unread", title=tdef.title, title_en=tdef.title_en, found=found,
                                  severity=Severity.WARNING, location=Location(table=key, text=found),
                                  expected=tdef.title, actual=found)
                continue
            yield ctx.finding(title=tdef.title, title_en=tdef.title_en, location=Location(table=key),
                              expected=tdef.title, actual=None)


@rule("S013", Category.STRUCTURE, Severity.WARNING, title="未能确定报告机关或年度",
      title_en="Reporting agency or year undetermined",
      basis={"2008": REGULATION_2008 + "第三十一条（行政机关公布本机关的年度报告）",
             **national("（年度报告格式：标题写明机关名称和年度）",
                        prefix=REGULATION_2019 + "第四十九条（行政机关公布本机关上一年度的年度报告）；")},
      messages={"agency": ("未能确定报告机关：标题、发布机构、落款和正文开头均未写明机关名称",
                           "The reporting agency could not be determined: neither the title, a 发布机构 field, "
                           "the signature nor the opening names it"),
                "year": ("未能确定报告年度：标题和统计期限均未写明年度",
                         "The report's year could not be determined: neither the title nor the statistical period "
                         "states it")})
def agency_and_year_known(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告写明了编制机关和数据年度。机关名称依次从标题（年度在前或在后均可，如“2019年上海市人民政府办公厅政府信息公开
    工作年度报告”）、页面的“发布机构”“发文机关”、落款（机关名称加日期）、正文开头（“现公布××局2017年……年度报告”）
    和“来源”中读取；年度从标题或统计期限中读取。都读不到时予以提示。
    The report names its agency and data year (title first; then 发布机构, the signature, the opening, 来源).

    为什么重要：
    不写明机关和年度的报告，公众无法判断是谁、哪一年的报告；依赖机关和年度的检查（逾期发布、与上年比对、层级）
    也无法进行。

    不合规示例：
    标题为“政府信息公开工作年度报告”，落款只有日期，全文没有机关名称。

    合规示例：
    “{year}年度××县××局政府信息公开工作年度报告”，落款“××县××局　{year+1}年1月20日”。

    依据：
    《中华人民共和国政府信息公开条例》第五十条；国办公开办函〔2021〕30号。
    """
    if not ctx.report.agency:
        yield ctx.finding("agency", expected="机关名称", actual=None)
    if ctx.report.year is None:
        yield ctx.finding("year", expected="年度", actual=None)
