"""Tables whose cells run together in crawled page text (issue 15, class 7): recovered where the split of every
cell is provably unique, otherwise present but not machine-readable, and never a "missing table"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi.api import check
from ogi.config import Config
from ogi.engine import read_file
from ogi.ingest.document import RawDocument, TextLine
from ogi.ingest.readers import read_document
from ogi.ingest.tables import detect_format, recognise_from_lines
from ogi.ingest.tables.run_together import _Search, splits
from ogi.model import CellKind, Report, Severity, SourceLocator
from ogi.schemas.definitions import load_format
from ogi.testing import generate, render

# The tables of 平潭综合实验区2023年度政府信息公开工作年度报告 as a portal archive's crawler stored the page
# (github changwu/pingtan-gov-zwgk-archive @ 12f00b4205da89f3fa531f747c608e88308a046c,
# pingtan/zwgk/zfxxgk/zfxxgknb/202403/87885_平潭综合实验区2023年度政府信息公开工作年度报告/page.txt; the issue's
# "行政规范性文件77132470"). Cells checked by hand against the portal page (see the real-report set).
PINGTAN_2023_TABLES = (
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件"
    "77132470第二十条第（五）项信息内容本年处理决定数量行政许可2629第二十条第（六）项信息内容本年处理决定数量行政处罚"
    "1330行政强制54第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费5949.088667三、收到和处理政府"
    "信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织"
    "总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开"
    "申请数量0000000三、本年度办理结果（一）予以公开220000022（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    "191000020（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护"
    "第三方合法权益10000015.属于三类内部事务信息00000006.属于四类过程性信息10000017.属于行政执法案卷10000018.属于行政"
    "查询事项2000002（四）无法提供1.本机关不掌握相关政府信息3100000312.没有现成信息需要另行制作00000003.补正后申请内容"
    "仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请10000013.要求提供公开出版物00000004.无正当理由"
    "大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关"
    "不再处理其政府信息公开申请10000012.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003."
    "其他1000001（七）总计801000081四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼"
    "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正"
    "其他结果尚未审结总计110024001510102"
)
PAGE = "\n".join([
    "平潭综合实验区2023年度政府信息公开工作年度报告",
    "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
    "一、总体情况 2023年，全区共主动公开政府信息13561条。" + PINGTAN_2023_TABLES
    + "五、存在的主要问题及改进情况 无。六、其他需要报告的事项 2023年，无收取信息处理费情况。",
])


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, SourceLocator("txt", line=i + 1)) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def pingtan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crawled") / "pingtan-2023.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_the_issue_example_is_split_the_only_way_its_identities_allow(pingtan: Path) -> None:
    report = read_file(pingtan, Config())
    assert isinstance(report, Report)
    requests = report.tables["requests"]
    # 220000022 (予以公开) could be 2|20|0|0|0|0|22; only 22|0|… with 19|1|… (部分公开) keeps every column's
    # outcomes equal to its 总计 (80 and 1).
    assert [requests.value("granted", c) for c in ("natural_person", "commercial", "total")] == [22, 0, 22]
    assert [requests.value("partially_granted", c) for c in ("natural_person", "commercial", "total")] == [19, 1, 20]
    assert requests.value("unavailable.not_held", "total") == 31
    assert requests.value("new_received", "total") == 81
    appeals = report.tables["appeals"]
    assert [appeals.value("review", c) for c in ("upheld", "corrected", "other", "pending", "total")] == \
        [1, 1, 0, 0, 2]
    assert [appeals.value("litigation_direct", c) for c in ("upheld", "total")] == [4, 5]
    recovered = {dict(n.data)["table"]: dict(n.data)["method"]
                 for n in report.read_notes if n.code == "cells-recovered"}
    assert recovered == {"requests": "identities", "appeals": "digits"}


def test_an_ambiguous_row_is_there_but_not_read_and_never_missing(pingtan: Path) -> None:
    report = read_file(pingtan, Config())
    assert isinstance(report, Report)
    active = report.tables["active"]  # table 二 has no identity: each row the digits settle is read alone
    assert [active.value("regulations", c) for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert active.value("licensing", "decisions") == 2629
    assert active.value("fees", "amount") == Decimal("5949.088667")
    # 77132470 = 77|132|470, 7|713|2470, …: not read, and said
    assert all(active.get("normative_documents", c) is None for c in ("issued", "repealed", "in_force"))
    [unread] = [n for n in report.read_notes if n.code == "rows-unreadable"]
    assert dict(unread.data)["table"] == "active" and dict(unread.data)["rows"] == "normative_documents"
    assert "77132470" in unread.detail
    [result] = check([str(pingtan)], jobs=1).submissions
    rules = {(f.rule, f.severity) for f in result.findings}
    assert ("S004", Severity.ERROR) not in rules and "S004" in result.passed
    assert ("F007", Severity.WARNING) in rules and ("F007", Severity.INFO) in rules
    assert "S012" not in {f.rule for f in result.findings}  # the row is there, not missing
    assert not [f for f in result.findings if f.severity is Severity.ERROR]


def test_every_row_the_digits_leave_open_is_named_and_not_read() -> None:
    text = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章1234"
            "行政规范性文件7713第二十条第（五）项信息内容本年处理决定数量行政许可2629第二十条第（六）项信息内容本年处理决定数量行政处罚"
            "1330行政强制54第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费5949.088667")
    tables, notes = recognise_from_lines(_lines(text), load_format("2021"), ["active"])
    active = tables["active"]  # 1234 = 1|2|34, 1|23|4 or 12|3|4; 7713 likewise; the one-cell rows are settled
    assert all(active.get(r, c) is None for r in ("regulations", "normative_documents")
               for c in ("issued", "repealed", "in_force"))
    assert [active.value(r, "decisions") for r in ("licensing", "punishment", "coercion")] == [2629, 1330, 54]
    [note] = notes
    assert note.code == "rows-unreadable" and dict(note.data)["rows"] == "regulations,normative_documents"
    assert "1234" in note.detail and "7713" in note.detail


def test_digits_alone_settle_a_row() -> None:
    assert splits(["1000"], ["int"] * 3, (), _Search(), 5) == [("10", "0", "0")]
    assert splits(["0000000"], ["int"] * 7, (), _Search(), 5) == [("0",) * 7]
    assert splits(["77132470"], ["int"] * 3, (), _Search(), 5)[:2] == [("7", "7", "132470"), ("7", "71", "32470")]


def test_a_row_total_settles_a_row() -> None:
    total = ((6,), (0, 1, 2, 3, 4, 5))
    assert splits(["190000120"], ["int"] * 7, [total], _Search(), 5) == [("19", "0", "0", "0", "0", "1", "20")]
    assert splits(["6400000064"], ["int"] * 7, [total], _Search(), 5) == []  # no seven cells add up
    assert splits(["64", "0", "0", "0", "0", "0", "64"], ["int"] * 7, [total], _Search(), 5) == [
        ("64", "0", "0", "0", "0", "0", "64")]  # spaces are cell boundaries


def test_a_sign_only_starts_a_cell_of_a_signed_column() -> None:
    f2019 = load_format("2019")
    text = ("第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可100-35其他对外管理服务事项000"
            "第二十条第（六）项行政处罚000行政强制000")
    tables, _ = recognise_from_lines(_lines(text), f2019, ["active"])
    assert "active" not in tables  # 规章 and the rest are not there: the table is not read
    from ogi.ingest.tables.run_together import pieces

    [licensing] = [p for p in pieces(_lines(text)) if p.text.endswith("行政许可")]
    assert licensing.chunks == ("100-35",)
    assert splits(licensing.chunks, ["int", "signed", "int"], (), _Search(), 5) == [("100", "-3", "5")]


def test_a_few_rows_named_in_text_are_not_the_table() -> None:
    labels = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
              "（一）予以公开", "（二）部分公开")
    rows = "".join(f"{label}{'9' * 40}" for label in labels)
    tables, notes = recognise_from_lines(_lines("申请人情况" + rows), load_format("2021"), ["requests"])
    assert tables == {} and notes == []  # four rows of twenty-five: not this table, nothing said


def test_the_search_is_capped_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from ogi.ingest.tables import run_together

    monkeypatch.setattr(run_together, "_BUDGET", 60)
    tables, notes = recognise_from_lines(_lines(PINGTAN_2023_TABLES), load_format("2021"), ["requests"])
    assert "requests" not in tables
    [note] = notes
    assert note.code == "table-unreadable" and "60" in note.detail and "过多" in note.detail


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_crawled_reports_are_recovered_right_or_said_unreadable(version: str) -> None:
    """Whatever the numbers, a recovered cell is the cell, and a table that is there is never missing."""
    fmt = load_format(version)
    states = set()
    for seed in range(12):
        synth = generate(seed, format_version=version)
        raw = read_document(render(synth, "txt", "crawled"), "crawled.txt")
        tables, notes = recognise_from_lines(raw.lines, fmt)
        for key in fmt.tables:
            if key in tables:
                unread = {r for n in notes if n.code == "rows-unreadable" and dict(n.data)["table"] == key
                          for r in dict(n.data)["rows"].split(",")}
                for row, col, want in synth.cells(key):
                    if row in unread:  # there, said to be unreadable, and not read
                        assert tables[key].get(row, col) is None, (seed, key, row, col)
                        continue
                    assert tables[key].value(row, col) == Decimal(str(want)), (seed, key, row, col)
                states.add((key, "read"))
            else:
                assert any(n.code == "table-unreadable" and dict(n.data)["table"] == key for n in notes), (seed, key)
                states.add((key, "unreadable"))
    assert ("requests", "read") in states and ("appeals", "read") in states


def test_a_2021_crawl_on_the_2019_other_row_is_read_as_other_other() -> None:
    text = PINGTAN_2023_TABLES.replace(
        "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请10000012.申请人逾期未按收费通知要求缴纳"
        "费用、行政机关不再处理其政府信息公开申请00000003.其他1000001", "（六）其他处理2000002")
    tables, notes = recognise_from_lines(_lines(text), load_format("2021"), ["requests"])
    assert tables["requests"].value("other.other", "total") == 2
    assert [n.code for n in notes] == ["legacy-row", "cells-recovered"]


_UNPAID_AND_OTHER = ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003."
                     "其他1000001")


def test_rows_printed_with_labels_only_are_blank_and_the_rest_is_recovered() -> None:
    # pingtan-scj-2021: （六）2 and 3 carry their labels and no digits; 3.其他's 1 moves to 予以公开 so that
    # the identities still hold with the two rows blank.
    text = PINGTAN_2023_TABLES.replace(_UNPAID_AND_OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其"
                                       "政府信息公开申请3.其他").replace("予以公开220000022", "予以公开230000023")
    tables, notes = recognise_from_lines(_lines(text), load_format("2021"), ["requests"])
    requests = tables["requests"]
    assert [requests.value("granted", c) for c in ("natural_person", "commercial", "total")] == [23, 0, 23]
    assert requests.value("other.no_correction", "total") == 1
    for row in ("other.unpaid_fee", "other.other"):
        cells = [requests.get(row, c) for c in load_format("2021").tables["requests"].column_keys]
        assert all(c is not None and c.kind is CellKind.BLANK for c in cells), row
    assert requests.value("total_processed", "total") == 81
    assert [n.code for n in notes] == ["cells-recovered"]


def test_a_row_without_digits_is_blank_only_when_the_text_is_its_label() -> None:
    # Words between two rows that are not the skipped row's label: the row is not there, so not read.
    text = PINGTAN_2023_TABLES.replace(_UNPAID_AND_OTHER, "2.申请人逾期未按收费通知要求缴纳费用（见附件）3.其他")
    tables, notes = recognise_from_lines(_lines(text), load_format("2021"), ["requests"])
    assert "requests" not in tables
    assert [n.code for n in notes] == ["table-unreadable"]


def test_table_words_in_a_crawled_line_tell_the_format() -> None:
    table = "信息内容本年新制作数量本年新公开数量对外公开总数量规章007"
    raw = RawDocument("txt", lines=_lines("正文很长。" * 30 + table))
    assert detect_format(raw, 2021)[0] == "2019"
    prose = RawDocument("txt", lines=_lines("正文很长。" * 30 + "主动公开政府集中采购项目类信息55条，其他。"))
    assert detect_format(prose, 2021) == (None, "")


def test_numbers_run_into_a_label_are_not_values() -> None:
    f2021 = load_format("2021")
    # Table 四's headings, then tokens that start with digits but hold the next table's labels.
    text = ("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
            + " ".join(["0"] * 13) + " 4（七）总计20 121四、结转下年度继续办理")
    tables, _ = recognise_from_lines(_lines(text), f2021, ["appeals"])
    assert "appeals" not in tables or all(c.raw.strip().isdigit() for c in tables["appeals"].cells.values())


_PIECES = ["规章", "行政规范性文件", "行政许可", "一、本年新收政府信息公开申请数量", "（一）予以公开", "（六）其他处理",
           "3.其他", "（七）总计", "四、结转下年度继续办理", "行政复议", "复议后起诉", "结果维持", "-", ".", "1.", " ",
           "\n", "信息内容", "本年新制作数量"]


@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.from_regex(r"[0-9]{1,12}", fullmatch=True)), max_size=60))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_run_together_text_is_read_without_failing(parts: list[str]) -> None:
    lines = _lines(*"".join(parts).split("\n"))
    for version in ("2019", "2021"):
        _, notes = recognise_from_lines(lines, load_format(version))
        for note in notes:
            assert note.code in ("table-unreadable", "cells-recovered", "legacy-row")
