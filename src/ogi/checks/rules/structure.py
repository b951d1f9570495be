"""Structure rules (S): the required sections and tables are there and have content."""

from __future__ import annotations

from collections.abc import Iterator

from ogi.checks.cells import has_number, unreadable_tables
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.model import Category, Finding, Location, Severity

# "无" and its kin are content: the agency states there was nothing to report.
_NOTHING_TO_REPORT = ("无", "暂无", "本年度无", "无其他需要报告的事项")


@rule("S001", Category.STRUCTURE, Severity.ERROR, title="缺少必备章节", title_en="Required section missing",
      basis="《条例》第五十条（2019）/ 原第三十二条（2008）；国办公开办函〔2021〕30号",
      messages={"default": ("缺少必备内容“{heading}”", "Required section missing: {heading} ({heading_en})")})
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
            yield ctx.finding(heading=sdef.heading, heading_en=sdef.en, severity=severity,
                              location=Location(section=sdef.key), expected=sdef.heading, actual=None)


@rule("S002", Category.STRUCTURE, Severity.WARNING, title="章节内容为空", title_en="Section is empty",
      basis="《条例》第五十条；国办公开办函〔2021〕30号",
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
      basis="《条例》第五十条",
      messages={"default": ("未能读出报告的基本内容（{missing}），这可能是空白模板或非年度报告文件",
                            "The report's basics could not be read ({missing_en}); this may be a blank template "
                            "or not an annual report")})
def report_not_empty(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告至少写明机关名称、年度，并有正文内容或统计数据。空白模板、只有占位符“（文字描述）”的文件不是年度报告。
    The report names its agency and year and carries text or data; a blank template is not a report.

    为什么重要：
    空白报告若被当作“通过”，主管部门会漏掉未实际编制报告的机关。

    不合规示例：
    官方 2021 年格式模板原样提交：没有机关名称、年度，表格全空。

    合规示例：
    “××市××局2023年政府信息公开工作年度报告”，六个部分均有内容，表格已填。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。
    """
    report = ctx.report
    missing, missing_en = [], []
    if not report.agency:
        missing.append("机关名称")
        missing_en.append("agency")
    if report.year is None:
        missing.append("年度")
        missing_en.append("year")
    has_numbers = any(has_number(c) for t in report.tables.values() for c in t.cells.values())
    placeholder_only = all(
        s.is_empty or s.text.strip().strip("（）()") in ("文字描述", "") for s in report.sections
    )
    if not has_numbers and (not report.sections or placeholder_only) and not report.facts:
        missing.append("正文或数据")
        missing_en.append("text or data")
    if missing:
        yield ctx.finding(missing="、".join(missing), missing_en=", ".join(missing_en),
                          expected="机关名称、年度、正文与数据", actual="缺少" + "、".join(missing))


@rule("S004", Category.STRUCTURE, Severity.ERROR, title="缺少统计表格", title_en="Required table missing",
      basis="国办公开办函〔2019〕60号、〔2021〕30号（年度报告格式）",
      formats=("2019", "2021"),
      messages={"default": ("未找到表格“{title}”", "Table not found: {title} ({title_en})")})
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
            yield ctx.finding(title=tdef.title, title_en=tdef.title_en, location=Location(table=key),
                              expected=tdef.title, actual=None)
