"""The per-agency HTML report: verdict, findings with evidence and highlighted tables, self-contained."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from ogi import __version__
from ogi.checks.registry import get_rule
from ogi.model import Location
from ogi.reports.common import ruleset_id
from ogi.reports.html import FONT_STACK, build_view, fix_cells, fix_text, how_to_fix, render_report_html
from report_samples import SEED_AGENCY, TABLE_AGENCY, seed_result, table_result, unreadable_result


class _Cells(HTMLParser):
    """Collects each <td>/<th>'s class and text, to find highlighted cells."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str, str]] = []  # (tag, class, text)
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._open.append([tag, dict(attrs).get("class") or "", ""])

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._open:
            t, c, text = self._open.pop()
            self.cells.append((t, c, text.strip()))


def _cells(html: str) -> list[tuple[str, str, str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_seed_report_shows_verdict_findings_and_provenance() -> None:
    result = seed_result()
    html = render_report_html(result)
    text = _text(html)
    assert '<html lang="zh-CN">' in html
    assert SEED_AGENCY in text
    assert 'class="verdict fail"' in html and "不合格" in text
    b001 = next(f for f in result.findings if f.rule == "B001")
    s002 = next(f for f in result.findings if f.rule == "S002")
    assert b001.message in text and s002.message in text
    assert get_rule("B001").title in text and get_rule("B001").basis in text
    # grouped by category, the error's category first
    assert text.index("经费") < text.index("结构") < text.index("提示 F004")
    # what passed, what was not checked and why, and where it came from
    for code in result.passed:
        assert code in text
    for item in result.not_checked:
        assert item.reason in text
    assert result.sha256 in text and f"ogi-checks {__version__}" in text and ruleset_id()[1] in text
    assert "2008" in text  # format version


def test_how_to_fix_comes_from_the_rule_doc() -> None:
    text = _text(render_report_html(seed_result()))
    assert "如何修改" in text
    example = get_rule("B001").doc_sections()["合规示例"]
    assert how_to_fix("B001", "zh") == "合规示例：" + example
    assert example.splitlines()[0] in text


def test_offending_table_cell_is_drawn_and_highlighted() -> None:
    html = render_report_html(table_result())
    cells = _cells(html)
    hit = [c for c in cells if "hit-cell" in c[1]]
    assert len(hit) == 1 and hit[0][2].endswith("3")
    assert any(tag == "th" and "hit-col" in cls and text == "自然人" for tag, cls, text in cells)
    # the rest of the row and the column are marked too, other cells are not
    assert sum("hit-row" in c[1] for c in cells if c[0] == "td") == 6
    assert sum("hit-col" in c[1] for c in cells if c[0] == "td") == 24
    text = _text(html)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in text  # official row label
    assert "收到和处理政府信息公开申请情况" in text  # official table title
    assert "（三）不予公开" in text  # group row
    assert "最可能出错的单元格" in text and "应为： 5" in text and "实为： 3" in text
    assert "（二）部分公开 × 自然人 应为 5（现为 3）" in text  # Finding.fix
    assert "sheet 表三, cell C8" in text  # where it is in the file
    assert any("blank" in c[1] and c[2] == "空白" for c in cells)  # a blank cell is shown as blank, not 0


def test_waivers_not_checked_and_passed() -> None:
    text = _text(render_report_html(table_result()))
    assert "已豁免" in text and "经批准并入第一部分" in text and "区政务公开办" in text and "2030-03-31" in text
    assert "报告未同时写明支出合计与分项" in text
    assert "通过的检查" in text and "D001" in text


def test_english_report_uses_english_texts() -> None:
    result = table_result()
    html = render_report_html(result, "en")
    text = _text(html)
    assert '<html lang="en">' in html
    assert "Verdict" in text and "fail" in text
    assert result.findings[0].message_en in text
    assert get_rule("D002").title_en in text
    assert "Natural persons" in text and "Partially granted" in text  # table labels in English
    assert "Requests received and handled" in text


def test_unreadable_submission_renders() -> None:
    result = unreadable_result()
    text = _text(render_report_html(result))
    assert "无法读取" in text and "坏文件.doc" in text and "旧版二进制 Word 文件" in text


@pytest.mark.parametrize("hostile", ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>'])
def test_untrusted_text_is_escaped(hostile: str) -> None:
    result = table_result(agency=hostile)
    finding = replace(result.findings[0], message=hostile, fix=hostile)
    html = render_report_html(replace(result, findings=(finding, *result.findings[1:])))
    assert hostile not in html
    assert "<script>" not in html.lower()
    assert "&lt;" in html


def test_self_contained_printable_and_cjk_fonts() -> None:
    html = render_report_html(seed_result())
    assert FONT_STACK in html
    assert '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif' in html
    assert "@page { size: A4;" in html and "@media print" in html
    assert "default-src 'none'" in html  # the page may not load anything
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "<link" not in html
    # readable without JavaScript: the report has no script at all
    assert "<script" not in html


def test_output_is_deterministic_and_timestamped_only_on_request() -> None:
    first = render_report_html(table_result())
    assert first == render_report_html(table_result())
    assert "生成时间" not in first
    stamped = render_report_html(table_result(), generated_at=dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone.utc))
    assert "生成时间" in stamped and "2024-03-01T09:30:00+00:00" in stamped


def test_view_orders_categories_by_severity() -> None:
    view = build_view(table_result())
    assert [c.name for c in view.categories] == ["勾稽", "日期", "结构"]
    assert view.counts.error == 2 and view.counts.warning == 1 and view.counts.waived == 1
    assert view.name == TABLE_AGENCY and view.year == 2023


def test_table_of_a_format_without_definition_still_draws() -> None:
    result = table_result()
    assert result.report is not None
    old = replace(result, report=replace(result.report, format_version="2008"))
    cells = _cells(render_report_html(old))
    assert any("hit-cell" in c[1] for c in cells)
    assert any(c[0] == "th" and c[2] == "natural_person" for c in cells)


def _identity_fix() -> str:
    from ogi.checks.cells import cell_label, cell_label_en
    from ogi.schemas.definitions import load_format

    tdef = load_format("2021").tables["requests"]
    zh = cell_label(tdef, "partially_granted", "natural_person")
    en = cell_label_en(tdef, "partially_granted", "natural_person")
    return f"{zh}应为 5（现为 3），可使全部勾稽关系成立 / {en}: 5 (now 3) would balance every identity"


def test_cell_named_by_the_fix_is_marked_when_the_finding_points_at_a_column() -> None:
    """Identity findings point at a whole column or row; their fix names the most likely wrong cell."""
    result = table_result()
    column = replace(result.findings[0], location=Location(table="requests", column="natural_person"),
                     fix=_identity_fix())
    row = replace(column, location=Location(table="requests", row="partially_granted"))
    html = render_report_html(replace(result, findings=(column, row)))
    hit = [c for c in _cells(html) if "hit-cell" in c[1]]
    assert len(hit) == 1 and hit[0][2].endswith("3")  # one drawing for both findings of the rule …
    text = _text(html)
    assert "该表见上一项" in text  # … the second refers to it
    assert "可使全部勾稽关系成立" in text and "would balance" not in text  # the fix in the reader's language
    english = _text(render_report_html(replace(result, findings=(column,)), "en"))
    assert "would balance every identity" in english and "可使" not in english


def test_findings_of_different_rules_each_draw_the_table() -> None:
    result = table_result()
    other = replace(result.findings[0], rule="A002", location=Location(table="requests", row="granted"))
    html = render_report_html(replace(result, findings=(result.findings[0], other)))
    assert html.count("<caption>") == 2


def test_fix_helpers() -> None:
    from ogi.schemas.definitions import load_format

    tdef = load_format("2021").tables["requests"]
    assert fix_cells(tdef, _identity_fix()) == [("partially_granted", "natural_person")]
    assert fix_cells(tdef, "请核对") == [] and fix_cells(None, _identity_fix()) == []
    assert fix_text("甲 / A", "zh") == "甲" and fix_text("甲 / A", "en") == "A"
    assert fix_text("只有中文", "en") == "只有中文"
    assert fix_text(None, "zh") is None


def _grouped_result() -> object:
    """table_result() with one finding that lists three blank cells of table 三 (a grouped V002)."""
    from ogi.model import Category, Finding, Severity

    base = table_result()
    cells = (("granted", "research"), ("partially_granted", "research"), ("carried_forward", "commercial"))
    grouped = Finding(rule="V002", severity=Severity.WARNING, category=Category.VALUE,
                      message="表三共 3 个单元格空白", message_en="3 cells of table requests are blank",
                      location=Location(section="requests", table="requests", cells=cells))
    return replace(base, findings=(*base.findings, grouped))


def test_a_grouped_finding_lists_and_marks_its_cells() -> None:
    from ogi.pytest_plugin import format_finding
    from ogi.reports.junit import render_junit
    from ogi.reports.xlsx_summary import build_workbook

    result = _grouped_result()
    html = render_report_html(result)  # type: ignore[arg-type]
    listed = [c for c in _cells(html) if "hit-listed" in c[1]]
    assert len(listed) == 3
    text = _text(html)
    assert "单元格：3 个：科研机构×予以公开、科研机构×部分公开、商业企业×结转下年度继续办理" in text
    english = _text(render_report_html(result, "en"))  # type: ignore[arg-type]
    assert "Cells: 3: Research institutions × Granted; Research institutions × Partially granted" in english
    assert "cells: 3 个：科研机构×予以公开" in render_junit([result])  # type: ignore[list-item]
    sheet = build_workbook([result])["问题明细"]  # type: ignore[list-item]
    assert any("单元格：3 个：科研机构×予以公开" in str(c.value) for row in sheet.iter_rows() for c in row)
    finding = result.findings[-1]  # type: ignore[attr-defined]
    assert "单元格 cells: 3 个：科研机构×予以公开" in format_finding(finding, result.report)  # type: ignore[attr-defined]
