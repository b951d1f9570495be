"""The web desk over HTTP (every route), on SQLite and on a real PostgreSQL server: self-check, submission
by link with receipts and versions, the office's login, roster, dashboard and downloads, cross-year checks
from the one store, and a restart that loses nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The desk is an extra: without it (e.g. the gx session) these tests are skipped, never a collection error.
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'ogi-checks[serve]')")

from docs2021 import DEPARTMENT, Doc
from ogi.serve import desk
from ogi.serve.app import ROUTES
from serve_support import PASSWORD, Browser, make_settings, open_desk

SEED = Path(__file__).resolve().parent.parent / "examples" / "changde-2017-zwzx.txt"


def doc_bytes(doc: Doc) -> bytes:
    return doc.html().encode("utf-8")


def warning_doc(**kwargs: Any) -> Doc:
    doc = Doc(**kwargs)
    doc.sections[next(iter(doc.sections))] = ""  # an empty section: S002, a warning
    return doc


def failing_doc(**kwargs: Any) -> Doc:
    return Doc(**kwargs).cell("requests", "carried_over", "natural_person", 99, keep_total=False)


@pytest.fixture
def site(backend: str | None, tmp_path: Path) -> Iterator[tuple[Any, Browser]]:
    app, client = open_desk(make_settings(tmp_path, backend, uploads_per_minute=0))
    with client:
        desk.add_user(app.desk.engine, "admin", PASSWORD, "staff")
        desk.add_user(app.desk.engine, "viewer", PASSWORD, "readonly")
        yield app, Browser(client)


def import_roster(browser: Browser, rows: str, year: int = 2023) -> Any:
    browser.get("/office")
    return browser.post("/office/roster", {"year": str(year)},
                        files={"file": ("名单.csv", rows.encode("utf-8"), "text/csv")})


def links(browser: Browser, year: int = 2023) -> dict[str, str]:
    text = browser.get(f"/office/links.csv?year={year}").text.lstrip("\ufeff")
    return {row["机关"]: row["报送链接"].split("8000", 1)[1] for row in csv.DictReader(io.StringIO(text))}


def submit(browser: Browser, link: str, name: str, data: bytes) -> Any:
    form = browser.get(link)
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None
    posted = browser.post(link, {"nonce": nonce.group(1)}, files={"file": (name, data, "application/octet-stream")})
    assert posted.status_code == 303, posted.text
    return browser.wait_checked(posted.headers["location"])


# --- the agency: self-check ------------------------------------------------------------------------


def test_self_check_shows_the_report_and_keeps_nothing(site: tuple[Any, Browser]) -> None:
    app, browser = site
    home = browser.get("/")
    assert home.status_code == 200 and "草稿不会被保存" in home.text and 'enctype="multipart/form-data"' in home.text
    report = browser.self_check("草稿.html", doc_bytes(failing_doc()))
    assert report.status_code == 200
    assert DEPARTMENT in report.text and "不合格" in report.text
    assert 'class="hit-cell' in report.text or "hit-cell" in report.text  # the suspect cell is marked
    assert report.headers["content-security-policy"].startswith("default-src 'none'")
    # nothing was kept: no stored file, no submission, no history row, no scratch file
    data_dir = app.desk.settings.data_dir
    assert not any((data_dir / "blobs").rglob("*"))
    assert desk.count_submissions(app.desk.engine) == 0
    from ogi.history import HistoryStore

    assert list(HistoryStore(app.desk.engine).agencies()) == []
    assert not any(app.desk.checker.scratch.rglob("*.html"))


def test_self_check_progress_and_expiry(site: tuple[Any, Browser]) -> None:
    _, browser = site
    browser.get("/")
    posted = browser.post("/check", files={"file": ("seed.txt", SEED.read_bytes(), "text/plain")})
    job = posted.headers["location"]
    first = browser.get(job)
    assert first.status_code == 200  # the progress page or, if already done, the report
    status = browser.client.get(job + "/status").json()
    assert status["state"] in ("queued", "checking", "done") and status["limit"] == 60
    assert browser.client.get("/check/no-such-job/status").status_code == 404
    gone = browser.get("/check/no-such-job")
    assert gone.status_code == 404 and "草稿不保存" in gone.text


def test_self_check_with_a_level(site: tuple[Any, Browser]) -> None:
    _, browser = site
    browser.get("/")
    posted = browser.post("/check", {"level": "government"},
                          files={"file": ("seed.txt", SEED.read_bytes(), "text/plain")})
    assert posted.status_code == 303
    assert browser.self_check("seed.txt", SEED.read_bytes()).status_code == 200


def test_upload_without_a_file_or_empty(site: tuple[Any, Browser]) -> None:
    _, browser = site
    browser.get("/")
    empty = browser.post("/check", files={"file": ("empty.txt", b"", "text/plain")})
    assert empty.status_code == 400 and "空" in empty.text
    missing = browser.post("/check", {"level": ""})
    assert missing.status_code == 400 and "请选择" in missing.text


# --- the agency: submission -------------------------------------------------------------------------


def test_submission_receipt_versions_and_changes(site: tuple[Any, Browser]) -> None:
    app, browser = site
    assert browser.login().status_code == 303
    assert import_roster(browser, f"机关,层级,地区,期限\n{DEPARTMENT},部门,宿迁市,2099-01-31\n").status_code == 303
    link = links(browser)[DEPARTMENT]
    agency_browser = Browser(browser.client.__class__(browser.client.app, base_url="http://127.0.0.1:8000"))
    page = agency_browser.get(link)
    assert page.status_code == 200 and DEPARTMENT in page.text
    first = submit(agency_browser, link, "年报.html", doc_bytes(failing_doc()))
    assert "报送编号" in first.text and "不合格" in first.text and 'id="version">1<' in first.text
    number = re.search(r'id="number">([^<]+)<', first.text).group(1)  # type: ignore[union-attr]
    text = agency_browser.get(f"{link}/receipt/{number}/receipt.txt")
    assert text.status_code == 200 and number in text.text and "attachment" in text.headers["content-disposition"]
    full = agency_browser.get(f"{link}/report/{number}")
    assert full.status_code == 200 and "A101" in full.text
    second = submit(agency_browser, link, "年报-更正.html", doc_bytes(warning_doc()))
    assert 'id="version">2<' in second.text
    fixed = re.search(r'<ul id="fixed">(.*?)</ul>', second.text, re.S)
    new = re.search(r'<ul id="new">(.*?)</ul>', second.text, re.S)
    assert fixed is not None and "A101" in fixed.group(1) and new is not None and "S002" in new.group(1)
    # the office sees both versions, each report and the original file
    versions = desk.versions(app.desk.engine, desk.roster(app.desk.engine, 2023)[0].id)
    assert [v.version for v in versions] == [1, 2] and len({v.number for v in versions}) == 2
    agency_id = versions[0].agency_id
    detail = browser.get(f"/office/agency/{agency_id}")
    assert detail.status_code == 200 and "第 2 版" in detail.text and "第 1 版" in detail.text
    report = browser.get(f"/office/submission/{versions[0].id}/report.html")
    assert report.status_code == 200 and "A101" in report.text
    original = browser.get(f"/office/submission/{versions[1].id}/file")
    assert original.content == doc_bytes(warning_doc())
    assert original.headers["content-type"] == "application/octet-stream"
    # the same form sent twice is one submission, not a third version
    form = agency_browser.get(link)
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    for _ in range(2):
        agency_browser.post(link, {"nonce": nonce}, files={"file": ("x.html", doc_bytes(Doc()), "text/html")})
    assert len(desk.versions(app.desk.engine, agency_id)) == 3
    assert agency_browser.get(f"{link}/receipt/NO-SUCH").status_code == 404
    assert agency_browser.get("/submit/not-a-token").status_code == 404


# --- the office -----------------------------------------------------------------------------------------


def test_dashboard_statuses_filters_matrix_and_downloads(site: tuple[Any, Browser]) -> None:
    _, browser = site
    browser.login()
    roster = ("机关,层级,地区,期限\n"
              "甲局,部门,宿迁市,2099-01-31\n乙局,部门,宿迁市,2099-01-31\n丙局,部门,宿迁市,2099-01-31\n"
              "丁局,部门,宿迁市,2024-01-10\n戊局,部门,宿迁市,2099-01-31\n")
    assert import_roster(browser, roster).status_code == 303
    link = links(browser)
    submit(browser, link["甲局"], "a.html", doc_bytes(Doc(agency="甲局")))
    submit(browser, link["乙局"], "b.html", doc_bytes(warning_doc(agency="乙局")))
    submit(browser, link["丙局"], "c.html", doc_bytes(failing_doc(agency="丙局")))
    submit(browser, link["丁局"], "d.html", doc_bytes(Doc(agency="丁局")))  # published 2024-01-20 > 01-10
    board = browser.get("/office?year=2023")
    statuses = dict(re.findall(r'<a href="/office/agency/\d+">([^<]+)</a>.*?<span class="badge (\w+)"', board.text,
                               re.S))
    assert statuses == {"甲局": "pass", "乙局": "warn", "丙局": "fail", "丁局": "late", "戊局": "missing"}
    names = (("pass", "合格"), ("warn", "有警告"), ("fail", "不合格"), ("late", "逾期"), ("missing", "未报送"))
    for status, zh in names:
        assert f">{zh} <b>1</b>" in board.text
        filtered = browser.get(f"/office?year=2023&status={status}")
        assert len(re.findall(r'<tr data-status="', filtered.text)) == 1
    assert len(re.findall(r'<tr data-status="', browser.get("/office?year=2023&q=甲").text)) == 1
    assert 'id="matrix"' in board.text
    # downloads through the CLI's renderers
    from openpyxl import load_workbook

    xlsx = browser.get("/office/download/2023/summary.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {"报告汇总", "问题明细", "报送情况"} <= set(book.sheetnames)
    roster_sheet = [[c.value for c in row] for row in book["报送情况"].iter_rows(min_row=2)]
    assert sorted(r[0] for r in roster_sheet) == sorted(["甲局", "乙局", "丙局", "丁局", "戊局"])
    report = json.loads(browser.get("/office/download/2023/report.json").content)
    assert report["summary"]["submissions"] == 4
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parent.parent / "src/ogi/schemas/report.schema.json").read_text())
    jsonschema.validate(report, schema)
    junit = browser.get("/office/download/2023/junit.xml")
    assert junit.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b"testsuites" in junit.content
    index = browser.get("/office/download/2023/index.html")
    assert index.status_code == 200 and "丙局" in index.text and "/office/submission/" in index.text
    assert browser.get("/office/download/2023/secret.txt").status_code == 404
    audit = browser.get("/office/audit.csv").text
    assert "roster_import" in audit and "submitted" in audit and "checked" in audit and "download" in audit


def test_roster_errors_and_rotation(site: tuple[Any, Browser]) -> None:
    app, browser = site
    browser.login()
    bad = import_roster(browser, "机关,层级\n甲局,不知道\n")
    assert bad.status_code == 400 and "第 2 行" in bad.text
    no_year = browser.post("/office/roster", {"year": "abc"}, files={"file": ("r.csv", b"x", "text/csv")})
    assert no_year.status_code == 400
    import_roster(browser, "机关\n甲局\n")
    assert import_roster(browser, "机关,地区\n甲局,宿迁市\n").status_code == 303  # updated, not duplicated
    agencies = desk.roster(app.desk.engine, 2023)
    assert [(a.name, a.jurisdiction) for a in agencies] == [("甲局", "宿迁市")]
    old = links(browser)["甲局"]
    rotated = browser.post(f"/office/agency/{agencies[0].id}/rotate")
    assert rotated.status_code == 303
    assert browser.get(old).status_code == 404 and browser.get(links(browser)["甲局"]).status_code == 200
    assert browser.post("/office/agency/99999/rotate").status_code == 404
    assert browser.get("/office/agency/99999").status_code == 404
    assert browser.get("/office/submission/99999/report.html").status_code == 404
    assert browser.get("/office/submission/99999/file").status_code == 404


def test_login_logout_and_wrong_password(site: tuple[Any, Browser]) -> None:
    app, browser = site
    wrong = browser.login(password="not the password")
    assert wrong.status_code == 401 and "不正确" in wrong.text
    assert browser.login(username="nobody").status_code == 401
    ok = browser.login()
    assert ok.status_code == 303 and ok.headers["location"] == "/office"
    assert browser.get("/office").status_code == 200
    browser.get("/office")
    out = browser.post("/office/logout")
    assert out.status_code == 303
    assert browser.get("/office", follow_redirects=False).status_code == 303
    actions = [row["action"] for row in desk.audit_rows(app.desk.engine)]
    assert actions.count("login_failed") == 2 and "login" in actions


def test_health_and_static(site: tuple[Any, Browser]) -> None:
    _, browser = site
    health = browser.client.get("/healthz").json()
    assert health["ok"] is True and health["submissions"] == 0
    assert browser.client.get("/static/desk.js").headers["content-type"].startswith("text/javascript")
    assert browser.client.get("/static/desk.css").status_code == 200
    assert browser.client.get("/static/../app.py").status_code == 404
    assert browser.client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"


# --- the one store ------------------------------------------------------------------------------------


def test_cross_year_checks_use_the_stored_previous_year(site: tuple[Any, Browser]) -> None:
    app, browser = site
    browser.login()
    import_roster(browser, f"机关\n{DEPARTMENT}\n", year=2022)
    import_roster(browser, f"机关\n{DEPARTMENT}\n", year=2023)
    last = Doc(year=2022, published="2023-01-20", signed="2023年1月18日")
    last.cell("requests", "carried_forward", "natural_person", 10)
    submit(browser, links(browser, 2022)[DEPARTMENT], "2022.html", doc_bytes(last))
    now = submit(browser, links(browser, 2023)[DEPARTMENT], "2023.html", doc_bytes(Doc()))
    assert "H001" in now.text  # last year's 结转下年度 came from the desk's own store
    # the self-check reads the store too, but adds nothing to it
    draft = browser.self_check("draft.html", doc_bytes(Doc(comment="草稿")))
    assert "H001" in draft.text
    from ogi.history import HistoryStore

    assert len(HistoryStore(app.desk.engine).versions(DEPARTMENT, 2023)) == 1


# --- durability -------------------------------------------------------------------------------------------


def test_a_restart_loses_no_submission(backend: str | None, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, backend)
    app, client = open_desk(settings)
    with client:
        browser = Browser(client)
        desk.add_user(app.desk.engine, "admin", PASSWORD, "staff")
        browser.login()
        import_roster(browser, f"机关\n{DEPARTMENT}\n")
        link = links(browser)[DEPARTMENT]
        agency = desk.roster(app.desk.engine, 2023)[0]
    # As if the server stopped right after acknowledging: stored and recorded, never checked.
    data = doc_bytes(failing_doc())
    sha = app.desk.blobs.put(data)
    receipt, new = desk.receive(app.desk.engine, agency, nonce="n" * 20, file_name="年报.html", size=len(data),
                                sha256=sha, kind="html", client="test")
    assert new and receipt.state == "received"
    app2, client2 = open_desk(settings)
    with client2:
        page = Browser(client2).wait_checked(f"{link}/receipt/{receipt.number}")
        assert "不合格" in page.text
    checked = desk.versions(app2.desk.engine, agency.id)
    assert [(s.state, s.status) for s in checked] == [("checked", "fail")]


def test_every_route_is_tested() -> None:
    """Each route of the desk appears in this file or in the security tests (by its path's literal start)."""
    here = Path(__file__).read_text(encoding="utf-8") + (Path(__file__).with_name("test_serve_security.py")
                                                         .read_text(encoding="utf-8"))
    for route in ROUTES:
        stem = re.split(r"\{", route.path)[0].rstrip("/") or "/"
        tail = route.path.rsplit("}", 1)[-1] if "}" in route.path else ""
        assert stem in here and tail in here, route.path


def test_dates_are_aware() -> None:
    naive = dt.datetime(2024, 1, 1, 12)
    assert desk.aware(naive) == naive.replace(tzinfo=dt.timezone.utc)
