"""File rules (F): can the submission be read, is it what its name says, are attachments usable."""

from __future__ import annotations

from collections.abc import Iterator

from ogi.checks.basis import REGULATION_2008, REGULATION_2019, by_regime
from ogi.checks.cells import table_name, table_name_en
from ogi.checks.registry import RuleContext, rule
from ogi.checks.unread_parts import UnreadPart, unread_parts
from ogi.ingest.read_notes import READ_NOTES
from ogi.model import Category, Finding, Location, Severity

LEGACY_EXTENSIONS = (".doc", ".xls", ".wps", ".et")


@rule("F001", Category.FILE, Severity.ERROR, title="文件无法读取", title_en="File cannot be read",
      basis=by_regime(REGULATION_2008 + "第三十一条：年度报告应当公布（须为可阅读的文件）",
                     REGULATION_2019 + "第四十九条：年度报告应当向社会公布（须为可阅读的文件）"),
      messages={"default": ("文件无法读取：{reason}", "The file cannot be read: {reason_en}")})
def file_readable(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文件能否打开并读出文字：空文件、损坏的 DOCX/XLSX、伪装成网页的二进制数据、旧版 .doc/.xls/.wps/.et、
    没有文字层的扫描 PDF 都无法检查。
    Whether the file opens and yields text at all.

    为什么重要：
    无法读取的报告既不能被公众阅读，也无法核对任何数字。

    不合规示例：
    一个 0 字节的 report.html；一个截断的 .docx。

    合规示例：
    UTF-8 或 GB18030 编码的网页、可打开的 .docx/.xlsx、带文字层的 PDF。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。

    如何修改：
    重新导出为 .docx、.xlsx、带文字层的 PDF 或网页后再提交。
    """
    # Reached only for files that were read: the engine reports unreadable files with this code.
    return iter(())


@rule("F002", Category.FILE, Severity.ERROR, title="文件过大", title_en="File too large",
      basis="本工具的安全限制（可在 ogi.toml 中以 max_file_mb 调整）",
      messages={"default": ("文件大小 {size_mb} MB 超过上限 {limit_mb} MB，未读取",
                            "The file is {size_mb} MB, over the {limit_mb} MB limit; it was not read")})
def file_size(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文件大小不超过配置的上限（默认 50 MB）。年度报告通常只有几十 KB 到几 MB。
    The file is not larger than the configured limit (50 MB by default).

    为什么重要：
    异常巨大的文件往往是错误上传（视频、压缩包）或恶意文件，读取它会拖垮整批检查。

    不合规示例：
    一个 100 MB 的 report.pdf。

    合规示例：
    一个 2 MB 的 PDF。

    依据：
    本工具的安全限制。
    """
    return iter(())


@rule("F003", Category.FILE, Severity.WARNING, title="文件名与内容不符", title_en="File name does not match content",
      basis=by_regime(REGULATION_2008 + "第三十一条（公布的报告应能被正常打开）",
                     REGULATION_2019 + "第四十九条（公布的报告应能被正常打开）"),
      messages={"default": ("{detail}", "{detail_en}")})
def kind_matches_name(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    按文件内容（而非扩展名）判断类型，扩展名与内容不符时提示，例如名为 .html 的 PDF。
    The kind is read from the content; a name that says otherwise is reported.

    为什么重要：
    扩展名错误会让公众的浏览器或办公软件无法打开报告。

    不合规示例：
    report.docx 实际是旧版 .doc 文件。

    合规示例：
    report.pdf 是 PDF 文件。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。
    """
    yield from _surfaced_notes(ctx)


@rule("F004", Category.FILE, Severity.INFO, title="附件为旧版二进制格式",
      title_en="Attachment in a legacy binary format",
      basis=by_regime(REGULATION_2008 + "第十五条（以便于公众知晓的方式公开）",
                     "国办公开办函〔2019〕61号（政府信息公开平台应提供可读取的格式）"),
      messages={"default": ("附件《{name}》为旧版二进制格式（{ext}），其内容无法在此核对；"
                            "建议提供 .docx/.xlsx 或网页表格",
                            "The attachment '{name}' is a legacy binary file ({ext}); its content cannot be checked "
                            "here. Provide .docx/.xlsx or an HTML table")})
def legacy_attachments(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告正文提到的附件（如统计表）若为 .doc/.xls/.wps/.et 旧版二进制格式，其中的数字无法被机器读取核对。
    Attachments named by the report in legacy binary formats cannot be checked.

    为什么重要：
    统计表放在不可读的附件里，核对者与公众都难以复用数据。

    不合规示例：
    附件：2017年度政府信息公开工作统计表.doc

    合规示例：
    附件：2017年度政府信息公开工作统计表.xlsx，或统计表直接列在网页正文中。

    依据：
    国办公开办函〔2019〕61号。
    """
    for attachment in ctx.report.attachments:
        if attachment.extension in LEGACY_EXTENSIONS:
            yield ctx.finding(name=attachment.name, ext=attachment.extension,
                              location=Location(text=attachment.name))


@rule("F005", Category.FILE, Severity.WARNING, title="字符编码问题", title_en="Character encoding problem",
      basis="GB/T 2312、GB 18030、UTF-8 编码规范（网页须正确声明编码）",
      messages={"default": ("{detail}", "{detail_en}")})
def encoding_sound(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文字编码可以被确定（UTF-8、GBK/GB18030、带 BOM 的 UTF-16），网页声明的 charset 与实际一致，没有双重编码造成的乱码。
    The encoding is known, the declared charset is true, and there is no double-encoding mojibake.

    为什么重要：
    声明错误的编码会让部分浏览器显示乱码，公众无法阅读。

    不合规示例：
    网页声明 <meta charset="utf-8">，实际以 GBK 保存。

    合规示例：
    以 UTF-8 保存并如实声明。

    依据：
    GB 18030；HTML 规范关于字符编码声明的要求。
    """
    yield from _surfaced_notes(ctx)


@rule("F006", Category.FILE, Severity.WARNING, title="读取时有内容丢失或存疑",
      title_en="Content lost or doubtful when read",
      basis="《条例》第五十条：年度报告应当向社会公布（须完整可读）；本工具的读取限制",
      messages={"default": ("{title}：{detail}", "{title_en}: {detail_en}")})
def content_read_in_full(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    文件是否被完整读取：PDF 的某页无法读取或没有文字层、页数超过读取上限、字形无法转换为文字，网页嵌套过深而被截断，
    表格过大只读取了一部分，合并单元格异常，发布日期只能从网址推断。读取有缺失时，依赖完整内容的检查（章节或表格缺失、
    勾稽关系、正文与表格一致）改为“未能检查”或降为警告并说明原因，而不是据不完整的内容下结论。
    Whether the whole file was read. When it was not, the checks that depend on the whole content say
    "not checked" (or a warning naming the doubt) instead of judging from part of it.

    为什么重要：
    一页读不出来的 PDF 可能正好缺了表三；据此判定“缺少表格”或“勾稽关系成立”都不可靠。

    不合规示例：
    PDF 第 4 页为扫描图片，没有文字层。

    合规示例：
    每一页都带文字层的 PDF，或结构正常的网页。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。

    如何修改：
    导出带文字层的 PDF（不要扫描或打印成图片），或提供网页、.docx 版本。
    """
    yield from _surfaced_notes(ctx)
    yield from _unread_table_parts(ctx)


def _unread_table_parts(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per table whose rows or columns were not placed because the file broke their labels."""
    fmt = ctx.fmt
    if fmt is None or not fmt.tables:
        return
    by_table: dict[str, list[UnreadPart]] = {}
    for part in unread_parts(ctx.report, fmt):
        by_table.setdefault(part.table, []).append(part)
    for key, parts in by_table.items():
        names = [f"{'行' if p.kind == 'row' else '列'}“{p.label}”" for p in parts]
        names_en = [f"{p.kind} {p.label!r}" for p in parts]
        more, more_en = ("等" if len(names) > 8 else ""), ("; …" if len(names) > 8 else "")
        detail = (f"{table_name(fmt, key)}中有 {len(parts)} 处行或列的标签在文件中残缺或与数字分开（"
                  f"{'、'.join(names[:8])}{more}），未能确定它们是格式的哪一行、哪一列，未读取其数据")
        detail_en = (f"{table_name_en(fmt, key)}: {len(parts)} rows or columns whose labels the file broke or "
                     f"detached ({'; '.join(names_en[:8])}{more_en}) could not be placed in the format and were "
                     f"not read")
        yield ctx.finding(detail=detail, detail_en=detail_en, title="表格行列标签残缺，未能读取",
                          title_en="table labels broken in the file, not read", expected=None, actual=None,
                          location=Location(section=key, table=key))


def _surfaced_notes(ctx: RuleContext) -> Iterator[Finding]:
    """A finding for each read note this rule surfaces (see ogi.ingest.read_notes), at the note's severity."""
    assert ctx.rule is not None
    for note in ctx.report.read_notes:
        kind = READ_NOTES.get(note.code)
        if kind is not None and kind.surfaced_by == ctx.rule.code:
            yield ctx.finding(detail=note.detail, detail_en=note.detail_en, title=kind.title,
                              title_en=kind.title_en, severity=min(kind.severity, ctx.rule.severity,
                                                                   key=lambda s: s.rank),
                              location=Location(source=note.locator))


@rule("F007", Category.FILE, Severity.WARNING, title="表格单元格在文件中连在一起",
      title_en="Table cells run together in the file",
      basis="《条例》第五十条：年度报告应当向社会公布（统计数据须可读取、可核对）",
      messages={"default": ("{detail}", "{detail_en}")})
def cells_run_together(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    网页转存的文本、采集的页面文字常把表格各单元格的数字连在一起（“行政规范性文件77132470”即 77 | 132 | 470）。
    按各格位数和表内勾稽关系只有一种拆分方式时，拆分读取并在此提示（提示）；拆分方式不唯一或不成立时，表格存在但
    无法读取（警告），依赖该表的检查改为“未能检查”，不报“缺少表格”。没有勾稽关系的表（表二）逐行判断：位数唯一确定
    的行照读，其余行列明为无法读取（警告），不报“缺少行”。
    Tables whose cells run together in the file's text: recovered when only one split is possible (info),
    else present but not machine-readable (warning), and the checks that need them are not run. A table
    without identities (二) is judged row by row: the rows the digits settle are read, the others are named
    as unreadable (warning), never as missing.

    为什么重要：
    连在一起的数字无法确定各单元格的数值，据此判断“缺少表格”或计算勾稽关系都不可靠。

    不合规示例：
    页面文字“行政规范性文件77132470”“本年新收政府信息公开申请数量801000081”。

    合规示例：
    网页表格、Word/Excel 表格，或各单元格之间有分隔的文本。

    依据：
    《中华人民共和国政府信息公开条例》第五十条。

    如何修改：
    以网页表格或 .docx/.xlsx 文件发布统计表，不要只提供转存的纯文字。
    """
    for note in ctx.report.read_notes:
        if note.code in ("table-unreadable", "rows-unreadable", "cells-recovered"):
            severity = Severity.INFO if note.code == "cells-recovered" else Severity.WARNING
            yield ctx.finding(detail=note.detail, detail_en=note.detail_en, severity=severity,
                              expected=None, actual=dict(note.data).get("table"),
                              location=Location(table=dict(note.data).get("table"), source=note.locator))
