"""Deterministic output: the same inputs and configuration give byte-identical output, whatever the number
of worker processes, the hash seed or the run; a timestamp appears only with --timestamp."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ogi.testing import generate, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("determinism")
    kinds = ("html", "docx", "xlsx", "txt", "json")
    for i in range(15):
        report = generate(seed=200 + i, format_version=("2021", "2019")[i % 2])
        if i % 4 == 1:
            report = report.unbalanced("natural_person", 3)
        if i % 5 == 2:
            report = report.late(20)
        kind = kinds[i % len(kinds)]
        (folder / f"{i:02d}.{kind}").write_bytes(render(report, kind, realistic=kind == "html"))
    for example in sorted((ROOT / "examples").iterdir()):  # real reports: HTML, PDF, DOCX, text
        if example.suffix != ".md":
            (folder / f"example-{example.name}").write_bytes(example.read_bytes())
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "empty.html").write_bytes(b"")
    return folder


def _ogi(args: list[str], cwd: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-m", "ogi.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same check four times: one process or two workers, two hash seeds."""
    out = {}
    for jobs, seed in (("1", "1"), ("2", "2"), ("2", "3"), ("1", "4")):
        folder = tmp_path_factory.mktemp(f"run-j{jobs}-s{seed}")
        for fmt, name in (("json", "report.json"), ("markdown", "report.md")):
            _ogi(["check", str(inputs), "-j", jobs, "--format", fmt, "-o", str(folder / name)], folder, seed)
        out[f"j{jobs}-s{seed}"] = folder
    return out


def test_json_is_byte_identical_across_jobs_and_runs(runs: dict[str, Path], inputs: Path) -> None:
    outputs = {key: (folder / "report.json").read_bytes() for key, folder in runs.items()}
    first = next(iter(outputs.values()))
    for key, data in outputs.items():
        assert data == first, key
    doc = json.loads(first)
    assert "generated_at" not in doc
    assert len(doc["submissions"]) == len(list(inputs.iterdir()))
    statuses = {s["status"] for s in doc["submissions"]}
    assert {"pass", "fail", "unreadable"} <= statuses  # the inputs exercise findings, not only passes


def test_markdown_is_byte_identical(runs: dict[str, Path]) -> None:
    outputs = [(folder / "report.md").read_bytes() for folder in runs.values()]
    assert all(data == outputs[0] for data in outputs)


def test_timestamp_only_when_asked(inputs: Path, tmp_path: Path) -> None:
    _ogi(["check", str(inputs), "--format", "json", "--timestamp", "-o", str(tmp_path / "t.json")], tmp_path, "5")
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert "generated_at" in doc


def test_report_bundle_is_byte_identical(inputs: Path, tmp_path: Path) -> None:
    pytest.importorskip("ogi.reports.bundle")
    bundles = []
    for jobs, seed in (("1", "6"), ("2", "7")):
        out = tmp_path / f"bundle-{jobs}"
        _ogi(["check", str(inputs), "-j", jobs, "--out", str(out), "--format", "json", "-o",
              str(tmp_path / f"r{jobs}.json")], tmp_path, seed)
        bundles.append(_files(out))
    assert bundles[0].keys() == bundles[1].keys()
    differing = [name for name in bundles[0] if bundles[0][name] != bundles[1][name]]
    assert differing == []
