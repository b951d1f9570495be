"""Bad input never stops a batch: each bad file gets a `file` finding, the others are checked."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from ogi.cli import main


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture()
def batch(tmp_path: Path, seed_report: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(seed_report, folder / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.html").write_bytes(bytes(range(256)) * 64)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    # Readable text with bytes that no Chinese encoding accepts: read with replacement, reported.
    (folder / "unknown-encoding.txt").write_bytes(
        "某某局2023年度政府信息公开工作年度报告\n".encode() + b"\xff\xfe\xfa\x80\x81\xfe\xff" * 50)
    (folder / "huge.txt").write_bytes(b"x" * (2 * 1024 * 1024))
    with zipfile.ZipFile(folder / "other.docx", "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    return folder


def test_batch_with_bad_inputs(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(batch)
    code = main(["check", str(batch), "--format", "json", "--max-file-mb", "1"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 1
    assert "Traceback" not in captured.out + captured.err
    by_name = {Path(s["source"]).name: s for s in doc["submissions"]}
    assert set(by_name) == set(before)
    for name in ("empty.txt", "garbage.html", "broken.docx", "huge.txt", "other.docx"):
        sub = by_name[name]
        assert sub["status"] == "unreadable", name
        [finding] = sub["findings"]
        assert finding["category"] == "file" and finding["severity"] == "error"
        assert finding["message"] and finding["message_en"]
    assert by_name["huge.txt"]["findings"][0]["rule"] == "F002"
    unknown = by_name["unknown-encoding.txt"]
    assert any(f["category"] == "file" for f in unknown["findings"])
    assert by_name["seed.txt"]["status"] == "fail"
    assert [f["rule"] for f in by_name["seed.txt"]["findings"] if f["severity"] == "error"] == ["B001"]
    assert _digest(batch) == before  # inputs unchanged


def test_legacy_doc_gets_advice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = tmp_path / "report.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert main(["check", str(legacy), "--format", "json"]) == 1
    [sub] = json.loads(capsys.readouterr().out)["submissions"]
    assert sub["status"] == "unreadable"
    assert ".docx" in sub["findings"][0]["message"]
