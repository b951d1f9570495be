"""The desk's defences, each tried: CSRF on every form, login for the office and its downloads, roles, the
upload limit (413 in Chinese), content sniffing, hash-named storage, hostile names escaped, rate limits,
hostile files isolated by the engine's limits, cookies and security headers — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The desk is an extra: without it (e.g. the gx session) these tests are skipped, never a collection error.
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'ogi-checks[serve]')")

from docs2021 import DEPARTMENT, Doc
from ogi.serve import desk
from ogi.serve.app import ROUTES
from ogi.serve.security import BodyLimit
from serve_support import PASSWORD, Browser, make_settings, open_desk


@pytest.fixture
def site(backend: str | None, tmp_path: Path) -> Iterator[tuple[Any, Browser]]:
    app, client = open_desk(make_settings(tmp_path, backend, uploads_per_minute=0, max_upload_mb=1))
    with client:
        desk.add_user(app.desk.engine, "admin", PASSWORD, "staff")
        desk.add_user(app.desk.engine, "viewer", PASSWORD, "readonly")
        yield app, Browser(client)


def _roster(browser: Browser, names: list[str]) -> dict[str, str]:
    import csv

    browser.login()
    browser.get("/office")
    out = io.StringIO()
    csv.writer(out).writerows([["机关"], *([n] for n in names)])
    text = out.getvalue()
    assert browser.post("/office/roster", {"year": "2023"},
                        files={"file": ("r.csv", text.encode(), "text/csv")}).status_code == 303
    rows = csv.DictReader(io.StringIO(browser.get("/office/links.csv?year=2023").text.lstrip("\ufeff")))
    return {row["机关"]: row["报送链接"].split("8000", 1)[1] for row in rows}


def _concrete(path: str, link: str) -> str:
    return (path.replace("{token}", link.rsplit("/", 1)[-1]).replace("{agency_id:int}", "1")
            .replace("{submission_id:int}", "1").replace("{number}", "x").replace("{job}", "x"))


POSTS = [r for r in ROUTES if "POST" in (r.methods or set())]


def test_every_form_needs_its_csrf_token(site: tuple[Any, Browser]) -> None:
    app, browser = site
    link = _roster(browser, ["甲局"])["甲局"]
    assert {r.path for r in POSTS} == {"/check", "/submit/{token}", "/office/login", "/office/logout",
                                       "/office/roster", "/office/agency/{agency_id:int}/rotate"}
    for route in POSTS:
        url = _concrete(route.path, link)
        uploads = route.path in ("/check", "/submit/{token}", "/office/roster")
        files = {"file": ("a.txt", b"hello", "text/plain")} if uploads else None
        missing = browser.post(url, {"nonce": "n" * 20, "year": "2023"}, token=False, files=files)
        assert missing.status_code == 403, url
        assert "页面已过期" in missing.text
        forged = browser.post(url, {"csrf": "0" * 64, "nonce": "n" * 20, "year": "2023"}, files=files)
        assert forged.status_code == 403, url
        cross = browser.post(url, {"nonce": "n" * 20, "year": "2023"}, files=files,
                             headers={"Origin": "https://evil.example"})
        assert cross.status_code == 403, url
    # a token is bound to its browser: another browser's token is refused
    other = Browser(browser.client.__class__(browser.client.app, base_url="http://127.0.0.1:8000"))
    other.get("/")
    browser.client.cookies.clear()
    browser.get("/")
    assert browser.post("/check", {"csrf": other.csrf}, token=False,
                        files={"file": ("a.txt", b"x", "text/plain")}).status_code == 403
    assert desk.count_submissions(app.desk.engine) == 0


OFFICE_GETS = ["/office", "/office/links.csv", "/office/agency/1", "/office/submission/1/report.html",
               "/office/submission/1/file", "/office/download/2023/summary.xlsx", "/office/download/2023/report.json",
               "/office/download/2023/junit.xml", "/office/download/2023/index.html", "/office/audit.csv"]


def test_the_office_and_its_downloads_need_a_login(site: tuple[Any, Browser]) -> None:
    _, browser = site
    office_routes = {r.path for r in ROUTES if r.path.startswith("/office") and "GET" in (r.methods or set())}
    assert len(office_routes) == 8  # every one of them is in OFFICE_GETS (plus the login page)
    for url in OFFICE_GETS:
        response = browser.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/office/login"), url
    browser.get("/")
    anonymous = browser.post("/office/roster", {"year": "2023"}, files={"file": ("r.csv", b"x", "text/csv")})
    assert anonymous.status_code == 403
    # a forged or expired session cookie is no login
    browser.client.cookies.set("ogi_session", "forged")
    assert browser.get("/office", follow_redirects=False).status_code == 303
    # the login page only sends the user on inside the office
    browser.client.cookies.clear()
    browser.get("/office/login?next=https://evil.example/")
    answer = browser.post("/office/login", {"username": "admin", "password": PASSWORD, "next": "//evil.example"})
    assert answer.headers["location"] == "/office"


def test_a_read_only_user_can_look_but_not_change(site: tuple[Any, Browser]) -> None:
    app, browser = site
    _roster(browser, ["甲局"])
    viewer = Browser(browser.client.__class__(browser.client.app, base_url="http://127.0.0.1:8000"))
    assert viewer.login(username="viewer").status_code == 303
    board = viewer.get("/office?year=2023")
    assert board.status_code == 200 and "甲局" in board.text and 'id="roster"' not in board.text
    assert viewer.get("/office/download/2023/summary.xlsx").status_code == 200
    assert viewer.get("/office/links.csv?year=2023").status_code == 403
    assert viewer.post("/office/roster", {"year": "2023"},
                       files={"file": ("r.csv", "机关\n乙局\n".encode(), "text/csv")}).status_code == 403
    agency = desk.roster(app.desk.engine, 2023)[0]
    assert viewer.post(f"/office/agency/{agency.id}/rotate").status_code == 403
    assert 'id="link"' not in viewer.get(f"/office/agency/{agency.id}").text


def test_oversize_uploads_get_413_in_chinese(site: tuple[Any, Browser]) -> None:
    app, browser = site
    browser.get("/")
    big = b"x" * (2 * 1024 * 1024)  # the limit is 1 MB here
    answer = browser.post("/check", files={"file": ("big.txt", big, "text/plain")})
    assert answer.status_code == 413 and "文件过大" in answer.text and "1 MB" in answer.text
    assert answer.headers["content-type"].startswith("text/html")
    # a body sent without Content-Length (chunked) is cut off at the limit as well
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"y" * 65536

    streamed = browser.client.post("/check", content=chunks(),
                                   headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert streamed.status_code == 413 and "文件过大" in streamed.text
    assert desk.count_submissions(app.desk.engine) == 0


def test_a_100_mb_upload_is_refused_by_default(tmp_path: Path) -> None:
    _app, client = open_desk(make_settings(tmp_path, None))  # the defaults: 50 MB, as ogi check's max_file_mb
    with client:
        browser = Browser(client)
        browser.get("/")
        answer = client.post("/check", content=b"x" * (100 * 1024 * 1024),
                             headers={"content-type": "multipart/form-data; boundary=xyz"})
        assert answer.status_code == 413 and "50 MB" in answer.text
        assert client.get("/healthz").json()["ok"] is True


async def _call(app: Any, body_parts: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []
    parts = iter(body_parts)

    async def receive() -> dict[str, Any]:
        part = next(parts, None)
        return {"type": "http.request", "body": part or b"", "more_body": part is not None}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "http", "method": "POST", "headers": headers, "path": "/"}, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_the_body_limit_middleware_alone() -> None:
    import asyncio

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = BodyLimit(app, 100)
    assert asyncio.run(_call(limited, [b"a" * 50], []))[0] == 200
    assert asyncio.run(_call(limited, [b"a" * 60, b"a" * 60], []))[0] == 413
    assert asyncio.run(_call(limited, [b""], [(b"content-length", b"1000")]))[0] == 413


def test_stored_files_are_named_by_hash_and_typed_by_content(site: tuple[Any, Browser]) -> None:
    app, browser = site
    link = _roster(browser, [DEPARTMENT])[DEPARTMENT]
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(40, 10, "not a word file")
    data = bytes(pdf.output())
    form = browser.get(link)
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    hostile_name = "../../etc/passwd<img src=x onerror=alert(1)>.docx"
    posted = browser.post(link, {"nonce": nonce}, files={"file": (hostile_name, data, "application/msword")})
    assert posted.status_code == 303
    receipt = browser.wait_checked(posted.headers["location"])
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    stored = [p for p in (app.desk.settings.data_dir / "blobs").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [digest] and stored[0].read_bytes() == data
    assert not any("passwd" in str(p) or "script" in str(p) for p in app.desk.settings.data_dir.rglob("*"))
    submission = desk.versions(app.desk.engine, desk.roster(app.desk.engine, 2023)[0].id)[0]
    assert submission.kind == "pdf"  # sniffed from the bytes, not from ".docx"
    assert "<img src=x" not in receipt.text and "passwd&lt;img src=x onerror=alert(1)&gt;.docx" in receipt.text
    result = submission.result
    assert result is not None and any(f["rule"] in ("F003", "F001") for f in result["findings"])


def test_hostile_agency_and_file_names_are_escaped_everywhere(site: tuple[Any, Browser]) -> None:
    app, browser = site
    hostile = '<img src=x onerror="alert(1)">局'
    link = _roster(browser, [hostile])[hostile]
    agency_page = browser.get(link)
    assert '<img src=x onerror="alert(1)">' not in agency_page.text and "&lt;img src=x" in agency_page.text
    doc = Doc(agency=hostile)
    form = browser.get(link)
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    posted = browser.post(link, {"nonce": nonce},
                          files={"file": ('"><svg onload=alert(2)>.html', doc.html().encode(), "text/html")})
    receipt = browser.wait_checked(posted.headers["location"])
    agency = desk.roster(app.desk.engine, 2023)[0]
    pages = [receipt.text, browser.get("/office?year=2023").text, browser.get(f"/office/agency/{agency.id}").text,
             browser.get(f"/office/submission/{desk.versions(app.desk.engine, agency.id)[0].id}/report.html").text,
             browser.get("/office/download/2023/index.html").text]
    for text in pages:
        assert "<img src=x" not in text and "<svg onload" not in text
    assert 'filename="' in browser.get(f"/office/submission/{desk.versions(app.desk.engine, agency.id)[0].id}/file")\
        .headers["content-disposition"]


def test_uploads_are_rate_limited_per_client(backend: str | None, tmp_path: Path) -> None:
    _app, client = open_desk(make_settings(tmp_path, backend, uploads_per_minute=2, logins_per_minute=2))
    with client:
        browser = Browser(client)
        browser.get("/")
        answers = [browser.post("/check", files={"file": ("a.txt", b"text", "text/plain")}).status_code
                   for _ in range(3)]
        assert answers == [303, 303, 429]
        refused = browser.post("/check", files={"file": ("a.txt", b"text", "text/plain")})
        assert "过于频繁" in refused.text and int(refused.headers["retry-after"]) >= 1
        logins = [browser.login(password="wrong").status_code for _ in range(3)]
        assert logins == [401, 401, 429]


def _zip_bomb_docx() -> bytes:
    """A .docx whose document part inflates to 1 GiB (about 1 MB compressed)."""
    import zlib

    from test_hostile import GIB, _deflate, _deflated_zeros, _zip

    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'wordprocessingml.document.main+xml"/></Types>')
    zeros, crc = _deflated_zeros(GIB)
    return _zip([("[Content_Types].xml", _deflate(types), zlib.crc32(types), len(types)),
                 ("word/document.xml", zeros, crc, GIB)])


def test_hostile_files_are_answered_with_a_finding(backend: str | None, tmp_path: Path) -> None:
    from test_hostile import LAUGHS

    _app, client = open_desk(make_settings(tmp_path, backend, uploads_per_minute=0, max_upload_mb=5))
    with client:
        browser = Browser(client)
        laughs = LAUGHS + b"<html><body><p>&lol9;</p></body></html>"
        started = time.monotonic()
        for name, data in (("bomb.docx", _zip_bomb_docx()), ("laughs.xml", laughs), ("laughs.html", laughs)):
            report = browser.self_check(name, data, timeout=180)
            assert report.status_code == 200 and ("F001" in report.text or "无法读取" in report.text), name
        assert time.monotonic() - started < 180
        # meanwhile and after, the desk answers
        assert client.get("/healthz").json()["ok"] is True


def test_cookies_and_headers(backend: str | None, tmp_path: Path) -> None:
    app, client = open_desk(make_settings(tmp_path, backend, secure_cookies=True), "https://127.0.0.1:8000")
    with client:
        desk.add_user(app.desk.engine, "admin", PASSWORD, "staff")
        browser = Browser(client)
        home = browser.get("/")
        csrf_cookie = home.headers["set-cookie"].lower()
        assert "httponly" in csrf_cookie and "samesite=strict" in csrf_cookie and "secure" in csrf_cookie
        for header, value in (("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"),
                              ("x-frame-options", "DENY")):
            assert home.headers[header] == value
        assert "script-src 'self'" in home.headers["content-security-policy"]
        login = browser.login()
        session = login.headers["set-cookie"].lower()
        assert login.status_code == 303 and "ogi_session=" in session
        assert "httponly" in session and "samesite=lax" in session and "secure" in session
        stored = desk.audit_rows(app.desk.engine)
        assert stored[-1]["action"] == "login"
        from sqlalchemy import select

        from ogi.store.schema import sessions

        with app.desk.engine.connect() as db:
            hashes = [r[0] for r in db.execute(select(sessions.c.id_hash))]
        cookie_value = re.search(r"ogi_session=([^;]+)", login.headers["set-cookie"]).group(1)  # type: ignore[union-attr]
        assert cookie_value not in hashes and len(hashes) == 1  # only its hash is kept


def test_passwords_are_argon2_and_add_user_checks_its_input(backend: str | None, tmp_path: Path) -> None:
    from ogi.store.database import open_database

    engine = open_database(backend or str(tmp_path / "x.sqlite"))
    desk.add_user(engine, "admin", PASSWORD, "staff")
    from sqlalchemy import select

    from ogi.store.schema import users

    with engine.connect() as db:
        stored = db.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    for name, password, role in (("a", "short", "staff"), ("", PASSWORD, "staff"), ("b", PASSWORD, "admin")):
        with pytest.raises(desk.DeskError):
            desk.add_user(engine, name, password, role)
    engine.dispose()
