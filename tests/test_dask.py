"""The Dask executor: the same outputs as the local engine, byte for byte, on a LocalCluster and on a
scheduler with two workers started here on loopback, including when a worker is killed mid-batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from ogi.batch import run_batch
from ogi.config import Config
from ogi.engine import discover
from ogi.executors import DaskExecutor, ExecutorError, parse_executor
from ogi.model import SubmissionResult
from ogi.reports.json_report import render_json
from ogi.testing import generate, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reports of every kind, with defects, unreadable files and the real examples between them."""
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    folder.mkdir()
    kinds = ("html", "docx", "xlsx", "txt", "pdf")
    for i in range(20):
        report = generate(seed=300 + i, format_version=("2021", "2019")[i % 2])
        if i % 4 == 1:
            report = report.unbalanced("natural_person", 2)
        kind = kinds[i % len(kinds)]
        (folder / f"{i:02d}.{kind}").write_bytes(render(report, kind, realistic=kind == "html"))
    for example in sorted((ROOT / "examples").iterdir()):
        if example.suffix != ".md":
            (folder / f"example-{example.name}").write_bytes(example.read_bytes())
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "empty.html").write_bytes(b"")
    return folder


def _env() -> dict[str, str]:
    """This checkout's ogi first on the path of every process started here (workers included)."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "src"), path) if p)}


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "ogi.cli", "check", "corpus", "-q", "--format", "json",
                           "-o", "report.json", "--out", "bundle", *args], cwd=cwd, env=_env(),
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 1, done.stderr  # the corpus has failing reports
    assert "Traceback" not in done.stderr
    return done


def _outputs(folder: Path) -> dict[str, bytes]:
    files = [folder / "report.json", *sorted((folder / "bundle").rglob("*"))]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files if p.is_file()}


def _run_in(tmp_path: Path, corpus: Path, name: str, *args: str) -> tuple[dict[str, bytes], str]:
    """`ogi check corpus` from a folder of its own, with the corpus given by a relative path."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "corpus").symlink_to(corpus, target_is_directory=True)
    done = _check(folder, *args)
    return _outputs(folder), done.stderr


@pytest.fixture(scope="module")
def local_outputs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    outputs, _ = _run_in(tmp_path_factory.mktemp("local"), corpus, "local", "-j", "2")
    assert len(outputs) > 10 and b'"unreadable"' in outputs["report.json"]
    return outputs


def test_local_cluster_writes_byte_identical_outputs(corpus: Path, local_outputs: dict[str, bytes],
                                                     tmp_path: Path) -> None:
    outputs, stderr = _run_in(tmp_path, corpus, "dask", "--executor", "dask", "-j", "2")
    assert outputs.keys() == local_outputs.keys()
    assert outputs == local_outputs
    assert "重新读取" not in stderr  # nothing was lost


# --- a scheduler and two workers, started here on loopback ------------------------------------------


def _wait_for(predicate: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker`s (one thread each, under a nanny that restarts a dead one)."""
    folder = tmp_path_factory.mktemp("cluster")
    address_file = folder / "scheduler.json"
    logs = [(folder / f"{name}.log").open("w") for name in ("scheduler", "worker-1", "worker-2")]
    dask = [sys.executable, "-m", "dask"]
    processes = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(address_file)], cwd=folder, env=_env(),
                                  stdout=logs[0], stderr=subprocess.STDOUT)]
    try:
        _wait_for(address_file.exists, 60, "the scheduler")
        _wait_for(lambda: address_file.stat().st_size > 0, 10, "the scheduler's address")
        address = json.loads(address_file.read_text())["address"]
        for log in logs[1:]:  # workers run elsewhere: a working directory that is not the client's
            processes.append(subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                                               "--host", "127.0.0.1"], cwd=folder, env=_env(),
                                              stdout=log, stderr=subprocess.STDOUT))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def test_remote_scheduler_writes_byte_identical_outputs(corpus: Path, local_outputs: dict[str, bytes],
                                                        scheduler: str, tmp_path: Path) -> None:
    outputs, _ = _run_in(tmp_path, corpus, "remote", "--executor", f"dask={scheduler}")
    assert outputs == local_outputs


def test_a_worker_killed_mid_batch_loses_no_submission(corpus: Path, scheduler: str) -> None:
    from distributed import Client

    files = discover([corpus])
    config = Config()
    local = render_json(list(run_batch(files, config, jobs=2)))
    with Client(scheduler, timeout=60) as client, DaskExecutor(scheduler, chunk=1) as executor:
        client.wait_for_workers(2, timeout=120)
        executor.session().check_visible(str(files[0]))  # asked of every worker, so before one is stopped
        pids = client.run(os.getpid)
        victim_address, victim = sorted(pids.items())[0]
        # Stopped, the victim still looks alive: the scheduler gives it tasks, which it cannot finish.
        os.kill(victim, signal.SIGSTOP)
        results: list[SubmissionResult] = []
        batch = threading.Thread(target=lambda: results.extend(run_batch(files, config, window=4,
                                                                         executor=executor)))
        batch.start()
        try:
            _wait_for(lambda: client.processing().get(victim_address), 120, "a task on the stopped worker")
            held = list(client.processing()[victim_address])
        finally:
            os.kill(victim, signal.SIGKILL)
        batch.join(300)
        assert not batch.is_alive()
        assert render_json(results) == local  # byte-identical: nothing lost, nothing read differently
        assert held and executor.retried  # … and the files it held were read again, and said so
        assert set(executor.retried) <= {str(p) for p in files}
        assert all(r.status.value != "unreadable" or "broken" in r.source or "empty" in r.source for r in results)
        client.wait_for_workers(2, timeout=120)  # its nanny started a new one


def test_retried_files_are_told_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI names the files read again on stderr; its outputs are the local engine's (see above)."""
    from ogi import cli

    args = cli.build_parser().parse_args(["check", "x.html", "--executor", "dask"])
    with cli._executor(args) as executor:
        assert executor is not None
        executor.retried.append("corpus/00.html")  # as the reader does when a worker is lost
    err = capsys.readouterr().err
    assert "1 个文件因 Dask 工作进程丢失而重新读取" in err and "read again" in err and "corpus/00.html" in err


def test_executor_option() -> None:
    assert parse_executor("local") is None and parse_executor(None) is None
    assert parse_executor("dask", 3) == DaskExecutor(None, 3)
    assert parse_executor("dask=tcp://10.0.0.1:8786").address == "tcp://10.0.0.1:8786"  # type: ignore[union-attr]
    assert parse_executor("dask=10.0.0.1:8786").address == "tcp://10.0.0.1:8786"  # type: ignore[union-attr]
    with pytest.raises(ExecutorError):
        parse_executor("ray")
    done = subprocess.run([sys.executable, "-m", "ogi.cli", "check", str(ROOT / "examples" / "changde-2017-zwzx.txt"),
                           "--executor", "ray"], env=_env(),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "unknown executor" in done.stderr and "Traceback" not in done.stderr


def test_unreachable_scheduler_is_an_executor_error() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    executor = DaskExecutor(f"tcp://127.0.0.1:{port}", connect_seconds=2)
    with pytest.raises(ExecutorError, match="无法连接 Dask 调度器"):
        executor.session()
