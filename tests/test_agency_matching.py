"""The same agency under two names wherever agencies are matched (issue 15, class 12): --previous, the
--history store, the roster, and the configuration's waivers and levels."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import ogi
from docs2021 import Doc
from ogi.config import Config
from ogi.history import HistoryStore
from ogi.model import Waiver
from ogi.roster import RosterStatus, match_roster, parse_roster
from report_samples import clean_result

HISTORY_RULES = {"H001", "H002", "H003", "H004"}


def _hongze(year: int, agency: str, carried_forward: int = 12) -> Doc:
    doc = Doc(year=year, published=f"{year + 1}-03-20", signed=f"{year + 1}年3月18日").government()
    doc.agency = agency
    doc.cell("requests", "carried_forward", "natural_person", carried_forward)
    return doc


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    last, this = tmp_path / "2023", tmp_path / "2024"
    last.mkdir()
    this.mkdir()
    return last, this


def test_previous_is_matched_across_a_parent_division_prefix(tmp_path: Path) -> None:
    # 洪泽区人民政府 2023 (carried forward 10) and 淮安市洪泽区人民政府 2024 (carried over 12): one government.
    last, this = _folders(tmp_path)
    _hongze(2023, "洪泽区人民政府", carried_forward=10).write(last)
    _hongze(2024, "淮安市洪泽区人民政府").write(this)
    [result] = ogi.check([this], previous=[last], jobs=1).submissions
    assert not HISTORY_RULES & {n.rule for n in result.not_checked}
    assert "H001" in {f.rule for f in result.findings}  # 12 carried over against 10 carried forward


def test_previous_of_another_agency_is_named_in_the_reason(tmp_path: Path) -> None:
    last, this = _folders(tmp_path)
    _hongze(2023, "洪泽区人民政府办公室").write(last, "office.html")
    _hongze(2023, "淮安区人民政府").write(last, "huaian.html")
    _hongze(2024, "淮安市洪泽区人民政府").write(this)
    [result] = ogi.check([this], previous=[last], jobs=1).submissions
    reasons = {n.rule: (n.reason, n.reason_en) for n in result.not_checked}
    # In the order of the files given (huaian.html, office.html).
    assert reasons["H001"] == ("提供的上一年度报告中没有同一机关：找到 淮安区人民政府、洪泽区人民政府办公室",
                               "none of the previous reports is from this agency: "
                               "found 淮安区人民政府, 洪泽区人民政府办公室")


def test_the_history_store_finds_last_year_under_another_name(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    last, this = _folders(tmp_path)
    _hongze(2023, "洪泽区人民政府", carried_forward=10).write(last)
    ogi.check([last], history=store, jobs=1)
    _hongze(2024, "江苏省淮安市洪泽区人民政府").write(this)
    [result] = ogi.check([this], history=store, jobs=1).submissions
    assert "H001" in {f.rule for f in result.findings}
    with HistoryStore(store) as db:
        assert db.years("淮安市洪泽区人民政府") == [2023, 2024]
        assert db.years("洪泽区人民政府办公室") == []


# The store as schema 1 created it: no agency_key column.
_SCHEMA_1 = """
CREATE TABLE submissions (agency TEXT NOT NULL, year INTEGER NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL,
    format_version TEXT, level TEXT, title TEXT, published TEXT, tables_json TEXT NOT NULL,
    sections_json TEXT NOT NULL, preamble TEXT NOT NULL, text TEXT NOT NULL, checked_at TEXT NOT NULL,
    PRIMARY KEY (agency, year, sha256));
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
INSERT INTO submissions VALUES ('洪泽区人民政府', 2023, 'ab', 'a.html', '2021', 'government', NULL, NULL, '{}', '[]',
    '', '', '2024-04-01T00:00:00+00:00');
"""


def test_a_store_of_the_first_schema_is_keyed_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA_1)
    with HistoryStore(path) as store:
        last = store.previous("淮安市洪泽区人民政府", 2024)
        assert last is not None and last.agency == "洪泽区人民政府"


def test_the_roster_matches_an_agency_under_another_name() -> None:
    entries = parse_roster("agency,level,jurisdiction\n洪泽区人民政府,government,\n发展和改革局,department,沭阳县\n"
                           "北京市朝阳区人民政府,government,\n长春市朝阳区人民政府,government,\n")
    results = [clean_result("淮安市洪泽区人民政府", published=dt.date(2024, 3, 20), level="government"),
               clean_result("宿迁市沭阳县发展和改革局", published=dt.date(2024, 1, 20)),
               clean_result("朝阳区人民政府", published=dt.date(2024, 3, 20), level="government")]
    report = match_roster(entries, results)
    status = {r.entry.agency: r.status for r in report.rows}
    assert status["洪泽区人民政府"] is RosterStatus.ON_TIME
    assert status["发展和改革局"] is RosterStatus.ON_TIME
    # 朝阳区人民政府 fits two listed agencies: neither is credited with it.
    assert status["北京市朝阳区人民政府"] is status["长春市朝阳区人民政府"] is RosterStatus.MISSING
    assert [r.report.agency for r in report.unlisted if r.report] == ["朝阳区人民政府"]


def test_waivers_and_levels_apply_to_every_name_of_the_agency() -> None:
    waiver = Waiver("B101", "洪泽区人民政府", "单独公告", "区政务公开办")
    config = Config(waivers=(waiver,), levels={"洪泽区人民政府办公室": "department"})
    assert config.active_waiver("B101", "淮安市洪泽区人民政府") is waiver
    assert config.active_waiver("B101", "淮安市洪泽区人民政府办公室") is None
    assert config.level_of("江苏省淮安市洪泽区政府办公室") == "department"
    assert config.level_of("淮安市洪泽区人民政府") is None
