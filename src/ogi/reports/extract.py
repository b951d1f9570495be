"""Table data of many reports, for consolidation: long-form rows, JSON, CSV and XLSX.

The long form has one row per cell (source, agency, year, format, table, row, column, value); the
JSON nests the same cells per submission in the canonical keys of the format definition.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ogi.model import CellValue, Report, Table
from ogi.schemas.definitions import FORMAT_VERSIONS, load_format

SCHEMA_VERSION = 1
COLUMNS = ("source", "agency", "year", "format_version", "table", "row", "column", "value", "raw", "locator")
TABLE_ORDER = ("active", "requests", "appeals")


def json_number(value: Decimal | None) -> int | float | None:
    """int when integral, else float; None stays None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _cell_number(cell: CellValue) -> int | float | None:
    # Blank, placeholder and text cells have no number; an annotated cell keeps the number it states.
    return json_number(cell.number)


def _ordered_cells(table: Table, version: str | None) -> Iterator[tuple[tuple[str, str], CellValue]]:
    """The table's cells in the official reading order, then any others in their own order."""
    order: list[tuple[str, str]] = []
    if version in FORMAT_VERSIONS:
        tdef = load_format(version).tables.get(table.key)
        if tdef is not None:
            order = tdef.cells()
    seen: set[tuple[str, str]] = set()
    for key in order:
        cell = table.cells.get(key)
        if cell is not None:
            seen.add(key)
            yield key, cell
    for key, cell in table.cells.items():
        if key not in seen:
            yield key, cell


def _ordered_tables(report: Report) -> Iterator[Table]:
    for key in TABLE_ORDER:
        if key in report.tables:
            yield report.tables[key]
    for key, table in report.tables.items():
        if key not in TABLE_ORDER:
            yield table


def extract_rows(reports: Iterable[Report]) -> list[dict[str, Any]]:
    """One dict per table cell of every report (the long form), in reading order."""
    out: list[dict[str, Any]] = []
    for report in reports:
        for table in _ordered_tables(report):
            for (row, col), cell in _ordered_cells(table, report.format_version):
                out.append({
                    "source": report.source,
                    "agency": report.agency,
                    "year": report.year,
                    "format_version": report.format_version,
                    "table": table.key,
                    "row": row,
                    "column": col,
                    "value": _cell_number(cell),
                    "raw": cell.raw,
                    "locator": cell.locator.describe() if cell.locator is not None else None,
                })
    return out


def submission_dict(report: Report) -> dict[str, Any]:
    """One submission in the extract JSON shape."""
    tables: dict[str, dict[str, dict[str, int | float | None]]] = {}
    for table in _ordered_tables(report):
        nested: dict[str, dict[str, int | float | None]] = {}
        for (row, col), cell in _ordered_cells(table, report.format_version):
            nested.setdefault(row, {})[col] = _cell_number(cell)
        tables[table.key] = nested
    return {
        "source": report.source,
        "agency": report.agency,
        "year": report.year,
        "format_version": report.format_version,
        "published": report.published.date.isoformat() if report.published else None,
        "signed": report.signed.date.isoformat() if report.signed else None,
        "tables": tables,
    }


def extract_document(reports: Iterable[Report]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "submissions": [submission_dict(r) for r in reports]}


def write_extract_json(reports: Iterable[Report], fp: TextIO) -> None:
    """The nested JSON (schema_version 1), UTF-8 text with Chinese kept readable."""
    json.dump(extract_document(reports), fp, ensure_ascii=False, indent=1)
    fp.write("\n")


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def write_extract_csv(reports: Iterable[Report], fp: TextIO) -> None:
    """The long form as CSV, starting with a byte-order mark so Excel reads the Chinese as UTF-8."""
    fp.write("\ufeff")
    writer = csv.writer(fp, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in extract_rows(reports):
        writer.writerow([_csv_value(row[c]) for c in COLUMNS])


def write_extract_xlsx(reports: Iterable[Report], path: str | Path) -> None:
    """The long form as one sheet "数据" with a frozen, filterable header row."""
    from openpyxl import Workbook  # heavy: only when a workbook is asked for
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = extract_rows(reports)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    widths = {"source": 40, "agency": 28, "table": 10, "row": 30, "column": 16, "raw": 14, "locator": 30}
    for i, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(name, 12)
    workbook.save(str(path))
