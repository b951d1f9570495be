"""Plain-text reader, and the whitespace rules every reader shares.

Chinese puts no spaces between words, so text pieces that markup or layout split apart
(`<span>`s, paragraphs inside a table cell, PDF glyph runs) are joined without inserting any,
except between two Latin letters or digits where a space is what the reader saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ogi.ingest.document import RawDocument, TextLine
from ogi.ingest.sniff import decode_text
from ogi.model import SourceLocator

# CJK ideographs, kana, CJK and full-width punctuation/forms (not U+3000, which is a space).
CJK_CHARS = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef"
)
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = str.maketrans("", "", _ZERO_WIDTH_CHARS)
_HAS_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_WS = re.compile(r"\s+")
# A line break between two CJK characters is a source-formatting artefact, not a space
# (CSS Text 3 segment-break rule): "三、收到\n和处理" reads "三、收到和处理".
_BREAK_BETWEEN_CJK = re.compile(f"(?<=[{CJK_CHARS}])[^\\S\\n]*\\n\\s*(?=[{CJK_CHARS}])")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{CJK_CHARS}])\\s+(?=[{CJK_CHARS}])")
_CJK_ONE = re.compile(f"[{CJK_CHARS}]")
# Markdown a converter wrote: a pipe table row, a "#" heading or a line in bold.
_MARKDOWN = re.compile(r"^\s*(?:\|.*\||#{1,6}\s|\*\*|__)", re.M)


def normalise_space(text: str) -> str:
    """Drop zero-width characters, remove line breaks between CJK, collapse other whitespace."""
    if _HAS_ZERO_WIDTH.search(text):  # rarely: translating with a dict is slow on CJK text
        text = text.translate(_ZERO_WIDTH)
    if "\n" in text:
        text = _BREAK_BETWEEN_CJK.sub("", text)
    return _WS.sub(" ", text).strip()


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces between CJK characters (PDF extraction invents them from glyph gaps)."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def join_fragments(parts: Iterable[str]) -> str:
    """Join already-normalised fragments: no separator next to CJK, one space between Latin/digits."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (_CJK_ONE.match(out[-1]) or _CJK_ONE.match(part[0])):
            out += " "
        out += part
    return out


def read_text(data: bytes) -> RawDocument:
    """One TextLine per non-blank line (trailing whitespace stripped; line numbers as in the file)."""
    text, encoding, notes = decode_text(data)
    doc = RawDocument(kind="txt", encoding=encoding, notes=notes)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.translate(_ZERO_WIDTH).rstrip()
        if line.strip():
            doc.lines.append(TextLine(line, SourceLocator(kind="txt", line=number)))
    if _MARKDOWN.search(text):
        from ogi.ingest.markdown import split_markdown  # a cycle at import time: it joins cell text with ours

        doc.lines, doc.grids = split_markdown(doc.lines)
    return doc
