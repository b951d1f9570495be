"""The history store: every checked submission's canonical data, by agency and year, in SQLite.

`ogi check --history FILE` opens the store, gives each report last year's data (for the cross-year
rules H001–H005), then saves what it checked. A report is stored as its tables (JSON of cells: raw
text, kind, value), its sections (headings and text) and the sha256 of the file, so that a later
check can also tell when a report was changed after it was first checked (D20).

    with HistoryStore("history.sqlite") as store:
        last_year = store.previous("沭阳县发展和改革局", 2023)   # a Report, or None

An agency is found under any of its names (`ogi.agency_key`): the 2023 report of 洪泽区人民政府 is the
previous year's of the 2024 report of 淮安市洪泽区人民政府.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from ogi.agency_key import AGENCY_KEY_VERSION, agency_key, parse_agency, same_agency
from ogi.config import Config, ConfigError
from ogi.model import CellKind, CellValue, DatedText, Report, Section, Status, SubmissionResult, Table

# 2: the agency_key column (one agency under several names, `ogi.agency_key`).
SCHEMA_VERSION = 2

_DDL = """
CREATE TABLE IF NOT EXISTS submissions (
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    format_version TEXT,
    level TEXT,
    title TEXT,
    published TEXT,
    tables_json TEXT NOT NULL,
    sections_json TEXT NOT NULL,
    preamble TEXT NOT NULL,
    text TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    agency_key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agency, year, sha256)
);
CREATE INDEX IF NOT EXISTS submissions_by_agency ON submissions (agency, year);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_KEY_INDEX = "CREATE INDEX IF NOT EXISTS submissions_by_key ON submissions (agency_key, year)"

_COLUMNS = ("agency, year, sha256, source, format_version, level, title, published, tables_json, sections_json, "
            "preamble, text, checked_at")


class HistoryError(ConfigError):
    """The history file cannot be used (not a database, or written by an incompatible version)."""


def tables_to_json(tables: Mapping[str, Table]) -> str:
    out: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for key, table in sorted(tables.items()):
        rows: dict[str, dict[str, list[Any]]] = {}
        for (row, col), cell in sorted(table.cells.items()):
            value = None if cell.value is None else str(cell.value)
            rows.setdefault(row, {})[col] = [cell.raw, cell.kind.value, value, cell.unit, cell.annotation]
        out[key] = rows
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def tables_from_json(text: str) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for key, rows in json.loads(text).items():
        cells: dict[tuple[str, str], CellValue] = {}
        for row, cols in rows.items():
            for col, (raw, kind, value, unit, annotation) in cols.items():
                cells[(row, col)] = CellValue(raw, CellKind(kind), None if value is None else Decimal(value), unit,
                                              annotation)
        tables[key] = Table(key, cells)
    return tables


def _sections_to_json(sections: tuple[Section, ...]) -> str:
    return json.dumps([[s.key, s.heading, s.text, s.order, s.number] for s in sections], ensure_ascii=False)


def _sections_from_json(text: str) -> tuple[Section, ...]:
    return tuple(Section(key, heading, body, order, number) for key, heading, body, order, number in json.loads(text))


class HistoryStore:
    """Canonical data of checked reports by (agency, year); several versions of one year are kept."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(str(self.path))
            self._db.executescript(_DDL)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                self._set_meta("schema", SCHEMA_VERSION)
            elif int(row[0]) == 1:
                self._db.execute("ALTER TABLE submissions ADD COLUMN agency_key TEXT NOT NULL DEFAULT ''")
                self._set_meta("schema", SCHEMA_VERSION)
            elif int(row[0]) != SCHEMA_VERSION:
                raise HistoryError(f"历史数据库 {self.path} 的版本为 {row[0]}，本程序需要 {SCHEMA_VERSION} / "
                                   "incompatible history database version")
            self._db.execute(_KEY_INDEX)
            self._rekey()
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"无法打开历史数据库 {self.path}：{exc} / cannot open the history database") from exc

    def _set_meta(self, key: str, value: object) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))

    def _rekey(self) -> None:
        """Keys computed by another version of the key rules (or none, before schema 2) are computed again."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'agency_key_version'").fetchone()
        if row is not None and row[0] == str(AGENCY_KEY_VERSION):
            return
        self._db.create_function("ogi_agency_key", 1, agency_key, deterministic=True)
        self._db.execute("UPDATE submissions SET agency_key = ogi_agency_key(agency)")
        self._set_meta("agency_key_version", AGENCY_KEY_VERSION)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def save(self, report: Report, checked_at: dt.datetime | None = None) -> bool:
        """Store a checked report (needs agency and year); True if stored. The same file twice is one row."""
        if not report.agency or report.year is None:
            return False
        when = (checked_at or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
        published = report.published.date.isoformat() if report.published else None
        self._db.execute(
            f"INSERT OR REPLACE INTO submissions ({_COLUMNS}, agency_key) VALUES ({', '.join('?' * 14)})",
            (report.agency, report.year, report.sha256, report.source, report.format_version, report.level,
             report.title, published, tables_to_json(report.tables), _sections_to_json(report.sections),
             report.preamble, report.text, when, agency_key(report.agency)),
        )
        self._db.commit()
        return True

    def versions(self, agency: str, year: int) -> list[Report]:
        """Every stored version of one agency's report for one year, oldest check first.

        The agency is found under any of its names (淮安市洪泽区人民政府 finds 洪泽区人民政府's reports).
        """
        names = self._names_of(agency)
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM submissions WHERE agency IN ({marks}) AND year = ? ORDER BY checked_at, rowid",
            (*names, year),
        ).fetchall()
        return [_report(row) for row in rows]

    def get(self, agency: str, year: int) -> Report | None:
        """The latest stored version of one agency's report for one year."""
        versions = self.versions(agency, year)
        return versions[-1] if versions else None

    def previous(self, agency: str | None, year: int | None) -> Report | None:
        """Last year's report of the agency (year − 1), as a Report; None when not stored."""
        if not agency or year is None:
            return None
        return self.get(agency, year - 1)

    def years(self, agency: str) -> list[int]:
        names = self._names_of(agency)
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        rows = self._db.execute(f"SELECT DISTINCT year FROM submissions WHERE agency IN ({marks}) ORDER BY year",
                                names)
        return [int(r[0]) for r in rows]

    def _names_of(self, agency: str) -> list[str]:
        """The stored names that are `agency`'s: all of them when they name one agency, else only its own."""
        parsed = parse_agency(agency)
        rows = self._db.execute("SELECT DISTINCT agency FROM submissions WHERE agency_key = ?", (parsed.key,))
        names = [str(r[0]) for r in rows if parse_agency(str(r[0])).same_as(parsed)]
        # 朝阳区人民政府 fits both 北京市朝阳区 and 长春市朝阳区: no guess between two agencies.
        if all(same_agency(a, b) for a in names for b in names):
            return names
        return [agency] if agency in names else []

    def agencies(self) -> Iterator[str]:
        for (agency,) in self._db.execute("SELECT DISTINCT agency FROM submissions ORDER BY agency"):
            yield str(agency)


def _report(row: tuple[Any, ...]) -> Report:
    (agency, year, sha256, source, version, level, title, published, tables_json, sections_json, preamble, text,
     _checked) = row
    dated = DatedText(dt.date.fromisoformat(published), published, "发布日期", "history") if published else None
    return Report(
        source=source, sha256=sha256, kind="history", agency=agency, level=level, level_inferred=False,
        year=int(year), format_version=version, format_detected_from="history", title=title, published=dated,
        sections=_sections_from_json(sections_json), preamble=preamble, tables=tables_from_json(tables_json),
        text=text,
    )


def apply_history(results: Iterable[SubmissionResult], store: HistoryStore, config: Config,
                  explicit: Mapping[str, Report] | None = None) -> Iterator[SubmissionResult]:
    """Give each checked report the cross-year rules against the store, then save it in the store.

    The batch checks every report without history (its `previous` is keyed by agency alone, while the
    store is keyed by agency and year); the rules that need history (H…) are run again here for each
    report whose agency has last year's data or an earlier version of this year in the store, and
    their results replace the "not checked" entries. A report given `--previous` is compared with that.
    """
    from ogi.checks.registry import all_rules
    from ogi.engine import check_report, status_of

    history_rules = frozenset(r.code for r in all_rules() if r.needs_history)
    others = frozenset(r.code for r in all_rules()) - history_rules
    only_history = replace(config, disabled=config.disabled | others)
    explicit = explicit or {}
    for result in results:
        report = result.report
        if report is None or not report.agency or report.year is None:
            yield result
            continue
        previous = explicit.get(report.agency) or store.previous(report.agency, report.year)
        earlier = [v for v in store.versions(report.agency, report.year) if v.sha256 != report.sha256]
        if previous is not None or earlier:
            extra = check_report(report, only_history, previous, earlier)
            findings = (*(f for f in result.findings if f.rule not in history_rules), *extra.findings)
            findings = tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.rule)))
            waived = (*(f for f in result.waived if f.rule not in history_rules), *extra.waived)
            not_checked = (*(n for n in result.not_checked if n.rule not in history_rules), *extra.not_checked)
            passed = tuple(sorted({*(c for c in result.passed if c not in history_rules), *extra.passed}))
            errors = tuple(sorted((*(e for e in result.rule_errors if e.rule not in history_rules),
                                   *extra.rule_errors), key=lambda e: e.rule))
            status = Status.INCOMPLETE if errors else status_of(findings)
            result = replace(result, findings=findings, waived=tuple(waived), not_checked=tuple(not_checked),
                             passed=passed, status=status, rule_errors=errors)
        store.save(report)
        yield result
