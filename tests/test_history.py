"""The history store (SQLite) and the cross-year rules H001–H005, through --previous and --history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import ogi
from docs2021 import Doc
from ogi.checks.rules.history import similarity
from ogi.cli import main
from ogi.config import Config
from ogi.engine import check_file, read_file
from ogi.history import HistoryError, HistoryStore
from ogi.model import Report, Severity


def _last_year(**cells: object) -> Doc:
    doc = Doc(year=2022, published="2023-01-20", signed="2023年1月18日")
    for key, value in cells.items():
        table, row, col = key.split("__")
        doc.cell(table, row, col, value)  # type: ignore[arg-type]
    return doc


def _read(doc: Doc, folder: Path, name: str) -> Report:
    report = read_file(doc.write(folder, name), Config())
    assert isinstance(report, Report)
    return report


def test_store_round_trip(tmp_path: Path) -> None:
    report = _read(Doc().cell("active", "fees", "amount", "1.25"), tmp_path, "a.html")
    with HistoryStore(tmp_path / "h.sqlite") as store:
        assert store.save(report)
        assert store.previous(report.agency, 2024) is not None
        back = store.get(report.agency or "", 2023)
    assert back is not None
    assert back.tables.keys() == report.tables.keys()
    for key, table in report.tables.items():
        assert {k: (c.raw, c.kind, c.value) for k, c in back.tables[key].cells.items()} == \
               {k: (c.raw, c.kind, c.value) for k, c in table.cells.items()}
    assert [(s.key, s.heading, s.text) for s in back.sections] == [(s.key, s.heading, s.text) for s in report.sections]
    assert (back.agency, back.year, back.sha256, back.format_version, back.text) == (
        report.agency, report.year, report.sha256, report.format_version, report.text)
    assert back.published is not None and back.published.date.isoformat() == "2024-01-20"


def test_store_keeps_versions_and_skips_reports_without_agency(tmp_path: Path) -> None:
    first = _read(Doc(), tmp_path, "a.html")
    second = _read(Doc(comment="更正版"), tmp_path, "b.html")
    # No agency in the title nor in the signature block.
    nameless = _read(Doc(title="政府信息公开工作年度报告", agency=""), tmp_path, "c.html")
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.save(first)
        store.save(first)  # the same file again: one row
        store.save(second)
        assert not store.save(nameless)
        assert [v.sha256 for v in store.versions(first.agency or "", 2023)] == [first.sha256, second.sha256]
        assert store.years(first.agency or "") == [2023]
        assert list(store.agencies()) == [first.agency]
        assert store.previous(None, 2023) is None and store.previous(first.agency, None) is None


def test_unusable_history_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError):
        HistoryStore(junk)
    newer = tmp_path / "newer.sqlite"
    HistoryStore(newer).close()
    with sqlite3.connect(newer) as db:  # a migration this program does not know: a newer ogi wrote the file
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(HistoryError, match="版本"):
        HistoryStore(newer)
    legacy_newer = tmp_path / "legacy-newer.sqlite"
    _legacy_file(legacy_newer, [], schema="99")
    with pytest.raises(HistoryError, match="版本"):
        HistoryStore(legacy_newer)
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    with pytest.raises(HistoryError):
        HistoryStore(folder)


# The history file of ogi 0.1, as it wrote it (sqlite3, before the SQLAlchemy store).
_LEGACY_DDL = """
CREATE TABLE submissions (agency TEXT NOT NULL, year INTEGER NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL,
    format_version TEXT, level TEXT, title TEXT, published TEXT, tables_json TEXT NOT NULL,
    sections_json TEXT NOT NULL, preamble TEXT NOT NULL, text TEXT NOT NULL, checked_at TEXT NOT NULL,
    PRIMARY KEY (agency, year, sha256));
CREATE INDEX submissions_by_agency ON submissions (agency, year);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _legacy_file(path: Path, reports: list[tuple[Report, str]], schema: str = "1") -> None:
    from ogi.history import _sections_to_json, tables_to_json

    with sqlite3.connect(path) as db:
        db.executescript(_LEGACY_DDL)
        if schema == "2":  # the sqlite3 store's second schema: an agency_key column, derived from the name
            db.execute("ALTER TABLE submissions ADD COLUMN agency_key TEXT NOT NULL DEFAULT ''")
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (schema,))
        for report, checked_at in reports:
            db.execute("INSERT INTO submissions (agency, year, sha256, source, format_version, level, title, "
                       "published, tables_json, sections_json, preamble, text, checked_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (report.agency, report.year, report.sha256, report.source, report.format_version,
                        report.level, report.title, report.published.date.isoformat() if report.published else None,
                        tables_to_json(report.tables), _sections_to_json(report.sections), report.preamble,
                        report.text, checked_at))
    db.close()


@pytest.mark.parametrize("schema", ["1", "2"])
def test_a_history_file_of_ogi_0_1_is_converted_when_opened(tmp_path: Path, schema: str) -> None:
    last = _read(_last_year(requests__carried_forward__natural_person=10), tmp_path, "last.html")
    first = _read(Doc(), tmp_path, "a.html")
    second = _read(Doc(comment="更正版"), tmp_path, "b.html")
    store_path = tmp_path / "old-history.sqlite"
    # Inserted out of check order: the versions come back ordered by when they were checked.
    _legacy_file(store_path, [(second, "2024-02-02T00:00:00+00:00"), (last, "2023-01-21T00:00:00+00:00"),
                              (first, "2024-01-21T00:00:00+00:00")], schema=schema)
    with HistoryStore(store_path) as store:
        assert [v.sha256 for v in store.versions(first.agency or "", 2023)] == [first.sha256, second.sha256]
        back = store.previous(first.agency, 2023)
        assert back is not None and back.sha256 == last.sha256
        assert back.tables["requests"].cells[("carried_forward", "natural_person")].value == 10
    with sqlite3.connect(store_path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {r[1] for r in db.execute("PRAGMA table_info(submissions)")}
    db.close()
    assert "meta" not in tables and {"history_reports", "alembic_version", "agencies"} <= tables
    assert "tables_json" not in columns  # `submissions` is now the desk's table
    # … and the cross-year rules use it through the CLI's --history as before
    (tmp_path / "now").mkdir()
    result = ogi.check([Doc().write(tmp_path / "now")], history=store_path, jobs=1).submissions[0]
    assert [f.actual for f in result.findings if f.rule == "H001"][:1] == [12]


def test_carried_over_against_last_year(tmp_path: Path) -> None:
    previous = _read(_last_year(requests__carried_forward__natural_person=10), tmp_path, "prev.html")
    result = check_file(Doc().write(tmp_path), Config(), previous=previous)
    h001 = [f for f in result.findings if f.rule == "H001"]
    assert [(f.location.column, f.actual, f.expected) for f in h001] == [("natural_person", 12, 10), ("total", 12, 10)]
    assert all(f.severity == Severity.WARNING for f in h001)
    assert "2022 年度报告的结转下年度继续办理为 10 件" in h001[0].message


def test_stock_and_flow_of_documents_in_force(tmp_path: Path) -> None:
    previous = _read(_last_year(), tmp_path, "prev.html")  # 25 in force last year; 3 issued, 1 repealed now
    h002 = [f for f in check_file(Doc().write(tmp_path), Config(), previous=previous).findings if f.rule == "H002"]
    assert len(h002) == 1 and (h002[0].expected, h002[0].actual) == (27, 25)
    assert h002[0].location.row == "normative_documents"


def test_previous_of_another_year_is_not_used(tmp_path: Path) -> None:
    two_years_ago = _read(Doc(year=2021, published="2022-01-20"), tmp_path, "old.html")
    result = check_file(Doc().write(tmp_path), Config(), previous=two_years_ago)
    reasons = {n.rule: n.reason for n in result.not_checked}
    assert "2021" in reasons["H001"] and "2022" in reasons["H001"]


def test_without_history_the_rules_say_not_checked(tmp_path: Path) -> None:
    result = check_file(Doc().write(tmp_path), Config())
    assert {"H001", "H002", "H003", "H004", "H005"} <= {n.rule for n in result.not_checked}


def test_copy_paste_from_last_year(tmp_path: Path) -> None:
    previous = _read(_last_year(), tmp_path, "prev.html")
    h003 = [f for f in check_file(Doc().write(tmp_path), Config(), previous=previous).findings if f.rule == "H003"]
    assert len(h003) == 1 and h003[0].actual == 1.0 and "相似度为 100%" in h003[0].message
    # Only one section copied: that section is named.
    doc = Doc()
    doc.sections["overview"] = ("2023年，本局把政务公开与优化营商环境结合起来，围绕项目审批、土地供应和不动产登记"
                                "三类高频事项编制公开清单，上线政策问答库，全年开展线上访谈四期。")
    doc.sections["other"] = "本年度未收取信息处理费，也没有其他需要报告的事项，特此说明。"
    found = [f for f in check_file(doc.write(tmp_path, "b.html"), Config(), previous=previous).findings
             if f.rule == "H003"]
    assert [f.location.section for f in found] == ["problems"]


def test_similarity_ignores_numbers_and_years() -> None:
    a = "2023年，本局共收到申请304件，全部按期答复，进一步规范了政府信息公开工作流程和答复文书格式。"
    b = "2022年，本局共收到申请201件，全部按期答复，进一步规范了政府信息公开工作流程和答复文书格式。"
    assert similarity(a, b) == 1.0
    assert similarity(a, "完全不同的一段文字，讨论的是平台建设与新媒体管理。") < 0.1
    assert similarity("", a) == 0.0


def test_extreme_change(tmp_path: Path) -> None:
    previous = _read(_last_year(active__licensing__decisions=5), tmp_path, "prev.html")
    h004 = [f for f in check_file(Doc().write(tmp_path), Config(), previous=previous).findings if f.rule == "H004"]
    assert len(h004) == 1 and (h004[0].expected, h004[0].actual) == (5, 120)
    assert "为上年的 24 倍" in h004[0].message


def test_history_through_the_api(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    last = tmp_path / "2022"
    this = tmp_path / "2023"
    last.mkdir()
    this.mkdir()
    _last_year(requests__carried_forward__natural_person=10).write(last)
    first = ogi.check([last], history=store, jobs=1).submissions[0]
    assert "H001" in {n.rule for n in first.not_checked}  # nothing older in the store yet
    Doc().write(this)
    now = ogi.check([this], history=store, jobs=1).submissions[0]
    assert "H001" in {f.rule for f in now.findings}  # read back from the store: 12 vs 10
    assert "H005" in {n.rule for n in now.not_checked}
    # The same report again: compared with 2022 still, never with itself.
    again = ogi.check([this], history=store, jobs=1).submissions[0]
    assert [f.rule for f in again.findings] == [f.rule for f in now.findings]
    # A silently edited 2023 report: the earlier version is in the store.
    Doc().cell("requests", "granted", "natural_person", 61).write(this)
    edited = ogi.check([this], history=store, jobs=1).submissions[0]
    h005 = [f for f in edited.findings if f.rule == "H005"]
    assert len(h005) == 1 and "个表格单元格数值不同" in h005[0].message
    with HistoryStore(store) as db:
        assert db.years(Doc().agency) == [2022, 2023] and len(db.versions(Doc().agency, 2023)) == 2


def test_history_option_of_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "h.sqlite"
    _last_year().write(tmp_path, "a.html")
    assert main(["check", str(tmp_path / "a.html"), "--history", str(store), "--format", "json", "--jobs", "1",
                 "--fail-on", "never"]) == 0
    capsys.readouterr()
    with HistoryStore(store) as db:
        assert db.years(Doc().agency) == [2022]


def test_explicit_previous_wins_over_the_store(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    (tmp_path / "stored").mkdir()
    (tmp_path / "given").mkdir()
    (tmp_path / "now").mkdir()
    _last_year().write(tmp_path / "stored")  # consistent with this year
    ogi.check([tmp_path / "stored"], history=store, jobs=1)
    given = _last_year(requests__carried_forward__natural_person=10).write(tmp_path / "given")
    Doc().write(tmp_path / "now")
    result = ogi.check([tmp_path / "now"], previous=given, history=store, jobs=1).submissions[0]
    assert "H001" in {f.rule for f in result.findings}
