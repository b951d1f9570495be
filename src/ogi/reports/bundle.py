"""`ogi check … --out DIR`: the whole set of reports for a batch, written into one folder.

    DIR/index.html          the dashboard, linking to every submission's report
    DIR/reports/*.html      one report per submission, named after its agency and year
    DIR/report.json         the JSON contract (schemas/report.schema.json)
    DIR/summary.xlsx        报告汇总 · 问题明细 · 报送情况
    DIR/junit.xml           for CI servers
    DIR/report.md           for merge-request comments

Agency names come from the documents and are not trusted: file names made from them are cleaned so
that every file lands inside DIR. Output is deterministic; a time appears only when `generated_at` is
given.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from ogi.config import Config
from ogi.model import SubmissionResult
from ogi.reports.common import display_name
from ogi.reports.dashboard import render_dashboard
from ogi.reports.html import render_report_html
from ogi.reports.json_report import render_json
from ogi.reports.junit import render_junit
from ogi.reports.markdown import render_markdown
from ogi.reports.xlsx_summary import write_summary_xlsx
from ogi.roster import RosterReport, roster_status

REPORTS_DIR = "reports"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$",
                               re.IGNORECASE)
MAX_STEM_BYTES = 150  # well under the 255-byte limit of common file systems, leaving room for suffixes


def safe_stem(text: str) -> str:
    """A file-name stem made from untrusted text: no separators, no control characters, no '..'."""
    text = unicodedata.normalize("NFC", text)
    # Control, format (e.g. bidirectional overrides), private-use, unassigned and separator characters go.
    text = "".join(ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " " for ch in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" ._-")
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    encoded = text.encode("utf-8")[:MAX_STEM_BYTES]
    text = encoded.decode("utf-8", errors="ignore").rstrip(" ._-")
    return text or "report"


def report_file_names(results: Sequence[SubmissionResult]) -> list[str]:
    """One unique file name per submission: 机关-年度.html, with -2, -3 … on a collision."""
    taken: set[str] = set()
    names: list[str] = []
    for result in results:
        report = result.report
        stem = safe_stem(display_name(result))
        if report is not None and report.year:
            stem = f"{stem}-{report.year}"  # after cleaning, so that a long name never cuts off the year
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.casefold())
        names.append(f"{candidate}.html")
    return names


def _inside(path: Path, folder: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):  # defence in depth: safe_stem already prevents it
        raise ValueError(f"refusing to write outside {folder}: {path}")
    return path


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def write_bundle(results: Sequence[SubmissionResult], out_dir: Path, *, lang: str = "zh",
                 roster: str | Path | RosterReport | None = None, generated_at: dt.datetime | None = None,
                 config: Config | None = None, fail_on: str = "error") -> None:
    """Write every report for the batch into `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    reports_dir = out_dir / REPORTS_DIR
    reports_dir.mkdir(parents=True, exist_ok=True)
    results = list(results)
    roster_report = roster if isinstance(roster, RosterReport) or roster is None else \
        roster_status(roster, results, config)

    names = report_file_names(results)
    for result, name in zip(results, names, strict=True):
        html = render_report_html(result, lang, generated_at=generated_at, index_href="../index.html")
        _write_text(_inside(reports_dir / name, out_dir), html)
    links = [f"{REPORTS_DIR}/{quote(name)}" for name in names]
    _write_text(out_dir / "index.html",
                render_dashboard(results, links, lang, roster=roster_report, generated_at=generated_at))
    _write_text(out_dir / "report.json", render_json(results, generated_at=generated_at))
    _write_text(out_dir / "report.md", render_markdown(results, lang))
    _write_text(out_dir / "junit.xml",
                render_junit(results, lang=lang, fail_on=fail_on, generated_at=generated_at))
    write_summary_xlsx(results, out_dir / "summary.xlsx", roster=roster_report, lang=lang,
                       generated_at=generated_at)
