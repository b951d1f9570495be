"""Nothing a reader notices stays silent: every read-note and unreadable-file code is in the vocabulary
(ogi.ingest.read_notes) and is surfaced by a rule or listed as deliberately ignored; a reading loss makes the
verdicts it could fool "not checked" (or a warning naming the doubt); and the notes reach every output."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from rich.console import Console

from ogi.checks.registry import all_rules, get_rule
from ogi.config import Config
from ogi.engine import check_file, run_rules
from ogi.ingest.read_notes import READ_NOTES, UNREADABLE, Loss
from ogi.ingest.readers import _REFUSALS
from ogi.model import DatedText, ReadNote, Report, Severity, SourceLocator, Status, SubmissionResult
from ogi.reports.html import render_report_html
from ogi.reports.json_report import render_json
from ogi.reports.terminal import render_terminal
from ogi.testing import generate, render
from ogi.testing.render import CJKFontNotFound, find_cjk_font

INGEST = Path(__file__).resolve().parent.parent / "src" / "ogi" / "ingest"
# A code written where a note or an unreadable file is made: ReadNote("x", …), ReadNote(code="x", …),
# a helper such as note("x", …), or UnreadableFile(…, code="x").
EMITTED = re.compile(r"""\b(?:ReadNote|_?note)\(\s*(?:code=)?["']([a-z][a-z0-9-]+)["']"""
                     r"""|\bcode=["']([a-z][a-z0-9-]+)["']""")


def _emitted_codes() -> set[str]:
    found: set[str] = set()
    for path in INGEST.rglob("*.py"):
        for match in EMITTED.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_code_the_readers_emit_is_in_the_vocabulary() -> None:
    emitted = _emitted_codes()
    assert {"html-truncated", "page-unreadable", "kind-mismatch", "zip-bomb"} <= emitted  # the scan works
    refused = {"legacy-format" if kind in ("ole", "rtf") else kind for kind in _REFUSALS}
    unknown = sorted((emitted | refused) - set(READ_NOTES) - set(UNREADABLE))
    assert unknown == [], f"codes with no entry in ogi.ingest.read_notes: {unknown}"


def test_every_code_is_surfaced_by_a_rule_or_ignored_with_a_reason() -> None:
    codes = {r.code for r in all_rules()}
    for kind in (*READ_NOTES.values(), *UNREADABLE.values()):
        if kind.surfaced_by is None:
            assert kind.ignored_because, f"{kind.code} is neither surfaced nor deliberately ignored"
        else:
            assert kind.surfaced_by in codes, f"{kind.code}: rule {kind.surfaced_by} does not exist"
        assert kind.title and kind.title_en


# legacy-row is about a table that was read (S012 needs it): tests/test_tables_labels.py shows it surfaced.
@pytest.mark.parametrize("code", sorted(c for c, k in READ_NOTES.items() if k.surfaced_by and c != "legacy-row"))
def test_each_surfaced_note_becomes_a_finding_of_its_rule(code: str) -> None:
    kind = READ_NOTES[code]
    assert kind.surfaced_by is not None
    locator = SourceLocator(kind="pdf", page=4)
    note = ReadNote(code, f"说明{code}", f"detail of {code}", locator)
    report = Report(source="r.pdf", sha256="", kind="pdf", format_version="2021", read_notes=(note,))
    results = run_rules(report, Config(), [get_rule(kind.surfaced_by)], empty=False)
    found = [f for f in results.findings if f"说明{code}" in f.message and f"detail of {code}" in f.message_en]
    assert len(found) == 1, results
    assert found[0].location.source == locator
    assert found[0].severity.rank <= kind.severity.rank


# --- a reading loss never lets a verdict rest on what was not read -----------------------------------


def _clean_report(tmp_path: Path) -> Report:
    path = tmp_path / "clean.html"
    path.write_bytes(render(generate(seed=11, format_version="2021"), "html"))
    result = check_file(path, Config())
    assert result.report is not None and set(result.passed) >= {"A101", "A102", "A103", "S004"}
    return result.report


def _run_all(report: Report) -> SubmissionResult:
    from ogi.engine import check_report

    return check_report(report, Config())


def test_lost_content_leaves_sums_and_absences_not_checked(tmp_path: Path) -> None:
    report = _clean_report(tmp_path)
    lost = ReadNote("page-unreadable", "PDF 第 4 页无法读取：ValueError", "page 4 cannot be read", None)
    tables = {k: v for k, v in report.tables.items() if k != "appeals"}  # as if table 四 sat on that page
    from dataclasses import replace

    result = _run_all(replace(report, tables=tables, read_notes=(lost,)))
    not_checked = {n.rule: n for n in result.not_checked}
    # "Table 四 missing" is not proved when a page was not read; nor do the identities pass.
    assert "S004" not in {f.rule for f in result.findings}
    assert "PDF 第 4 页无法读取" in not_checked["S004"].reason
    assert {"A101", "A102", "A103"} <= set(not_checked) and not {"A101", "A102"} & set(result.passed)
    assert [f.rule for f in result.findings if f.rule == "F006"] == ["F006"]
    # Without the note the same report is accused: the note, not chance, is what changed the verdict.
    assert "S004" in {f.rule for f in _run_all(replace(report, tables=tables)).findings}


def test_an_error_a_lost_page_may_explain_becomes_a_warning_naming_it(tmp_path: Path) -> None:
    report = _clean_report(tmp_path)
    table = report.tables["requests"]
    cells = dict(table.cells)
    key = ("granted", "natural_person")
    cell = cells[key]
    from dataclasses import replace

    cells[key] = replace(cell, value=cell.value + 7)  # type: ignore[operator]
    broken = replace(report, tables={**report.tables, "requests": replace(table, cells=cells)})
    assert Severity.ERROR in {f.severity for f in _run_all(broken).findings if f.rule == "A102"}
    lost = ReadNote("table-too-large", "第 1 个表格过大，只读取了前 20 行", "table 1 only partly read", None)
    doubted = [f for f in _run_all(replace(broken, read_notes=(lost,))).findings if f.rule == "A102"]
    assert doubted and all(f.severity == Severity.WARNING for f in doubted)
    assert all("只读取了前 20 行" in f.message and "partly read" in f.message_en for f in doubted)


def test_a_date_read_from_the_url_cannot_prove_lateness(tmp_path: Path) -> None:
    import datetime as dt
    from dataclasses import replace

    report = _clean_report(tmp_path)
    assert report.year is not None
    late = DatedText(dt.date(report.year + 1, 6, 30), "/art/2024/6/30/", source="url")
    note = ReadNote("date-from-url", "发布日期仅从网址推断", "publication date inferred from the URL only")
    accused = [f for f in _run_all(replace(report, published=late)).findings if f.rule == "D002"]
    assert [f.severity for f in accused] == [Severity.ERROR]
    doubted = [f for f in _run_all(replace(report, published=late, read_notes=(note,))).findings
               if f.rule == "D002"]
    assert [f.severity for f in doubted] == [Severity.WARNING] and "网址" in doubted[0].message


def test_notes_kinds_with_loss_are_the_reading_losses() -> None:
    losses = {c for c, k in READ_NOTES.items() if k.loss is Loss.CONTENT}
    assert {"page-unreadable", "page-no-text", "too-many-pages", "html-truncated", "table-too-large"} <= losses


# --- the three acceptance documents: each note reaches JSON, HTML and the terminal -------------------


def _pdf_with_a_page_without_text(folder: Path) -> Path:
    try:
        find_cjk_font()
    except CJKFontNotFound as exc:
        pytest.skip(str(exc))
    source = folder / "source.pdf"
    source.write_bytes(render(generate(seed=21, format_version="2021"), "pdf"))
    pdf = pdfium.PdfDocument(source)
    pdf.new_page(595, 842)  # a scanned page would read the same: no text layer
    out = folder / "scanned-page.pdf"
    pdf.save(out)
    pdf.close()
    return out


def _truncated_page(folder: Path) -> Path:
    page = render(generate(seed=22, format_version="2021"), "html").decode("utf-8")
    path = folder / "truncated.html"
    path.write_text(page.replace("</body>", "<div>" * 300 + "附注" + "</div>" * 300 + "</body>"), encoding="utf-8")
    return path


def _guessed_encoding_page(folder: Path) -> Path:
    # Neither UTF-8 nor GB18030 and no charset declared: charset-normalizer's guess (EUC-JP) is what is read.
    page = render(generate(seed=23, format_version="2021"), "html").decode("utf-8")
    page = re.sub(r"<meta[^>]*charset[^>]*>", "", page)
    path = folder / "guessed.html"
    path.write_bytes(page.encode("euc_jp", errors="xmlcharrefreplace"))
    return path


@pytest.mark.parametrize(("make", "code", "rule"), [
    (_pdf_with_a_page_without_text, "page-no-text", "F006"),
    (_truncated_page, "html-truncated", "F006"),
    (_guessed_encoding_page, "encoding-guessed", "F005"),
])
def test_the_note_shows_in_json_html_and_terminal(make: object, code: str, rule: str, tmp_path: Path) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = check_file(path, Config())
    assert result.status != Status.UNREADABLE and result.report is not None
    note = next(n for n in result.report.read_notes if n.code == code)

    entry = json.loads(render_json([result]))["submissions"][0]
    assert code in [n["code"] for n in entry["read_notes"]]
    shown = [f for f in entry["findings"] if f["rule"] == rule and note.detail in f["message"]]
    assert shown, entry["findings"]
    if note.locator is not None:
        assert shown[0]["location"]["source"] == note.locator.to_dict()

    assert note.detail in render_report_html(result)
    out = StringIO()
    render_terminal([result], Console(file=out, width=400, no_color=True))
    assert note.detail in out.getvalue()
