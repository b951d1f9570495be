"""The history store: every checked submission's canonical data, by agency and year.

`ogi check --history FILE` opens the store, gives each report last year's data (for the cross-year
rules H001–H005), then saves what it checked. A report is stored as its tables (JSON of cells: raw
text, kind, value), its sections (headings and text) and the sha256 of the file, so that a later
check can also tell when a report was changed after it was first checked (D20).

The store is a table of ogi's one database (`ogi.store`, SQLAlchemy): `--history` names an SQLite file
(or a postgresql:// URL), and the web desk (`ogi serve`) keeps its history in the same table of its own
database, so its cross-year checks use every year it has received. A history file written by ogi 0.1
is converted by the first migration when it is opened.

    with HistoryStore("history.sqlite") as store:
        last_year = store.previous("沭阳县发展和改革局", 2023)   # a Report, or None

An agency is found under any of its names (`ogi.agency_key`): the 2023 report of 洪泽区人民政府 is the
previous year's of the 2024 report of 淮安市洪泽区人民政府.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ogi.agency_key import parse_agency, same_agency
from ogi.config import Config, ConfigError
from ogi.model import CellKind, CellValue, DatedText, Report, Section, Status, SubmissionResult, Table

if TYPE_CHECKING:
    from sqlalchemy import Engine


class HistoryError(ConfigError):
    """The history store cannot be used (not a database, or written by an incompatible version)."""


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
    """Canonical data of checked reports by (agency, year); several versions of one year are kept.

    `target`: an SQLite file (created if absent), a database URL, or an Engine of the desk's database
    (which the store then shares and does not close).
    """

    def __init__(self, target: str | Path | Engine) -> None:
        from sqlalchemy import Engine

        from ogi.store.database import DatabaseError, open_database

        self.path = None if isinstance(target, Engine) else Path(str(target))
        self._owned = not isinstance(target, Engine)
        shown = target.url.render_as_string() if isinstance(target, Engine) else str(target)
        if self._owned and "://" not in str(target) and Path(str(target)).is_dir():
            raise HistoryError(f"历史数据库 {shown} 是一个目录 / the history database is a folder")
        try:
            self._engine = open_database(target)
        except DatabaseError as exc:
            version = "版本" in str(exc)
            raise HistoryError(f"{'' if version else '无法打开'}历史数据库 {shown}：{exc}" +
                               ("" if version else " / cannot open the history database")) from exc

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self._engine.dispose()

    def save(self, report: Report, checked_at: dt.datetime | None = None) -> bool:
        """Store a checked report (needs agency and year); True if stored. The same file twice is one row
        (the later check's data and time replace the earlier's)."""
        if not report.agency or report.year is None:
            return False
        from sqlalchemy import and_, insert, select, update
        from sqlalchemy.exc import IntegrityError

        from ogi.store.schema import history_reports as h

        when = (checked_at or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
        published = report.published.date.isoformat() if report.published else None
        values = {"source": report.source, "format_version": report.format_version, "level": report.level,
                  "title": report.title, "published": published, "tables_json": tables_to_json(report.tables),
                  "sections_json": _sections_to_json(report.sections), "preamble": report.preamble,
                  "text": report.text, "checked_at": when}
        key = and_(h.c.agency == report.agency, h.c.year == report.year, h.c.sha256 == report.sha256)
        for _attempt in range(3):  # another process may insert the same file between our look and our write
            try:
                with self._engine.begin() as db:
                    if db.execute(select(h.c.id).where(key)).first() is None:
                        db.execute(insert(h).values(agency=report.agency, year=report.year, sha256=report.sha256,
                                                    **values))
                    else:
                        db.execute(update(h).where(key).values(**values))
                return True
            except IntegrityError:
                continue
        return False

    def versions(self, agency: str, year: int) -> list[Report]:
        """Every stored version of one agency's report for one year, oldest check first.

        The agency is found under any of its names (淮安市洪泽区人民政府 finds 洪泽区人民政府's reports).
        """
        from sqlalchemy import select

        from ogi.store.schema import history_reports as h

        names = self._names_of(agency)
        if not names:
            return []
        query = (select(*_columns(h)).where(h.c.agency.in_(names), h.c.year == year)
                 .order_by(h.c.checked_at, h.c.id))
        with self._engine.connect() as db:
            return [_report(tuple(row)) for row in db.execute(query)]

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
        from sqlalchemy import select

        from ogi.store.schema import history_reports as h

        names = self._names_of(agency)
        if not names:
            return []
        with self._engine.connect() as db:
            rows = db.execute(select(h.c.year).where(h.c.agency.in_(names)).distinct().order_by(h.c.year))
            return [int(r[0]) for r in rows]

    def _names_of(self, agency: str) -> list[str]:
        """The stored names that are `agency`'s: all of them when they name one agency, else only its own."""
        from sqlalchemy import select

        from ogi.store.schema import history_reports as h

        parsed = parse_agency(agency)
        with self._engine.connect() as db:  # a store holds an office's agencies: hundreds, not millions
            stored = [str(r[0]) for r in db.execute(select(h.c.agency).distinct())]
        names = [name for name in stored if parse_agency(name).same_as(parsed)]
        # 朝阳区人民政府 fits both 北京市朝阳区 and 长春市朝阳区: no guess between two agencies.
        if all(same_agency(a, b) for a in names for b in names):
            return names
        return [agency] if agency in names else []

    def agencies(self) -> Iterator[str]:
        from sqlalchemy import select

        from ogi.store.schema import history_reports as h

        with self._engine.connect() as db:
            names = [str(r[0]) for r in db.execute(select(h.c.agency).distinct().order_by(h.c.agency))]
        yield from names


def _columns(h: Any) -> tuple[Any, ...]:
    """The columns `_report` unpacks, in its order."""
    return (h.c.agency, h.c.year, h.c.sha256, h.c.source, h.c.format_version, h.c.level, h.c.title, h.c.published,
            h.c.tables_json, h.c.sections_json, h.c.preamble, h.c.text, h.c.checked_at)


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
                  explicit: Mapping[str, Report] | None = None, *, save: bool = True) -> Iterator[SubmissionResult]:
    """Give each checked report the cross-year rules against the store, then save it in the store.

    The batch checks every report without history (its `previous` is keyed by agency alone, while the
    store is keyed by agency and year); the rules that need history (H…) are run again here for each
    report whose agency has last year's data or an earlier version of this year in the store, and
    their results replace the "not checked" entries. A report given `--previous` is compared with that.
    save=False reads the store without adding to it (the desk's self-check keeps no draft).
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
        if save:
            store.save(report)
        yield result
