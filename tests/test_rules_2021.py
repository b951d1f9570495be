"""The 2019/2021-format rules on documents: what each finding says, where, and at what severity."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs2021 import COUNTY_DEPARTMENT, GOVERNMENT, Doc
from ogi.checks.registry import DOC_HEADINGS, all_rules
from ogi.checks.rules.plausibility import place_rank
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Finding, Severity, Status, SubmissionResult


def _run(doc: Doc, folder: Path, name: str = "report.html") -> SubmissionResult:
    return check_file(doc.write(folder, name), Config())


def _of(result: SubmissionResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == code]


# --- the catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_is_documented(rule) -> None:  # type: ignore[no-untyped-def]
    sections = rule.doc_sections()
    for heading in DOC_HEADINGS[:5]:
        assert sections.get(heading), f"{rule.code} lacks {heading}"
    assert rule.title and rule.title_en and rule.basis
    for zh, en in rule.messages.values():
        assert zh and en and zh != en


def test_clean_document_passes_every_rule_it_can_check(tmp_path: Path) -> None:
    result = _run(Doc(), tmp_path)
    assert result.status == Status.PASS and result.findings == ()
    not_checked = {n.rule for n in result.not_checked}
    assert not_checked <= {"A001", "A002", "B001", "B002", "B003", "C001", "C002", "C102", "C103", "S007",
                           "H001", "H002", "H003", "H004", "H005"}


# --- structure --------------------------------------------------------------------------------------


def test_shifted_numbering(tmp_path: Path) -> None:
    doc = Doc()
    doc.headings = {"overview": "总体情况", "active": "一、主动公开政府信息情况",
                    "requests": "二、收到和处理政府信息公开申请情况",
                    "appeals": "三、政府信息公开行政复议、行政诉讼情况",
                    "problems": "四、存在的主要问题及改进情况", "other": "五、其他需要报告的事项"}
    s005 = _of(_run(doc, tmp_path), "S005")
    assert len(s005) == 1
    assert "“一、主动公开政府信息情况”编为“一”，应为“二”" in s005[0].message
    assert s005[0].severity == Severity.WARNING


def test_sections_out_of_order_and_merged(tmp_path: Path) -> None:
    doc = Doc()
    doc.headings = {"overview": "一、总体情况", "requests": "二、收到和处理政府信息公开申请情况",
                    "active": "三、主动公开政府信息情况", "appeals": "四、政府信息公开行政复议、行政诉讼情况",
                    "problems": "五、存在的主要问题及改进情况和其他需要报告的事项"}
    doc.sections.pop("other")
    result = _run(doc, tmp_path)
    messages = [f.message for f in _of(result, "S005")]
    assert any(m.startswith("章节顺序与格式不符") for m in messages)
    assert any("似乎合并了“其他需要报告的事项”" in m for m in messages)
    assert "S001" in {f.rule for f in result.findings}  # the merged part is still missing as a part


def test_extra_top_level_section(tmp_path: Path) -> None:
    doc = Doc()
    doc.headings = {"overview": "一、总体情况", "x": "二、政府信息管理", **{
        k: "三四五六七"[i] + "、" + h.split("、", 1)[1] for i, (k, h) in enumerate(list(doc.headings.items())[1:])}}
    doc.sections["x"] = "加强公开前保密审查。"
    messages = [f.message for f in _of(_run(doc, tmp_path), "S005")]
    assert any("“二、政府信息管理”不是格式规定的六个部分之一" in m for m in messages)


@pytest.mark.parametrize("leftover", ["（指2019年事项数）", "编写说明：", "（文字描述）", "××局"])
def test_template_text_left_in(tmp_path: Path, leftover: str) -> None:
    doc = Doc()
    doc.sections["problems"] += leftover
    s006 = _of(_run(doc, tmp_path), "S006")
    assert len(s006) == 1 and leftover.rstrip("：局") in s006[0].message


def test_template_text_not_confused_with_real_words(tmp_path: Path) -> None:
    doc = Doc()
    doc.sections["problems"] += "（指导意见）已印发。本列数据的勾稽关系见表三。"
    assert "S006" in _run(doc, tmp_path).passed


def test_government_report_covers_article_50(tmp_path: Path) -> None:
    result = _run(Doc(agency=GOVERNMENT), tmp_path)
    s007 = _of(result, "S007")
    assert len(s007) == 1 and "工作考核、社会评议、责任追究" in s007[0].message
    assert "S007" in _run(Doc().government(), tmp_path).passed
    department = _run(Doc(), tmp_path)
    assert "S007" in {n.rule for n in department.not_checked}


def test_wrong_format_is_an_error_from_2021(tmp_path: Path) -> None:
    s008 = _of(_run(Doc(version="2019", year=2023), tmp_path), "S008")
    assert len(s008) == 1 and s008[0].severity == Severity.ERROR
    assert (s008[0].expected, s008[0].actual) == ("2021", "2019")
    assert "本年新制作数量" in s008[0].message


def test_wrong_format_before_2021_is_a_warning(tmp_path: Path) -> None:
    s008 = _of(_run(Doc(year=2020, published="2021-01-20"), tmp_path), "S008")
    assert len(s008) == 1 and s008[0].severity == Severity.WARNING
    assert "S008" in _run(Doc(version="2019", year=2020, published="2021-01-20"), tmp_path).passed


def test_unmatched_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    doc = Doc(extra_request_rows=[("其中：网上申请", [5, 0, 0, 0, 0, 0, 5])])
    result = _run(doc, tmp_path)
    s009 = _of(result, "S009")
    assert len(s009) == 1 and "其中：网上申请" in s009[0].message and s009[0].location.table == "requests"
    assert "A102" in result.passed  # the stray row is not read into the table


def test_stray_and_repeated_rows_are_one_finding_per_table(tmp_path: Path) -> None:
    doc = Doc(extra_request_rows=[("（一）予以公开", [1, 0, 0, 0, 0, 0, 1]),
                                  ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [2, 0, 0, 0, 0, 0, 2]),
                                  ("其中：网上申请", [5, 0, 0, 0, 0, 0, 5]), ("其中：信函申请", [1, 0, 0, 0, 0, 0, 1])])
    result = _run(doc, tmp_path)
    s009, s011 = _of(result, "S009"), _of(result, "S011")
    assert len(s009) == 1 and s009[0].location.table == "requests"
    assert s009[0].message == ("表三中有 2 处行或列不属于格式规定的行列，未读取其数据："
                               "行“其中：网上申请”、行“其中：信函申请”")
    assert s009[0].actual == ["其中：网上申请", "其中：信函申请"]
    assert len(s011) == 1 and "“予以公开”行、“部分公开”行" in s011[0].message


def test_subtotal_column_is_mentioned(tmp_path: Path) -> None:
    result = _run(Doc(subtotal=True), tmp_path)
    s010 = _of(result, "S010")
    assert len(s010) == 1 and s010[0].severity == Severity.INFO and "小计" in s010[0].message
    assert "A103" in result.passed


def test_missing_rows(tmp_path: Path) -> None:
    doc = Doc()
    for row in ("other.no_correction", "other.unpaid_fee", "other.other"):
        doc.tables["requests"].pop(row)
    doc.cell("requests", "granted", "natural_person", 63)  # the 3 of other.other go to 予以公开
    s012 = _of(_run(doc, tmp_path), "S012")
    # One finding for the table names the three rows (not a finding per row); the location lists the cells.
    assert len(s012) == 1 and s012[0].location.table == "requests"
    assert s012[0].expected == ["other.no_correction", "other.unpaid_fee", "other.other"]
    assert s012[0].message.startswith("表三缺少 3 处（共 21 个单元格）：“其他处理：")
    assert {r for r, _ in s012[0].location.cells} == {"other.no_correction", "other.unpaid_fee", "other.other"}


def test_one_missing_row_is_named_as_a_row(tmp_path: Path) -> None:
    doc = Doc()
    doc.tables["requests"].pop("other.unpaid_fee")
    s012 = _of(_run(doc, tmp_path), "S012")
    assert [f.location.row for f in s012] == ["other.unpaid_fee"] and not s012[0].location.cells


# --- values -----------------------------------------------------------------------------------------


def test_blank_cells_grouped(tmp_path: Path) -> None:
    doc = Doc()
    for row in doc.tables["requests"]:
        doc.cell("requests", row, "research", None)
    doc.cell("requests", "granted", "legal_services", None)
    v002 = _of(_run(doc, tmp_path), "V002")
    assert [(f.location.column, f.location.row) for f in v002] == [("research", None), ("legal_services", "granted")]
    assert v002[0].message == "表三“科研机构”列 25 个单元格均空白，应填写 0 或实际数字；勾稽计算时按 0 处理"
    assert v002[1].message.startswith("表三“法律服务机构×予以公开”单元格空白")


def test_scattered_blank_cells_are_one_finding_per_table(tmp_path: Path) -> None:
    # Zeros left blank here and there (90 such cells drew 90 warnings in a real report): one finding for
    # the table, naming the first few cells, with every cell in its location.
    doc = Doc()
    blanked = []
    for row, values in doc.tables["requests"].items():
        for col in ("research", "public_interest", "legal_services"):
            if values[col] == 0 and row.startswith(("denied", "unavailable", "not_processed")):
                doc.cell("requests", row, col, None)
                blanked.append((row, col))
    doc.cell("appeals", "review", "other", None)
    v002 = _of(_run(doc, tmp_path), "V002")
    assert [f.location.table for f in v002] == ["requests", "appeals"]
    grouped = v002[0]
    assert sorted(grouped.location.cells) == sorted(blanked) and grouped.location.row is None
    assert grouped.message.startswith(f"表三共 {len(blanked)} 个单元格（科研机构×不予公开：属于国家秘密、")
    assert "等）空白" in grouped.message and "按 0 处理" in grouped.message
    assert v002[1].location.cells == () and v002[1].location.row == "review"  # a single cell stays a cell


def test_several_bad_cells_of_a_table_are_one_finding(tmp_path: Path) -> None:
    doc = Doc().cell("active", "licensing", "decisions", "-3").cell("active", "punishment", "decisions", "-1")
    doc.cell("active", "normative_documents", "issued", "3（其中修订1件）")
    doc.cell("active", "normative_documents", "in_force", "25（含废止）")
    doc.cell("requests", "granted", "commercial", "见附件", keep_total=False)
    doc.cell("requests", "partially_granted", "commercial", "详见正文", keep_total=False)
    result = _run(doc, tmp_path)
    v005 = _of(result, "V005")
    assert len(v005) == 1 and v005[0].location.cells == (("licensing", "decisions"), ("punishment", "decisions"))
    assert v005[0].message.startswith("表二 2 个单元格为负数：") and v005[0].actual == ["-3", "-1"]
    v004 = _of(result, "V004")
    assert len(v004) == 1 and v004[0].severity == Severity.INFO and "按 3 读取" in v004[0].message
    v001 = _of(result, "V001")
    assert len(v001) == 1 and "“见附件”" in v001[0].message and "“详见正文”" in v001[0].message
    assert len(v001[0].location.cells) == 2


def test_many_failing_rows_of_an_identity_are_one_finding(tmp_path: Path) -> None:
    # A 总计 column shifted by one in every outcome row: a handful of rows fail A103; one finding lists them.
    doc = Doc()
    for row in ("granted", "partially_granted", "denied.state_secret", "unavailable.not_held",
                "not_processed.duplicate"):
        doc.tables["requests"][row]["total"] = int(doc.tables["requests"][row]["total"] or 0) + 1  # type: ignore[arg-type]
    result = _run(doc, tmp_path)
    a103 = _of(result, "A103")
    assert len(a103) == 1 and a103[0].location.row is None and len(a103[0].location.cells) == 5
    assert a103[0].message.startswith("表三有 5 行不满足“总计列=各类申请人之和”：“予以公开”64 ≠ 63（相差 1）；")
    assert a103[0].actual == [64, 202, 2, 32, 6] and a103[0].expected == [63, 201, 1, 31, 5]
    # Up to three stay one finding each, with their own sums.
    few = Doc().cell("requests", "granted", "total", 64, keep_total=False)
    assert [f.location.row for f in _of(_run(few, tmp_path), "A103")] == ["granted"]


def test_placeholders(tmp_path: Path) -> None:
    doc = Doc()
    for col in ("issued", "repealed", "in_force"):
        doc.cell("active", "regulations", col, "/")
    v003 = _of(_run(doc, tmp_path), "V003")
    assert len(v003) == 1 and v003[0].location.row == "regulations" and "（“/”）" in v003[0].message


def test_annotated_cells(tmp_path: Path) -> None:
    doc = Doc().cell("active", "fees", "amount", "12500元")
    doc.cell("active", "normative_documents", "issued", "3（其中修订1件）")
    doc.cell("active", "licensing", "decisions", "约120")
    v004 = {f.location.row: f for f in _of(_run(doc, tmp_path), "V004")}
    assert v004["fees"].severity == Severity.WARNING and "应为 1.25" in v004["fees"].message
    assert v004["normative_documents"].severity == Severity.INFO and "按 3 读取" in v004["normative_documents"].message
    assert v004["licensing"].severity == Severity.WARNING and "约数" in v004["licensing"].message


def test_text_negative_and_fractional_cells(tmp_path: Path) -> None:
    doc = Doc().cell("requests", "granted", "natural_person", "详见附件", keep_total=False)
    doc.cell("active", "licensing", "decisions", "-3").cell("active", "punishment", "decisions", "12.5")
    result = _run(doc, tmp_path)
    assert [f.location.row for f in _of(result, "V001")] == ["granted"]
    assert _of(result, "V001")[0].message == "表三“自然人×予以公开”单元格应为数字，实际填写“详见附件”"
    assert [f.location.row for f in _of(result, "V005")] == ["licensing"]
    assert [f.location.row for f in _of(result, "V006")] == ["punishment"]
    # The text cell counts as 0 in the identities, and the findings say so.
    a102 = _of(result, "A102")
    assert a102 and "按 0 计算" in a102[0].message


def test_signed_change_of_2019_is_not_negative(tmp_path: Path) -> None:
    result = _run(Doc(version="2019", year=2020, published="2021-01-20"), tmp_path)
    assert "V005" in result.passed


# --- plausibility -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("agency", "rank"), [
    ("江苏省宿迁市沭阳县发展和改革局", 3), ("沭阳县市场监督管理局", 3), ("淮安市人民政府", 2), ("镇江市人民政府", 2),
    ("北京市朝阳区人民政府", 3), ("伊州区丽园街道办事处", 4), ("新疆维吾尔自治区人民政府", 1),
    ("江苏省发展和改革委员会", 1),
    ("苏州工业园区管理委员会", 2), ("宿迁经济技术开发区管理委员会", None), ("教育部", None), ("沭阳县城市管理局", 3),
])
def test_place_rank(agency: str, rank: int | None) -> None:
    assert place_rank(agency) == rank


def test_regulations_by_a_county_organ(tmp_path: Path) -> None:
    doc = Doc(agency=COUNTY_DEPARTMENT)
    doc.tables["active"]["regulations"].update(issued=1, repealed=0, in_force=2)
    c105 = _of(_run(doc, tmp_path), "C105")
    assert len(c105) == 1 and "县级" in c105[0].message and "规章×本年制发件数 1" in c105[0].message
    city = Doc(agency=GOVERNMENT)
    city.tables["active"]["regulations"].update(issued=1, repealed=0, in_force=2)
    assert "C105" in _run(city, tmp_path).passed


def test_2019_published_more_than_made(tmp_path: Path) -> None:
    doc = Doc(version="2019", year=2020, published="2021-01-20")
    doc.cell("active", "normative_documents", "published", 5).cell("active", "normative_documents", "total_public", 4)
    messages = [f.message for f in _of(_run(doc, tmp_path), "C106")]
    assert len(messages) == 2 and "多于本年新制作 3 件" in messages[0] and "少于本年新公开 5 件" in messages[1]


# --- dates ------------------------------------------------------------------------------------------


def test_overview_speaking_of_last_year(tmp_path: Path) -> None:
    doc = Doc()
    doc.sections["overview"] = doc.sections["overview"].replace("{year}", "2022")
    d006 = _of(_run(doc, tmp_path), "D006")
    assert len(d006) == 1 and "2022 年" in d006[0].message and "2023 年" in d006[0].message
    doc.sections["overview"] += "《2023年工作要点》已印发。"  # a document's title does not count
    assert "D006" in {f.rule for f in _run(doc, tmp_path).findings}


def test_overview_with_the_data_year_and_plans(tmp_path: Path) -> None:
    doc = Doc()
    doc.sections["overview"] = "2024年将继续推进。2023年1月1日以来，本局扎实推进政务公开。"
    assert "D006" in _run(doc, tmp_path).passed
