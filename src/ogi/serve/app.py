"""The desk's web application (Starlette): routes, pages and downloads. See `ogi.serve` for the roles.

Handlers are async; database work runs in the thread pool (`_db`), checks in the checker's threads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
from sqlalchemy import Engine, delete, insert, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ogi import __version__
from ogi.config import Config
from ogi.model import Category, SubmissionResult
from ogi.serve import desk
from ogi.serve.blobs import BlobStore
from ogi.serve.checker import Checker, Job
from ogi.serve.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    DUMMY_HASH,
    SESSION_COOKIE,
    BodyLimit,
    RateLimiter,
    csrf_ok,
    csrf_token,
    new_token,
    token_hash,
    too_large_page,
    verify_password,
)
from ogi.store.database import open_database
from ogi.store.schema import sessions, users

log = logging.getLogger("ogi.serve")
T = TypeVar("T")

SESSION_HOURS = 12
DRAFTS_KEPT = 500  # self-check results held in memory (never on disk), oldest forgotten first
DRAFT_MINUTES = 30
LEVELS = {"": None, "department": "department", "government": "government", "township": "township"}

DESK_CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# The reports are the CLI's self-contained pages: their own inline style and (dashboard) script only.
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
              "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")


@dataclasses.dataclass(frozen=True)
class DeskSettings:
    data_dir: Path
    database: str | None = None  # an SQLAlchemy URL; default: DATA/ogi.sqlite
    max_upload_mb: float = 50.0
    uploads_per_minute: int = 30  # per client address; 0 = no limit
    logins_per_minute: int = 10
    secure_cookies: bool = False  # True behind HTTPS (see docs/serve.md)
    checker_threads: int = 2
    config: Config = dataclasses.field(default_factory=Config)
    base_url: str = ""  # for the links the office hands out; default: as the request came in

    @property
    def database_target(self) -> str:
        return self.database or str(self.data_dir / "ogi.sqlite")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


@dataclasses.dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str

    @property
    def staff(self) -> bool:
        return self.role == "staff"


class Desk:
    """What the handlers share: the database, the upload store, the checker, the limits."""

    def __init__(self, settings: DeskSettings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = open_database(settings.database_target, wal=True)
        self.blobs = BlobStore(settings.data_dir / "blobs")
        self.secret = desk.secret_key(self.engine)
        self.uploads = RateLimiter(settings.uploads_per_minute)
        self.logins = RateLimiter(settings.logins_per_minute)
        self.drafts: OrderedDict[str, Job] = OrderedDict()
        self.drafts_lock = threading.Lock()
        self.checker: Checker | None = None

    def start(self) -> None:
        # The engine's workers are full processes; the configuration's memory and time limits apply to each.
        self.checker = Checker(self.engine, threads=self.settings.checker_threads)
        for submission, agency in desk.unchecked(self.engine):  # received before a stop, not yet checked
            self.check_submission(submission, agency)

    def stop(self) -> None:
        if self.checker is not None:
            self.checker.stop()
        self.engine.dispose()

    def config_for(self, level: str | None) -> Config:
        return self.settings.config.with_overrides(level=level) if level else self.settings.config

    def check_submission(self, submission: desk.Submission, agency: desk.Agency) -> Job:
        assert self.checker is not None
        path = self.checker.scratch_file(submission.file_name, link_to=self.blobs.path(submission.sha256))

        def record(job: Job) -> None:
            assert job.result is not None
            desk.record_result(self.engine, submission.id, job.result)

        return self.checker.submit(Job(id=submission.number, path=path, name=submission.file_name,
                                       config=self.config_for(agency.level), save_history=True, on_done=record))

    def add_draft(self, job: Job) -> None:
        with self.drafts_lock:
            self.drafts[job.id] = job
            while len(self.drafts) > DRAFTS_KEPT:
                self.drafts.popitem(last=False)

    def draft(self, job_id: str) -> Job | None:
        with self.drafts_lock:
            job = self.drafts.get(job_id)
            if job is not None and time.monotonic() - job.queued_at > DRAFT_MINUTES * 60:
                del self.drafts[job_id]
                return None
            return job


async def _db(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await run_in_threadpool(partial(func, *args, **kwargs))


# --- pages -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """Autoescaped: agency names and file names come from users and documents."""
    from ogi.reports.html import FONT_STACK

    env = jinja2.Environment(loader=jinja2.PackageLoader("ogi.serve", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(font_stack=FONT_STACK, version=__version__, status_zh=desk.STATUS_ZH,
                       status_en=desk.STATUS_EN)
    return env


def _browser_id(request: Request) -> tuple[str, bool]:
    """The browser's CSRF cookie value, and whether it is new (then it must be set on the response)."""
    value = request.cookies.get(CSRF_COOKIE)
    if value and 20 <= len(value) <= 64:
        return value, False
    return secrets.token_urlsafe(24), True


def _secure(request: Request) -> bool:
    return _desk(request).settings.secure_cookies or request.url.scheme == "https"


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    desk_ = _desk(request)
    browser, new = _browser_id(request)
    context.setdefault("user", getattr(request.state, "user", None))
    html = templates().get_template(name).render(csrf=csrf_token(desk_.secret, browser), request_path=request.url.path,
                                                 **context)
    response = HTMLResponse(html, status_code=status_code)
    if new:
        response.set_cookie(CSRF_COOKIE, browser, httponly=True, samesite="strict", secure=_secure(request), path="/")
    return response


def report_page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


def error_page(request: Request, status: int, zh: str, en: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    response = page(request, "error.html.j2", status_code=status, title_zh=zh, message_en=en)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _desk(request: Request) -> Desk:
    desk_: Desk = request.app.state.desk
    return desk_


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request, *, files: int = 0) -> Any:
    """The posted form, after the CSRF check (token in the form, signed against this browser's cookie;
    a cross-site Origin is refused outright)."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(403, "跨站请求被拒绝 / cross-site request refused")
    try:
        form = await request.form(max_files=files, max_fields=20, max_part_size=64 * 1024)
    except HTTPException:
        raise
    except Exception as exc:
        raise HTTPException(400, "表单无法解析 / the form could not be read") from exc
    field = form.get(CSRF_FIELD)
    if not csrf_ok(_desk(request).secret, request.cookies.get(CSRF_COOKIE), field if isinstance(field, str) else None):
        raise HTTPException(403, "页面已过期或来源不明，请刷新页面后重试 / CSRF token missing or invalid")
    return form


def _limited(request: Request, limiter: RateLimiter) -> Response | None:
    allowed, wait = limiter.allow(_client(request))
    if allowed:
        return None
    return error_page(request, 429, f"操作过于频繁，请 {wait} 秒后再试",
                      f"too many requests; try again in {wait} s", {"Retry-After": str(wait)})


async def _upload(request: Request, form: Any) -> tuple[str, bytes] | Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return error_page(request, 400, "请选择要上传的文件", "choose a file to upload")
    limit = _desk(request).settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:  # (the body limit has already refused most of these)
        return Response(content=too_large_page(limit), status_code=413, media_type="text/html; charset=utf-8")
    if not data:
        return error_page(request, 400, "上传的文件是空的", "the uploaded file is empty")
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:255] or "report"
    return name, data


# --- the agency's side: self-check ---------------------------------------------------------------------


async def home(request: Request) -> Response:
    return page(request, "selfcheck.html.j2", max_mb=f"{_desk(request).settings.max_upload_mb:g}")


async def check_post(request: Request) -> Response:
    desk_ = _desk(request)
    refused = _limited(request, desk_.uploads)
    if refused is not None:
        return refused
    form = await _form(request, files=1)
    got = await _upload(request, form)
    if isinstance(got, Response):
        return got
    name, data = got
    level = LEVELS.get(str(form.get("level") or ""))
    assert desk_.checker is not None
    path = await run_in_threadpool(desk_.checker.scratch_file, name, data)
    job = Job(id=secrets.token_urlsafe(18), path=path, name=name, config=desk_.config_for(level),
              save_history=False)
    desk_.add_draft(job)
    desk_.checker.submit(job)
    return RedirectResponse(f"/check/{job.id}", status_code=303)


def _progress(desk_: Desk, job: Job) -> dict[str, Any]:
    assert desk_.checker is not None
    elapsed = time.monotonic() - (job.started_at or job.queued_at)
    return {"state": job.state, "position": desk_.checker.position(job), "seconds": round(elapsed, 1),
            "limit": job.config.per_file_seconds}


async def check_result(request: Request) -> Response:
    desk_ = _desk(request)
    job = desk_.draft(request.path_params["job"])
    if job is None:
        return error_page(request, 404, "检查结果不存在或已过期（草稿不保存，结果只保留 30 分钟）",
                          "no such result, or it has expired (drafts are not kept)")
    if job.state != "done" or job.result is None:
        return page(request, "progress.html.j2", job=job, progress=_progress(desk_, job))
    from ogi.reports.html import render_report_html

    return report_page(await run_in_threadpool(render_report_html, job.result, "zh", index_href="/"))


async def check_status(request: Request) -> Response:
    desk_ = _desk(request)
    job = desk_.draft(request.path_params["job"])
    if job is None:
        return JSONResponse({"state": "gone"}, status_code=404)
    return JSONResponse(_progress(desk_, job))


# --- the agency's side: submission -------------------------------------------------------------------


async def _agency(request: Request) -> desk.Agency:
    agency = await _db(desk.agency_by_token, _desk(request).engine, request.path_params["token"])
    if agency is None:
        raise HTTPException(404, "报送链接无效或已更换，请向主管部门索取新链接 / unknown or replaced submission link")
    return agency


async def submit_form(request: Request) -> Response:
    agency = await _agency(request)
    history = await _db(desk.versions, _desk(request).engine, agency.id)
    return page(request, "submit.html.j2", agency=agency, token=request.path_params["token"], versions=history,
                nonce=secrets.token_urlsafe(18), max_mb=f"{_desk(request).settings.max_upload_mb:g}")


async def submit_post(request: Request) -> Response:
    desk_ = _desk(request)
    agency = await _agency(request)
    refused = _limited(request, desk_.uploads)
    if refused is not None:
        return refused
    form = await _form(request, files=1)
    nonce = str(form.get("nonce") or "")
    if not 16 <= len(nonce) <= 64:
        return error_page(request, 400, "表单已失效，请刷新页面后重新提交", "stale form; reload and submit again")
    got = await _upload(request, form)
    if isinstance(got, Response):
        return got
    name, data = got
    from ogi.ingest.sniff import detect_kind

    kind = detect_kind(data, name)  # from the content; the name's suffix is never trusted
    sha256 = await run_in_threadpool(desk_.blobs.put, data)  # on disk (fsync) before the row that names it
    submission, new = await _db(desk.receive, desk_.engine, agency, nonce=nonce, file_name=name, size=len(data),
                                sha256=sha256, kind=kind, client=_client(request))
    if new:
        desk_.check_submission(submission, agency)
    return RedirectResponse(f"/submit/{quote(agency.token)}/receipt/{quote(submission.number)}", status_code=303)


async def _receipt_data(request: Request) -> tuple[desk.Agency, desk.Submission, desk.Submission | None]:
    agency = await _agency(request)
    history = await _db(desk.versions, _desk(request).engine, agency.id)
    number = request.path_params["number"]
    for index, submission in enumerate(history):
        if submission.number == number:
            return agency, submission, history[index - 1] if index else None
    raise HTTPException(404, "没有这个报送编号 / no such submission")


async def receipt(request: Request) -> Response:
    agency, submission, previous = await _receipt_data(request)
    fixed, new = desk.changes(previous.result if previous else None, submission.result)
    return page(request, "receipt.html.j2", agency=agency, s=submission, previous=previous, fixed=fixed, new=new,
                token=request.path_params["token"], result=submission.result)


def receipt_text(agency: desk.Agency, s: desk.Submission) -> str:
    lines = ["政府信息公开工作年度报告 报送回执 / Submission receipt", "",
             f"报送编号 / number: {s.number}", f"机关 / agency: {agency.name}", f"报告年度 / year: {agency.year}",
             f"版本 / version: {s.version}", f"报送时间 / submitted: {s.submitted_at.isoformat(timespec='seconds')}",
             f"文件名 / file: {s.file_name}", f"大小 / size: {s.size} 字节 bytes", f"SHA-256: {s.sha256}",
             f"检查结论 / result: {desk.STATUS_ZH.get(_status_key(s.status), '检查中')}" if s.state == "checked"
             else "检查结论 / result: 检查中 / being checked",
             "", f"ogi-checks {__version__}"]
    return "\n".join(lines) + "\n"


def _status_key(status: str | None) -> str:
    return "fail" if status in ("fail", "unreadable") else (status or "checking")


async def receipt_download(request: Request) -> Response:
    agency, submission, _ = await _receipt_data(request)
    return PlainTextResponse(receipt_text(agency, submission), headers=_attachment(f"回执-{submission.number}.txt"))


async def agency_report(request: Request) -> Response:
    agency, submission, _ = await _receipt_data(request)
    return await _report_of(request, submission.id, f"/submit/{quote(agency.token)}/receipt/{quote(submission.number)}")


async def _report_of(request: Request, submission_id: int, back: str) -> Response:
    desk_ = _desk(request)
    result = await _db(desk.stored_result, desk_.engine, submission_id)
    if result is None:
        return error_page(request, 409, "报告尚在检查中，请稍后刷新", "the report is still being checked")
    from ogi.reports.html import render_report_html

    return report_page(await run_in_threadpool(render_report_html, result, "zh", index_href=back))


def _attachment(name: str) -> dict[str, str]:
    ascii_name = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in name)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


# --- the office: login -------------------------------------------------------------------------------


def _user_for(engine: Engine, session_token: str) -> User | None:
    query = (select(users.c.id, users.c.username, users.c.role, sessions.c.expires_at)
             .join(users, users.c.id == sessions.c.user_id)
             .where(sessions.c.id_hash == token_hash(session_token), users.c.active.is_(True)))
    with engine.connect() as db:
        row = db.execute(query).first()
    if row is None or (desk.aware(row.expires_at) or desk.now()) < desk.now():
        return None
    return User(row.id, row.username, row.role)


async def current_user(request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    user = await _db(_user_for, _desk(request).engine, token)
    request.state.user = user
    return user


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/office/login?next={quote(request.url.path)}", status_code=303)


def office(staff: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A handler for logged-in office users (`staff`: not for read-only users)."""

    def wrap(handler: Callable[[Request, User], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            user = await current_user(request)
            if user is None:
                if request.method == "GET":
                    return _login_redirect(request)
                raise HTTPException(403, "请先登录 / log in first")
            if staff and not user.staff:
                raise HTTPException(403, "只读账号不能执行此操作 / read-only account")
            response: Response = await handler(request, user)
            response.headers["Cache-Control"] = "no-store"
            return response

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/office") and "//" not in value and "\\" not in value:
        return value
    return "/office"


async def login_form(request: Request) -> Response:
    return page(request, "login.html.j2", next=_safe_next(request.query_params.get("next")), failed=False)


def _login(engine: Engine, username: str, password: str, client: str) -> str | None:
    with engine.connect() as db:
        row = db.execute(select(users.c.id, users.c.password_hash).where(users.c.username == username,
                                                                          users.c.active.is_(True))).first()
    if row is None:
        verify_password(DUMMY_HASH, password)  # as slow as a real check: the timing tells no names
        ok = False
    else:
        ok = verify_password(row.password_hash, password)
    with engine.begin() as db:
        desk.audit(db, username[:64] or "?", "login" if ok else "login_failed", client=client)
        if not ok or row is None:
            return None
        token = new_token()
        at = desk.now()
        db.execute(delete(sessions).where(sessions.c.expires_at < at))
        db.execute(insert(sessions).values(id_hash=token_hash(token), user_id=row.id, created_at=at,
                                           expires_at=at + dt.timedelta(hours=SESSION_HOURS)))
    return token


async def login_post(request: Request) -> Response:
    desk_ = _desk(request)
    refused = _limited(request, desk_.logins)
    if refused is not None:
        return refused
    form = await _form(request)
    username, password = str(form.get("username") or "")[:64], str(form.get("password") or "")[:256]
    token = await _db(_login, desk_.engine, username, password, _client(request))
    target = _safe_next(str(form.get("next") or ""))
    if token is None:
        return page(request, "login.html.j2", status_code=401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    return response


async def logout_post(request: Request) -> Response:
    await _form(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        def forget(engine: Engine) -> None:
            with engine.begin() as db:
                db.execute(delete(sessions).where(sessions.c.id_hash == token_hash(token)))

        await _db(forget, _desk(request).engine)
    response = RedirectResponse("/office/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- the office: dashboard, roster, links -----------------------------------------------------------


def _year(request: Request, known: list[int]) -> int:
    raw = request.query_params.get("year") or request.path_params.get("year")
    if raw is not None and str(raw).isdigit() and 1990 <= int(raw) <= 2200:
        return int(raw)
    return known[0] if known else dt.date.today().year - 1


@dataclasses.dataclass(frozen=True)
class MatrixRow:
    entry: desk.BoardEntry
    cells: tuple[tuple[int, str], ...]  # (findings, worst severity) per category


def _dashboard_data(desk_: Desk, year: int, status: str, query: str) -> dict[str, Any]:
    from ogi.reports.common import category_counts
    from ogi.reports.i18n import category_name
    from ogi.roster import normalise_name

    entries = desk.board(desk_.engine, year, desk_.settings.config)
    counts = {s: sum(1 for e in entries if e.status == s) for s in desk.DESK_STATUSES}
    shown = [e for e in entries if (not status or e.status == status)
             and (not query or normalise_name(query) in normalise_name(e.agency.name + e.agency.jurisdiction))]
    matrix: list[MatrixRow] = []
    for entry, result in desk.latest_results(shown):
        cells = tuple((n, worst.value if worst else "") for n, worst in category_counts(result).values())
        matrix.append(MatrixRow(entry, cells))
    return {"entries": shown, "counts": counts, "total": len(entries), "matrix": matrix,
            "categories": [category_name(c, "zh") for c in Category]}


@office()
async def dashboard(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    known = await _db(desk.years, desk_.engine)
    year = _year(request, known)
    status = request.query_params.get("status") or ""
    status = status if status in desk.DESK_STATUSES else ""
    query = (request.query_params.get("q") or "")[:100]
    data = await _db(_dashboard_data, desk_, year, status, query)
    return page(request, "dashboard.html.j2", year=year, years=known or [year], status=status, q=query,
                pending=desk_.checker.pending() if desk_.checker else 0, **data)


@office(staff=True)
async def roster_post(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    form = await _form(request, files=1)
    year_raw = str(form.get("year") or "")
    if not (year_raw.isdigit() and 1990 <= int(year_raw) <= 2200):
        return error_page(request, 400, "请填写报告年度（如 2025）", "give the report year, e.g. 2025")
    got = await _upload(request, form)
    if isinstance(got, Response):
        return got
    _, data = got
    from ogi.roster import RosterError, _decode

    try:
        added, updated = await _db(desk.import_roster, desk_.engine, int(year_raw), _decode(data), user.username,
                                   _client(request))
    except RosterError as exc:
        return error_page(request, 400, f"名单无法导入：{exc}", "the roster could not be imported")
    return RedirectResponse(f"/office?year={int(year_raw)}&imported={added}-{updated}", status_code=303)


def _base_url(request: Request) -> str:
    configured = _desk(request).settings.base_url
    return configured or str(request.base_url).rstrip("/")


@office(staff=True)
async def links_download(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    year = _year(request, await _db(desk.years, desk_.engine))
    text = await _db(desk.links_csv, desk_.engine, year, _base_url(request))

    def note(engine: Engine) -> None:
        with engine.begin() as db:
            desk.audit(db, user.username, "links_issued", detail=f"year={year}", client=_client(request))

    await _db(note, desk_.engine)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers=_attachment(f"报送链接-{year}.csv"))


@office()
async def agency_page(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    agency = await _db(desk.agency_by_id, desk_.engine, int(request.path_params["agency_id"]))
    if agency is None:
        raise HTTPException(404, "没有这个机关 / no such agency")
    history = await _db(desk.versions, desk_.engine, agency.id)
    rows = []
    for index, s in enumerate(history):
        fixed, new = desk.changes(history[index - 1].result if index else None, s.result)
        rows.append((s, fixed, new))
    return page(request, "agency.html.j2", agency=agency, rows=list(reversed(rows)),
                link=f"{_base_url(request)}/submit/{agency.token}")


@office(staff=True)
async def rotate_post(request: Request, user: User) -> Response:
    await _form(request)
    agency = await _db(desk.rotate_token, _desk(request).engine, int(request.path_params["agency_id"]),
                       user.username, _client(request))
    if agency is None:
        raise HTTPException(404, "没有这个机关 / no such agency")
    return RedirectResponse(f"/office/agency/{agency.id}", status_code=303)


@office()
async def office_report(request: Request, user: User) -> Response:
    found = await _db(desk.submission_by_id, _desk(request).engine, int(request.path_params["submission_id"]))
    if found is None:
        raise HTTPException(404, "没有这份报送 / no such submission")
    submission, agency = found
    return await _report_of(request, submission.id, f"/office/agency/{agency.id}")


@office()
async def office_file(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    found = await _db(desk.submission_by_id, desk_.engine, int(request.path_params["submission_id"]))
    if found is None:
        raise HTTPException(404, "没有这份报送 / no such submission")
    submission, _ = found
    data = await run_in_threadpool(desk_.blobs.read, submission.sha256)
    # Served as bytes to save, never rendered here: whatever the file claims to be.
    return Response(data, media_type="application/octet-stream", headers=_attachment(submission.file_name))


def _year_results(desk_: Desk, year: int) -> tuple[list[SubmissionResult], list[str], Any]:
    entries = desk.board(desk_.engine, year, desk_.settings.config)
    pairs = desk.latest_results(entries)
    results = [result for _, result in pairs]
    links = [f"/office/submission/{entry.latest.id}/report.html" for entry, _ in pairs if entry.latest]
    roster = desk.roster_report(entries, {entry.agency.id: result for entry, result in pairs}, desk_.settings.config)
    return results, links, roster


def _render_download(desk_: Desk, year: int, what: str) -> tuple[bytes, str]:
    results, links, roster = _year_results(desk_, year)
    if what == "summary.xlsx":
        from ogi.reports.xlsx_summary import write_summary_xlsx

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "summary.xlsx"
            write_summary_xlsx(results, target, roster=roster)
            return target.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if what == "report.json":
        from ogi.reports.json_report import render_json

        return render_json(results).encode("utf-8"), "application/json"
    if what == "junit.xml":
        from ogi.reports.junit import render_junit

        return render_junit(results).encode("utf-8"), "application/xml"
    from ogi.reports.dashboard import render_dashboard

    return render_dashboard(results, links, roster=roster).encode("utf-8"), "text/html; charset=utf-8"


DOWNLOADS = ("summary.xlsx", "report.json", "junit.xml", "index.html")


@office()
async def download(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    what = request.path_params["name"]
    if what not in DOWNLOADS:
        raise HTTPException(404, "没有这个文件 / no such download")
    year = int(request.path_params["year"])
    body, media = await _db(_render_download, desk_, year, what)

    def note(engine: Engine) -> None:
        with engine.begin() as db:
            desk.audit(db, user.username, "download", detail=f"{year}/{what}", client=_client(request))

    await _db(note, desk_.engine)
    if what == "index.html":
        return Response(body, media_type=media, headers={"Content-Security-Policy": REPORT_CSP})
    return Response(body, media_type=media, headers=_attachment(f"{year}-{what}"))


@office()
async def audit_download(request: Request, user: User) -> Response:
    desk_ = _desk(request)
    text = await _db(desk.audit_csv, desk_.engine)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=_attachment("audit.csv"))


# --- plumbing ----------------------------------------------------------------------------------------


async def health(request: Request) -> Response:
    desk_ = _desk(request)
    count = await _db(desk.count_submissions, desk_.engine)
    return JSONResponse({"ok": True, "version": __version__, "submissions": count,
                         "queued": desk_.checker.pending() if desk_.checker else 0})


STATIC = Path(__file__).with_name("static")


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("desk.js", "desk.css"):
        raise HTTPException(404, "not found")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return Response((STATIC / name).read_bytes(), media_type=f"{media}; charset=utf-8",
                    headers={"Cache-Control": "max-age=3600"})


FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
           b'fill="#12324f"/><path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>')


async def favicon(request: Request) -> Response:
    # Browsers ask for it on every page, the CLI's reports included: an answer instead of a logged 404.
    return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = str(exc.detail or "")
    zh, _, en = detail.partition(" / ")
    return error_page(request, exc.status_code, zh or "请求无法处理", en or detail)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error", exc_info=exc)
    return HTMLResponse("<!DOCTYPE html><meta charset=utf-8><title>内部错误</title><h1>内部错误</h1>"
                        "<p>服务器内部错误，请稍后重试。/ Internal error.</p>", status_code=500)


class SecurityHeaders:
    """ASGI middleware: the headers every answer carries (a handler may set its own CSP)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in ((b"content-security-policy", DESK_CSP), (b"x-content-type-options", "nosniff"),
                                   (b"referrer-policy", "no-referrer"), (b"x-frame-options", "DENY")):
                    if key not in present:
                        headers.append((key, value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/check", check_post, methods=["POST"]),
    Route("/check/{job}", check_result, methods=["GET"]),
    Route("/check/{job}/status", check_status, methods=["GET"]),
    Route("/submit/{token}", submit_form, methods=["GET"]),
    Route("/submit/{token}", submit_post, methods=["POST"]),
    Route("/submit/{token}/receipt/{number}", receipt, methods=["GET"]),
    Route("/submit/{token}/receipt/{number}/receipt.txt", receipt_download, methods=["GET"]),
    Route("/submit/{token}/report/{number}", agency_report, methods=["GET"]),
    Route("/office/login", login_form, methods=["GET"]),
    Route("/office/login", login_post, methods=["POST"]),
    Route("/office/logout", logout_post, methods=["POST"]),
    Route("/office", dashboard, methods=["GET"]),
    Route("/office/roster", roster_post, methods=["POST"]),
    Route("/office/links.csv", links_download, methods=["GET"]),
    Route("/office/agency/{agency_id:int}", agency_page, methods=["GET"]),
    Route("/office/agency/{agency_id:int}/rotate", rotate_post, methods=["POST"]),
    Route("/office/submission/{submission_id:int}/report.html", office_report, methods=["GET"]),
    Route("/office/submission/{submission_id:int}/file", office_file, methods=["GET"]),
    Route("/office/download/{year:int}/{name}", download, methods=["GET"]),
    Route("/office/audit.csv", audit_download, methods=["GET"]),
    Route("/healthz", health, methods=["GET"]),
    Route("/static/{name}", static, methods=["GET"]),
    Route("/favicon.ico", favicon, methods=["GET"]),
]


def create_app(settings: DeskSettings) -> Any:
    """The ASGI application: Starlette wrapped in the body limit and the security headers."""
    desk_ = Desk(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        desk_.start()
        try:
            yield
        finally:
            desk_.stop()

    app = Starlette(routes=ROUTES, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.desk = desk_
    # The body may exceed the file's limit by the form's other fields.
    wrapped = SecurityHeaders(BodyLimit(app, settings.max_upload_bytes + 64 * 1024, settings.max_upload_bytes))
    wrapped.state = app.state  # type: ignore[attr-defined]
    wrapped.desk = desk_  # type: ignore[attr-defined]
    return wrapped
