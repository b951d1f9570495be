"""Extract writers (reports/extract.py): long form, JSON, CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pandas as pd
import pytest

from ogi.model import CellKind, CellValue, DatedText, Report, SourceLocator, Table
from ogi.reports.extract import (
    COLUMNS,
    extract_rows,
    json_number,
    write_extract_csv,
    write_extract_json,
    write_extract_xlsx,
)
from ogi.schemas.definitions import load_format

NUMBER = {"type": ["integer", "number", "null"]}
GRID = {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": NUMBER}}
SCHEMA = {
    "type": "object",
    "required": ["schema_version", "submissions"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": 1},
        "submissions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "agency", "year", "format_version", "published", "signed", "tables"],
                "additionalProperties": False,
                "properties": {
                    "source": {"type": "string"},
                    "agency": {"type": ["string", "null"]},
                    "year": {"type": ["integer", "null"]},
                    "format_version": {"type": ["string", "null"]},
                    "published": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "signed": {"type": ["string", "null"]},
                    "tables": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"requests": GRID, "appeals": GRID, "active": GRID},
                    },
                },
            },
        },
    },
}


def cell(raw: str, kind: CellKind = CellKind.NUMBER, value: str | None = None) -> CellValue:
    numeric = kind in (CellKind.NUMBER, CellKind.ANNOTATED)
    number = Decimal(value if value is not None else raw) if numeric else None
    return CellValue(raw, kind, number, locator=SourceLocator("html", table=2, row=3, col=4))


def full_report(source: str = "a.html", agency: str = "某某县发展和改革局") -> Report:
    fmt = load_format("2021")
    tables = {}
    for key, tdef in fmt.tables.items():
        cells = {k: cell(str(i)) for i, k in enumerate(tdef.cells())}
        tables[key] = Table(key, cells)
    fees = dict(tables["active"].cells)
    fees[("fees", "amount")] = cell("96171.6")
    tables["active"] = Table("active", fees)
    req = dict(tables["requests"].cells)
    req[("new_received", "commercial")] = cell("", CellKind.BLANK)
    req[("new_received", "research")] = cell("/", CellKind.PLACEHOLDER)
    req[("new_received", "public_interest")] = cell("22（其中网上16件）", CellKind.ANNOTATED, "22")
    req[("new_received", "legal_services")] = cell("不详", CellKind.TEXT)
    tables["requests"] = Table("requests", req)
    return Report(
        source=source, sha256="0" * 64, kind="html", agency=agency, year=2023, format_version="2021",
        published=DatedText(dt.date(2024, 1, 17), "2024-01-17", "公开日期"),
        signed=DatedText(dt.date(2024, 1, 16), "2024年1月16日"), tables=tables,
    )


def empty_report() -> Report:
    return Report(source="b.pdf", sha256="1" * 64, kind="pdf")


def test_json_number() -> None:
    assert json_number(Decimal("3")) == 3 and isinstance(json_number(Decimal("3.0")), int)
    assert json_number(Decimal("96171.6")) == pytest.approx(96171.6)
    assert json_number(None) is None


def test_extract_rows_long_form() -> None:
    rows = extract_rows([full_report(), empty_report()])
    assert len(rows) == 10 + 175 + 15
    assert all(tuple(r) == COLUMNS for r in rows)
    first = rows[0]
    assert (first["table"], first["row"], first["column"]) == ("active", "regulations", "issued")
    by_key = {(r["table"], r["row"], r["column"]): r for r in rows}
    assert by_key[("requests", "new_received", "commercial")]["value"] is None
    assert by_key[("requests", "new_received", "research")]["raw"] == "/"
    assert by_key[("requests", "new_received", "public_interest")]["value"] == 22
    assert by_key[("requests", "new_received", "legal_services")]["value"] is None
    assert by_key[("appeals", "review", "upheld")]["value"] == 0
    assert by_key[("active", "fees", "amount")]["value"] == pytest.approx(96171.6)
    assert first["locator"] == "html: table 2, row 3, col 4"
    assert first["agency"] == "某某县发展和改革局" and first["year"] == 2023


def test_extract_json_shape() -> None:
    buf = io.StringIO()
    write_extract_json([full_report(), empty_report()], buf)
    data = json.loads(buf.getvalue())
    jsonschema.validate(data, SCHEMA)
    sub = data["submissions"][0]
    assert sub["published"] == "2024-01-17" and sub["signed"] == "2024-01-16"
    assert set(sub["tables"]) == {"active", "requests", "appeals"}
    req = sub["tables"]["requests"]
    assert list(req)[:3] == ["new_received", "carried_over", "granted"]
    assert "denied.state_secret" in req and len(req) == 25
    assert req["new_received"]["commercial"] is None
    assert req["new_received"]["public_interest"] == 22
    assert isinstance(req["carried_over"]["natural_person"], int)
    assert set(sub["tables"]["appeals"]) == {"review", "litigation_direct", "litigation_after_review"}
    assert sub["tables"]["active"]["fees"] == {"amount": 96171.6}
    assert data["submissions"][1] == {"source": "b.pdf", "agency": None, "year": None, "format_version": None,
                                      "published": None, "signed": None, "tables": {}}
    assert "某某县" in buf.getvalue()  # not \\u-escaped


def test_extract_csv_reads_in_pandas(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    with open(path, "w", encoding="utf-8", newline="") as fp:
        write_extract_csv([full_report(), full_report("c.docx", "另一机关")], fp)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"format_version": str})
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 2 * 200
    assert set(frame["agency"]) == {"某某县发展和改革局", "另一机关"}
    row = frame[(frame["table"] == "requests") & (frame["row"] == "new_received")
                & (frame["column"] == "commercial")].iloc[0]
    assert pd.isna(row["value"])
    assert frame["format_version"].iloc[0] == "2021"


def test_extract_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "extract.xlsx"
    write_extract_xlsx([full_report()], path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 201
    assert rows[1][4:8] == ("active", "regulations", "issued", 0)
    assert sheet.freeze_panes == "A2"
