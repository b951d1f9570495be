"""Table identities A101–A104: the vectorised batch path and the per-report path agree, blanks count as 0
and say so, and the rules report one finding per failing instance, with the cell to fix."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docs2021 import Doc
from ogi.checks.identities import (
    IDENTITY_COLUMNS,
    evaluate_identities,
    precompute_identities,
    results_from_frame,
    table_identities,
)
from ogi.config import Config
from ogi.engine import check_report, read_file
from ogi.model import CellKind, CellValue, Report, Table
from ogi.schemas.definitions import load_format
from ogi.schemas.frames import cells_frame


def _read(doc: Doc, folder: Path, name: str = "report.html") -> Report:
    report = read_file(doc.write(folder, name), Config())
    assert isinstance(report, Report)
    return report


def _cell(value: int | None) -> CellValue:
    if value is None:
        return CellValue("", CellKind.BLANK)
    return CellValue(str(value), CellKind.NUMBER, Decimal(value))


def _report(source: str, version: str, values: dict[tuple[str, str, str], int | None]) -> Report:
    tables: dict[str, dict[tuple[str, str], CellValue]] = {}
    for (table, row, col), value in values.items():
        tables.setdefault(table, {})[(row, col)] = _cell(value)
    return Report(source=source, sha256="", kind="json", format_version=version,
                  tables={k: Table(k, cells) for k, cells in tables.items()})


def _key(r: object) -> tuple[object, ...]:
    return (r.code, r.key, r.lhs, r.rhs, tuple(sorted(r.blank_cells)), r.checked,  # type: ignore[attr-defined]
            r.blank_side, tuple(sorted(r.unknown_cells)))  # type: ignore[attr-defined]


# A table of small numbers where most identities hold and some do not; None is a blank cell.
_VALUE = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@st.composite
def _reports(draw: st.DrawFn) -> list[Report]:
    reports = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        version = draw(st.sampled_from(["2019", "2021"]))
        fmt = load_format(version)
        values: dict[tuple[str, str, str], int | None] = {}
        for key in ("requests", "appeals"):
            cells = fmt.tables[key].cells()
            keep = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
            for (row, col), kept in zip(cells, keep, strict=True):
                if kept or key == "appeals":  # leave some cells out of table 三 altogether
                    values[(key, row, col)] = draw(_VALUE)
        reports.append(_report(f"r{i}.json", version, values))
    return reports


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_reports())
def test_vectorised_and_per_report_paths_agree(reports: list[Report]) -> None:
    frame = evaluate_identities(cells_frame(reports))
    assert list(frame.columns) == IDENTITY_COLUMNS
    for report in reports:
        fmt = load_format(report.format_version or "")
        python = sorted(_key(r) for r in table_identities(report, fmt) if r.failed or r.unknown_cells)
        vectorised = sorted(_key(r) for r in results_from_frame(frame[frame["source"] == report.source]))
        assert vectorised == python


def test_balanced_document_has_no_failures(tmp_path: Path) -> None:
    report = _read(Doc(), tmp_path)
    assert evaluate_identities(cells_frame([report])).empty
    results = table_identities(report, load_format("2021"))
    assert results and not any(r.failed for r in results)
    # 7 columns × 2 per-column identities + 25 rows + 3 groups of table 四
    assert len(results) == 7 * 2 + 25 + 3


def test_failures_name_the_instance_the_sides_and_the_cells(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "carried_forward", "natural_person", 15)
    frame = evaluate_identities(cells_frame([_read(doc, tmp_path)]))
    row = frame[(frame["code"] == "A101") & (frame["key"] == "natural_person")].iloc[0]
    assert row["axis"] == "column" and row["identity"] == "requests.balance"
    assert (row["lhs"], row["rhs"], row["difference"]) == (312, 315, -3)
    assert row["lhs_cells"] == (("new_received", "natural_person"), ("carried_over", "natural_person"))
    assert row["rhs_cells"] == (("total_processed", "natural_person"), ("carried_forward", "natural_person"))
    assert not row["blanks_as_zero"]
    assert set(frame["code"]) == {"A101"}  # the 总计 column followed: A103 holds


def test_a_few_blank_cells_of_a_side_count_as_zero_and_are_said(tmp_path: Path) -> None:
    # 商业企业×予以公开 (3) left blank, the totals unchanged: the other applicant cells of the row hold
    # numbers, so the blank is 0 — and the findings say so.
    doc = Doc().cell("requests", "granted", "commercial", None, keep_total=False)
    report = _read(doc, tmp_path)
    frame = evaluate_identities(cells_frame([report]))
    a103 = frame[frame["code"] == "A103"].iloc[0]
    assert a103["key"] == "granted" and a103["lhs"] == 63 and a103["rhs"] == 60 and a103["checked"]
    assert a103["blanks_as_zero"] and ("granted", "commercial") in a103["blank_cells"]
    findings = [f for f in check_report(report, Config()).findings if f.rule == "A103"]
    assert len(findings) == 1
    assert "空白或非数字单元格按 0 计算" in findings[0].message and "商业企业" in findings[0].message
    assert "counted as 0" in findings[0].message_en


def test_a_blank_total_beside_numbers_is_not_zero(tmp_path: Path) -> None:
    # The 总计 of 予以公开 left blank while its applicants hold 63: the total was not written. A103 on
    # that row is not checked (no "总计 = 0 ≠ 63" error), nor is A102 on the 总计 column it belongs to.
    report = _read(Doc().cell("requests", "granted", "total", None, keep_total=False), tmp_path)
    frame = evaluate_identities(cells_frame([report]))
    assert not frame["checked"].any()
    assert {(r.code, r.key) for r in frame.itertuples()} == {("A103", "granted"), ("A102", "total")}
    a103 = frame[frame["code"] == "A103"].iloc[0]
    assert a103["blank_side"] == "lhs" and a103["unknown_cells"] == (("granted", "total"),)
    result = check_report(report, Config())
    assert not [f for f in result.findings if f.rule.startswith("A1")]
    parts = {n.rule: n for n in result.not_checked if n.partial}
    assert set(parts) == {"A102", "A103"} and not {"A102", "A103"} & set(result.passed)
    assert "“总计×予以公开”单元格空白" in parts["A103"].reason and "未按 0 核对" in parts["A103"].reason
    assert "not checked as 0" in parts["A103"].reason_en
    assert {"A101", "A104"} <= set(result.passed)


def test_a_blank_total_beside_zeros_is_zero_and_costs_no_check(tmp_path: Path) -> None:
    # 保护第三方合法权益: every applicant 0 and the 总计 left blank — consistent with 0, so A103 holds there
    # as 0, and A102 on the 总计 column is still checked (and finds the wrong （七）总计).
    doc = (Doc().cell("requests", "denied.third_party", "total", None, keep_total=False)
           .cell("requests", "total_processed", "total", 305, keep_total=False))
    result = check_report(_read(doc, tmp_path), Config())
    assert not [n for n in result.not_checked if n.partial]
    a102 = [f for f in result.findings if f.rule == "A102"]
    assert [f.location.column for f in a102] == ["total"] and "按 0 计算" in a102[0].message
    assert [f.location.row for f in result.findings if f.rule == "A103"] == ["total_processed"]


def _blank_outcome_totals(version: str = "2021") -> Doc:
    """Table 三 with its 总计 column blank in every outcome row, the applicant columns filled (seen in a
    real General Office report); （七）总计 of the 总计 column is still written."""
    doc = Doc(version=version, year=2023 if version == "2021" else 2020,
              published="2024-01-20" if version == "2021" else "2021-01-20")
    tdef = load_format(version).tables["requests"]
    for row in tdef.row_keys:
        if row not in ("new_received", "carried_over", "total_processed", "carried_forward"):
            doc.tables["requests"][row]["total"] = None
    return doc


def test_a_total_column_blank_in_every_outcome_row_is_not_checked_as_zero(tmp_path: Path) -> None:
    report = _read(_blank_outcome_totals(), tmp_path)
    result = check_report(report, Config())
    assert not [f for f in result.findings if f.category.value == "arithmetic"]
    parts = {n.rule: n for n in result.not_checked if n.partial}
    assert set(parts) == {"A102", "A103"}
    assert "“总计”列 21 个单元格" in parts["A103"].reason and "21 行" in parts["A103"].reason
    assert "1 列" in parts["A102"].reason and "“总计”" in parts["A102"].reason
    assert {"A101", "A104"} <= set(result.passed)  # every column balances; the 总计 column's cells are written
    # One value finding names the 21 cells that were not written (not 21 findings, not "counted as 0").
    missing = [f for f in result.findings if f.rule == "V002" and "不按 0 计算" in f.message]
    assert len(missing) == 1 and len(missing[0].location.cells) == 21
    assert all(col == "total" for _, col in missing[0].location.cells)
    assert "按 0 处理" not in missing[0].message


def test_the_total_column_blank_in_every_row_stops_its_column_identities_too(tmp_path: Path) -> None:
    doc = Doc()
    for values in doc.tables["requests"].values():
        values["total"] = None
    result = check_report(_read(doc, tmp_path), Config())
    assert not [f for f in result.findings if f.category.value == "arithmetic"]
    parts = {n.rule: n for n in result.not_checked if n.partial}
    assert set(parts) == {"A101", "A102", "A103"}
    assert "25 行" in parts["A103"].reason and "“总计”列全部 25 个单元格" in parts["A103"].reason
    assert "“总计”" in parts["A101"].reason and "“总计”" in parts["A102"].reason


def test_a_blank_row_of_totals_stops_the_balance_that_uses_it(tmp_path: Path) -> None:
    # （七）总计 left blank in every column while the outcomes are filled: A102 is not checked, and A101
    # (which uses （七）总计) is not checked either rather than fail against a row of zeros; nor is A103 on
    # the blank row (its cells were not written).
    doc = Doc()
    for col in doc.tables["requests"]["total_processed"]:
        doc.tables["requests"]["total_processed"][col] = None
    result = check_report(_read(doc, tmp_path), Config())
    assert not [f for f in result.findings if f.category.value == "arithmetic"]
    assert {n.rule for n in result.not_checked if n.partial} == {"A101", "A102", "A103"}


def test_blank_sides_agree_in_batch_and_alone(tmp_path: Path) -> None:
    reports = [_read(_blank_outcome_totals(), tmp_path, "a.html"),
               _read(_blank_outcome_totals("2019"), tmp_path, "b.html"),
               _read(Doc().cell("requests", "granted", "total", None, keep_total=False)
                     .cell("requests", "granted", "natural_person", 61), tmp_path, "c.html"),
               _read(Doc(), tmp_path, "d.html")]
    precomputed = precompute_identities(reports)
    assert precomputed["identities"].equals(
        evaluate_identities(cells_frame(reports)).astype(precomputed["identities"].dtypes.to_dict()))
    for report in reports:
        alone = check_report(report, Config())
        batched = check_report(report, Config(), precomputed=dict(precomputed))
        assert [(f.rule, f.message) for f in batched.findings] == [(f.rule, f.message) for f in alone.findings]
        assert batched.not_checked == alone.not_checked and batched.passed == alone.passed


def test_an_instance_with_no_number_at_all_is_not_evaluated() -> None:
    report = _report("blank.json", "2021", {("requests", row, "research"): None
                                           for row in load_format("2021").tables["requests"].row_keys})
    assert evaluate_identities(cells_frame([report])).empty
    assert not any(r.evaluable for r in table_identities(report, load_format("2021"))
                   if r.axis == "column" and r.key == "research")


def test_missing_cells_count_as_zero_and_are_listed(tmp_path: Path) -> None:
    doc = Doc()
    doc.tables["requests"].pop("partially_granted")  # the row is not printed at all
    frame = evaluate_identities(cells_frame([_read(doc, tmp_path)]))
    a102 = frame[(frame["code"] == "A102") & (frame["key"] == "natural_person")].iloc[0]
    assert ("partially_granted", "natural_person") in a102["blank_cells"]
    assert a102["difference"] == 201


def test_2019_outcomes_use_the_single_other_row(tmp_path: Path) -> None:
    doc = Doc(version="2019", year=2020, published="2021-01-20").cell("requests", "other", "natural_person", 4)
    frame = evaluate_identities(cells_frame([_read(doc, tmp_path)]))
    a102 = frame[(frame["code"] == "A102") & (frame["key"] == "natural_person")].iloc[0]
    assert ("other", "natural_person") in a102["rhs_cells"] and a102["difference"] == -1


def test_all_failing_instances_when_asked() -> None:
    report = _report("x.json", "2021", {("appeals", "review", c): v for c, v in
                                        zip(("upheld", "corrected", "other", "pending", "total"), (1, 1, 0, 0, 3),
                                            strict=True)})
    everything = evaluate_identities(cells_frame([report]), failures_only=False)
    assert list(everything["failed"]) == [True]
    assert evaluate_identities(pd.DataFrame(columns=cells_frame([]).columns)).empty


def test_rules_give_one_finding_per_failing_instance_with_location(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "granted", "natural_person", 61)  # breaks A102 in two columns
    result = check_report(_read(doc, tmp_path), Config())
    a102 = [f for f in result.findings if f.rule == "A102"]
    assert [f.location.column for f in a102] == ["natural_person", "total"]
    assert all(f.location.table == "requests" and f.location.row is None for f in a102)
    first = a102[0]
    assert (first.actual, first.expected) == (300, 301)
    assert first.message.startswith("表三“自然人”列：（七）总计 = 300")
    assert "difference -1" in first.message_en
    assert first.location.source is not None and first.location.source.kind == "html"


def test_precomputed_batch_results_give_the_same_findings(tmp_path: Path) -> None:
    clean = _read(Doc(), tmp_path, "a.html")
    broken = _read(Doc().cell("requests", "partially_granted", "natural_person", 102, keep_total=False), tmp_path,
                   "b.html")
    reports = [clean, broken, replace(broken, source="c.html")]
    precomputed = precompute_identities(reports)
    for report in reports:
        alone = check_report(report, Config())
        batched = check_report(report, Config(), precomputed=dict(precomputed))
        assert [(f.rule, f.message, f.fix) for f in batched.findings] == \
               [(f.rule, f.message, f.fix) for f in alone.findings]
        assert batched.passed == alone.passed


def test_a_report_outside_the_precomputed_batch_is_evaluated_on_its_own(tmp_path: Path) -> None:
    broken = _read(Doc().cell("appeals", "review", "total", 5), tmp_path)
    precomputed = precompute_identities([_read(Doc(), tmp_path, "other.html")])
    result = check_report(broken, Config(), precomputed=precomputed)
    assert [f.rule for f in result.findings if f.rule.startswith("A1")] == ["A104"]


def test_identity_rules_cannot_check_without_the_table_or_numbers(tmp_path: Path) -> None:
    no_table = check_report(_read(Doc().drop_table("appeals"), tmp_path), Config())
    assert "A104" in {n.rule for n in no_table.not_checked}
    blank = _report("blank.json", "2021", {("appeals", "review", "total"): None})
    result = check_report(blank, Config())
    assert {"A101", "A104"} <= {n.rule for n in result.not_checked}


def test_categorical_columns_give_the_same_result(tmp_path: Path) -> None:
    reports = [_read(Doc().cell("requests", "granted", "natural_person", 61), tmp_path, "a.html"),
               _read(Doc().cell("appeals", "review", "total", 5), tmp_path, "b.html")]
    frame = cells_frame(reports)
    categorical = frame.astype({c: "category" for c in ("source", "table", "row", "column")})
    plain = evaluate_identities(frame)
    assert plain.equals(evaluate_identities(categorical).astype(plain.dtypes.to_dict()))
    assert len(plain) == 3


def test_amounts_compare_within_half_a_unit_of_the_last_digit() -> None:
    # No identity of the 2019/2021 formats sums 万元 amounts today; the rule is ready for one that does.
    from ogi.checks.identities import _places, _tolerance

    assert _places("12.50") == 2 and _places("12") == 0 and _places("１２．５") == 1
    assert _tolerance(2) == Decimal("0.005") and _tolerance(0) == 0


def test_precompute_equals_the_frame_evaluation(tmp_path: Path) -> None:
    reports = [_read(Doc().cell("requests", "granted", "natural_person", 61), tmp_path, "a.html"),
               _read(Doc().cell("requests", "granted", "research", None, keep_total=False), tmp_path, "b.html"),
               _read(Doc(version="2019", year=2020).cell("appeals", "review", "total", 5), tmp_path, "c.html"),
               _read(Doc(), tmp_path, "d.html")]
    direct = precompute_identities(reports)["identities"]
    via_frame = evaluate_identities(cells_frame(reports))
    assert direct.equals(via_frame.astype(direct.dtypes.to_dict()))
    assert len(direct) == 3


def test_parts_not_checked_and_the_missing_cells_in_the_json(tmp_path: Path) -> None:
    import json

    import jsonschema

    from ogi.reports.serialize import results_dict

    result = check_report(_read(_blank_outcome_totals(), tmp_path), Config())
    document = json.loads(json.dumps(results_dict([result]), ensure_ascii=False))
    schema = Path(__file__).resolve().parent.parent / "src" / "ogi" / "schemas" / "report.schema.json"
    jsonschema.validate(document, json.loads(schema.read_text(encoding="utf-8")))
    submission = document["submissions"][0]
    parts = [n for n in submission["not_checked"] if n.get("partial")]
    assert {n["rule"] for n in parts} == {"A102", "A103"}
    assert all("partial" not in n for n in submission["not_checked"] if n["rule"].startswith("H"))
    missing = next(f for f in submission["findings"] if f["rule"] == "V002" and "cells" in f["location"])
    assert {"row": "granted", "column": "total"} in missing["location"]["cells"]


def test_a_batch_reports_blank_sides_as_each_report_alone(tmp_path: Path) -> None:
    # Enough reports for the batch to evaluate the identities vectorised (batch.MIN_VECTORISED).
    from ogi.batch import MIN_VECTORISED, run_batch
    from ogi.engine import check_file

    docs = [_blank_outcome_totals(), Doc().cell("requests", "granted", "total", None, keep_total=False),
            Doc().cell("requests", "granted", "natural_person", 61)]
    paths = [docs[i % len(docs)].write(tmp_path, f"r{i:02}.html") for i in range(MIN_VECTORISED + 2)]
    batched = list(run_batch(paths, Config(), jobs=1))
    for path, result in zip(paths, batched, strict=True):
        alone = check_file(path, Config())
        assert [(f.rule, f.message) for f in result.findings] == [(f.rule, f.message) for f in alone.findings]
        assert result.not_checked == alone.not_checked and result.passed == alone.passed
    assert {n.rule for n in batched[0].not_checked if n.partial} == {"A102", "A103"}
