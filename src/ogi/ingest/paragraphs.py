"""PDF text comes as visual lines; checks need paragraphs ("351\n件" is one number with its unit)."""

from __future__ import annotations

import re

from ogi.ingest.document import TextLine

_PAGE_NUMBER = re.compile(r"^\s*[-－—]?\s*\d{1,3}\s*[-－—]?\s*$|^\s*第\s*\d+\s*页")
_STARTS_BLOCK = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|（[一二三四五六七八九十]{1,3}）|\d{1,2}[.．、]\D|表[一二三四]|附件)"
)
_ENDS_PARAGRAPH = ("。", "；", "！", "？", "：", ":")


def merge_wrapped_lines(lines: list[TextLine]) -> list[TextLine]:
    """Join lines a PDF wrapped mid-sentence; drop bare page numbers. Chinese joins without a space."""
    out: list[TextLine] = []
    for line in lines:
        text = line.text.strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        if out and _continues(out[-1], text):
            prev = out[-1]
            out[-1] = TextLine(_join(prev.text, text), prev.locator, prev.emphasised)
        else:
            out.append(TextLine(text, line.locator, line.emphasised))
    return out


def _continues(prev: TextLine, text: str) -> bool:
    if prev.emphasised or prev.text.endswith(_ENDS_PARAGRAPH) or _STARTS_BLOCK.match(text):
        return False
    # A short numbered line without a full stop is a heading, not the start of a wrapped paragraph.
    return not (_STARTS_BLOCK.match(prev.text) and len(prev.text) <= 30 and "。" not in prev.text)


def _join(left: str, right: str) -> str:
    # A space only between two Latin words ("annual report"); a number wrapped mid-way ("201" + "9年")
    # and Chinese join directly.
    if left and right and left[-1].isascii() and right[0].isascii() and left[-1].isalpha() and right[0].isalpha():
        return f"{left} {right}"
    return left + right
