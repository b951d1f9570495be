"""Load test of the web desk on loopback (`nox -s serve_load`): N clients submit M reports concurrently.

    python -m ogi.tools.serve_load [--clients 20] [--reports 500] [--agencies 100] [--database URL]
                                   [--kill-at 250] [--resend-every 10]

The desk runs as `ogi serve` in its own process group on 127.0.0.1 (a free port), with an SQLite database
in a temporary folder (or --database). An office user imports a roster of `--agencies` agencies; each
client thread then takes the next report (generated 2021-format pages, each different), opens the
agency's submission page and posts the file, as a browser does. Every `--resend-every`-th form is posted a
second time (a double click, a retry): it must come back as the same receipt. At `--kill-at` acknowledged
submissions the server is killed (SIGKILL, the whole process group) and started again; clients whose
request failed meanwhile retry with the same form. Afterwards the database is read directly.

Printed: POST latency (p50 / p95 / max), throughput while submitting, time until every submission was
checked, and the counts that must be zero: lost submissions (acknowledged but not stored), duplicated ones
(two rows for one form), server errors (5xx). Exit code 1 if any is not zero. Every loop is bounded in
count and time; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
PASSWORD = "load-test-password"
REQUEST_TIMEOUT = 60.0
ATTEMPTS = 8  # per form, across a server restart
OVERALL_SECONDS = 1200.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # posts answered at the first try
    across_restart: list[float] = field(default_factory=list)  # posts that had to be retried (the restart)
    statuses: Counter[int] = field(default_factory=Counter)
    receipts: dict[str, str] = field(default_factory=dict)  # nonce → receipt number
    resend_mismatch: int = 0
    connection_errors: int = 0
    gave_up: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    """`ogi serve` in its own process group, so that killing it kills its checker processes too."""

    def __init__(self, data: Path, port: int, database: str | None) -> None:
        self.data, self.port, self.database = data, port, database
        self.process: subprocess.Popen[bytes] | None = None
        self.log = open(data.parent / "server.log", "ab")  # noqa: SIM115 - kept open across restarts

    def argv(self, *extra: str) -> list[str]:
        where = ["--data", str(self.data)] + (["--database", self.database] if self.database else [])
        return [sys.executable, "-m", "ogi.cli", "serve", *extra, *where]

    def start(self) -> None:
        command = [*self.argv(), "--host", HOST, "--port", str(self.port), "--rate-limit", "0"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=1):
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the desk did not start (see {self.log.name})")
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)
        self.log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _reports(n: int) -> list[bytes]:
    from ogi.testing import generate, render_html

    return [render_html(generate(seed, year=2023, format_version="2021"), "site", realistic=True) for seed in range(n)]


def _office(base: str, agencies: int) -> dict[str, str]:
    """Log in, import the roster, return agency → submission path."""
    import httpx

    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        page = client.get("/office/login")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        login = client.post("/office/login", data={"csrf": token, "username": "load", "password": PASSWORD,
                                                   "next": "/office"})
        assert login.status_code == 303, login.text
        roster = "机关,地区\n" + "".join(f"负载测试第{i:03d}局,测试市\n" for i in range(agencies))
        imported = client.post("/office/roster", data={"csrf": token, "year": "2023"},
                               files={"file": ("roster.csv", roster.encode(), "text/csv")})
        assert imported.status_code == 303, imported.text
        text = client.get("/office/links.csv?year=2023").text.lstrip("\ufeff")
    return {row["机关"]: "/submit/" + row["报送链接"].rsplit("/submit/", 1)[1]
            for row in csv.DictReader(io.StringIO(text))}


def _client(base: str, work: list[tuple[int, str, bytes]], next_item: Any, tally: Tally, resend_every: int,
            acknowledged: threading.Semaphore, deadline: float) -> None:
    import httpx

    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < deadline:
            index = next_item()
            if index is None:
                return
            number, link, data = work[index]
            form, _ = _retry(partial(client.get, link), tally, deadline)
            if form is None:
                continue
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text)
            nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
            if csrf is None or nonce is None:
                with tally.lock:
                    tally.statuses[form.status_code] += 1
                continue
            fields = {"csrf": csrf.group(1), "nonce": nonce.group(1)}
            sends = 2 if resend_every and number % resend_every == 0 else 1
            for attempt in range(sends):
                started = time.perf_counter()
                upload = {"file": (f"2023年报-{number}.html", data, "text/html")}
                answer, retried = _retry(partial(client.post, link, data=fields, files=upload), tally, deadline)
                elapsed = time.perf_counter() - started
                if answer is None:
                    break
                with tally.lock:
                    tally.statuses[answer.status_code] += 1
                    if answer.status_code != 303:
                        break
                    receipt = answer.headers["location"].rsplit("/", 1)[-1]
                    (tally.across_restart if retried else tally.latencies).append(elapsed)
                    if attempt == 0:
                        if fields["nonce"] in tally.receipts and tally.receipts[fields["nonce"]] != receipt:
                            tally.resend_mismatch += 1
                        tally.receipts[fields["nonce"]] = receipt
                        acknowledged.release()
                    elif tally.receipts.get(fields["nonce"]) != receipt:
                        tally.resend_mismatch += 1


def _retry(call: Any, tally: Tally, deadline: float) -> tuple[Any, bool]:
    """(the answer, whether it took a retry): connection failures (the server being restarted) are retried
    with the same request."""
    import httpx

    for attempt in range(ATTEMPTS):
        try:
            return call(), attempt > 0
        except httpx.TransportError:
            with tally.lock:
                tally.connection_errors += 1
            if time.monotonic() > deadline:
                break
            time.sleep(min(5.0, 0.25 * 2**attempt))
    with tally.lock:
        tally.gave_up += 1
    return None, True


def _stored(url: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from ogi.store.database import create
    from ogi.store.schema import agencies, submissions

    engine = create(url)
    try:
        with engine.connect() as db:
            query = (select(submissions.c.number, submissions.c.nonce, submissions.c.version, submissions.c.state,
                            submissions.c.status, agencies.c.name)
                     .join(agencies, agencies.c.id == submissions.c.agency_id))
            return [dict(r._mapping) for r in db.execute(query)]
    finally:
        engine.dispose()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ogi.tools.serve_load", description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--database", metavar="URL", help="a PostgreSQL URL (an empty database); default SQLite")
    parser.add_argument("--kill-at", type=int, default=250, metavar="N",
                        help="kill -9 and restart the server after N acknowledged submissions (0: never)")
    parser.add_argument("--resend-every", type=int, default=10, metavar="K",
                        help="post every K-th form twice (0: never)")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 100 and 1 <= args.reports <= 5000 and 1 <= args.agencies <= args.reports):
        parser.error("--clients 1–100, --reports 1–5000, --agencies 1–reports")

    root = Path(tempfile.mkdtemp(prefix="ogi-load-"))
    data = root / "desk"
    url = args.database or str(data / "ogi.sqlite")
    server = Server(data, _free_port(), args.database)
    base = f"http://{HOST}:{server.port}"
    print(f"generating {args.reports} reports …", file=sys.stderr, flush=True)
    reports = _reports(args.reports)
    env_password = {**os.environ, "OGI_PASSWORD": PASSWORD}
    subprocess.run(server.argv("add-user", "load"), check=True, env=env_password, capture_output=True)
    server.start()
    try:
        links = list(_office(base, args.agencies).values())
        work = [(i, links[i % len(links)], reports[i]) for i in range(args.reports)]
        position = iter(range(len(work)))
        take_lock = threading.Lock()

        def next_item() -> int | None:
            with take_lock:
                return next(position, None)

        tally = Tally()
        acknowledged = threading.Semaphore(0)
        deadline = time.monotonic() + OVERALL_SECONDS
        print(f"{args.clients} clients submitting {args.reports} reports to {base} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        threads = [threading.Thread(target=_client, args=(base, work, next_item, tally, args.resend_every,
                                                          acknowledged, deadline), daemon=True)
                   for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        restarted_at = None
        if 0 < args.kill_at < args.reports:
            for _ in range(args.kill_at):
                if not acknowledged.acquire(timeout=max(1.0, deadline - time.monotonic())):
                    break
            server.kill()
            restarted_at = time.perf_counter() - started
            print(f"killed the server (SIGKILL) after {args.kill_at} receipts; starting it again …",
                  file=sys.stderr, flush=True)
            server.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        submitted = time.perf_counter() - started
        # every acknowledged submission is checked, the restart's unchecked ones included
        rows: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            rows = _stored(url)
            if rows and all(r["state"] == "checked" for r in rows) and len(rows) >= len(tally.receipts):
                break
            time.sleep(0.5)
        checked = time.perf_counter() - started
    finally:
        server.stop()

    numbers = Counter(r["number"] for r in rows)
    by_nonce = Counter(r["nonce"] for r in rows)
    versions: dict[str, list[int]] = {}
    for r in rows:
        versions.setdefault(r["name"], []).append(r["version"])
    lost = sum(1 for nonce, number in tally.receipts.items() if numbers.get(number) != 1 or by_nonce.get(nonce) != 1)
    duplicated = sum(n - 1 for n in by_nonce.values() if n > 1) + tally.resend_mismatch
    gapped = sum(1 for v in versions.values() if sorted(v) != list(range(1, len(v) + 1)))
    errors_5xx = sum(n for code, n in tally.statuses.items() if code >= 500)
    unchecked = sum(1 for r in rows if r["state"] != "checked")
    other = {code: n for code, n in tally.statuses.items() if code not in (303,) and code < 500}
    lat = tally.latencies
    statuses = Counter(r["status"] for r in rows)
    print()
    print(f"Desk load test: {args.clients} clients, {args.reports} reports (2021-format HTML pages, "
          f"{min(map(len, reports)) // 1024}–{max(map(len, reports)) // 1024} KB) to {args.agencies} agencies "
          f"on {HOST}; database: {'PostgreSQL' if args.database else 'SQLite'}; {os.cpu_count()} CPU")
    print()
    print("| Measure | Value |")
    print("|---|---|")
    print(f"| Submissions acknowledged (receipts) | {len(tally.receipts)} of {args.reports} |")
    print(f"| Forms posted twice (same receipt expected) | {sum(1 for i in range(args.reports) if args.resend_every and i % args.resend_every == 0)} |")  # noqa: E501
    if restarted_at is not None:
        print(f"| Server killed (SIGKILL) and restarted | after {args.kill_at} receipts, at {restarted_at:.1f} s "
              f"({tally.connection_errors} connection failures retried) |")
    if lat:
        print(f"| POST latency p50 / p95 / max (store, fsync, commit, receipt) | {_percentile(lat, .5) * 1000:.0f} / "
              f"{_percentile(lat, .95) * 1000:.0f} / {max(lat) * 1000:.0f} ms (mean {statistics.mean(lat) * 1000:.0f}; "
              f"{len(lat)} posts answered at once) |")
    if tally.across_restart:
        slow = tally.across_restart
        print(f"| … posts retried across the restart | {len(slow)}, answered after {_percentile(slow, .5):.1f} s "
              f"(p50), {max(slow):.1f} s (max) |")
    if tally.receipts:
        print(f"| Throughput while submitting | {len(tally.receipts) / submitted:.1f} submissions/s ({submitted:.1f} s"
              f"{', restart included' if restarted_at is not None else ''}) |")
    print(f"| All submissions checked after | {checked:.1f} s ({len(rows) / checked:.1f} checked/s end to end) |")
    print(f"| Results | {dict(sorted(statuses.items(), key=lambda kv: str(kv[0])))} |")
    print(f"| Lost submissions | {lost} |")
    print(f"| Duplicated submissions | {duplicated} |")
    print(f"| Version gaps | {gapped} |")
    print(f"| Server errors (5xx) | {errors_5xx} |")
    print(f"| Unchecked at the end | {unchecked} |")
    if other or tally.gave_up:
        print(f"| Other answers | {other}; requests given up: {tally.gave_up} |")
    ok = (lost == 0 and duplicated == 0 and gapped == 0 and errors_5xx == 0 and unchecked == 0
          and len(tally.receipts) == args.reports and len(rows) == args.reports)
    print()
    print("OK: zero lost, zero duplicated, zero server errors" if ok else "FAILED (see the counts above)")
    if ok:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"server log and data kept in {root}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
