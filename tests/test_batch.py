"""The batch engine: parallel reading, input order, bounded read-ahead, per-file time and memory limits."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

import ogi.batch
from ogi.batch import _OrderedReads, default_jobs, read_batch, run_batch
from ogi.config import Config
from ogi.engine import check_file, discover
from ogi.model import Report, Status, SubmissionResult
from ogi.testing import generate, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Readable reports of several kinds and defects, with unreadable files between them."""
    folder = tmp_path_factory.mktemp("batch")
    files: list[Path] = []
    for i in range(9):
        report = generate(seed=100 + i, format_version="2021")
        if i % 3 == 1:
            report = report.unbalanced("natural_person", 2)
        kind = ("html", "docx", "txt")[i % 3]
        path = folder / f"{i:02d}-{kind}.{'html' if kind == 'html' else kind}"
        path.write_bytes(render(report, kind, realistic=kind == "html"))
        files.append(path)
        if i % 4 == 0:
            bad = folder / f"{i:02d}-bad.docx"
            bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
            files.append(bad)
    return files


def _summary(results: list[SubmissionResult]) -> list[tuple[str, str, list[str]]]:
    return [(r.source, r.status.value, [f.rule for f in r.findings]) for r in results]


def test_results_in_input_order_and_same_as_in_process(corpus: list[Path]) -> None:
    config = Config()
    parallel = list(run_batch(corpus, config, jobs=2, window=3))
    serial = list(run_batch(corpus, config, jobs=1))
    assert [r.source for r in parallel] == [str(p) for p in corpus]
    assert parallel == serial
    statuses = {Path(r.source).name: r.status for r in parallel}
    assert statuses["00-bad.docx"] == Status.UNREADABLE
    assert statuses["00-html.html"] == Status.PASS
    assert statuses["01-docx.docx"] == Status.FAIL  # unbalanced table 三


def test_identities_are_evaluated_once_per_window(corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import ogi.checks.identities as identities

    calls: list[int] = []
    original = identities.precompute_identities

    def counting(reports, inputs=None, **options):  # type: ignore[no-untyped-def]
        calls.append(len(reports))
        assert inputs is not None and len(inputs) == len(reports)  # taken in the workers
        return original(reports, inputs, **options)

    monkeypatch.setattr(identities, "precompute_identities", counting)
    monkeypatch.setattr(ogi.batch, "MIN_VECTORISED", 2)
    config = Config()
    results = list(run_batch(corpus, config, jobs=2, window=4))
    readable = sum(1 for r in results if r.report is not None)
    assert sum(calls) == readable and len(calls) == 3  # 12 files in windows of 4
    # Vectorised over the window, the table identities say exactly what each report's own evaluation says.
    for result, path in zip(results, corpus, strict=True):
        alone = check_file(path, config)
        assert result.findings == alone.findings and result.not_checked == alone.not_checked
    assert any(f.rule == "A101" for r in results for f in r.findings)


def test_a_small_batch_does_not_need_pandas(corpus: list[Path]) -> None:
    code = ("import sys; from pathlib import Path; from ogi.batch import run_batch; from ogi.config import Config; "
            f"r = list(run_batch([Path({str(corpus[2])!r})], Config())); "
            "assert r[0].status.value == 'fail', r[0].status; assert 'pandas' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_reading_ahead_is_bounded_by_the_window(corpus: list[Path]) -> None:
    files = corpus * 3
    reads = _OrderedReads(files, Config(), 2, 2, ogi.batch._read_only)
    try:
        first = next(iter(reads))
        assert len(first) == 2
        reader = reads.reader
        assert isinstance(reader, ogi.batch._PoolReader)
        assert reader.next <= 4  # this window and the next, never the whole batch
        assert len(reads.done) <= 2
    finally:
        reads.close()


def test_read_batch_keeps_order(corpus: list[Path]) -> None:
    outcomes = list(read_batch(corpus, Config(), jobs=2, window=5))
    assert [o.source for o in outcomes] == [str(p) for p in corpus]
    assert [isinstance(o, Report) for o in outcomes] == [not p.name.endswith("bad.docx") for p in corpus]


def test_default_jobs_is_every_core() -> None:
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_progress_bar_keeps_results(corpus: list[Path]) -> None:
    config = Config()
    assert list(run_batch(corpus, config, jobs=2, progress=True)) == list(run_batch(corpus, config, jobs=2))


def test_closing_the_stream_early_stops_the_workers(corpus: list[Path]) -> None:
    stream = run_batch(corpus * 4, Config(), jobs=2, window=2)
    next(stream)
    assert multiprocessing.active_children()
    stream.close()
    assert multiprocessing.active_children() == []


# --- limits (workers forked from this process, so that the reader can be replaced here) ---------


def _slow_or_hostile_reader(path: Path, config: Config, source: str | None = None) -> Report | SubmissionResult:
    if "slow" in path.name:
        time.sleep(60)
    if "crash" in path.name:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "greedy" in path.name:
        hoard = bytearray(3 * 1024**3)  # over the worker's address-space cap
        hoard[-1] = 1
    from ogi.engine import read_file

    return read_file(path, config, source)


@pytest.fixture()
def hostile_batch(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv(ogi.batch.START_METHOD_ENV, "fork")
    monkeypatch.setattr(ogi.batch, "read_file", _slow_or_hostile_reader)
    good = [p for p in corpus if "bad" not in p.name]
    files = []
    for name in ("a-slow.txt", "b-crash.txt", "c-greedy.txt"):
        path = tmp_path / name
        path.write_bytes(good[2].read_bytes())  # a readable report, were it read normally
        files.append(path)
    return [good[0], *files, good[1], good[2]]


def test_per_file_time_limit_kills_the_worker_and_the_batch_goes_on(hostile_batch: list[Path]) -> None:
    config = replace(Config(), per_file_seconds=2)
    start = time.monotonic()
    results = list(run_batch(hostile_batch, config, jobs=2, window=2))
    elapsed = time.monotonic() - start
    assert elapsed < 20
    by_name = {Path(r.source).name: r for r in results}
    assert [Path(r.source).name for r in results] == [p.name for p in hostile_batch]
    slow = by_name["a-slow.txt"]
    assert slow.status == Status.UNREADABLE
    [finding] = slow.findings
    assert finding.rule == "F001" and "读取超时" in finding.message and "timed out after 2 s" in finding.message_en
    assert slow.sha256  # the digest is still given, for the record
    crash = by_name["b-crash.txt"].findings[0]
    assert crash.rule == "F001" and "SIGSEGV" in crash.message_en
    greedy = by_name["c-greedy.txt"].findings[0]
    assert greedy.rule == "F001" and "memory" in greedy.message_en
    for path in (hostile_batch[0], hostile_batch[-2], hostile_batch[-1]):
        assert by_name[path.name].status != Status.UNREADABLE
    assert multiprocessing.active_children() == []


def test_time_limit_in_process(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ogi.batch, "read_file", _slow_or_hostile_reader)
    slow = tmp_path / "slow.txt"
    slow.write_bytes(corpus[3].read_bytes())
    start = time.monotonic()
    results = list(run_batch([slow, corpus[0]], replace(Config(), per_file_seconds=1), jobs=1))
    assert time.monotonic() - start < 10
    assert "读取超时" in results[0].findings[0].message
    assert results[1].status == Status.PASS


def test_api_from_a_script_without_main_guard(tmp_path: Path, corpus: list[Path]) -> None:
    """spawn/forkserver re-import __main__ in each worker; a plain script must not run twice."""
    script = tmp_path / "plain.py"
    script.write_text(textwrap.dedent(f"""
        import ogi
        print("START")
        results = ogi.check({str(corpus[0].parent)!r}, jobs=2)
        print(",".join(r.status.value for r in results))
    """), encoding="utf-8")
    for method in ("forkserver", "spawn"):
        env = {**os.environ, ogi.batch.START_METHOD_ENV: method}
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.split()
        assert lines[0] == "START" and len(lines) == 2, (method, done.stdout)
        statuses = lines[1].split(",")
        assert len(statuses) == len(discover([corpus[0].parent]))
        assert statuses.count("unreadable") == 3


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_ctrl_c_stops_the_batch_and_its_workers(tmp_path: Path, corpus: list[Path]) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03d}.html").write_bytes(corpus[0].read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "ogi.cli", "check", str(folder), "--format", "json", "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(_processes_mentioning(str(folder))) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)  # the main process and its two workers
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "已中断" in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    assert _processes_mentioning(str(folder)) == []
