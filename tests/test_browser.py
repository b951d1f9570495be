"""The HTML outputs in a real browser (Debian's headless Chromium): no console errors, the verdict and
findings visible, sorting and filtering the dashboard, readable with JavaScript off, A4 when printed.

Chromium is driven through the DevTools protocol over a websocket (websocket-client); screenshots and
PDFs through its command-line switches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import logging
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ogi.reports.bundle import write_bundle
from report_samples import SEED_AGENCY, TABLE_AGENCY, clean_result, seed_result, table_result, unreadable_result

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not on PATH (apt-get install chromium fonts-noto-cjk)"),
]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    roster = out.parent / "roster.csv"
    roster.write_text(f"机关,层级\n{SEED_AGENCY},部门\n{TABLE_AGENCY},部门\n某某县教育局,部门\n", encoding="utf-8")
    batch = [seed_result(), table_result(), unreadable_result(),
             clean_result("某某县人民政府", published=dt.date(2024, 3, 1), level="government")]
    write_bundle(batch, out, roster=roster)
    return out


def _report(bundle: Path, agency: str) -> Path:
    return next((bundle / "reports").glob(f"{agency}-*.html"))


def _run_chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


class DevTools:
    """Just enough of the DevTools protocol: send a command, wait for its answer, keep the events."""

    def __init__(self, url: str) -> None:
        import websocket  # websocket-client

        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            for event in self.events[seen:]:
                if event.get("method") == method:
                    return event
            seen = len(self.events)
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def open(self, path: Path, *, javascript: bool = True) -> None:
        self.events.clear()
        if not javascript:
            self.send("Emulation.setScriptExecutionDisabled", value=True)
        self.send("Page.navigate", url=path.as_uri())
        self.wait_for("Page.loadEventFired")

    def goto(self, url: str) -> None:
        """Navigate to `url` (http:) and wait for the page to load."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed or blocked loads (e.g. a CSP violation)."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(json.dumps(params.get("args"), ensure_ascii=False)[:300])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
            elif method == "Network.loadingFailed":
                found.append(f"load failed: {params.get('errorText')} {params.get('blockedReason', '')}")
            elif method == "Network.requestWillBeSent" and not params["request"]["url"].startswith(("file:", "data:")):
                found.append(f"network request: {params['request']['url']}")
        return found

    def close(self) -> None:
        self.ws.close()


@contextlib.contextmanager
def chromium_tab(profile: Path, window: str = "1280,900") -> Iterator[DevTools]:
    """Headless Chromium with one page, driven over the DevTools protocol; stopped on leaving."""
    assert CHROMIUM is not None
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                f"--window-size={window}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("Chromium did not start its DevTools server")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        page = next(t for t in targets if t.get("type") == "page")
        client = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            client.send(f"{domain}.enable")
        yield client
        client.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def devtools(tmp_path: Path) -> Iterator[DevTools]:
    with chromium_tab(tmp_path / "profile") as client:
        yield client


def test_report_shows_verdict_and_findings_without_errors(devtools: DevTools, bundle: Path) -> None:
    devtools.open(_report(bundle, TABLE_AGENCY))
    assert devtools.problems() == []
    assert devtools.js("document.querySelector('h1').innerText").startswith(TABLE_AGENCY)
    verdict = devtools.js("document.getElementById('verdict').innerText")
    assert "不合格" in verdict and "错误" in verdict
    findings = devtools.js("[...document.querySelectorAll('article.finding')].map(a => a.innerText)")
    assert len(findings) == 3 and any("办理结果之和" in f for f in findings)
    # the highlighted cell is visible and drawn in the finding's colour
    cell = devtools.js("""(() => { const c = document.querySelector('td.hit-cell'); const r = c.getBoundingClientRect();
        return {text: c.innerText, w: r.width, h: r.height, outline: getComputedStyle(c).outlineStyle}; })()""")
    assert cell["text"].endswith("3") and cell["w"] > 0 and cell["h"] > 0 and cell["outline"] == "solid"
    # the CJK font stack resolves to an installed CJK font (fonts-noto-cjk): 自 is as wide as it is tall
    width = devtools.js("""(() => { const s = document.createElement('span'); s.style.fontSize = '100px';
        s.textContent = '自'; document.body.appendChild(s); const w = s.getBoundingClientRect().width;
        s.remove(); return w; })()""")
    assert 90 <= width <= 110


def test_seed_report_in_the_browser(devtools: DevTools, bundle: Path) -> None:
    devtools.open(_report(bundle, SEED_AGENCY))
    assert devtools.problems() == []
    text = devtools.js("document.body.innerText")
    assert SEED_AGENCY in text and "不合格" in text and "支出超出预算" in text and "如何修改" in text


def test_dashboard_sorts_when_a_header_is_clicked(devtools: DevTools, bundle: Path) -> None:
    devtools.open(bundle / "index.html")
    assert devtools.problems() == []
    agencies = "[...document.querySelectorAll('#board tbody tr')].map(r => r.cells[0].innerText)"
    years = "[...document.querySelectorAll('#board tbody tr')].map(r => r.cells[2].innerText)"
    assert devtools.js(agencies)[:2] == [SEED_AGENCY, TABLE_AGENCY]
    devtools.js("document.querySelectorAll('#board thead th')[2].querySelector('button').click()")
    assert devtools.js(years) == ["2017", "2023", "2023", "—"]  # ascending, unknown last
    assert devtools.js("document.querySelectorAll('#board thead th')[2].getAttribute('aria-sort')") == "ascending"
    devtools.js("document.querySelectorAll('#board thead th')[2].querySelector('button').click()")
    assert devtools.js(years) == ["2023", "2023", "2017", "—"]
    # by error count, descending after two clicks
    devtools.js("const b = document.querySelectorAll('#board thead th')[5].querySelector('button');"
                "b.click(); b.click()")
    errors = devtools.js("[...document.querySelectorAll('#board tbody tr')].map(r => +r.cells[5].innerText)")
    assert errors == sorted(errors, reverse=True)
    assert devtools.problems() == []


def test_dashboard_filter_box(devtools: DevTools, bundle: Path) -> None:
    devtools.open(bundle / "index.html")
    assert devtools.js("document.getElementById('tools').hidden") is False
    devtools.js("""const f = document.getElementById('filter'); f.value = '渌口';
        f.dispatchEvent(new Event('input'))""")
    visible = devtools.js("[...document.querySelectorAll('#board tbody tr')].filter(r => !r.hidden)"
                          ".map(r => r.cells[0].innerText)")
    assert visible == [TABLE_AGENCY]
    assert devtools.js("document.getElementById('shown').innerText") == "1 / 4"
    reminders = devtools.js("document.getElementById('reminder-table').innerText")
    assert "某某县教育局" in reminders and TABLE_AGENCY in reminders and SEED_AGENCY not in reminders
    assert devtools.problems() == []


def test_dashboard_readable_with_javascript_off(devtools: DevTools, bundle: Path) -> None:
    devtools.open(bundle / "index.html", javascript=False)
    # The page's own script did not run (DevTools' evaluate still does): no sort buttons, no filter box …
    assert devtools.js("document.getElementById('tools').hidden") is True
    assert devtools.js("document.querySelectorAll('#board tbody tr').length") == 4
    assert devtools.js("document.querySelector('#board thead th button')") is None
    # … and every row, the matrix, the charts and the 催报名单 are there and visible.
    assert devtools.js("document.querySelector('#board tbody tr').getBoundingClientRect().height") > 0
    assert devtools.js("document.querySelectorAll('svg').length") == 3
    assert "某某县教育局" in devtools.js("document.getElementById('reminder-table').innerText")
    assert SEED_AGENCY in devtools.js("document.getElementById('board').innerText")


def test_screenshots(tmp_path: Path, bundle: Path) -> None:
    for name, page in (("report", _report(bundle, TABLE_AGENCY)), ("dashboard", bundle / "index.html")):
        shot = tmp_path / f"{name}.png"
        _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1280, 2000)


@pytest.mark.parametrize("page", ["report", "dashboard"])
def test_print_layout_is_a4(tmp_path: Path, bundle: Path, page: str) -> None:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    source = _report(bundle, TABLE_AGENCY) if page == "report" else bundle / "index.html"
    pdf_path = tmp_path / f"{page}.pdf"
    _run_chromium(tmp_path, f"--print-to-pdf={pdf_path}", "--no-pdf-header-footer", source.as_uri())
    with pdfplumber.open(pdf_path) as pdf:
        assert 1 <= len(pdf.pages) <= 8
        for p in pdf.pages:
            assert abs(float(p.width) - A4_POINTS[0]) < 2 and abs(float(p.height) - A4_POINTS[1]) < 2
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    squeezed = "".join(text.split())
    assert "检查" in squeezed  # the CJK text is embedded as text, not missing glyphs
    if page == "report":
        assert "不合格" in squeezed and "A001" in squeezed
    else:
        assert "催报名单" in squeezed


def test_the_harness_sees_errors(devtools: DevTools, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><meta charset=utf-8>"
                    "<meta http-equiv=\"Content-Security-Policy\" "
                    "content=\"default-src 'none'; script-src 'unsafe-inline'\">"
                    "<img src=\"https://cdn.invalid/x.png\"><script>console.error('boom'); missing();</script>",
                    encoding="utf-8")
    devtools.open(page)
    problems = " ".join(devtools.problems())
    assert "boom" in problems and "missing" in problems and "cdn.invalid" in problems


@pytest.mark.parametrize("page", ["report", "dashboard"])
def test_nothing_sticks_or_hides_in_print(devtools: DevTools, bundle: Path, page: str) -> None:
    devtools.open(_report(bundle, TABLE_AGENCY) if page == "report" else bundle / "index.html")
    sticky = ("[...document.querySelectorAll('*')]"
              ".filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position)).length")
    devtools.send("Emulation.setEmulatedMedia", media="print")
    assert devtools.js(sticky) == 0
    # what matters on paper is still displayed
    shown = devtools.js("[...document.querySelectorAll('h2')].filter(h => h.offsetParent !== null).length")
    assert shown >= 4
    assert devtools.js("getComputedStyle(document.body).fontSize") == "14px"  # 10.5pt
