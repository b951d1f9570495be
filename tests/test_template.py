"""The Excel fill-in template (template.py): layout, protection, and the round trip through the reader."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from ogi.ingest.tables import detect_format, recognise_tables
from ogi.model import CellKind
from ogi.schemas.definitions import load_format
from ogi.template import META_FIELDS, META_SHEET, SHEET_NAMES, TEXT_SHEET, write_template

xlsx = pytest.importorskip("ogi.ingest.xlsx", reason="the xlsx reader (ingest/xlsx.py) is not there yet")


def input_cells(ws: Any) -> list[Any]:
    """The cells an agency can type into, in reading order."""
    return [c for row in ws.iter_rows() for c in row
            if not isinstance(c, MergedCell) and c.protection is not None and not c.protection.locked]


def typed_values(version: str, seed: int, fill: float = 1.0) -> dict[str, dict[tuple[str, str], Any]]:
    """Per table, what the agency types in each canonical cell (a share `fill` of them)."""
    rng = random.Random(seed)
    fmt = load_format(version)
    out: dict[str, dict[tuple[str, str], Any]] = {}
    for key, tdef in fmt.tables.items():
        values: dict[tuple[str, str], Any] = {}
        for row, col in tdef.cells():
            if rng.random() > fill:
                continue
            cdef = tdef.column(col)
            if cdef.decimal:
                values[(row, col)] = rng.randint(0, 999999) / 100
            elif cdef.signed:
                values[(row, col)] = rng.randint(-50, 50)
            else:
                values[(row, col)] = rng.randint(0, 3000)
        out[key] = values
    return out


def fill_workbook(path: Path, version: str, typed: dict[str, dict[tuple[str, str], Any]]) -> None:
    fmt = load_format(version)
    wb = openpyxl.load_workbook(path)
    for key, tdef in fmt.tables.items():
        cells = input_cells(wb[SHEET_NAMES[key]])
        keys = tdef.cells()
        assert len(cells) == len(keys), key
        for cell, ckey in zip(cells, keys, strict=True):
            if ckey in typed[key]:
                cell.value = typed[key][ckey]
    meta = wb[META_SHEET]
    meta["B1"] = "某某县发展和改革局"
    meta["B2"] = "部门"
    meta["B3"] = 2023
    meta["B4"] = dt.datetime(2024, 1, 17)
    wb.save(path)


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_template_layout(tmp_path: Path, version: str) -> None:
    path = tmp_path / f"template-{version}.xlsx"
    write_template(version, path)
    wb = openpyxl.load_workbook(path)
    fmt = load_format(version)
    tables = [SHEET_NAMES[k] for k in ("active", "requests", "appeals")]
    assert wb.sheetnames == [META_SHEET, TEXT_SHEET, *tables]
    meta = wb[META_SHEET]
    assert [meta.cell(row=i, column=1).value for i in range(1, len(META_FIELDS) + 1)] == list(META_FIELDS)
    levels = [dv for dv in meta.data_validations.dataValidation if dv.type == "list"]
    assert levels and "部门" in (levels[0].formula1 or "") and "乡镇街道" in (levels[0].formula1 or "")
    text = wb[TEXT_SHEET]
    assert [text.cell(row=i, column=1).value for i in range(1, 7)] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [c.coordinate for c in input_cells(text)] == [f"B{i}" for i in range(1, 7)]
    for key, tdef in fmt.tables.items():
        ws = wb[SHEET_NAMES[key]]
        assert ws.protection.sheet
        cells = input_cells(ws)
        assert len(cells) == len(tdef.cells())
        assert all(c.value is None for c in cells)
        assert ws["A1"].protection.locked
        kinds = {dv.type for dv in ws.data_validations.dataValidation if dv.sqref}
        assert "whole" in kinds
        validated = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
        assert {c.coordinate for c in cells} <= validated
        assert ws.column_dimensions["A"].width
    requests = wb[SHEET_NAMES["requests"]]
    assert "勾稽关系" in str(requests["A2"].value)
    amounts = {dv.type for dv in wb[SHEET_NAMES["active"]].data_validations.dataValidation if dv.sqref}
    assert "decimal" in amounts
    if version == "2019":
        signed = [dv for dv in wb[SHEET_NAMES["active"]].data_validations.dataValidation
                  if dv.operator == "between" and dv.sqref]
        assert signed and signed[0].formula1 == "-1000000000"


@pytest.mark.parametrize(("version", "fill"), [("2021", 1.0), ("2019", 1.0), ("2021", 0.6), ("2019", 0.6)])
def test_template_round_trip(tmp_path: Path, version: str, fill: float) -> None:
    path = tmp_path / f"filled-{version}.xlsx"
    write_template(version, path)
    typed = typed_values(version, seed=int(fill * 10) + int(version), fill=fill)
    fill_workbook(path, version, typed)
    raw = xlsx.read_xlsx(path.read_bytes())
    fmt = load_format(version)
    tables, notes = recognise_tables(raw, fmt)
    assert notes == []
    assert detect_format(raw, 2023)[0] == version
    assert raw.meta.get("机关名称") == "某某县发展和改革局"
    assert raw.meta.get("年度") == "2023"
    assert raw.meta.get("发布日期") == "2024-01-17"
    for key, values in typed.items():
        table = tables[key]
        for ckey, value in values.items():
            cell = table.cells[ckey]
            assert cell.kind is CellKind.NUMBER, (key, ckey, cell)
            assert cell.value == Decimal(str(value)), (key, ckey, cell.raw, value)
        for ckey, cell in table.cells.items():
            if ckey not in values:
                assert cell.kind is CellKind.BLANK, (key, ckey, cell)
        if fill == 1.0:
            assert set(table.cells) == set(values)


def test_template_rejects_the_old_shape(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no national tables"):
        write_template("2008", tmp_path / "old.xlsx")


def test_template_text_sheet_reads_as_headings_and_text(tmp_path: Path) -> None:
    path = tmp_path / "text.xlsx"
    write_template("2021", path)
    wb = openpyxl.load_workbook(path)
    texts = {1: "本年度主动公开政府信息120条，全年收到政府信息公开申请26件，均已按时办结。", 5: "无"}
    for row, text in texts.items():
        wb[TEXT_SHEET].cell(row=row, column=2).value = text
    wb.save(path)
    raw = xlsx.read_xlsx(path.read_bytes())
    lines = [(line.text, line.emphasised) for line in raw.lines]
    headings = [text for text, emphasised in lines if emphasised]
    assert headings[0] == "一、总体情况" and headings[-1] == "六、其他需要报告的事项" and len(headings) == 6
    assert (texts[1], False) in lines and ("无", False) in lines
    assert lines.index((texts[1], False)) == lines.index(("一、总体情况", True)) + 1
