"""The 2008-era statistics table (指标名称 | 计量单位 | 本年度 | 历年累计): read from grids and from crawled text
where every cell's split is provably unique, never guessed; checked against itself and against the prose."""

from __future__ import annotations

from pathlib import Path

from ogi.config import Config
from ogi.engine import check_file, read_file
from ogi.ingest.tables.old_statistics import match_label
from ogi.model import Report, Table
from ogi.schemas.definitions import load_format

REAL = Path(__file__).parent / "real" / "files"
STATISTICS = load_format("2008").tables["statistics"]


def _read(path: Path) -> Report:
    report = read_file(path, Config())
    assert isinstance(report, Report)
    return report


def _pairs(table: Table) -> dict[str, tuple[str, str]]:
    rows = sorted({row for row, _ in table.cells})
    return {row: (table.cells[(row, "year")].raw, table.cells[(row, "cumulative")].raw) for row in rows}


def test_run_together_rows_are_split_by_their_digits_and_the_cumulative_bound() -> None:
    report = _read(REAL / "pingtan-county-2013.txt")
    pairs = _pairs(report.tables["statistics"])
    # '受理依申请公开信息总数条728' is 7 | 28 (72 | 8 would make the cumulative smaller than the year).
    assert pairs["requests"] == ("7", "28")
    assert pairs["requests.email"] == ("3", "6")
    assert pairs["requests.online"] == ("4", "4")
    assert pairs["answers"] == ("3", "24")
    # '主动公开信息数条18535395' splits four ways (1853 | 5395, 185 | 35395, …): not read, and said so.
    assert "active" not in pairs and "active.website" not in pairs
    unread = [dict(n.data) for n in report.read_notes if n.code == "rows-unreadable"]
    assert unread and unread[0]["rows"] == "active,active.website"


def test_parts_bound_settles_rows_the_digits_leave_open() -> None:
    # 主动公开信息数 4251516 and 网站公开 4181509 each split three ways; with 公报 7 | 7 only 425 | 1516 and
    # 418 | 1509 keep the parts within their total in both columns.
    report = _read(REAL / "pingtan-county-2011.txt")
    pairs = _pairs(report.tables["statistics"])
    assert pairs["active"] == ("425", "1516")
    assert pairs["active.website"] == ("418", "1509")
    methods = [dict(n.data).get("method") for n in report.read_notes if n.code == "cells-recovered"]
    assert methods == ["parts"]


def test_spaced_text_is_read_cell_by_cell() -> None:
    pairs = _pairs(_read(REAL / "pingtan-2012.txt").tables["statistics"])
    assert pairs["active"] == ("739", "4359")
    assert pairs["complaints"] == ("0", "0")  # 行政申诉、举报数


def test_a_grid_is_read_by_label_whatever_rows_it_prints(tmp_path: Path) -> None:
    rows = [("主动公开信息数", "1853", "5395"), ("其中：1.网站公开", "1713", "5017"),
            ("受理依申请公开信息总数", "7", "28"), ("4.网上申请数", "4", "4"), ("3.不予公开答复数", "0", "2")]
    body = "".join(f"<tr><td>{label}</td><td>条</td><td>{a}</td><td>{b}</td></tr>" for label, a, b in rows)
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>某县人民政府2013年政府信息公开工作年度报告</title></head><body>"
        "<p>一、概述</p><p>本年度工作情况。</p><table><tr><td>指标名称</td><td>计量单位</td><td>2013年度</td>"
        f"<td>历年累计</td></tr>{body}</table></body></html>", encoding="utf-8")
    pairs = _pairs(_read(page).tables["statistics"])
    assert pairs == {"active": ("1853", "5395"), "active.website": ("1713", "5017"), "requests": ("7", "28"),
                     "requests.online": ("4", "4"), "answers.denied": ("0", "2")}


def test_a_label_two_rows_fit_equally_is_not_mapped() -> None:
    assert match_label(STATISTICS, "3.否决公开答复数") == "answers.denied"
    assert match_label(STATISTICS, "接受行政诉讼、举报数") == "complaints"
    assert match_label(STATISTICS, "网站公开、公报公开") is None
    assert match_label(STATISTICS, "不予公开信息数") is None  # not an answer: no row of this table


def test_text_contradicting_the_table_is_a_warning_naming_both_sides() -> None:
    # '共收到…申请7条，网上申请数3条，信函申请数4条' against the table's 2013年度 column: 网上 4, 信函 0.
    result = check_file(REAL / "pingtan-county-2013.txt", Config())
    found = {(f.location.row, f.actual, f.expected, f.severity.value) for f in result.findings if f.rule == "C108"}
    assert found == {("requests.online", 3, 4, "warning"), ("requests.letter", 4, 0, "warning")}
    # The counts the text and the table agree on (申请 7, 答复 3, 同意公开 2) are no finding.
    assert "C108" not in [n.rule for n in result.not_checked]


def test_text_agreeing_with_the_table_passes() -> None:
    # 2012: '共收到…申请21条，其中当面申请数18条，电子邮件申请数3条；…答复总数21条，其中同意公开答复数17条'.
    result = check_file(REAL / "pingtan-county-2012.txt", Config())
    assert "C108" in result.passed


def test_relations_the_split_relied_on_are_not_checked_against_it(tmp_path: Path) -> None:
    # From run-together text every row split by cumulative ≥ year satisfies it: A106 checks the others only,
    # and the parts bound that settled 2011's 主动公开 rows cannot be broken there.
    result = check_file(REAL / "pingtan-county-2011.txt", Config())
    assert {"A105", "A106"} <= set(result.passed)
    assert not [f for f in result.findings if f.rule in ("A105", "A106")]


def test_parts_short_of_their_total_with_a_catch_all_row_is_a_warning(tmp_path: Path) -> None:
    rows = [("受理依申请公开信息总数", "7", "28"), ("1.当面申请数", "0", "18"), ("4.网上申请数", "4", "4"),
            ("6.其它形式申请数", "0", "0")]
    body = "".join(f"<tr><td>{label}</td><td>条</td><td>{a}</td><td>{b}</td></tr>" for label, a, b in rows)
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>某县人民政府2013年政府信息公开工作年度报告</title></head><body>"
        "<p>一、概述</p><p>本年度工作情况。</p><table><tr><td>指标名称</td><td>计量单位</td><td>2013年度</td>"
        f"<td>历年累计</td></tr>{body}</table></body></html>", encoding="utf-8")
    found = [(f.location.column, f.severity.value, f.actual) for f in check_file(page, Config()).findings
             if f.rule == "A105"]
    assert found == [("year", "warning", 4), ("cumulative", "warning", 22)]


def test_a_grid_with_a_merged_qizhong_column_takes_each_part_by_its_own_label(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>某县人民政府2013年政府信息公开工作年度报告</title></head><body>"
        "<p>一、概述</p><p>本年度工作情况。</p><table>"
        "<tr><td colspan='2'>指标名称</td><td>计量单位</td><td>2013年度</td><td>历年累计</td></tr>"
        "<tr><td colspan='2'>受理依申请公开信息总数</td><td>条</td><td>7</td><td>28</td></tr>"
        "<tr><td rowspan='2'>其中</td><td>1.当面申请数</td><td>条</td><td>0</td><td>18</td></tr>"
        "<tr><td>4.网上申请数</td><td>条</td><td>4</td><td>4</td></tr>"
        "</table></body></html>", encoding="utf-8")
    pairs = _pairs(_read(page).tables["statistics"])
    assert pairs == {"requests": ("7", "28"), "requests.in_person": ("0", "18"), "requests.online": ("4", "4")}


def _grid_report(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    body = "".join(f"<tr><td>{label}</td><td>条</td><td>{a}</td><td>{b}</td></tr>" for label, a, b in rows)
    page = tmp_path / "report.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>某县人民政府2013年政府信息公开工作年度报告</title></head><body>"
        "<p>一、概述</p><p>本年度工作情况。</p><table><tr><td>指标名称</td><td>计量单位</td><td>2013年度</td>"
        f"<td>历年累计</td></tr>{body}</table></body></html>", encoding="utf-8")
    return page


def test_disclosure_channels_may_overlap_but_none_exceeds_the_total(tmp_path: Path) -> None:
    # One document can be on the website and in the gazette: 10 + 5 > 12 proves nothing; 13 > 12 does.
    overlapping = _grid_report(tmp_path, [("主动公开信息数", "12", "40"), ("1.网站公开", "10", "30"),
                                          ("2.政府公报公开", "5", "20")])
    assert not [f for f in check_file(overlapping, Config()).findings if f.rule == "A105"]
    too_many = _grid_report(tmp_path, [("主动公开信息数", "12", "40"), ("1.网站公开", "13", "30")])
    found = [(f.location.row, f.location.column, f.severity.value) for f in check_file(too_many, Config()).findings
             if f.rule == "A105"]
    assert found == [("active.website", "year", "error")]


def test_one_token_per_line_is_read(tmp_path: Path) -> None:
    # Flip-book PDFs and some exports give each cell a line of its own, the header's too.
    lines = ["某县人民政府2013年政府信息公开工作年度报告", "一、概述", "本年度工作情况。", "政府信息公开情况统计表",
             "指标名称", "计量单位", "2013年度", "历年累计", "主动公开信息数", "条", "1853", "5395",
             "受理依申请公开信息总数", "条", "7", "28", "其中：1.当面申请数", "条", "0", "18"]
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = _pairs(_read(path).tables["statistics"])
    assert pairs == {"active": ("1853", "5395"), "requests": ("7", "28"), "requests.in_person": ("0", "18")}


def test_a_row_the_definition_does_not_know_is_named_and_reading_goes_on(tmp_path: Path) -> None:
    text = ("某县人民政府2013年政府信息公开工作年度报告\n一、概述\n本年度工作情况。\n"
            "指标名称 计量单位 2013年度 历年累计 制作政府信息总数 条 3618 9000 主动公开信息数 条 1853 5395\n")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    table = _read(path).tables["statistics"]
    assert _pairs(table) == {"active": ("1853", "5395")}
    assert table.unmatched_rows == ("制作政府信息总数",)


def test_a_request_of_another_matter_is_not_a_disclosure_request(tmp_path: Path) -> None:
    # '受理行政复议申请2件' speaks of reviews: compared with 行政复议数 (2), never with 受理…申请总数 (0).
    text = ("某县人民政府2013年政府信息公开工作年度报告\n一、概述\n"
            "本年度未收到政府信息公开申请，受理行政复议申请2件。\n"
            "指标名称 计量单位 2013年度 历年累计\n受理依申请公开信息总数 条 0 5\n行政复议数 件 2 3\n")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = check_file(path, Config())
    assert not [f.message for f in result.findings if f.rule == "C108"]
    assert "C108" in result.passed
