"""`--out DIR`: every output written, safely named inside DIR, reproducible; report.json valid."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import openpyxl
import pytest

from ogi.cli import main
from ogi.reports.bundle import report_file_names, safe_stem, write_bundle
from report_samples import SEED, SEED_AGENCY, TABLE_AGENCY, seed_result, table_result, unreadable_result

SCHEMA = Path(__file__).resolve().parent.parent / "src" / "ogi" / "schemas" / "report.schema.json"
FILES = {"index.html", "report.json", "summary.xlsx", "junit.xml", "report.md"}


def _batch() -> list:
    return [seed_result(), table_result(), unreadable_result()]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_every_output(tmp_path: Path) -> None:
    write_bundle(_batch(), tmp_path / "out")
    tree = _tree(tmp_path / "out")
    assert set(tree) >= FILES
    assert sorted(k for k in tree if k.startswith("reports/")) == sorted(
        ["reports/坏文件.doc.html", f"reports/{SEED_AGENCY}-2017.html", f"reports/{TABLE_AGENCY}-2023.html"])
    document = json.loads(tree["report.json"])
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [s["agency"] for s in document["submissions"]] == [SEED_AGENCY, TABLE_AGENCY, None]
    assert tree["report.md"].decode().startswith("# 政府信息公开工作年度报告检查结果")
    assert openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").sheetnames == ["报告汇总", "问题明细", "报送情况"]


def test_dashboard_links_resolve_and_reports_link_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_bundle(_batch(), out)
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(reports/[^"]+)"', index)
    assert len(set(links)) == 3
    for link in links:
        target = out / unquote(link)
        assert target.is_file()
        assert 'href="../index.html"' in target.read_text(encoding="utf-8")


HOSTILE = [
    "../../../etc/passwd", "..", ".", "/", "\\\\server\\share", "a/b\\c:d*e?f\"g<h>i|j", "CON", "nul.txt", "com1",
    "名\x00字\x1b[31m\u202eexe.html", " 。", "长" * 300, "...hidden", "常德市/..\\..", "",
]


def test_hostile_agency_names_stay_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    results = [table_result(agency=name, source=f"batch/{i}.xlsx") for i, name in enumerate(HOSTILE)]
    write_bundle(results, out)
    written = [p for p in out.rglob("*") if p.is_file()]
    reports = [p for p in written if p.parent == out / "reports"]
    assert len(reports) == len(HOSTILE)  # one each, none overwritten
    for path in written:
        assert path.resolve().is_relative_to(out.resolve())
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and not p.resolve().is_relative_to(out.resolve())]
    assert outside == []
    for path in reports:
        name = path.name
        assert len(name.encode("utf-8")) <= 255
        assert not re.search(r"[\x00-\x1f\x7f/\\:*?\"<>|\u202e]", name)
        assert ".." not in name
        assert not re.match(r"(?i)^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", name)


def test_names_are_unique_case_insensitively() -> None:
    results = [table_result(agency=a) for a in ("某局", "某局", "ABC", "abc", "某局-2023")]
    names = report_file_names(results)
    assert names == ["某局-2023.html", "某局-2023-2.html", "ABC-2023.html", "abc-2023-2.html", "某局-2023-2023.html"]
    assert len({n.casefold() for n in names}) == len(names)


@pytest.mark.parametrize("text, stem", [
    ("常德市人民政府政务服务中心-2017", "常德市人民政府政务服务中心-2017"),
    ("../../etc/passwd", "etc_passwd"),
    ("CON", "_CON"),
    ("", "report"),
    ("\x00\x01", "report"),
])
def test_safe_stem(text: str, stem: str) -> None:
    assert safe_stem(text) == stem


def test_output_is_reproducible(tmp_path: Path) -> None:
    write_bundle(_batch(), tmp_path / "a")
    write_bundle(_batch(), tmp_path / "b")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    for content in _tree(tmp_path / "a").values():
        assert b"generated_at" not in content and b"timestamp=" not in content


def test_generated_at_is_written_when_given(tmp_path: Path) -> None:
    when = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
    write_bundle(_batch(), tmp_path, generated_at=when)
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["generated_at"] == when.isoformat()
    assert "2024-03-01T08:00:00+00:00" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_roster_in_the_bundle(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(f"机关,层级\n{SEED_AGENCY},部门\n{TABLE_AGENCY},部门\n某某县教育局,部门\n", encoding="utf-8-sig")
    write_bundle(_batch(), tmp_path / "out", roster=roster)
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    reminders = index.split('id="reminder-table"')[1].split("</table>")[0]
    assert "某某县教育局" in reminders and TABLE_AGENCY in reminders and SEED_AGENCY not in reminders
    sheet = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")["报送情况"]
    assert sheet.max_row == 1 + 3 + 1  # header, three roster entries, one unlisted submission


def test_cli_writes_the_bundle(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(f"agency,level\n{SEED_AGENCY},department\n某某县教育局,department\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["check", str(SEED), "--out", str(out), "--roster", str(roster), "-q", "-o", str(tmp_path / "t.txt")])
    assert code == 1  # the seed has an error
    assert set(_tree(out)) >= FILES
    assert (out / "reports" / f"{SEED_AGENCY}-2017.html").is_file()
    assert "某某县教育局" in (out / "index.html").read_text(encoding="utf-8")
