"""The per-agency HTML report: verdict, findings with their evidence, what passed, what was not checked.

This module turns a SubmissionResult into plain view objects (labels looked up, tables laid out as
rows of cells with their highlight); the Jinja2 template only lays those out. The page is one
self-contained file: inline CSS, no scripts needed, no network, printable on A4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import jinja2

from ogi import __version__
from ogi.checks.basis import basis_version
from ogi.model import (
    Category,
    CellKind,
    CellValue,
    Finding,
    Location,
    Report,
    Severity,
    SubmissionResult,
    Table,
)
from ogi.reports import i18n
from ogi.reports.common import (
    Counts,
    cells_line,
    counts,
    display_name,
    find_rule,
    ordered_findings,
    rule_title,
    ruleset_label,
    shown_value,
)
from ogi.reports.serialize import jsonable
from ogi.schemas.definitions import FormatDef, TableDef, load_format

FONT_STACK = '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif'


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment; autoescape is always on (agency names and messages are untrusted)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ogi.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["font_stack"] = FONT_STACK
    return env


def translator(lang: str) -> Callable[[str], str]:
    return lambda key: i18n.t(key, lang)


# ---------------------------------------------------------------------------------------------
# View objects


@dataclass(frozen=True)
class CellView:
    text: str
    css: str = ""
    title: str = ""
    likely: bool = False  # the most likely wrong cell


@dataclass(frozen=True)
class RowView:
    label: str
    cells: tuple[CellView, ...]
    css: str = ""
    group: bool = False  # a row that only heads a group of rows


@dataclass(frozen=True)
class TableView:
    title: str
    columns: tuple[CellView, ...]
    rows: tuple[RowView, ...]
    note: str = ""
    likely_cell: str | None = None  # "row label × column label"


@dataclass(frozen=True)
class FindingView:
    code: str
    title: str
    severity: str
    severity_name: str
    message: str
    basis: str
    location: tuple[tuple[str, str], ...]
    in_file: str | None
    excerpt: str | None
    expected: str | None
    actual: str | None
    fix: str | None
    table: TableView | None
    how_to_fix: str
    anchor: str
    table_above: bool = False  # the table is drawn with an earlier finding of the same rule


@dataclass(frozen=True)
class CategoryView:
    name: str
    severity: str  # the worst severity in the group
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class WaiverView:
    code: str
    title: str
    message: str
    reason: str
    approver: str
    expires: str


@dataclass(frozen=True)
class ReportView:
    lang: str
    name: str
    year: int | None
    status: str
    status_name: str
    counts: Counts
    facts: tuple[tuple[str, str], ...]
    categories: tuple[CategoryView, ...]
    passed: tuple[tuple[str, str], ...]
    not_checked: tuple[tuple[str, str, str], ...]
    waived: tuple[WaiverView, ...]
    provenance: tuple[tuple[str, str], ...]
    index_href: str | None = None
    rule_errors: tuple[tuple[str, str, str, str], ...] = ()  # code, title, error, traceback


# ---------------------------------------------------------------------------------------------
# Building the views


def format_value(value: Any, lang: str = "zh") -> str | None:
    """Expected / actual as a reader sees them; an empty text is shown as blank, not as nothing."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return f"（{i18n.t('blank_cell', lang)}）" if lang != "en" else f"({i18n.t('blank_cell', lang)})"
    value = jsonable(value)
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list):
        return "、".join(str(format_value(v, lang)) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {format_value(v, lang)}" for k, v in value.items())
    return str(value)


def _format_def(report: Report | None) -> FormatDef | None:
    if report is None or report.format_version is None:
        return None
    try:
        return load_format(report.format_version)
    except KeyError:
        return None


def _table_def(report: Report | None, key: str) -> TableDef | None:
    fmt = _format_def(report)
    return fmt.tables.get(key) if fmt else None


def _section_label(report: Report | None, key: str, lang: str) -> str:
    if key == "preamble":
        return "Preamble" if lang == "en" else "前言"
    fmt = _format_def(report)
    sdef = fmt.section(key) if fmt else None
    section = report.section(key) if report else None
    # Chinese readers see the heading as the report wrote it, so they can find it.
    if lang != "en" and section is not None and section.heading:
        return section.heading
    if sdef is not None:
        return sdef.en if lang == "en" else sdef.heading
    return section.heading if section else key


def _row_label(tdef: TableDef | None, key: str, lang: str) -> str:
    return _label(tdef, key, lang, "row")


def _column_label(tdef: TableDef | None, key: str, lang: str) -> str:
    return _label(tdef, key, lang, "column")


def _label(tdef: TableDef | None, key: str, lang: str, kind: str) -> str:
    """The official label (or English name) of a row or column key; the key itself when unknown."""
    if tdef is None:
        return key
    try:
        item = tdef.row(key) if kind == "row" else tdef.column(key)
    except StopIteration:
        return key
    return item.en if lang == "en" else item.label


def _table_title(report: Report | None, key: str, lang: str) -> str:
    tdef = _table_def(report, key)
    if tdef is None:
        return key
    return tdef.title_en if lang == "en" else tdef.title


def location_parts(report: Report | None, loc: Location, lang: str) -> tuple[tuple[str, str], ...]:
    t = translator(lang)
    parts: list[tuple[str, str]] = []
    if loc.section:
        parts.append((t("location_section"), _section_label(report, loc.section, lang)))
    tdef = _table_def(report, loc.table) if loc.table else None
    if loc.table:
        parts.append((t("location_table"), _table_title(report, loc.table, lang)))
    if loc.row:
        parts.append((t("location_row"), _row_label(tdef, loc.row, lang)))
    if loc.column:
        parts.append((t("location_column"), _column_label(tdef, loc.column, lang)))
    listed = cells_line(report, loc, lang)
    if listed:
        parts.append((t("location_cells"), listed))
    return tuple(parts)


def _cell_text(cell: CellValue | None, lang: str) -> tuple[str, str]:
    """The text a cell shows and its CSS class: the raw text as written, "blank" when empty."""
    if cell is None:
        return "", "absent"
    if cell.kind is CellKind.BLANK or not cell.raw.strip():
        return i18n.t("blank_cell", lang), "blank"
    css = {CellKind.PLACEHOLDER: "placeholder", CellKind.ANNOTATED: "annotated", CellKind.TEXT: "text"}
    return cell.raw.strip(), css.get(cell.kind, "")


def fix_cells(tdef: TableDef | None, fix: str | None) -> list[tuple[str, str]]:
    """The cells a finding's fix names ("自然人×部分公开应为 5（现为 3）…"), in table order.

    The checks name a cell by `ogi.checks.cells.cell_label`; matching the same labels back is how the
    report knows which cell to mark when the finding itself points at a whole row or column.
    """
    if tdef is None or not fix:
        return []
    from ogi.checks.cells import cell_label, cell_label_en

    found = []
    for row, col in tdef.cells():
        try:
            zh, en = cell_label(tdef, row, col), cell_label_en(tdef, row, col)
        except StopIteration:
            continue
        if f"{zh}应为" in fix or f"{en}: " in fix:
            found.append((row, col))
    return found


def fix_text(fix: str | None, lang: str) -> str | None:
    """The fix in the reader's language: checks write "中文 / English"."""
    if not fix:
        return None
    zh, sep, en = fix.partition(" / ")
    if not sep:
        return fix
    return en.strip() if lang == "en" else zh.strip()


def table_view(report: Report, table: Table, locs: Location | list[Location], lang: str,
               likely: list[tuple[str, str]] | None = None) -> TableView:
    """The table as the official format lays it out, with the findings' rows, columns and cells highlighted.

    A location naming a row and a column marks that cell as the most likely wrong one; `likely` adds
    cells named by a fix; a location naming only a row or a column marks the whole row or column.
    """
    locs = [locs] if isinstance(locs, Location) else locs
    tdef = _table_def(report, table.key)
    if tdef is not None:
        col_keys = list(tdef.column_keys)
        col_labels = [_column_label(tdef, k, lang) for k in col_keys]
        row_defs = list(tdef.groups or tdef.rows)
        row_plan: list[tuple[str, str, tuple[str, ...] | None, str | None]] = [
            (r.key, r.en if lang == "en" else r.label, r.cols, r.group) for r in row_defs]
        title = tdef.title_en if lang == "en" else tdef.title
        note = "" if lang == "en" else tdef.note
    else:
        # No definition (old shape, or an unknown format): lay out the keys as they were read.
        col_keys, row_keys = [], []
        for r, c in table.cells:
            if c not in col_keys:
                col_keys.append(c)
            if r not in row_keys:
                row_keys.append(r)
        col_labels = list(col_keys)
        row_plan = [(k, k, None, None) for k in row_keys]
        title, note = table.key, ""
    likely_cells = [(loc.row, loc.column) for loc in locs if loc.row and loc.column]
    likely_cells += [c for c in likely or [] if c not in likely_cells]
    hit_rows = {loc.row for loc in locs if loc.row} | {r for r, _ in likely_cells}
    hit_cols = {loc.column for loc in locs if loc.column} | {c for _, c in likely_cells}
    listed = {c for loc in locs for c in loc.cells}  # cells a grouped finding lists: marked one by one
    columns = tuple(CellView(label, "hit-col" if key in hit_cols else "")
                    for key, label in zip(col_keys, col_labels, strict=True))
    rows: list[RowView] = []
    current_group: str | None = None
    for key, label, cols, group in row_plan:
        if group and group != current_group and tdef is not None:
            rows.append(RowView(_group_label(tdef, group), (), "group", group=True))
        current_group = group
        cells: list[CellView] = []
        for col in col_keys:
            if cols is not None and col not in cols:
                cells.append(CellView(i18n.t("not_applicable", lang), "na"))
                continue
            cell = table.get(key, col)
            text, css = _cell_text(cell, lang)
            classes = [css] if css else []
            is_likely = (key, col) in likely_cells
            if is_likely:
                classes.append("hit-cell")
            elif key in hit_rows:
                classes.append("hit-row")
            elif col in hit_cols:
                classes.append("hit-col")
            elif (key, col) in listed:
                classes.append("hit-listed")
            where = cell.locator.describe() if cell and cell.locator else ""
            cells.append(CellView(text, " ".join(classes), where, is_likely))
        rows.append(RowView(label, tuple(cells), "hit-row" if key in hit_rows else ""))
    named = "；".join(f"{_row_label(tdef, r, lang)} × {_column_label(tdef, c, lang)}" for r, c in likely_cells)
    return TableView(title, columns, tuple(rows), note, named or None)


def _group_label(tdef: TableDef, group: str) -> str:
    # The format definitions carry group labels in Chinese only.
    return next((g.label for g in tdef.group_rows if group in g.match or group in g.label), group)


def how_to_fix(code: str, lang: str, report: Report | None = None) -> str:
    """From the rule's documentation: its 如何修改 section, else its 合规示例 (for the report's year and regime)."""
    rule = find_rule(code)
    if rule is None:
        return ""
    sections = (rule.doc_sections(report.year, basis_version(report)) if report is not None
                else rule.doc_sections())
    if sections.get("如何修改"):
        return sections["如何修改"]
    example = sections.get("合规示例")
    return i18n.t("compliant_example", lang) + example if example else ""


def finding_view(result: SubmissionResult, finding: Finding, index: int, lang: str,
                 table: TableView | None = None, table_above: bool = False) -> FindingView:
    report = result.report
    loc = finding.location
    rule = find_rule(finding.rule)
    return FindingView(
        code=finding.rule,
        title=rule_title(finding.rule, lang),
        severity=finding.severity.value,
        severity_name=i18n.severity_name(finding.severity, lang),
        message=i18n.message(finding, lang),
        basis=finding.basis or (rule.basis if rule else ""),
        location=location_parts(report, loc, lang),
        in_file=loc.source.describe() if loc.source else None,
        excerpt=loc.text if loc.text and loc.text != result.source else None,
        expected=format_value(shown_value(finding, "expected"), lang),
        actual=format_value(shown_value(finding, "actual"), lang),
        fix=fix_text(finding.fix, lang),
        table=table,
        table_above=table_above,
        how_to_fix=how_to_fix(finding.rule, lang, report),
        anchor=f"f{index}-{finding.rule}",
    )


def _table_key(result: SubmissionResult, finding: Finding) -> str | None:
    key = finding.location.table
    report = result.report
    return key if report is not None and key and key in report.tables else None


def category_views(result: SubmissionResult, lang: str) -> tuple[CategoryView, ...]:
    """Findings grouped by category; the groups with the worst findings first, then in category order.

    Several findings of one rule about one table share one drawing of it (on the first of them) with
    all their rows, columns and cells marked, rather than the same table drawn again for each.
    """
    groups: dict[Category, list[Finding]] = {}
    for finding in ordered_findings(result.findings):
        groups.setdefault(finding.category, []).append(finding)
    order = list(Category)
    ranked = sorted(groups.items(), key=lambda kv: (-max(f.severity.rank for f in kv[1]), order.index(kv[0])))
    report = result.report
    views: list[CategoryView] = []
    index = 0
    for category, findings in ranked:
        shared: dict[tuple[str, str], list[Finding]] = {}
        for finding in findings:
            key = _table_key(result, finding)
            if key is not None:
                shared.setdefault((finding.rule, key), []).append(finding)
        drawn: set[tuple[str, str]] = set()
        items = []
        for finding in findings:
            index += 1
            key = _table_key(result, finding)
            table, above = None, False
            if key is not None and report is not None:
                if (finding.rule, key) in drawn:
                    above = True
                else:
                    drawn.add((finding.rule, key))
                    together = shared[(finding.rule, key)]
                    tdef = _table_def(report, key)
                    likely = [c for f in together for c in fix_cells(tdef, f.fix)]
                    table = table_view(report, report.tables[key], [f.location for f in together], lang, likely)
            items.append(finding_view(result, finding, index, lang, table, above))
        worst = max(findings, key=lambda f: f.severity.rank).severity
        views.append(CategoryView(i18n.category_name(category, lang), worst.value, tuple(items)))
    return tuple(views)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def report_facts(result: SubmissionResult, lang: str) -> tuple[tuple[str, str], ...]:
    t = translator(lang)
    report = result.report
    if report is None:
        return ((t("source"), result.source),)
    level = i18n.level_name(report.level, lang)
    if report.level and report.level_inferred:
        level += t("inferred")
    facts = [
        (t("agency"), report.agency or t("unknown")),
        (t("year"), str(report.year) if report.year else t("unknown")),
        (t("level"), level),
        (t("format"), report.format_version or t("unknown")),
        (t("published"), _date(report.published.date if report.published else None)),
        (t("signed"), _date(report.signed.date if report.signed else None)),
    ]
    if report.title:
        facts.insert(0, (t("report_name"), report.title))
    return tuple(facts)


def provenance(result: SubmissionResult, lang: str,
               generated_at: dt.datetime | None) -> tuple[tuple[str, str], ...]:
    t = translator(lang)
    report = result.report
    items = [
        (t("source"), result.source),
        (t("sha256"), result.sha256 or "—"),
        (t("format"), (report.format_version if report else None) or "—"),
        (t("ruleset"), ruleset_label(lang)),
        (t("tool_version"), f"ogi-checks {__version__}"),
    ]
    if generated_at is not None:
        items.append((t("generated_at"), generated_at.isoformat(timespec="seconds")))
    return tuple(items)


def build_view(result: SubmissionResult, lang: str = "zh", *, generated_at: dt.datetime | None = None,
               index_href: str | None = None) -> ReportView:
    report = result.report
    waived = []
    for f in result.waived:
        assert f.waived is not None
        w = f.waived
        expires = w.expires.isoformat() if w.expires else i18n.t("no_expiry", lang)
        waived.append(WaiverView(f.rule, rule_title(f.rule, lang), i18n.message(f, lang), w.reason,
                                 w.approver, expires))
    return ReportView(
        lang=lang,
        name=display_name(result),
        year=report.year if report else None,
        status=result.status.value,
        status_name=i18n.status_name(result.status, lang),
        counts=counts(result),
        facts=report_facts(result, lang),
        categories=category_views(result, lang),
        passed=tuple((code, rule_title(code, lang)) for code in result.passed),
        not_checked=tuple((n.rule, rule_title(n.rule, lang), i18n.reason(n, lang))
                          for n in result.not_checked),
        waived=tuple(waived),
        provenance=provenance(result, lang, generated_at),
        index_href=index_href,
        rule_errors=tuple((e.rule, rule_title(e.rule, lang), e.error, e.traceback) for e in result.rule_errors),
    )


def render_report_html(result: SubmissionResult, lang: str = "zh", *, generated_at: dt.datetime | None = None,
                       index_href: str | None = None) -> str:
    """One submission's report as a self-contained HTML page."""
    view = build_view(result, lang, generated_at=generated_at, index_href=index_href)
    template = environment().get_template("report.html.j2")
    return template.render(v=view, t=translator(lang), lang=lang, severities=[s.value for s in Severity])
