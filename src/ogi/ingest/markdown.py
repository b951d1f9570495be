"""Markdown in a text file: pipe tables become grids, heading and emphasis markers are dropped.

Reports converted by common document-to-Markdown tools keep their tables as pipe tables
(`| 一、本年新收政府信息公开申请数量 | 3746 | 63 | 0 | 0 | 19 | 2 | 3830 |`), with merged cells repeated or
left empty, and their headings as `## 二、主动公开政府信息情况` or `**二、…**`. Tables read as grids, like
an HTML table's, instead of text lines; a line that is not a table is left as it is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ogi.ingest.document import Grid, GridCell, TextLine
from ogi.ingest.text import join_fragments, normalise_space
from ogi.model import SourceLocator

# A cell boundary: a pipe not escaped as "\\|".
_PIPE = re.compile(r"(?<!\\)\|")
# The delimiter row under a table's header: | --- | :---: | ---: |
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__)(.+?)(?<!\\)\1")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?=\S)")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_WHOLE_EMPHASIS = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*$")


def _is_row(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("|") and stripped.endswith("|") and len(_PIPE.findall(stripped)) >= 3


def _cells(text: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    out = []
    for piece in _PIPE.split(stripped):
        piece = _EMPHASIS.sub(r"\2", piece.replace("\\|", "|"))
        out.append(join_fragments(normalise_space(p) for p in _BREAK.split(piece)))
    return out


def _block_end(lines: Sequence[TextLine], start: int) -> int:
    """Where the pipe table starting at `start` ends (exclusive); `start` itself if none starts there."""
    end = start
    while end < len(lines) and (_is_row(lines[end].text) or (end > start and _DELIMITER.match(lines[end].text))):
        if end > start and not _next_line(lines[end - 1], lines[end]):
            break  # a blank line ends a table (the reader drops blank lines, their numbers stay)
        end += 1
    # Two rows at least, one of them a delimiter row or a second row of pipes (a lone "| a | b |" is text).
    return end if end - start >= 2 else start


def _next_line(before: TextLine, after: TextLine) -> bool:
    a, b = before.locator.line, after.locator.line
    return a is None or b is None or b == a + 1


def plain_line(text: str) -> str:
    """A line without its Markdown heading or whole-line emphasis markers ("## 二、…" → "二、…")."""
    if text.lstrip().startswith("#"):
        stripped = _HEADING.sub("", text)
        if stripped != text:
            return _CLOSING_HASHES.sub("", stripped)
    whole = _WHOLE_EMPHASIS.match(text)
    if whole is not None:
        return whole.group(2)
    return text


def _grid(lines: Sequence[TextLine], number: int, after_line: int) -> Grid:
    """A pipe table as a rectangle (short rows padded with empty cells), each cell at its line."""
    texts = [(line, _cells(line.text)) for line in lines if not _DELIMITER.match(line.text)]
    width = max(len(cells) for _, cells in texts)
    rows = []
    for r, (line, cells) in enumerate(texts):
        kind, number_of_line = line.locator.kind, line.locator.line
        rows.append(tuple(
            GridCell(cells[c] if c < len(cells) else "",
                     SourceLocator(kind, line=number_of_line, table=number, row=r + 1, col=c + 1), (r, c))
            for c in range(width)
        ))
    first = lines[0].locator
    return Grid(tuple(rows), SourceLocator(first.kind, line=first.line, table=number), after_line=after_line,
                header_rows=1)


def split_markdown(lines: Sequence[TextLine]) -> tuple[list[TextLine], list[Grid]]:
    """(the text lines, markers dropped; the pipe tables as grids placed after the lines before them)."""
    kept: list[TextLine] = []
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        end = _block_end(lines, i) if "|" in line.text else i
        if end == i:
            text = plain_line(line.text)
            kept.append(line if text == line.text else TextLine(text, line.locator))
            i += 1
            continue
        grids.append(_grid(lines[i:end], len(grids) + 1, len(kept)))
        i = end
    return kept, grids
