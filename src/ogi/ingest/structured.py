"""A report submitted as data (JSON or YAML of the canonical model) instead of a document.

Shape: the extract format of one submission plus narrative sections::

    {"agency": "…", "level": "department", "year": 2023, "format_version": "2021",
     "published": "2024-01-17", "signed": "2024-01-17",
     "sections": {"overview": "…", "active": "…", …},
     "tables": {"requests": {"new_received": {"natural_person": 3, …}, …}, "appeals": {…}, "active": {…}},
     "attachments": ["统计表.xlsx"]}
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

import yaml

from ogi.config import Config
from ogi.ingest.errors import UnreadableFile
from ogi.ingest.facts import section_facts
from ogi.ingest.metadata import resolve_level
from ogi.ingest.numbers import parse_cell
from ogi.model import Attachment, CellKind, CellValue, DatedText, Report, Section, SourceLocator, Table
from ogi.schemas.definitions import format_for_year, load_format


def _date(value: Any, label: str) -> DatedText | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DatedText(value, value.isoformat(), label, "data")
    try:
        return DatedText(dt.date.fromisoformat(str(value)[:10]), str(value), label, "data")
    except ValueError as exc:
        raise UnreadableFile(f"{label} 不是有效日期：{value!r}", f"{label} is not a valid date: {value!r}") from exc


def _cell(value: Any, table: str, row: str, col: str, signed: bool) -> CellValue:
    locator = SourceLocator("json", table=None, cell=f"{table}.{row}.{col}")
    if value is None:
        return CellValue("", CellKind.BLANK, locator=locator)
    if isinstance(value, bool):
        return CellValue(str(value), CellKind.TEXT, locator=locator)
    if isinstance(value, (int, float)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return CellValue(str(value), CellKind.TEXT, locator=locator)
        return CellValue(str(value), CellKind.NUMBER, number, locator=locator)
    parsed = parse_cell(str(value), signed=signed)
    return CellValue(parsed.raw, CellKind(parsed.kind), parsed.value, parsed.unit, parsed.annotation, locator)


REPORT_KEYS = frozenset({"agency", "year", "sections", "tables"})


def load_structured(data: bytes, name: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text) if not name.lower().endswith((".yaml", ".yml")) else yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise UnreadableFile(f"结构化数据无法解析：{exc}", f"structured data cannot be parsed: {exc}") from exc
    if isinstance(doc, dict) and isinstance(doc.get("submissions"), list) and len(doc["submissions"]) == 1:
        doc = doc["submissions"][0]
    if not isinstance(doc, dict):
        raise UnreadableFile("结构化数据应为一个对象（字典）", "structured data must be one object (a mapping)")
    if not REPORT_KEYS & set(doc):
        raise UnreadableFile("JSON/YAML 文件不是年度报告数据（应含 agency、year、sections 或 tables）",
                             "the JSON/YAML file is not report data (no agency, year, sections or tables)")
    return doc


def build_structured_report(doc: dict[str, Any], *, source: str, sha256: str, config: Config) -> Report:
    year = doc.get("year")
    if year is not None and not isinstance(year, int):
        raise UnreadableFile(f"year 应为整数：{year!r}", f"year must be an integer: {year!r}")
    version = str(doc.get("format_version") or format_for_year(year) or "2021")
    if version not in ("2008", "2019", "2021"):
        raise UnreadableFile(f"未知格式版本 {version}", f"unknown format version {version}")
    fmt = load_format(version)
    tables: dict[str, Table] = {}
    for key, rows in (doc.get("tables") or {}).items():
        if key not in fmt.tables or not isinstance(rows, dict):
            raise UnreadableFile(f"未知表格 {key}", f"unknown table {key}")
        tdef = fmt.tables[key]
        cells: dict[tuple[str, str], CellValue] = {}
        unknown_rows = [r for r in rows if r not in tdef.row_keys]
        unknown_cols: list[str] = []
        for row, cols in rows.items():
            if not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                if col not in tdef.column_keys:
                    unknown_cols.append(f"{row}.{col}")
                    continue
                cells[(row, col)] = _cell(value, key, row, col, tdef.column(col).signed)
        tables[key] = Table(key, cells, tuple(unknown_rows), tuple(unknown_cols), SourceLocator("json"))
    sections = [
        Section(k, (fmt.section(k).heading if fmt.section(k) else k), str(v or ""), i)  # type: ignore[union-attr]
        for i, (k, v) in enumerate((doc.get("sections") or {}).items())
    ]
    agency = doc.get("agency")
    level = doc.get("level") or config.level
    inferred = False
    if not level:
        level, inferred = resolve_level(agency, config)
    names = [str(a) for a in doc.get("attachments") or ()]
    return Report(
        source=source, sha256=sha256, kind="json", agency=agency, level=level, level_inferred=inferred,
        year=year, format_version=version,
        format_detected_from="declared" if doc.get("format_version") else "data year",
        title=doc.get("title"), published=_date(doc.get("published"), "发布日期"),
        signed=_date(doc.get("signed"), "成文日期"), sections=tuple(sections), tables=tables,
        facts=tuple(section_facts(sections, "")),
        attachments=tuple(Attachment(n, None, PurePosixPath(n).suffix.lower()) for n in names),
        text="\n".join(s.text for s in sections),
    )
