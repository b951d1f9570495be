"""What every reader produces: the document's text lines and table grids, before interpretation.

Readers (txt, html, docx, xlsx, pdf) only have to lay the file out as lines and grids; turning
them into a Report (headings, sections, metadata, canonical tables) is shared (`assemble.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogi.model import ReadNote, SourceLocator


@dataclass(frozen=True)
class TextLine:
    """A paragraph or line of body text, in reading order."""

    text: str
    locator: SourceLocator
    # True when the line was a visual heading in the source (<h2>, <strong> paragraph, Word heading).
    emphasised: bool = False


@dataclass(frozen=True)
class GridCell:
    text: str
    locator: SourceLocator
    # Top-left (row, col) of the merged span this cell belongs to; equal to its own place if unmerged.
    origin: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Grid:
    """A table with rowspan/colspan (or merged cells) expanded into a rectangle."""

    rows: tuple[tuple[GridCell, ...], ...]
    locator: SourceLocator
    # Index of the text line the table follows, so tables can be placed within sections.
    after_line: int = 0
    # Rows the source marks as headings whatever they say (a Markdown pipe table's first row).
    header_rows: int = 0

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class RawDocument:
    kind: str
    lines: list[TextLine] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    # Page metadata as found: keys such as "title", "发布日期", "公开日期", "成文日期", "索引号", "url".
    meta: dict[str, str] = field(default_factory=dict)
    # Links found in the body: (text, href).
    links: list[tuple[str, str]] = field(default_factory=list)
    encoding: str | None = None
    notes: list[ReadNote] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
