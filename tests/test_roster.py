"""The roster (应报机关名单): reading it, matching submissions, and who is missing or late."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ogi.config import Config
from ogi.roster import (
    RosterError,
    RosterStatus,
    match_roster,
    normalise_name,
    parse_roster,
    read_roster,
    roster_status,
)
from report_samples import clean_result, seed_result, table_result, unreadable_result

ROSTER_CSV = """agency,level,jurisdiction,deadline
常德市人民政府政务服务中心,department,常德市,
株洲市渌口区发展和改革局,department,渌口区,
某某县教育局,department,某某县,
某某县财政局,department,某某县,2024-01-20
某某县人民政府,government,某某县,
某某县卫生健康局,department,某某县,
"""


def _batch() -> list:
    return [
        seed_result(),  # 2017 report published 2018-03-19: on time (31 March)
        table_result(),  # published 2024-02-05, department deadline 2024-01-31: late
        clean_result("某某县 财政局", published=dt.date(2024, 1, 25)),  # row deadline 2024-01-20: late
        clean_result("某某县人民政府", published=dt.date(2024, 3, 20), level="government"),  # on time
        clean_result("某某县卫生健康局", published=None),  # no date
        clean_result("不在名单上的局", published=dt.date(2024, 1, 10)),
    ]


def test_a_batch_with_a_roster_lists_exactly_the_missing_and_the_late(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    report = roster_status(path, _batch())
    status = {r.entry.agency: r.status for r in report.rows}
    assert status == {
        "常德市人民政府政务服务中心": RosterStatus.ON_TIME,
        "株洲市渌口区发展和改革局": RosterStatus.LATE,
        "某某县教育局": RosterStatus.MISSING,
        "某某县财政局": RosterStatus.LATE,
        "某某县人民政府": RosterStatus.ON_TIME,
        "某某县卫生健康局": RosterStatus.NO_DATE,
    }
    reminders = [r.entry.agency for r in report.reminders]
    assert reminders == ["某某县教育局", "株洲市渌口区发展和改革局", "某某县财政局"]
    late = {r.entry.agency: (r.deadline, r.published, r.days_late) for r in report.with_status(RosterStatus.LATE)}
    assert late["株洲市渌口区发展和改革局"] == (dt.date(2024, 1, 31), dt.date(2024, 2, 5), 5)
    assert late["某某县财政局"] == (dt.date(2024, 1, 20), dt.date(2024, 1, 25), 5)
    assert [s.report.agency for s in report.unlisted if s.report] == ["不在名单上的局"]


def test_deadline_from_configuration_for_a_jurisdiction() -> None:
    entries = parse_roster("机关,层级,地区\n县发展和改革局,部门,江苏省\n")
    config = Config(deadlines={"department": {"江苏省": (1, 28)}})
    result = clean_result("县发展和改革局", published=dt.date(2024, 1, 30))
    assert match_roster(entries, [result], config).rows[0].status is RosterStatus.LATE
    assert match_roster(entries, [result]).rows[0].status is RosterStatus.ON_TIME  # statutory 31 January


def test_old_regime_deadline_is_31_march() -> None:
    entries = parse_roster("agency,level\n某局,department\n")
    on_time = clean_result("某局", published=dt.date(2018, 3, 30), year=2017)
    late = clean_result("某局", published=dt.date(2018, 4, 2), year=2017)
    assert match_roster(entries, [on_time]).rows[0].status is RosterStatus.ON_TIME
    assert match_roster(entries, [late]).rows[0].status is RosterStatus.LATE


def test_chinese_headers_bom_and_gbk(tmp_path: Path) -> None:
    text = "机关,层级,地区,期限\n常德市人民政府政务服务中心,部门,常德市,2018-03-31\n某某乡人民政府,乡镇街道,某某县,\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk"):
        path = tmp_path / f"roster-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        entries = read_roster(path)
        assert [e.agency for e in entries] == ["常德市人民政府政务服务中心", "某某乡人民政府"]
        assert entries[0].level == "department" and entries[1].level == "township"
        assert entries[0].deadline == dt.date(2018, 3, 31) and entries[1].deadline is None
        assert entries[0].jurisdiction == "常德市"


def test_names_match_across_spaces_and_full_width() -> None:
    assert normalise_name("常德市 政务服务中心（ＡＢ）") == normalise_name("常德市政务服务中心(AB)")
    entries = parse_roster("agency\n常德市　人民政府（办公室）\n")
    result = clean_result("常德市人民政府(办公室)", published=dt.date(2024, 1, 2))
    assert match_roster(entries, [result]).rows[0].status is RosterStatus.ON_TIME


def test_unreadable_submission_is_matched_by_its_file_name() -> None:
    entries = parse_roster("agency\n常德市人民政府\n常德市人民政府政务服务中心\n")
    report = match_roster(entries, [unreadable_result("batch/常德市人民政府政务服务中心-2023.doc")])
    status = {r.entry.agency: r.status for r in report.rows}
    assert status == {"常德市人民政府": RosterStatus.MISSING, "常德市人民政府政务服务中心": RosterStatus.NO_DATE}


def test_blank_lines_skipped_and_empty_roster_rejected() -> None:
    assert len(parse_roster("\nagency,level\n\n某局,department\n,\n")) == 1
    with pytest.raises(RosterError):
        parse_roster("\n\n")


@pytest.mark.parametrize("text, words", [
    ("name_of_org,level\n某局,department\n", "agency"),
    ("agency,level\n某局,ministry\n", "第 2 行"),
    ("agency,deadline\n某局,2024/01/31\n", "YYYY-MM-DD"),
])
def test_bad_roster_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(RosterError, match=words):
        parse_roster(text)


def test_roster_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8\x81")
    with pytest.raises(RosterError):
        read_roster(path)
    with pytest.raises(RosterError):
        read_roster(tmp_path / "missing.csv")
