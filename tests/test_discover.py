"""A folder of reports is scanned for submissions; its own notes (README.md, LICENSE) are not reports, so they
get no "empty report" accusation — but a file named on the command line is always checked."""

from __future__ import annotations

from pathlib import Path

from ogi.engine import discover


def test_folder_notes_are_not_submissions(tmp_path: Path) -> None:
    for name in ("README.md", "readme.txt", "LICENSE", "2023年度报告.md", "report.html", "说明.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(p.name for p in discover([tmp_path])) == sorted(["2023年度报告.md", "report.html", "说明.txt"])


def test_a_named_file_is_checked_whatever_its_name(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("x", encoding="utf-8")
    assert discover([readme]) == [readme]
