"""The roster of agencies that must report (应报机关名单) and who submitted, on time or late.

A roster is a CSV with columns agency, level, jurisdiction and an optional deadline (YYYY-MM-DD); the
Chinese headers 机关 / 层级 / 地区 / 期限 are accepted too. Submissions are matched to roster entries by
agency (`ogi.agency_key`), so "常德市 政务服务中心" and "常德市政务服务中心", "淮安市洪泽区人民政府" and
"洪泽区人民政府" are the same agency.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ogi.agency_key import AgencyName, parse_agency
from ogi.config import LEVELS, Config
from ogi.model import SubmissionResult


class RosterError(ValueError):
    """A roster file that cannot be used; the message is for the user."""


class RosterStatus(str, Enum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NO_DATE = "no_date"  # submitted, but no publication date (or data year) could be read

    @property
    def zh(self) -> str:
        return {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送",
                "no_date": "已报送（未能读取发布日期）"}[self.value]

    @property
    def en(self) -> str:
        return {"on_time": "on time", "late": "late", "missing": "missing",
                "no_date": "submitted, no readable date"}[self.value]


@dataclass(frozen=True)
class RosterEntry:
    agency: str
    level: str | None = None
    jurisdiction: str = ""
    deadline: dt.date | None = None
    line: int = 0  # line in the CSV, for messages


@dataclass(frozen=True)
class RosterRow:
    """One roster entry's outcome: its status, the submissions that matched it and the deadline used."""

    entry: RosterEntry
    status: RosterStatus
    submissions: tuple[SubmissionResult, ...] = ()
    deadline: dt.date | None = None
    published: dt.date | None = None
    days_late: int | None = None


@dataclass(frozen=True)
class RosterReport:
    rows: tuple[RosterRow, ...]
    unlisted: tuple[SubmissionResult, ...] = field(default_factory=tuple)  # submissions not on the roster

    def with_status(self, *statuses: RosterStatus) -> list[RosterRow]:
        return [r for r in self.rows if r.status in statuses]

    @property
    def reminders(self) -> list[RosterRow]:
        """催报名单: the agencies that have not submitted, then those that were late."""
        return self.with_status(RosterStatus.MISSING) + self.with_status(RosterStatus.LATE)


HEADERS = {
    "agency": ("agency", "机关", "机关名称", "单位", "单位名称", "name"),
    "level": ("level", "层级", "机关层级"),
    "jurisdiction": ("jurisdiction", "地区", "区划", "行政区划"),
    "deadline": ("deadline", "期限", "报送期限", "发布期限"),
}

LEVEL_ALIASES = {
    "department": "department", "部门": "department", "政府部门": "department",
    "government": "government", "政府": "government", "人民政府": "government",
    "township": "township", "乡镇街道": "township", "乡镇": "township", "街道": "township",
}

_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The form names are compared in: full-width folded to half-width, every space removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).strip()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # a superset of GBK and GB2312
    except UnicodeDecodeError as exc:
        raise RosterError("名单文件既不是 UTF-8 也不是 GBK 编码 / the roster is neither UTF-8 nor GBK") \
            from exc


def _header_map(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = normalise_name(raw).lower()
        for key, aliases in HEADERS.items():
            if name in aliases and key not in found:
                found[key] = index
    if "agency" not in found:
        raise RosterError("名单缺少“机关”（agency）列 / the roster has no agency column")
    return found


def parse_roster(text: str) -> list[RosterEntry]:
    """Roster entries from CSV text; blank lines are skipped, a bad level or date is an error."""
    rows = list(csv.reader(io.StringIO(text)))
    rows_with_lines = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not rows_with_lines:
        raise RosterError("名单为空 / the roster is empty")
    _, header = rows_with_lines[0]
    columns = _header_map(header)
    entries: list[RosterEntry] = []
    for line, row in rows_with_lines[1:]:
        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        agency = unicodedata.normalize("NFKC", cell("agency")).strip()
        if not agency:
            continue
        level_raw = cell("level")
        level = LEVEL_ALIASES.get(normalise_name(level_raw).lower()) if level_raw else None
        if level_raw and level is None:
            raise RosterError(f"名单第 {line} 行：层级“{level_raw}”无法识别"
                              f"（应为 {'/'.join(LEVELS)} 或 部门/政府/乡镇街道）"
                              f" / line {line}: unknown level {level_raw!r}")
        deadline_raw = cell("deadline")
        deadline = None
        if deadline_raw:
            try:
                deadline = dt.date.fromisoformat(unicodedata.normalize("NFKC", deadline_raw))
            except ValueError as exc:
                raise RosterError(f"名单第 {line} 行：期限“{deadline_raw}”应写作 YYYY-MM-DD"
                                  f" / line {line}: deadline must be YYYY-MM-DD") from exc
        entries.append(RosterEntry(agency=agency, level=level, jurisdiction=cell("jurisdiction"),
                                   deadline=deadline, line=line))
    return entries


def read_roster(path: str | Path) -> list[RosterEntry]:
    """Read a roster CSV (UTF-8 with or without BOM; GBK tolerated)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise RosterError(f"无法读取名单 {file}（{exc.strerror}） / cannot read the roster") from exc
    return parse_roster(_decode(data))


def regulation_for(year: int) -> str:
    return "2008" if year <= 2018 else "2019"


def _deadline(entry: RosterEntry, result: SubmissionResult, config: Config) -> dt.date | None:
    if entry.deadline is not None:
        return entry.deadline
    report = result.report
    if report is None or report.year is None:
        return None
    level = entry.level or report.level or "department"
    # The jurisdiction goes in front of the name so that a local deadline configured for a place
    # (e.g. "江苏省") applies even when the agency's own name does not mention it.
    name = f"{entry.jurisdiction}{entry.agency}"
    return config.deadline(regulation_for(report.year), level, name, report.year)


def _judge(entry: RosterEntry, result: SubmissionResult,
           config: Config) -> tuple[RosterStatus, dt.date | None, dt.date | None]:
    report = result.report
    published = report.published.date if report and report.published else None
    deadline = _deadline(entry, result, config)
    if published is None or deadline is None:
        return RosterStatus.NO_DATE, deadline, published
    return (RosterStatus.LATE if published > deadline else RosterStatus.ON_TIME), deadline, published


# When an agency has several submissions, the one that says most about it decides its status.
_PRECEDENCE = (RosterStatus.LATE, RosterStatus.ON_TIME, RosterStatus.NO_DATE)


def entry_names(entry: RosterEntry) -> tuple[str, ...]:
    """The names an entry's agency is matched under: as listed, and with its jurisdiction in front when the
    name names no division itself ("发展和改革局" of 沭阳县 is 沭阳县发展和改革局)."""
    if entry.jurisdiction and not parse_agency(entry.agency).divisions:
        return entry.agency, entry.jurisdiction + entry.agency
    return (entry.agency,)


def match_roster(entries: Sequence[RosterEntry], results: Sequence[SubmissionResult],
                 config: Config | None = None) -> RosterReport:
    """Each roster entry's status, and the submissions that are not on the roster.

    A submission matches the entries naming its agency however it is written (`ogi.agency_key`:
    淮安市洪泽区人民政府 is the roster's 洪泽区人民政府); a name that fits entries of two different
    agencies (朝阳区人民政府 against 北京市朝阳区 and 长春市朝阳区) matches none of them.
    """
    config = config or Config()
    names = [tuple(parse_agency(n) for n in entry_names(e)) for e in entries]
    by_key: dict[str, list[int]] = {}
    for position, alternatives in enumerate(names):
        for name in alternatives:
            by_key.setdefault(name.key, []).append(position)
    # For an unnamed submission, entry names (normalised) are looked for in its file name.
    by_name: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        by_name.setdefault(normalise_name(entry.agency), []).append(position)
    matched: dict[int, list[SubmissionResult]] = {}
    unlisted: list[SubmissionResult] = []
    # Longest names first: a file named after 常德市人民政府政务服务中心 is not 常德市人民政府's.
    names_longest_first = sorted(by_name, key=len, reverse=True)
    for result in results:
        agency = result.report.agency if result.report else None
        if agency:
            parsed = parse_agency(agency)
            targets = sorted({p for p in by_key.get(parsed.key, []) if any(n.same_as(parsed) for n in names[p])})
            # A name listed twice is one agency (both entries see its submissions), two agencies are none.
            if any(not _one_agency(names[a], names[b]) for a in targets for b in targets):
                targets = []
        else:
            # Unreadable or unnamed: the file name is the only clue.
            source = normalise_name(Path(result.source).name)
            targets = next((by_name[n] for n in names_longest_first if n and n in source), [])
        if not targets:
            unlisted.append(result)
        for position in targets:
            matched.setdefault(position, []).append(result)
    rows = [roster_row(entry, matched.get(index, []), config) for index, entry in enumerate(entries)]
    return RosterReport(tuple(rows), tuple(unlisted))


def _one_agency(a: tuple[AgencyName, ...], b: tuple[AgencyName, ...]) -> bool:
    return any(x.same_as(y) for x in a for y in b)


def roster_row(entry: RosterEntry, submissions: Sequence[SubmissionResult], config: Config | None = None) -> RosterRow:
    """One entry's outcome given the submissions known to be its own (matched by name, or by the desk's link)."""
    if not submissions:
        return RosterRow(entry, RosterStatus.MISSING)
    judged = [_judge(entry, s, config or Config()) for s in submissions]
    status, deadline, published = min(judged, key=lambda j: _PRECEDENCE.index(j[0]))
    days = (published - deadline).days if status is RosterStatus.LATE and published and deadline else None
    return RosterRow(entry, status, tuple(submissions), deadline, published, days)


def roster_status(path: str | Path, results: Sequence[SubmissionResult],
                  config: Config | None = None) -> RosterReport:
    """Read a roster CSV and match the batch against it."""
    return match_roster(read_roster(path), results, config)
