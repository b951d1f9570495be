"""Results the report renderers are tested on: the seed's real run, and hand-built ones with table evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import ogi
from ogi.model import (
    Category,
    CellKind,
    CellValue,
    DatedText,
    Finding,
    Location,
    NotChecked,
    Report,
    Severity,
    SourceLocator,
    Status,
    SubmissionResult,
    Table,
    Waiver,
)
from ogi.schemas.definitions import load_format

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "changde-2017-zwzx.txt"
SEED_AGENCY = "常德市人民政府政务服务中心"
TABLE_AGENCY = "株洲市渌口区发展和改革局"


@lru_cache(maxsize=1)
def seed_result() -> SubmissionResult:
    """The seed checked for real: B001 error, S002 warning, information, D002 passed."""
    return ogi.check([SEED]).submissions[0]


def _n(text: str, locator: SourceLocator | None = None) -> CellValue:
    return CellValue(raw=text, kind=CellKind.NUMBER, value=Decimal(text), locator=locator)


def requests_table() -> Table:
    """Table 三 (2021 format): all zeros except a natural-person column that does not add up."""
    tdef = load_format("2021").tables["requests"]
    cells = {(r, c): _n("0") for r in tdef.row_keys for c in tdef.column_keys}
    cells[("new_received", "natural_person")] = _n("12")
    cells[("new_received", "total")] = _n("12")
    cells[("granted", "natural_person")] = _n("7")
    cells[("granted", "total")] = _n("7")
    cells[("partially_granted", "natural_person")] = _n("3", SourceLocator("xlsx", sheet="表三", cell="C8"))
    cells[("partially_granted", "total")] = _n("3")
    cells[("total_processed", "natural_person")] = _n("12")
    cells[("total_processed", "total")] = _n("12")
    cells[("carried_forward", "commercial")] = CellValue(raw="", kind=CellKind.BLANK)
    return Table("requests", cells)


def table_result(agency: str = TABLE_AGENCY, *, source: str = "batch/渌口区发改局-2023.xlsx",
                 published: dt.date = dt.date(2024, 2, 5), year: int = 2023) -> SubmissionResult:
    """A 2021-format report whose table 三 is wrong at 部分公开 × 自然人, published late, with a waiver."""
    report = Report(
        source=source, sha256="ab" * 32, kind="xlsx", agency=agency, level="department", level_inferred=False,
        year=year, format_version="2021", published=DatedText(published, published.isoformat(), "发布日期"),
        tables={"requests": requests_table()},
    )
    arithmetic = Finding(
        rule="A001", severity=Severity.ERROR, category=Category.ARITHMETIC,
        message="自然人列：办理结果之和 10 不等于（七）总计 12，相差 2",
        message_en="Natural persons: the outcomes add up to 10, not the total of 12 (off by 2)",
        location=Location(table="requests", row="partially_granted", column="natural_person",
                          source=SourceLocator("xlsx", sheet="表三", cell="C8")),
        expected=5, actual=3, basis="国办公开办函〔2021〕30号", fix="（二）部分公开 × 自然人 应为 5（现为 3）",
    )
    late = Finding(
        rule="D002", severity=Severity.ERROR, category=Category.DATES,
        message=f"发布日期 {published} 晚于期限 2024-01-31（机关层级“部门”），逾期 5 天",
        message_en=f"Published {published}, after the deadline 2024-01-31 (level 'department'): 5 days late",
        location=Location(text=f"发布日期：{published}"), expected="2024-01-31", actual=published.isoformat(),
        basis="《条例》第四十九条",
    )
    empty = Finding(
        rule="S002", severity=Severity.WARNING, category=Category.STRUCTURE,
        message="章节“六、其他需要报告的事项”只有标题，没有内容", message_en="Section 六 has a heading and no content",
        location=Location(section="other"), expected="内容或“无”", actual="",
    )
    waived = Finding(
        rule="S001", severity=Severity.ERROR, category=Category.STRUCTURE,
        message="缺少必备章节“五、存在的主要问题及改进情况”", message_en="Required section 五 is missing",
        location=Location(section="problems"),
        waived=Waiver("S001", agency, "经批准并入第一部分", "区政务公开办", dt.date(2030, 3, 31)),
    )
    return SubmissionResult(
        source=source, sha256=report.sha256, report=report, findings=(arithmetic, late, empty),
        not_checked=(NotChecked("B002", "报告未同时写明支出合计与分项", "no stated spending total with items"),),
        passed=("D001", "F001", "S003"), status=Status.FAIL, waived=(waived,),
    )


def unreadable_result(source: str = "batch/坏文件.doc") -> SubmissionResult:
    finding = Finding(
        rule="F001", severity=Severity.ERROR, category=Category.FILE,
        message="文件无法读取：旧版二进制 Word 文件", message_en="The file cannot be read: legacy binary Word file",
        location=Location(text=source),
    )
    return SubmissionResult(source, "cd" * 32, None, (finding,), (), (), Status.UNREADABLE)


def clean_result(agency: str, *, published: dt.date | None, year: int = 2023, level: str = "department",
                 source: str | None = None) -> SubmissionResult:
    """A submission with no findings (D002 passed when a date is known)."""
    dated = DatedText(published, published.isoformat(), "发布日期") if published else None
    src = source or f"batch/{agency}-{year}.html"
    report = Report(source=src, sha256="ef" * 32, kind="html", agency=agency, level=level, level_inferred=False,
                    year=year, format_version="2021", published=dated)
    passed = ("D001", "D002") if published else ("D001",)
    not_checked = () if published else (NotChecked("D002", "未找到发布日期", "no publication date was found"),)
    return SubmissionResult(src, report.sha256, report, (), not_checked, passed, Status.PASS)
