"""`--format json` is written while the batch runs: the same document as before, no results kept."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import weakref
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import ogi.api
from ogi.api import check, iter_check
from ogi.cli import main
from ogi.model import SubmissionResult
from ogi.reports.json_report import render_json
from ogi.reports.serialize import results_dict

WHEN = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def example_results(examples_dir: Path) -> list[SubmissionResult]:
    return check(examples_dir, jobs=1).submissions


@pytest.mark.parametrize("count", [0, 1, None])
@pytest.mark.parametrize("generated_at", [None, WHEN])
def test_the_streamed_document_is_the_whole_document(example_results: list[SubmissionResult], count: int | None,
                                                     generated_at: dt.datetime | None) -> None:
    results = example_results[:count]
    whole = json.dumps(results_dict(results, generated_at=generated_at), ensure_ascii=False, indent=2) + "\n"
    assert render_json(results, generated_at=generated_at) == whole


def test_iter_check_gives_what_check_gives(examples_dir: Path, example_results: list[SubmissionResult]) -> None:
    assert render_json(iter_check(examples_dir, jobs=1)) == render_json(example_results)


def test_the_cli_writes_the_json_of_the_batch(examples_dir: Path, example_results: list[SubmissionResult],
                                              tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("the last run", encoding="utf-8")
    assert main(["check", str(examples_dir), "--format", "json", "-j", "1", "-o", str(out)]) == 1  # examples fail
    assert out.read_text(encoding="utf-8") == render_json(example_results)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no partial file left behind
    assert main(["check", str(examples_dir), "--format", "json", "-j", "1", "--fail-on", "never",
                 "-o", str(out)]) == 0


def _results_tracked(template: SubmissionResult, count: int, alive: list[int]) -> Iterator[SubmissionResult]:
    """`count` results; before each, `alive` records how many of those already given are still held."""
    given: list[weakref.ref[SubmissionResult]] = []
    for i in range(count):
        alive.append(sum(1 for ref in given if ref() is not None))
        result = replace(template, source=f"{template.source}#{i}")
        given.append(weakref.ref(result))
        yield result


def test_the_cli_keeps_no_results(example_results: list[SubmissionResult], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    alive: list[int] = []
    monkeypatch.setattr(ogi.api, "iter_check",
                        lambda *a, **k: _results_tracked(example_results[0], 200, alive))
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--format", "json", "-o", str(out)])
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["submissions"] == len(doc["submissions"]) == 200
    assert max(alive) <= 2  # written and dropped as they come (a collecting writer would hold 199)


def test_a_stopped_batch_leaves_the_last_file_alone(example_results: list[SubmissionResult], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def stopped(*args: Any, **kwargs: Any) -> Iterator[SubmissionResult]:
        yield example_results[0]
        raise KeyboardInterrupt

    monkeypatch.setattr(ogi.api, "iter_check", stopped)
    out = tmp_path / "report.json"
    out.write_text("the last complete run", encoding="utf-8")
    assert main(["check", str(tmp_path), "--format", "json", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "the last complete run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_closed_pipe_stops_the_stream_quietly(examples_dir: Path, tmp_path: Path) -> None:
    page = (examples_dir / "shuyang-fgj-2023.html").read_bytes()
    for i in range(30):
        (tmp_path / f"r{i}.html").write_bytes(page)
    proc = subprocess.run(f"{sys.executable} -m ogi.cli check {tmp_path} --format json -j 2 | head -c 10",
                          shell=True, capture_output=True, text=True, check=False, timeout=120)
    assert proc.stdout == '{\n  "schem'
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr


def test_without_prose_the_json_is_the_same(examples_dir: Path, example_results: list[SubmissionResult]) -> None:
    slim = list(iter_check(examples_dir, jobs=2, keep_text=False))
    assert render_json(slim) == render_json(example_results)
    read = [r.report for r in slim if r.report is not None]
    assert read and all(not r.text and not r.sections and not r.facts for r in read)
    assert any(r.report.text and r.report.sections for r in example_results if r.report)  # check() keeps it all
    assert [r.report.tables for r in slim if r.report] == [r.report.tables for r in example_results if r.report]


def test_the_cross_year_rules_still_get_the_prose(examples_dir: Path) -> None:
    full = check(examples_dir, previous=examples_dir, jobs=1).submissions
    slim = list(iter_check(examples_dir, previous=examples_dir, jobs=1, keep_text=False))
    assert render_json(slim) == render_json(full)
    assert all(r.report.text for r in slim if r.report and r.report.kind != "json")
