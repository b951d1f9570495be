"""Structure rules for the national formats (S005–S012): sections as the format numbers them, template
text left in, art. 50 content of a government's report, the right format for the year, and table rows,
columns or cells that did not fit the format (reported, never dropped silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ogi.checks.basis import REGULATION_2008, REGULATION_2019, national
from ogi.checks.cells import (
    cell_label,
    cell_label_en,
    column_cells,
    column_label,
    column_label_en,
    definition_cell_set,
    definition_cells,
    row_cells,
    row_label,
    row_label_en,
    table_absent,
    table_name,
    table_name_en,
)
from ogi.checks.registry import CannotCheck, RuleContext, rule
from ogi.checks.unread_parts import is_broken_label, unread_parts
from ogi.model import Category, Finding, Location, ReadNote, Severity
from ogi.schemas.definitions import FormatDef, SectionDef, TableDef, format_for_year, load_format

_NATIONAL = ("2019", "2021")


@rule("S005", Category.STRUCTURE, Severity.WARNING, title="章节编号、顺序或合并不符合格式",
      title_en="Sections misnumbered, out of order or merged",
      basis=national("（年度报告分六个部分，依次为一至六）"),
      formats=_NATIONAL,
      messages={
          "numbering": ("章节编号与格式不符：{list}", "Sections numbered unlike the format: {list_en}"),
          "order": ("章节顺序与格式不符：实际为 {actual}，格式要求 {expected}",
                    "Sections out of the format's order: {actual} instead of {expected}"),
          "extra": ("“{heading}”不是格式规定的六个部分之一（可能是“总体情况”的小标题被编为一级标题）",
                    "'{heading}' is not one of the format's six parts (perhaps a sub-heading of the overview "
                    "numbered as a part)"),
          "merged": ("“{heading}”似乎合并了“{other}”，格式要求两部分分别列出",
                     "'{heading}' seems to merge in '{other_en}'; the format lists them as separate parts"),
      })
def section_layout(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    2019/2021 年格式的年度报告依次为：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；
    四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。
    报告编号错位（如二至六被编为一至五）、顺序颠倒、把小标题编为一级标题、两个部分合并为一个，均予提示。
    标题措辞可以不同（按关键词识别）。
    The six parts come in the format's order and numbering, none merged, none added.

    为什么重要：
    统一的结构便于公众查阅和主管部门比对；编号错位常常意味着漏写了某一部分。

    不合规示例：
    一、主动公开政府信息情况　二、收到和处理政府信息公开申请情况……（“总体情况”未编号，其余部分编号整体前移）

    合规示例：
    一、总体情况　二、主动公开政府信息情况　……　六、其他需要报告的事项

    依据：
    国办公开办函〔2021〕30号；国办公开办函〔2019〕60号。
    """
    fmt = ctx.fmt
    if fmt is None:
        raise CannotCheck("无法确定报告格式版本", "the report's format version is unknown")
    sections = ctx.report.sections
    if not sections:
        raise CannotCheck("未能识别出任何章节标题", "no section headings were recognised")
    index, by_key = _section_lookup(fmt)
    wrong = []
    for section in sections:
        sdef = by_key.get(section.key) if section.key else None
        if sdef is not None and sdef.number and section.number and section.number != sdef.number:
            wrong.append((section, sdef))
    if wrong:
        yield ctx.finding(
            "numbering",
            list="；".join(f"“{s.heading}”编为“{s.number}”，应为“{d.number}”" for s, d in wrong),
            list_en="; ".join(f"'{s.heading}' is numbered {s.number}, should be {d.number}" for s, d in wrong),
            expected=[d.number for _, d in wrong], actual=[s.number for s, _ in wrong],
            location=Location(section=wrong[0][0].key, text=wrong[0][0].heading))
    keyed = [s for s in sections if s.key in index]
    positions = [index[s.key] for s in keyed if s.key is not None]
    if positions != sorted(positions):
        expected = [s for s in sorted(keyed, key=lambda s: index[s.key or ""])]
        yield ctx.finding("order", actual=" → ".join(s.heading for s in keyed),
                          expected=" → ".join(s.heading for s in expected), location=Location(text=keyed[0].heading))
    present = {s.key for s in sections}
    for section in sections:
        if section.key is None:
            yield ctx.finding("extra", heading=section.heading, expected=None, actual=section.heading,
                              location=Location(text=section.heading))
            continue
        title = section.heading
        for sdef in fmt.sections:
            if sdef.key in present or sdef.key == section.key:
                continue
            if any(len(p) >= 2 and p in title for p in sdef.match):
                yield ctx.finding("merged", heading=title, other=sdef.heading, other_en=sdef.en,
                                  expected=sdef.heading, actual=title, location=Location(section=section.key,
                                                                                         text=title))


# Definitions live as long as the process (load_format is cached): their section lookups are kept by id.
_SECTION_LOOKUPS: dict[int, tuple[FormatDef, dict[str, int], dict[str, SectionDef]]] = {}


def _section_lookup(fmt: FormatDef) -> tuple[dict[str, int], dict[str, SectionDef]]:
    """Each section key's position in the format, and `fmt.section` as a dict (the first of a key wins)."""
    hit = _SECTION_LOOKUPS.get(id(fmt))
    if hit is None or hit[0] is not fmt:
        by_key: dict[str, SectionDef] = {}
        for sdef in fmt.sections:
            by_key.setdefault(sdef.key, sdef)
        hit = _SECTION_LOOKUPS[id(fmt)] = (fmt, {s.key: i for i, s in enumerate(fmt.sections)}, by_key)
    return hit[1], hit[2]


# Instructions of the official template and of provincial templates that must be deleted when filled in.
# "（指2019年事项数）": the 2019 template's explanations of its columns.
_EXPLANATION = r"\s*指\s*(?:(?:19|20)\d\d|上一?年|本年|当年)[^（）()\n]{0,20}[）)]"
# Each alternative starts with a literal character, so `re` skips ahead to where one could begin.
_TEMPLATE_TEXT = re.compile(
    r"编写说明|填写说明|填报说明|编制说明[:：]|（文字描述）|\(文字描述\)|此处填写|请在此填写|请填写"
    r"|（" + _EXPLANATION + r"|\(" + _EXPLANATION + "|××|ＸＸ"
)


@rule("S006", Category.STRUCTURE, Severity.WARNING, title="模板说明文字未删除",
      title_en="Template instructions left in",
      basis={"2008": REGULATION_2008 + "第三十二条；上级下发的年度报告模板（说明性文字在编写时应删除）",
             **national("（格式模板中的说明性文字在编写时应删除）")}, runs_when_empty=True,
      messages={"default": ("报告中留有模板说明文字“{text}”", "Template instructions left in the report: '{text}'")})
def template_text_left(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    报告中不应残留格式模板或上级通知中的说明文字，如“编写说明”“填写说明”“（文字描述）”“（指2019年事项数）”
    以及“××”占位符。
    No template instructions ("编写说明", "（文字描述）", "（指…）", "××") are left in the report.

    为什么重要：
    残留说明文字说明报告未经认真编写和审核，是主管部门通报的常见问题。

    不合规示例：
    一、总体情况（文字描述）
    表二“上一年项目数量（指2019年事项数）”。

    不合规示例（2008）：
    “三、依申请公开政府信息情况（填写说明：按受理、答复件数填写）”；“××局”占位符未替换。

    合规示例：
    删除全部说明文字后发布。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附格式模板。
    """
    report = ctx.report
    texts = [report.title or "", report.text]
    texts += [r for t in report.tables.values() for r in t.unmatched_rows]
    texts += [c for t in report.tables.values() for c in t.unmatched_cols]
    seen: set[str] = set()
    for text in texts:
        for m in _TEMPLATE_TEXT.finditer(text):
            found = m.group().strip()
            if found in seen:
                continue
            seen.add(found)
            start = max(0, m.start() - 12)
            yield ctx.finding(text=found, expected=None, actual=found,
                              location=Location(text=text[start: m.end() + 12].strip()))


_ART50_ITEMS = (("考核", "工作考核"), ("评议", "社会评议"), ("责任追究", "责任追究"))


@rule("S007", Category.STRUCTURE, Severity.WARNING, title="政府报告未说明考核、评议和责任追究结果",
      title_en="Government report lacks appraisal, public review and accountability results",
      basis=REGULATION_2019 + "第五十条（各级人民政府的年度报告还应当包括工作考核、社会评议和责任追究结果情况）",
      formats=_NATIONAL,
      messages={"default": ("人民政府的年度报告应说明政府信息公开工作考核、社会评议和责任追究结果情况，"
                            "未找到：{missing}",
                            "A government's report states the results of appraisal, public review and "
                            "accountability; not found: {missing_en}")})
def government_accountability(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    各级人民政府（不含政府部门）的年度报告，应包括政府信息公开工作考核、社会评议和责任追究结果情况
    （通常写在“五、存在的主要问题及改进情况”或“六、其他需要报告的事项”中）。按“考核”“评议”“责任追究”关键词查找。
    A people's government's report covers appraisal, public review and accountability results (art. 50).

    为什么重要：
    这是《条例》第五十条对各级人民政府年度报告的专门要求。

    不合规示例：
    ××县人民政府年度报告全文未提及考核、社会评议与责任追究。

    合规示例：
    “本年度将政务公开纳入绩效考核……开展社会评议……未发生责任追究情况。”

    依据：
    《中华人民共和国政府信息公开条例》第五十条。
    """
    report = ctx.report
    if report.level != "government":
        raise CannotCheck("仅适用于人民政府的年度报告（本报告的机关层级不是“政府”）",
                          "applies to a people's government's report only (this agency is not one)")
    missing = [(zh, en) for (word, zh), en in zip(_ART50_ITEMS, ("appraisal", "public review", "accountability"),
                                                   strict=True) if word not in report.text]
    if missing:
        yield ctx.finding(missing="、".join(m[0] for m in missing), missing_en=", ".join(m[1] for m in missing),
                          expected="工作考核、社会评议和责任追究结果情况", actual=None,
                          location=Location(section="other"))


@rule("S008", Category.STRUCTURE, Severity.ERROR, title="报告格式与数据年度不符",
      title_en="Wrong format for the data year",
      basis={"2008": REGULATION_2008 + "时期没有全国统一格式（全国格式自 2019 年度起使用）",
             "2019": "国办公开办函〔2019〕60号（2019、2020 年度使用的格式）",
             "2021": "国办公开办函〔2021〕30号（2021 年度起使用新格式）"},
      messages={"default": ("{year} 年度报告应使用{expected_name}，但表格用语属于{actual_name}（{evidence}）",
                            "A report for {year} uses the {expected_en}, but its tables use the vocabulary of the "
                            "{actual_en} ({evidence})")})
def format_matches_year(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    按数据年度应使用的格式：2019、2020 年度为 2019 年版格式（国办公开办函〔2019〕60号），2021 年度起为
    2021 年版格式（国办公开办函〔2021〕30号）。按表格用语判断实际使用的格式（如“本年新制作数量”“上一年项目数量”
    “政府集中采购”只见于 2019 年版）。2021 年度起用错格式为错误，2019、2020 年度为警告。
    The report uses the format of its data year (judged from the tables' vocabulary).

    为什么重要：
    旧格式缺少 2021 年版新增的统计项（如逾期未缴费的申请），数据无法与其他机关汇总比较。

    不合规示例：
    2021 年度报告的表二仍有“本年新制作数量”“上一年项目数量”“政府集中采购”。

    合规示例：
    2021 年度报告的表二为“本年制发件数”“本年废止件数”“现行有效件数”。

    依据：
    国办公开办函〔2021〕30号；国办公开办函〔2019〕60号。
    """
    report = ctx.report
    if report.year is None:
        raise CannotCheck("未能确定报告年度", "the data year is unknown")
    evidence = report.format_detected_from
    if report.format_version == "2008" and format_for_year(report.year) == "2008":
        return  # no national format before 2019: the old shape is the right one
    if not report.format_version or not evidence or evidence.startswith("data year"):
        raise CannotCheck("格式版本仅按年度推定，表格中没有可判断格式的用语",
                          "the format was assumed from the year; the tables show no vocabulary to judge it by")
    expected = format_for_year(report.year)
    if expected is None or expected == report.format_version:
        return
    severity = Severity.ERROR if report.year >= 2021 else Severity.WARNING
    exp, act = load_format(expected), load_format(report.format_version)
    yield ctx.finding(year=report.year, expected_name=exp.name, expected_en=exp.name_en, actual_name=act.name,
                      actual_en=act.name_en, evidence=evidence, expected=expected, actual=report.format_version,
                      severity=severity, location=Location(section="active", table="active"))


def _note_data(note: ReadNote) -> dict[str, str]:
    return dict(note.data)


def _note_location(note: ReadNote) -> Location:
    data = _note_data(note)
    return Location(section=data.get("table"), table=data.get("table"), row=data.get("row"),
                    column=data.get("column"), source=note.locator)


@rule("S009", Category.STRUCTURE, Severity.WARNING, title="表格中有不属于格式的行或列",
      title_en="Table rows or columns not in the format",
      basis=national("（统计表的行、列按格式填写，不得增删）"),
      formats=_NATIONAL,
      messages={"default": ("{detail}", "{detail_en}"),
                "row": ("{table}中的行“{label}”不属于格式规定的行，未读取其数据",
                        "Row '{label}' of {table_en} is not a row of the format; its data were not read"),
                "column": ("{table}中的列“{label}”不属于格式规定的列，未读取其数据",
                           "Column '{label}' of {table_en} is not a column of the format; its data were not read"),
                "parts": ("{table}中有 {n} 处行或列不属于格式规定的行列，未读取其数据：{items}",
                          "{n} rows or columns of {table_en} are not in the format; their data were not read: "
                          "{items_en}")})
def unmatched_rows_and_columns(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    统计表中无法对应到格式规定行、列的内容（自行增加的行、说明行、改写得认不出的标签），逐一列出而不静默丢弃。
    Rows and columns of a table that match nothing in the format are listed, never dropped silently.

    为什么重要：
    自行增删行列会破坏全国统一口径；读不出的行也可能藏着应计入的数据。

    不合规示例：
    表三在“（七）总计”下自行增加一行“其中：网上申请”。

    合规示例：
    表格行列与格式完全一致，补充说明写在正文中。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = ctx.fmt
    if fmt is None or not fmt.tables:
        raise CannotCheck("该格式没有统计表", "the format has no tables")
    noted: set[tuple[str | None, str]] = set()
    found: list[_Part] = []
    for note in ctx.report.read_notes:
        if note.code not in ("unmatched-row", "unmatched-column"):
            continue
        data = _note_data(note)
        label = data.get("row") or data.get("column") or ""
        noted.add((data.get("table"), label))
        if data.get("table") in fmt.tables and is_broken_label(label, fmt.tables[data["table"]]):
            continue  # a label the file lost or broke, not a row the agency added: F006 names it
        found.append(_Part(data.get("table"), _note_item(note), ctx.finding(
            detail=note.detail, detail_en=note.detail_en, expected=None, actual=label or None,
            location=_note_location(note))))
    # Tables read from flattened text carry their leftovers without notes.
    for key, table in ctx.report.tables.items():
        if key not in fmt.tables:
            continue
        for kind, labels in (("row", table.unmatched_rows), ("column", table.unmatched_cols)):
            for label in labels:
                if (key, label) in noted or any(label == n[1] for n in noted):
                    continue
                if is_broken_label(label, fmt.tables[key]):
                    continue  # F006 names it
                noted.add((key, label))
                item = (f"行“{label}”", f"row {label!r}") if kind == "row" else (f"列“{label}”", f"column {label!r}")
                found.append(_Part(key, item, ctx.finding(
                    kind, table=table_name(fmt, key), table_en=table_name_en(fmt, key), label=label,
                    expected=None, actual=label, location=Location(section=key, table=key, text=label))))
    yield from _per_table(ctx, fmt, found)


@dataclass(frozen=True)
class _Part:
    """One thing a structure rule found in a table: how a list names it, and its own finding."""

    table: str | None
    item: tuple[str, str]
    finding: Finding


def _note_item(note: ReadNote) -> tuple[str, str]:
    """A read note's row or column as a list names it: 行“…”, 列“…”, or “…”行“…”列."""
    data = _note_data(note)
    row, col = data.get("row"), data.get("column")
    if row and col:
        return f"“{row}”行“{col}”列", f"row {row!r}, column {col!r}"
    if row:
        return f"行“{row}”", f"row {row!r}"
    if col:
        return f"列“{col}”", f"column {col!r}"
    return note.detail, note.detail_en


def _per_table(ctx: RuleContext, fmt: FormatDef, parts: list[_Part]) -> Iterator[Finding]:
    """Each table's parts as one finding (template "parts") when there are several, else their own."""
    by_table: dict[str | None, list[_Part]] = {}
    for part in parts:
        by_table.setdefault(part.table, []).append(part)
    for key, mine in by_table.items():
        if len(mine) == 1 or key is None:
            yield from (p.finding for p in mine)
            continue
        names = [p.item[0] for p in mine]
        names_en = [p.item[1] for p in mine]
        first = mine[0].finding.location
        yield ctx.finding(
            "parts", table=table_name(fmt, key) if key in fmt.tables else key,
            table_en=table_name_en(fmt, key) if key in fmt.tables else key, n=len(mine),
            items="、".join(names[:8]) + ("等" if len(names) > 8 else ""),
            items_en="; ".join(names_en[:8]) + ("; …" if len(names) > 8 else ""),
            expected=None, actual=[p.finding.actual for p in mine] if any(p.finding.actual for p in mine) else None,
            location=Location(section=key, table=key, source=first.source))


@rule("S010", Category.STRUCTURE, Severity.INFO, title="表格有非标准列（已忽略）",
      title_en="Non-standard column ignored",
      basis="国办公开办函〔2021〕30号（表三不设“法人或其他组织”小计列）", formats=_NATIONAL,
      messages={"default": ("{detail}", "{detail_en}")})
def extra_columns(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    表格中格式没有、但可以识别并忽略的列，例如表三“法人或其他组织”的小计列。这类列不影响核对，仅作提示。
    Extra columns the format does not have but that can be ignored (e.g. a subtotal) are mentioned.

    为什么重要：
    多出的小计列虽不影响数据，但偏离统一格式，汇总时需要人工剔除。

    不合规示例：
    表三在五类法人或其他组织之后加了一列“小计”。

    合规示例：
    按格式只列自然人、五类法人或其他组织和总计。

    依据：
    国办公开办函〔2021〕30号 所附表三。
    """
    for note in ctx.report.read_notes:
        if note.code == "extra-column":
            yield ctx.finding(detail=note.detail, detail_en=note.detail_en, expected=None,
                              actual=_note_data(note).get("column"), location=_note_location(note))


@rule("S011", Category.STRUCTURE, Severity.WARNING, title="表格或表格行重复", title_en="Table or row repeated",
      basis=national("（每张统计表只列一次）"), formats=_NATIONAL,
      messages={"default": ("{detail}", "{detail_en}"),
                "parts": ("{table}有 {n} 行出现多次且数值不同，均取第一次出现的数值：{items}",
                          "{n} rows of {table_en} appear more than once with different values; the first is used: "
                          "{items_en}")})
def repeated_tables(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    同一张统计表出现多次，或同一行出现多次且数字不同。此时只采用一份（填写数字最多的表、第一次出现的行），
    其余的在此列出，以免被静默丢弃。
    A table or a row given more than once: which copy was used is said, the others are listed.

    为什么重要：
    两份不同的数字让读者无从判断哪一份是准确的。

    不合规示例：
    表三在正文中出现一次，在附件图片下又以不同数字出现一次。

    合规示例：
    每张表只出现一次。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号。
    """
    fmt = ctx.fmt
    parts: list[_Part] = []
    for note in ctx.report.read_notes:
        if note.code in ("duplicate-table", "duplicate-row"):
            table = _note_data(note).get("table") if note.code == "duplicate-row" else None
            parts.append(_Part(table, _duplicate_item(fmt, note), ctx.finding(
                detail=note.detail, detail_en=note.detail_en, expected=None, actual=None,
                location=_note_location(note))))
    if fmt is None:
        yield from (p.finding for p in parts)
    else:
        yield from _per_table(ctx, fmt, parts)


def _duplicate_item(fmt: FormatDef | None, note: ReadNote) -> tuple[str, str]:
    data = _note_data(note)
    table, row = data.get("table"), data.get("row")
    if fmt is not None and table in fmt.tables and row:
        tdef = fmt.tables[table]
        if row in tdef.row_keys:
            return f"“{row_label(tdef, row)}”行", f"row '{row_label_en(tdef, row)}'"
    return _note_item(note)


@rule("S012", Category.STRUCTURE, Severity.WARNING, title="表格缺少格式规定的单元格",
      title_en="Table lacks cells of the format",
      basis=national("（统计表各行各列均须填写）"), formats=_NATIONAL,
      messages={
          "row": ("{table}缺少“{what}”行", "{table_en} lacks the row '{what_en}'"),
          "column": ("{table}缺少“{what}”列", "{table_en} lacks the column '{what_en}'"),
          "cell": ("{table}缺少“{what}”单元格", "{table_en} lacks the cell '{what_en}'"),
          "parts": ("{table}缺少 {n} 处（共 {n_cells} 个单元格）：{what}",
                    "{table_en} lacks {n} parts ({n_cells} cells): {what_en}"),
          "short": ("{table}“{what}”行只读出 {n} 个单元格，少于格式规定的 {m} 个；空缺的是哪一格无法从文件确定"
                    "（已按列的顺序读取）",
                    "{table_en}: row '{what_en}' gives {n} cells where the format has {m}; which one is missing "
                    "cannot be told from the file (read in column order)"),
          "legacy": ("{table}的“{label}”只有一行（{layout}格式的写法），现行格式要求分列{rows}；"
                     "该行数值已按“{read_as}”读取",
                     "{table_en} has '{label}' as one row ({layout_en} format's layout); the current format "
                     "lists {rows_en} separately. The row was read as '{read_as_en}'"),
      })
def missing_cells(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    已找到的统计表中，格式规定的每一行、每一列、每个单元格都在（空白也算在，空白由 V002 报告）。
    整行或整列缺失时按行、列称呼；一张表缺少多处时合并为一条结论，列出缺少的行、列和单元格。
    勾稽计算时缺失的单元格按 0 处理（一侧全部缺失时不核对），并在相应结论中注明。
    在文件中存在、但数字连在一起无法拆分的行不算缺少（由 F007 报告）。
    Every row, column and cell of the format is present in a table that was found (a row that is there but
    whose run-together digits cannot be split is not missing: F007 says so).

    为什么重要：
    删掉的行（如 2021 年格式新增的“申请人逾期未按收费通知要求缴纳费用”）会使汇总口径不一致。

    不合规示例：
    2021 年度报告的表三没有“（六）其他处理”下的三行。

    合规示例：
    按格式列出全部 25 行、7 列。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = ctx.fmt
    if fmt is None or not fmt.tables:
        raise CannotCheck("该格式没有统计表", "the format has no tables")
    if not any(k in ctx.report.tables for k in fmt.tables):
        raise table_absent(ctx.report, fmt, tuple(fmt.tables), ("未找到统计表", "no table was found"))
    for key, tdef in fmt.tables.items():
        table = ctx.report.tables.get(key)
        if table is None:
            continue
        cells = table.cells
        # A set made from a dict reuses its stored hashes: the usual complete table is passed over cheaply.
        if definition_cell_set(tdef) <= set(cells):
            continue
        name, name_en = table_name(fmt, key), table_name_en(fmt, key)
        unplaced = [p for p in unread_parts(ctx.report, fmt) if p.table == key]
        if unplaced:  # the parts not found may be those whose labels the file lost: not shown to be missing
            ctx.not_checked_part(
                f"{name}有 {len(unplaced)} 处行或列的标签在文件中残缺或与数字分开，未能读出；"
                f"格式规定的行列是否缺少未核对",
                f"{name_en}: {len(unplaced)} rows or columns whose labels the file broke or detached were not "
                f"read; whether the format's rows and columns are missing was not checked")
            continue
        replaced: set[str] = set()
        for note in ctx.report.read_notes:
            data = _note_data(note)
            if note.code == "rows-unreadable" and data.get("table") == key:
                replaced.update(r for r in data.get("rows", "").split(",") if r)  # there, not missing (F007)
                continue
            if note.code != "legacy-row" or data.get("table") != key:
                continue
            # A group printed as one row, as the older format had it: one finding, not one per row it lacks.
            rows = [*data.get("replaces", "").split(","), data["row"]]
            replaced.update(r for r in rows if r)
            layout = data.get("layout")
            yield ctx.finding(
                "legacy", table=name, table_en=name_en, label=data.get("label", ""),
                layout=f"{layout}年版" if layout else "旧版", layout_en=f"the {layout}" if layout else "an older",
                rows="、".join(f"“{row_label(tdef, r)}”" for r in rows if r),
                rows_en=", ".join(f"'{row_label_en(tdef, r)}'" for r in rows if r),
                read_as=row_label(tdef, data["row"]), read_as_en=row_label_en(tdef, data["row"]),
                expected=[r for r in rows if r], actual=data.get("label"), location=_note_location(note))
        outside = _printed_outside(ctx.report.text, tdef, {c[0] for c in definition_cells(tdef) if c not in cells})
        if outside:  # "行政许可 97" on a line of its own beside the table: printed, only not read as its row
            replaced.update(outside)
            ctx.not_checked_part(
                f"{name}的{'、'.join(f'“{row_label(tdef, r)}”' for r in outside)}行印在表格之外的文字行中，"
                f"未作为表格行读取，未核对",
                f"{name_en}: rows {', '.join(repr(row_label_en(tdef, r)) for r in outside)} are printed on text "
                f"lines outside the table and were not read as its rows: not checked")
        missing = [c for c in definition_cells(tdef) if c not in cells and c[0] not in replaced]
        left = set(missing)
        # A row read from text with fewer values than cells, its first ones in column order: the file does not say
        # which cell it lacks, so the finding says that much and no more.
        for row in tdef.row_keys:
            members = row_cells(tdef, row)
            absent = [c for c in members if c in left]
            if absent and len(absent) < len(members) and absent == list(members[len(members) - len(absent):]):
                left -= set(absent)
                yield ctx.finding("short", table=name, table_en=name_en, what=row_label(tdef, row),
                                  what_en=row_label_en(tdef, row), n=len(members) - len(absent), m=len(members),
                                  expected=len(members), actual=len(members) - len(absent),
                                  location=Location(section=key, table=key, row=row))
        missing = [c for c in missing if c in left]
        # Whole rows, then whole columns, then single cells: as few names as say it.
        parts: list[tuple[str, str, str, str, Location]] = []
        for row in tdef.row_keys:
            members = row_cells(tdef, row)
            if members and all(c in left for c in members):
                left -= set(members)
                parts.append(("row", row, row_label(tdef, row), row_label_en(tdef, row),
                              Location(section=key, table=key, row=row)))
        for col in tdef.column_keys:
            members = column_cells(tdef, col)
            if len(members) > 1 and all(c in left for c in members):
                left -= set(members)
                parts.append(("column", col, column_label(tdef, col), column_label_en(tdef, col),
                              Location(section=key, table=key, column=col)))
        for row, col in (c for c in missing if c in left):
            parts.append(("cell", f"{row}/{col}", cell_label(tdef, row, col), cell_label_en(tdef, row, col),
                          Location(section=key, table=key, row=row, column=col)))
        if not parts:  # every missing row is one an older layout's single row stands for
            continue
        if len(parts) == 1:
            kind, expected, what, what_en, location = parts[0]
            yield ctx.finding(kind, table=name, table_en=name_en, what=what, what_en=what_en, expected=expected,
                              actual=None, location=location)
            continue
        # Several: one finding for the table (a dropped block of rows must not bury the other findings).
        unit = {"row": ("行", "row"), "column": ("列", "column"), "cell": ("单元格", "cell")}
        names = [f"“{what}”{unit[kind][0]}" for kind, _, what, _, _ in parts]
        names_en = [f"{unit[kind][1]} '{what_en}'" for kind, _, _, what_en, _ in parts]
        yield ctx.finding("parts", table=name, table_en=name_en, n=len(parts), n_cells=len(missing),
                          what="、".join(names[:8]) + ("等" if len(names) > 8 else ""),
                          what_en="; ".join(names_en[:8]) + ("; …" if len(names) > 8 else ""),
                          expected=[p[1] for p in parts], actual=None,
                          location=Location(section=key, table=key, cells=tuple(missing)))


def _printed_outside(text: str, tdef: TableDef, rows: set[str]) -> list[str]:
    """Those of `rows` that the text prints as a line of their own, the label and numbers only."""
    if not rows:
        return []
    lines = {"".join(line.split()) for line in text.splitlines() if line.strip()}
    out = []
    for row in tdef.row_keys:
        if row not in rows:
            continue
        label = "".join(tdef.row(row).label.split())
        pattern = re.compile(re.escape(label) + r"[\d.,，]+")
        if any(pattern.fullmatch(line) for line in lines):
            out.append(row)
    return out


@rule("S014", Category.STRUCTURE, Severity.INFO, title="表格行标签残缺（已按位置读取）",
      title_en="Damaged row label read by its place",
      basis=national("（统计表的行按格式填写）"), formats=_NATIONAL,
      messages={"default": ("{detail}", "{detail_en}")})
def damaged_row_labels(ctx: RuleContext) -> Iterator[Finding]:
    """检查内容：
    统计表中行标签残缺、折行或多出空格（常见于 WPS、Word 导出的 PDF 丢字，如“2.其他法律行政止公开”），
    但该行位于格式规定的位置、标签与格式的行标签基本一致的，按其位置读取，并在此说明所读的标签原文。
    与两行都相近、无法确定是哪一行的，不读取，由 S009 报告。
    A row whose label is a damaged form of the row the format expects where it stands is read, and said.

    为什么重要：
    残缺的标签让读者和汇总程序难以确认数字属于哪一行；按位置读取的结果应当由人核对。

    不合规示例：
    表三“（三）不予公开”下第 2 行印作“2.其他法律行政止公开”。

    合规示例：
    “2.其他法律行政法规禁止公开”。

    依据：
    国办公开办函〔2021〕30号、国办公开办函〔2019〕60号 所附统计表。
    """
    fmt = ctx.fmt
    if fmt is None or not fmt.tables:
        raise CannotCheck("该格式没有统计表", "the format has no tables")
    for note in ctx.report.read_notes:
        if note.code == "damaged-label":
            yield ctx.finding(detail=note.detail, detail_en=note.detail_en, expected=_note_data(note).get("row"),
                              actual=_note_data(note).get("label"), location=_note_location(note))
