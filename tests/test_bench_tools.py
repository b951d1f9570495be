"""The benchmark's preloaded batch must check exactly what a usual batch checks, or its figure means nothing."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ogi.ingest.document import RawDocument
from ogi.testing import write_corpus


def _batch(out: Path, files: list[Path], *extra: str) -> dict[str, float]:
    cmd = [sys.executable, "-m", "ogi.tools.preloaded_batch", str(out), *map(str, files), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_preloaded_batch_writes_the_usual_batch_output(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "pages", 12, seed=5, realistic=True)
    usual = _batch(tmp_path / "usual.json", files)
    preloaded = _batch(tmp_path / "preloaded.json", files, "--preloaded")
    assert usual["reports"] == preloaded["reports"] == 12
    assert usual["cpu"] > 0 and preloaded["cpu"] > 0
    assert (tmp_path / "usual.json").read_bytes() == (tmp_path / "preloaded.json").read_bytes()
    doc = json.loads((tmp_path / "usual.json").read_text(encoding="utf-8"))
    assert doc["summary"]["submissions"] == 12


def test_preload_hands_out_each_page_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ogi.ingest.html as html_reader
    from ogi.tools.preloaded_batch import preload

    files = write_corpus(tmp_path, 3, seed=6, realistic=True)
    monkeypatch.setattr(html_reader, "read_html", html_reader.read_html)  # undone after the test
    try:
        preload(files)
        data = files[1].read_bytes()
        document = html_reader.read_html(data)
        assert document is html_reader.read_html(data)  # not read again
        assert document.grids and document.lines
    finally:
        gc.unfreeze()


def test_preload_reads_later_what_it_could_not_read_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ogi.ingest.html as html_reader
    from ogi.tools.preloaded_batch import preload

    good = write_corpus(tmp_path / "good", 1, seed=7, realistic=True)[0]
    other = tmp_path / "other.html"
    other.write_bytes(b"<p>\xe5\xb9\xb4\xe5\xba\xa6</p>")
    calls: list[bytes] = []

    def counting(data: bytes) -> RawDocument:
        calls.append(data)
        if len(calls) == 2:  # the second page fails while preloading
            raise ValueError("not now")
        return real(data)

    real = html_reader.read_html
    monkeypatch.setattr(html_reader, "read_html", counting)
    try:
        preload([good, other])
        assert html_reader.read_html(good.read_bytes()) is html_reader.read_html(good.read_bytes())
        assert [line.text for line in html_reader.read_html(other.read_bytes()).lines] == ["年度"]
        assert len(calls) == 3  # both preloaded once, then the failed one again
    finally:
        gc.unfreeze()


def test_dask_batch_writes_the_local_engines_output(tmp_path: Path) -> None:
    """The bench's Dask figures come from a batch whose output is the CLI's, byte for byte."""
    pytest.importorskip("distributed")
    files = write_corpus(tmp_path / "pages", 10, kinds=("html", "docx", "xlsx"), seed=7, realistic=True)
    local = tmp_path / "local.json"
    subprocess.run([sys.executable, "-m", "ogi.cli", "check", *map(str, files), "--format", "json", "-o", str(local),
                    "--quiet", "--fail-on", "never", "-j", "1"], check=True, capture_output=True)
    cmd = [sys.executable, "-m", "ogi.tools.dask_batch", str(tmp_path / "dask.json"), *map(str, files), "-j", "1"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["reports"] == 10 and figures["worker_cpu"] > 0 and figures["client_cpu"] > 0
    assert (tmp_path / "dask.json").read_bytes() == local.read_bytes()
