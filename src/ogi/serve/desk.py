"""The desk's records: the roster and its links, submissions and their versions, statuses, the audit log.

Plain functions over an SQLAlchemy Engine (called from the web handlers in a thread). Every write is one
transaction; a submission's row is committed, with its bytes already stored, before its receipt exists.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import pickle
import secrets
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ogi.config import Config
from ogi.model import SubmissionResult
from ogi.roster import RosterEntry, RosterReport, RosterStatus, normalise_name, parse_roster, roster_row
from ogi.store.schema import agencies, audit_log, settings, submissions, users

# The desk's statuses, in the order the dashboard lists and filters them.
DESK_STATUSES = ("missing", "late", "fail", "warn", "pass", "checking")
STATUS_ZH = {"missing": "未报送", "late": "逾期", "fail": "不合格", "warn": "有警告", "pass": "合格",
             "checking": "检查中"}
STATUS_EN = {"missing": "not submitted", "late": "late", "fail": "failed", "warn": "warnings", "pass": "passed",
             "checking": "being checked"}
ROLES = ("staff", "readonly")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives datetimes back without their zone; they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


# --- settings ----------------------------------------------------------------------------------------


def secret_key(engine: Engine) -> bytes:
    """The desk's signing key, made on first use and kept in the database (every process agrees on it)."""
    with engine.begin() as db:
        row = db.execute(select(settings.c.value).where(settings.c.key == "secret_key")).first()
        if row is None:
            value = secrets.token_hex(32)
            db.execute(insert(settings).values(key="secret_key", value=value))
            return bytes.fromhex(value)
        return bytes.fromhex(row[0])


# --- users -------------------------------------------------------------------------------------------


class DeskError(ValueError):
    """Something the user asked for cannot be done; the message is for them."""


def add_user(engine: Engine, username: str, password: str, role: str) -> None:
    from ogi.serve.security import hash_password

    username = username.strip()
    if role not in ROLES:
        raise DeskError(f"角色应为 {' / '.join(ROLES)} / role must be one of {ROLES}")
    if not username or len(username) > 64:
        raise DeskError("用户名不能为空，且不超过 64 个字符 / the user name must be 1–64 characters")
    if len(password) < 10:
        raise DeskError("密码至少 10 个字符 / the password needs at least 10 characters")
    hashed = hash_password(password)
    with engine.begin() as db:
        existing = db.execute(select(users.c.id).where(users.c.username == username)).first()
        if existing is None:
            db.execute(insert(users).values(username=username, password_hash=hashed, role=role, created_at=now(),
                                            active=True))
        else:  # the same command resets a password or changes a role
            db.execute(update(users).where(users.c.id == existing[0])
                       .values(password_hash=hashed, role=role, active=True))


# --- audit -------------------------------------------------------------------------------------------


def audit(db: Any, actor: str, action: str, *, agency: str | None = None, number: str | None = None,
          detail: str = "", client: str = "") -> None:
    db.execute(insert(audit_log).values(at=now(), actor=actor, action=action, agency=agency,
                                        submission_number=number, detail=detail, client=client[:64]))


def audit_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as db:
        return [dict(r._mapping) for r in db.execute(select(audit_log).order_by(audit_log.c.id))]


AUDIT_HEADERS = ("时间", "操作人", "操作", "机关", "报送编号", "详情", "客户端")


def audit_csv(engine: Engine) -> str:
    """The audit trail plus every submission's facts, as CSV (UTF-8 with BOM, so that Excel reads it)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(AUDIT_HEADERS)
    for row in audit_rows(engine):
        at = aware(row["at"])
        writer.writerow([at.isoformat(timespec="seconds") if at else "", row["actor"], row["action"],
                         row["agency"] or "", row["submission_number"] or "", row["detail"], row["client"]])
    writer.writerow([])
    writer.writerow(["报送编号", "机关", "年度", "版本", "报送时间", "文件名", "大小", "SHA-256", "类型", "检查状态",
                     "结论", "错误", "警告", "检查时间"])
    query = (select(submissions, agencies.c.name, agencies.c.year)
             .join(agencies, agencies.c.id == submissions.c.agency_id).order_by(submissions.c.id))
    with engine.connect() as db:
        for s in db.execute(query):
            submitted, checked = aware(s.submitted_at), aware(s.checked_at)
            writer.writerow([s.number, s.name, s.year, s.version,
                             submitted.isoformat(timespec="seconds") if submitted else "", s.file_name, s.size,
                             s.sha256, s.kind, s.state, s.status or "", s.errors if s.errors is not None else "",
                             s.warnings if s.warnings is not None else "",
                             checked.isoformat(timespec="seconds") if checked else ""])
    return out.getvalue()


# --- the roster --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Agency:
    id: int
    year: int
    name: str
    level: str | None
    jurisdiction: str
    deadline: dt.date | None
    token: str

    @property
    def entry(self) -> RosterEntry:
        return RosterEntry(agency=self.name, level=self.level, jurisdiction=self.jurisdiction, deadline=self.deadline)


def _agency(row: Any) -> Agency:
    return Agency(row.id, row.year, row.name, row.level, row.jurisdiction, row.deadline, row.token)


def import_roster(engine: Engine, year: int, text: str, actor: str, client: str = "") -> tuple[int, int]:
    """Add the roster's agencies for `year` (a link each) and update those already there: (added, updated).

    The CSV is the one `ogi check --roster` reads; a bad line raises RosterError with its line number.
    """
    entries = parse_roster(text)
    added = updated = 0
    with engine.begin() as db:
        for entry in entries:
            key = normalise_name(entry.agency)
            existing = db.execute(select(agencies.c.id).where(agencies.c.year == year,
                                                              agencies.c.name_key == key)).first()
            values = {"name": entry.agency, "level": entry.level, "jurisdiction": entry.jurisdiction,
                      "deadline": entry.deadline}
            if existing is None:
                db.execute(insert(agencies).values(year=year, name_key=key, token=secrets.token_urlsafe(24),
                                                   created_at=now(), **values))
                added += 1
            else:
                db.execute(update(agencies).where(agencies.c.id == existing[0]).values(**values))
                updated += 1
        audit(db, actor, "roster_import", detail=f"year={year} added={added} updated={updated}", client=client)
    return added, updated


def agency_by_token(engine: Engine, token: str) -> Agency | None:
    if not token or len(token) > 64:
        return None
    with engine.connect() as db:
        row = db.execute(select(agencies).where(agencies.c.token == token)).first()
    return _agency(row) if row is not None else None


def agency_by_id(engine: Engine, agency_id: int) -> Agency | None:
    with engine.connect() as db:
        row = db.execute(select(agencies).where(agencies.c.id == agency_id)).first()
    return _agency(row) if row is not None else None


def roster(engine: Engine, year: int) -> list[Agency]:
    with engine.connect() as db:
        rows = db.execute(select(agencies).where(agencies.c.year == year).order_by(agencies.c.id))
        return [_agency(r) for r in rows]


def years(engine: Engine) -> list[int]:
    with engine.connect() as db:
        return [int(r[0]) for r in db.execute(select(agencies.c.year).distinct().order_by(agencies.c.year.desc()))]


def rotate_token(engine: Engine, agency_id: int, actor: str, client: str = "") -> Agency | None:
    """A new link for the agency; the old one stops working."""
    with engine.begin() as db:
        row = db.execute(select(agencies).where(agencies.c.id == agency_id)).first()
        if row is None:
            return None
        db.execute(update(agencies).where(agencies.c.id == agency_id).values(token=secrets.token_urlsafe(24)))
        audit(db, actor, "link_rotated", agency=row.name, client=client)
    return agency_by_id(engine, agency_id)


def links_csv(engine: Engine, year: int, base_url: str) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["机关", "层级", "地区", "期限", "报送链接"])
    for a in roster(engine, year):
        writer.writerow([a.name, a.level or "", a.jurisdiction, a.deadline.isoformat() if a.deadline else "",
                         f"{base_url.rstrip('/')}/submit/{a.token}"])
    return out.getvalue()


# --- submissions -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Submission:
    id: int
    agency_id: int
    version: int
    number: str
    file_name: str
    size: int
    sha256: str
    kind: str
    submitted_at: dt.datetime
    state: str
    status: str | None
    errors: int | None
    warnings: int | None
    report_year: int | None
    published: dt.date | None
    checked_at: dt.datetime | None
    result_json: str | None

    @property
    def result(self) -> dict[str, Any] | None:
        return json.loads(self.result_json) if self.result_json else None


_SUBMISSION_COLUMNS = [c for c in submissions.c if c.name not in ("result_blob", "nonce", "client")]


def _submission(row: Any) -> Submission:
    m = row._mapping
    return Submission(m["id"], m["agency_id"], m["version"], m["number"], m["file_name"], m["size"], m["sha256"],
                      m["kind"], aware(m["submitted_at"]) or now(), m["state"], m["status"], m["errors"],
                      m["warnings"], m["report_year"], m["published"], aware(m["checked_at"]), m["result_json"])


def receive(engine: Engine, agency: Agency, *, nonce: str, file_name: str, size: int, sha256: str, kind: str,
            client: str) -> tuple[Submission, bool]:
    """Record a submission whose bytes are stored; (the submission, True if new). The same form sent twice
    (same nonce) is the first submission again, so a retried upload is never a second version."""
    for _attempt in range(20):  # two versions of one agency at the same moment: the loser takes the next
        try:
            with engine.begin() as db:
                same = db.execute(select(*_SUBMISSION_COLUMNS).where(submissions.c.agency_id == agency.id,
                                                                      submissions.c.nonce == nonce)).first()
                if same is not None:
                    return _submission(same), False
                version = (db.execute(select(func.max(submissions.c.version))
                                      .where(submissions.c.agency_id == agency.id)).scalar() or 0) + 1
                at = now()
                number = f"{agency.year}-{agency.id:04d}-{version:02d}-{secrets.token_hex(2).upper()}"
                key = db.execute(insert(submissions).values(
                    agency_id=agency.id, version=version, number=number, nonce=nonce, file_name=file_name[:255],
                    size=size, sha256=sha256, kind=kind, submitted_at=at, client=client[:64], state="received",
                )).inserted_primary_key
                assert key is not None
                new_id = key[0]
                audit(db, f"agency:{agency.name}", "submitted", agency=agency.name, number=number,
                      detail=f"version={version} file={file_name[:255]} sha256={sha256} size={size}", client=client)
                row = db.execute(select(*_SUBMISSION_COLUMNS).where(submissions.c.id == new_id)).one()
                return _submission(row), True
        except IntegrityError:
            continue
    raise DeskError("报送繁忙，请稍后重试 / busy, please try again")


def pack_result(result: SubmissionResult) -> bytes:
    # The renderers need the SubmissionResult itself; the JSON is the record, this is a cache of it, written
    # by this program for this program. If a later version cannot read it back, the submission keeps its
    # stored status and counts, but is left out of the rendered downloads until it is submitted again.
    return zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), 6)


def unpack_result(blob: bytes | None) -> SubmissionResult | None:
    if not blob:
        return None
    try:
        result = pickle.loads(zlib.decompress(blob))
    except Exception:
        return None
    return result if isinstance(result, SubmissionResult) else None


def record_result(engine: Engine, submission_id: int, result: SubmissionResult) -> None:
    from ogi.reports.common import counts
    from ogi.reports.serialize import submission_dict

    c = counts(result)
    report = result.report
    with engine.begin() as db:
        row = db.execute(select(submissions.c.number, agencies.c.name)
                         .join(agencies, agencies.c.id == submissions.c.agency_id)
                         .where(submissions.c.id == submission_id)).first()
        db.execute(update(submissions).where(submissions.c.id == submission_id).values(
            state="checked", status=result.status.value, errors=c.error, warnings=c.warning,
            report_year=report.year if report else None,
            published=report.published.date if report and report.published else None,
            checked_at=now(), result_json=json.dumps(submission_dict(result), ensure_ascii=False),
            result_blob=pack_result(result)))
        if row is not None:
            audit(db, "ogi", "checked", agency=row.name, number=row.number,
                  detail=f"status={result.status.value} errors={c.error} warnings={c.warning}")


def unchecked(engine: Engine) -> list[tuple[Submission, Agency]]:
    """Submissions received but not checked (the server stopped meanwhile): they are checked at start."""
    query = (select(*_SUBMISSION_COLUMNS, agencies.c.name, agencies.c.year.label("agency_year"),
                    agencies.c.level, agencies.c.jurisdiction, agencies.c.deadline, agencies.c.token)
             .join(agencies, agencies.c.id == submissions.c.agency_id)
             .where(submissions.c.state == "received").order_by(submissions.c.id))
    with engine.connect() as db:
        rows = list(db.execute(query))
    return [(_submission(r), Agency(r.agency_id, r.agency_year, r.name, r.level, r.jurisdiction, r.deadline,
                                    r.token)) for r in rows]


def versions(engine: Engine, agency_id: int) -> list[Submission]:
    with engine.connect() as db:
        rows = db.execute(select(*_SUBMISSION_COLUMNS).where(submissions.c.agency_id == agency_id)
                          .order_by(submissions.c.version))
        return [_submission(r) for r in rows]


def submission_by_number(engine: Engine, agency_id: int, number: str) -> Submission | None:
    with engine.connect() as db:
        row = db.execute(select(*_SUBMISSION_COLUMNS).where(submissions.c.agency_id == agency_id,
                                                            submissions.c.number == number)).first()
    return _submission(row) if row is not None else None


def submission_by_id(engine: Engine, submission_id: int) -> tuple[Submission, Agency] | None:
    with engine.connect() as db:
        row = db.execute(select(*_SUBMISSION_COLUMNS).where(submissions.c.id == submission_id)).first()
    if row is None:
        return None
    sub = _submission(row)
    agency = agency_by_id(engine, sub.agency_id)
    return (sub, agency) if agency is not None else None


def stored_result(engine: Engine, submission_id: int) -> SubmissionResult | None:
    with engine.connect() as db:
        blob = db.execute(select(submissions.c.result_blob).where(submissions.c.id == submission_id)).scalar()
    return unpack_result(blob)


def count_submissions(engine: Engine) -> int:
    with engine.connect() as db:
        return int(db.execute(select(func.count()).select_from(submissions)).scalar() or 0)


# --- changes between versions ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Change:
    rule: str
    severity: str
    message: str


def _finding_key(finding: dict[str, Any]) -> str:
    location = {k: v for k, v in (finding.get("location") or {}).items() if k != "source"}
    return json.dumps([finding["rule"], location], ensure_ascii=False, sort_keys=True)


def changes(previous: dict[str, Any] | None, current: dict[str, Any] | None) -> tuple[list[Change], list[Change]]:
    """(findings fixed, findings new) between two versions' results; a finding is its rule and location."""
    if previous is None or current is None:
        return [], []
    before = {_finding_key(f): f for f in previous.get("findings", [])}
    after = {_finding_key(f): f for f in current.get("findings", [])}

    def listed(found: dict[str, dict[str, Any]], keys: Iterable[str]) -> list[Change]:
        return [Change(found[k]["rule"], found[k]["severity"], found[k]["message"]) for k in keys]

    return (listed(before, [k for k in before if k not in after]), listed(after, [k for k in after if k not in before]))


# --- the dashboard -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BoardEntry:
    agency: Agency
    status: str
    latest: Submission | None
    versions: int
    deadline: dt.date | None
    late_by: int | None  # days
    result: SubmissionResult | None = None  # the latest version's, once checked


def _desk_status(agency: Agency, latest: Submission | None, result: SubmissionResult | None,
                 config: Config) -> tuple[str, dt.date | None, int | None]:
    if latest is None:
        return "missing", agency.deadline, None
    if latest.state != "checked":
        return "checking", agency.deadline, None
    row = roster_row(agency.entry, [result] if result is not None else [], config)
    deadline = row.deadline or agency.deadline
    late_by = row.days_late
    submitted = latest.submitted_at.date()
    if agency.deadline is not None and submitted > agency.deadline:
        late_by = max(late_by or 0, (submitted - agency.deadline).days)
    if row.status is RosterStatus.LATE or late_by:
        return "late", deadline, late_by
    status = latest.status or "fail"
    return ("fail" if status in ("fail", "unreadable") else status), deadline, None


def board(engine: Engine, year: int, config: Config) -> list[BoardEntry]:
    """Every agency of the year's roster with its status, from its latest version."""
    agencies_ = roster(engine, year)
    latest_ids = (select(submissions.c.agency_id, func.max(submissions.c.version).label("v"))
                  .join(agencies, agencies.c.id == submissions.c.agency_id).where(agencies.c.year == year)
                  .group_by(submissions.c.agency_id).subquery())
    query = (select(*_SUBMISSION_COLUMNS, submissions.c.result_blob)
             .join(latest_ids, and_(submissions.c.agency_id == latest_ids.c.agency_id,
                                    submissions.c.version == latest_ids.c.v)))
    latest: dict[int, tuple[Submission, bytes | None]] = {}
    with engine.connect() as db:
        for row in db.execute(query):
            latest[row.agency_id] = (_submission(row), row.result_blob)
    out: list[BoardEntry] = []
    for agency in agencies_:
        sub, blob = latest.get(agency.id, (None, None))
        result = unpack_result(blob) if sub is not None else None
        status, deadline, late_by = _desk_status(agency, sub, result, config)
        out.append(BoardEntry(agency, status, sub, sub.version if sub else 0, deadline, late_by, result))
    return out


def latest_results(entries: Sequence[BoardEntry]) -> list[tuple[BoardEntry, SubmissionResult]]:
    """The checked latest versions' results, for the CLI's renderers."""
    return [(entry, entry.result) for entry in entries
            if entry.latest is not None and entry.latest.state == "checked" and entry.result is not None]


def roster_report(entries: Sequence[BoardEntry], results: dict[int, SubmissionResult],
                  config: Config) -> RosterReport:
    """The 报送情况 of the summary workbook and dashboard, from the desk's own links (not name matching)."""
    rows = [roster_row(e.agency.entry, [results[e.agency.id]] if e.agency.id in results else [], config)
            for e in entries]
    return RosterReport(tuple(rows), ())
