"""The desk in Debian's headless Chromium, through the real pages and forms of a running server (uvicorn on
127.0.0.1): an agency drops a draft and reads its report; the office logs in and imports its roster; an
agency submits by its link; the dashboard shows it; the summary workbook downloads. On SQLite and
PostgreSQL. Screenshots of the way are written to docs/img/ when OGI_UPDATE_SCREENSHOTS=1 (README)."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The desk is an extra: without it (e.g. the gx session) these tests are skipped, never a collection error.
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'ogi-checks[serve]')")

from docs2021 import DEPARTMENT, Doc
from ogi.serve import desk
from ogi.serve.app import create_app
from serve_support import PASSWORD, make_settings
from test_browser import CHROMIUM, DevTools, chromium_tab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not on PATH (apt-get install chromium fonts-noto-cjk)"),
]

DOCS_IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def wait_until(tab: DevTools, expression: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = tab.js(expression)
        except RuntimeError:  # the page is navigating
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.2)


def choose_file(tab: DevTools, selector: str, path: Path) -> None:
    """Put a file into a real <input type=file>, as a user choosing it does."""
    found = tab.send("Runtime.evaluate", expression=f"document.querySelector({selector!r})")
    tab.send("DOM.setFileInputFiles", files=[str(path)], objectId=found["result"]["objectId"])


def screenshot(tab: DevTools, name: str, folder: Path, backend: str | None, whole: bool = True) -> Path:
    shot = tab.send("Page.captureScreenshot", format="png", captureBeyondViewport=whole)
    data = base64.b64decode(shot["data"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    target = folder / f"{name}.png"
    target.write_bytes(data)
    if backend is None and os.environ.get("OGI_UPDATE_SCREENSHOTS"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        (DOCS_IMG / f"{name}.png").write_bytes(data)
    return target


def failing(doc: Doc) -> Doc:
    return doc.cell("requests", "carried_over", "natural_person", 99, keep_total=False)


def warning(doc: Doc) -> Doc:
    doc.sections[next(iter(doc.sections))] = ""  # an empty section: S002
    return doc


def page_errors(tab: DevTools) -> list[str]:
    """Console errors and exceptions, and any request that left the desk's own origin."""
    return [p for p in tab.problems() if not p.startswith("network request: http://127.0.0.1:")]


def test_the_desk_in_a_browser(backend: str | None, tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, backend, uploads_per_minute=0))
    draft = tmp_path / "2023年度报告（草稿）.html"
    draft.write_bytes(Doc().cell("requests", "carried_over", "natural_person", 99, keep_total=False).html().encode())
    final = tmp_path / "2023年度报告.html"
    final.write_bytes(Doc().html().encode())
    roster = tmp_path / "应报名单.csv"
    others = ["宿迁市教育局", "宿迁市财政局", "宿迁市民政局", "宿迁市审计局"]
    roster.write_text(f"机关,层级,地区,期限\n{DEPARTMENT},部门,宿迁市,2099-01-31\n"
                      + "".join(f"{name},部门,宿迁市,2099-01-31\n" for name in others), encoding="utf-8")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with running(app) as base, chromium_tab(tmp_path / "profile", window="1280,900") as tab:
        desk.add_user(app.desk.engine, "科员", PASSWORD, "staff")
        tab.send("DOM.enable")
        tab.send("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))

        # 1. an agency checks a draft: choose the file in the real form, watch it being checked, read the report
        tab.goto(base + "/")
        assert "草稿不会被保存" in tab.js("document.getElementById('not-kept').innerText")
        choose_file(tab, "#file", draft)
        assert "2023年度报告（草稿）.html" in tab.js("document.getElementById('chosen').innerText")
        screenshot(tab, "desk-selfcheck", tmp_path, backend)
        tab.js("document.getElementById('go').click()")
        wait_until(tab, "document.getElementById('verdict') !== null")
        assert "不合格" in tab.js("document.getElementById('verdict').innerText")
        cell = tab.js("(() => { const c = document.querySelector('td.hit-cell'); return c && c.innerText; })()")
        assert cell is not None  # the suspect cell is marked
        assert page_errors(tab) == []
        screenshot(tab, "desk-report", tmp_path, backend, whole=False)

        # 2. the office logs in and imports its roster
        tab.goto(base + "/office")
        assert tab.js("location.pathname") == "/office/login"
        tab.js(f"""document.querySelector('input[name=username]').value = '科员';
                   document.querySelector('input[name=password]').value = {PASSWORD!r};
                   document.querySelector('#login button').click()""")
        wait_until(tab, "location.pathname === '/office' && document.getElementById('board') !== null")
        choose_file(tab, "#roster input[type=file]", roster)
        tab.js("document.querySelector('#roster input[name=year]').value = '2023';"
               "document.querySelector('#roster button').click()")
        wait_until(tab, "document.querySelectorAll('#board tbody tr[data-status]').length === 5")
        assert set(tab.js("[...document.querySelectorAll('#board tbody tr')].map(r => r.dataset.status)")) == \
            {"missing"}

        # 3. the office issues the links (a CSV); the agency opens its own and submits the final report
        links_csv = tab.js("fetch('/office/links.csv?year=2023').then(r => r.text())")
        rows = list(csv.DictReader(io.StringIO(links_csv.lstrip("\ufeff"))))
        link = next(r["报送链接"] for r in rows if r["机关"] == DEPARTMENT)
        assert link.startswith(base + "/submit/")
        tab.goto(link)
        assert tab.js("document.getElementById('agency').innerText") == DEPARTMENT
        choose_file(tab, "#file", final)
        tab.js("document.getElementById('go').click()")
        wait_until(tab, "document.getElementById('receipt') !== null && "
                        "document.getElementById('verdict').innerText.indexOf('合格') >= 0")
        number = tab.js("document.getElementById('number').innerText")
        assert number.startswith("2023-")
        assert page_errors(tab) == []
        screenshot(tab, "desk-receipt", tmp_path, backend)

        # 4. the dashboard shows it (and two more agencies' reports, sent meanwhile), live
        for name, doc in ((others[1], failing(Doc(agency=others[1]))), (others[2], warning(Doc(agency=others[2])))):
            agency = next(a for a in desk.roster(app.desk.engine, 2023) if a.name == name)
            data = doc.html().encode()
            sent, _ = desk.receive(app.desk.engine, agency, nonce=f"browser-test-{name}", file_name="年报.html",
                                   size=len(data), sha256=app.desk.blobs.put(data), kind="html", client="test")
            app.desk.check_submission(sent, agency)
        tab.goto(base + "/office?year=2023")
        rows = "Object.fromEntries([...document.querySelectorAll('#board tbody tr')]" \
               ".map(r => [r.cells[0].innerText, r.dataset.status]))"
        wait_until(tab, f"Object.values({rows}).indexOf('checking') < 0 && "
                        f"Object.values({rows}).filter(s => s !== 'missing').length === 3", timeout=120)
        statuses = tab.js(rows)
        assert statuses == {DEPARTMENT: "pass", others[0]: "missing", others[1]: "fail", others[2]: "warn",
                            others[3]: "missing"}
        assert page_errors(tab) == []
        screenshot(tab, "desk-dashboard", tmp_path, backend)

        # 5. the summary workbook downloads through the link on the page
        tab.js("document.querySelector('#downloads a[href$=\"summary.xlsx\"]').click()")
        deadline = time.monotonic() + 60
        while not list(downloads.glob("*.xlsx")):
            assert time.monotonic() < deadline, "no download"
            time.sleep(0.2)
        time.sleep(0.5)
        from openpyxl import load_workbook

        book = load_workbook(next(downloads.glob("*.xlsx")))
        roster_rows = [[c.value for c in row] for row in book["报送情况"].iter_rows(min_row=2)]
        assert sorted(r[0] for r in roster_rows) == sorted([DEPARTMENT, *others])
        assert sorted(r[0] for r in book["报告汇总"].iter_rows(min_row=2, values_only=True)) == \
            sorted([DEPARTMENT, others[1], others[2]])
