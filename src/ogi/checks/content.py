"""Whether a file holds a report at all: some prose or some numbers that could be checked.

A blank template (headings, "（文字描述）" and empty tables) or a page that is not an annual report has
nothing to check: it gets S003 and the rules about the file itself, not a finding about each thing its
absent content does not say (nothing readable → nothing else).
"""

from __future__ import annotations

import re

from ogi.checks.cells import has_number
from ogi.model import Report

# The official template's instructions in place of a section's text: "（文字描述）", "（文字描述，收取……报告。）".
_PLACEHOLDER = re.compile(r"[（(]\s*文字描述[^）)]*[）)]")
# Sections holding only placeholders: a preamble this long still makes a report.
MIN_PROSE_CHARS = 200
# A sentence: Chinese words ending in a full stop ("本机关依法公开政府信息。").
_SENTENCE = re.compile(r"[\u4e00-\u9fff][^。；！？]{5,}[。；！？]")
# Lines that are not the report's prose: page fields, attachment links.
_NOT_PROSE = re.compile(r"\s*(?:附件|标题|发布|成文|公开日期|来源|信息来源|索引号|原文链接|字号|打印|关闭)")


def has_content(text: str) -> bool:
    """Text that is more than whitespace and template placeholders."""
    return bool(_PLACEHOLDER.sub("", text).strip())


def report_is_empty(report: Report) -> bool:
    """No table number, no section with real text, and (without sections) no report-like prose."""
    if any(has_content(s.text) for s in report.sections):
        return False
    if any(has_number(c) for t in report.tables.values() for c in t.cells.values()):
        return False
    if report.sections:
        return not has_content(report.preamble) or len(report.preamble) < MIN_PROSE_CHARS
    # No headings recognised (they take three): prose still makes a report when the file says whose or
    # which year's it is — a sentence besides its title, page fields and attachment links.
    if not (report.agency or report.year is not None or report.title):
        return True
    return not any(_SENTENCE.search(line) for line in report.text.splitlines()
                   if line.strip() != (report.title or "").strip() and not _NOT_PROSE.match(line))
