"""summary.xlsx: 报告汇总 (one row per submission), 问题明细 (every finding), 报送情况 (the roster).

The workbook is byte-for-byte reproducible: the zip entries and the document properties carry a
fixed time (or `generated_at` when one is given), never the time of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ogi.model import Finding, SubmissionResult
from ogi.reports import i18n
from ogi.reports.common import counts, display_name, rule_title, shown_value, timeliness, timeliness_name
from ogi.reports.html import fix_text, format_value, location_parts
from ogi.roster import RosterReport

SHEET_SUMMARY = "报告汇总"
SHEET_FINDINGS = "问题明细"
SHEET_ROSTER = "报送情况"

SUMMARY_HEADERS = ("机关", "层级", "年度", "格式", "发布日期", "成文日期", "按时发布", "错误", "警告", "提示",
                   "已豁免", "结论", "文件", "SHA-256")
FINDING_HEADERS = ("机关", "年度", "规则", "规则名称", "级别", "类别", "说明", "位置", "原文", "应为", "实为",
                   "建议修改", "依据", "豁免", "文件")
ROSTER_HEADERS = ("机关", "地区", "层级", "报送状态", "期限", "发布日期", "逾期天数", "报告文件")

FIXED_TIME = dt.datetime(2000, 1, 1)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EDF3")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an xlsx cell cannot hold


def _clean(value: Any) -> Any:
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def _width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
           max_width: int = 60) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        ws.append([_clean(v) for v in row])
    ws.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        widest = max([_width(header), *(_width(r[index - 1]) for r in rows if index - 1 < len(r))])
        ws.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), max_width)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"


def _summary_rows(results: Sequence[SubmissionResult], lang: str) -> list[list[Any]]:
    rows = []
    for r in results:
        rep = r.report
        c = counts(r)
        rows.append([
            display_name(r),
            i18n.level_name(rep.level, lang) if rep and rep.level else None,
            rep.year if rep else None,
            rep.format_version if rep else None,
            rep.published.date if rep and rep.published else None,
            rep.signed.date if rep and rep.signed else None,
            timeliness_name(timeliness(r), lang),
            c.error, c.warning, c.info, c.waived,
            i18n.status_name(r.status, lang),
            r.source,
            r.sha256 or None,
        ])
    return rows


def _finding_row(r: SubmissionResult, f: Finding, lang: str) -> list[Any]:
    rep = r.report
    where = "；".join(f"{k}：{v}" for k, v in location_parts(rep, f.location, lang))
    if f.location.source is not None:
        where = f"{where}（{f.location.source.describe()}）" if where else f.location.source.describe()
    waiver = f"{f.waived.reason}（{f.waived.approver}）" if f.waived else None
    excerpt = f.location.text if f.location.text and f.location.text != r.source else None
    return [
        display_name(r), rep.year if rep else None, f.rule, rule_title(f.rule, lang),
        i18n.severity_name(f.severity, lang), i18n.category_name(f.category, lang), i18n.message(f, lang),
        where or None, excerpt, format_value(shown_value(f, "expected"), lang),
        format_value(shown_value(f, "actual"), lang), fix_text(f.fix, lang),
        f.basis or None, waiver, r.source,
    ]


def _roster_rows(roster: RosterReport, lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in roster.rows:
        entry = row.entry
        rows.append([
            entry.agency, entry.jurisdiction or None,
            i18n.level_name(entry.level, lang) if entry.level else None,
            row.status.en if lang == "en" else row.status.zh, row.deadline, row.published, row.days_late,
            "；".join(s.source for s in row.submissions) or None,
        ])
    for s in roster.unlisted:
        rep = s.report
        rows.append([display_name(s), None, None, "not on the roster" if lang == "en" else "不在名单中", None,
                     rep.published.date if rep and rep.published else None, None, s.source])
    return rows


def build_workbook(results: Sequence[SubmissionResult], *, roster: RosterReport | None = None,
                   lang: str = "zh") -> Workbook:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SHEET_SUMMARY
    _sheet(summary, SUMMARY_HEADERS, _summary_rows(results, lang))

    findings = wb.create_sheet(SHEET_FINDINGS)
    rows = [_finding_row(r, f, lang) for r in results for f in (*r.findings, *r.waived)]
    _sheet(findings, FINDING_HEADERS, rows)
    findings.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_HEADERS))}{max(len(rows) + 1, 1)}"

    status = wb.create_sheet(SHEET_ROSTER)
    if roster is not None:
        _sheet(status, ROSTER_HEADERS, _roster_rows(roster, lang))
    else:
        _sheet(status, ("说明",), [["未提供应报机关名单（--roster），无法统计未报送和逾期情况。"]])
    return wb


def _reproducible(data: bytes, when: dt.datetime) -> bytes:
    """The same workbook with fixed zip timestamps and document times."""
    stamp = when.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = payload.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                payload = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(max(when.year, 1980), when.month, when.day,
                                                              when.hour, when.minute, when.second))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, payload)
    return out.getvalue()


def write_summary_xlsx(results: Sequence[SubmissionResult], path: Path, *, roster: RosterReport | None = None,
                       lang: str = "zh", generated_at: dt.datetime | None = None) -> None:
    wb = build_workbook(results, roster=roster, lang=lang)
    when = generated_at.astimezone(dt.timezone.utc) if generated_at and generated_at.tzinfo else generated_at
    wb.properties.creator = "ogi-checks"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue(), when or FIXED_TIME))
