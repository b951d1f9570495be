"""Tables 二/三/四 found in a document's grids: every segment read, the best copy of each table kept."""

from __future__ import annotations

from ogi.ingest.document import Grid, RawDocument, TextLine
from ogi.ingest.tables.parse import Parsed, SegmentParser, note
from ogi.ingest.tables.segments import segments
from ogi.ingest.tables.vocabulary import table_spec
from ogi.model import CellKind, CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import FormatDef


def recognise_tables(raw: RawDocument, fmt: FormatDef) -> tuple[dict[str, Table], list[ReadNote]]:
    """Tables 二/三/四 found in the document's grids, in canonical keys, with what did not fit."""
    if not fmt.tables or not raw.grids:
        return {}, []
    found: dict[str, list[Parsed]] = {}
    headed: dict[str, SourceLocator | None] = {}  # tables present by their headings alone
    captions = grid_captions(raw.lines, raw.grids)
    for seg in segments(raw.grids, fmt):
        spec = table_spec(fmt.tables[seg.key])
        parser = SegmentParser(seg, spec, captions)
        for parsed in parser.run():
            found.setdefault(seg.key, []).append(parsed)
        if parser.headings_only:
            headed.setdefault(seg.key, seg.rows[0].locator if seg.rows else None)
    tables: dict[str, Table] = {}
    notes: list[ReadNote] = []
    for key in fmt.tables:
        copies = found.get(key)
        if not copies:
            if key in headed:
                blank = CellValue("", CellKind.BLANK)
                tables[key] = Table(key, dict.fromkeys(fmt.tables[key].cells(), blank), (), (), headed[key])
            continue
        copies = _parts_in_group_order(copies, [g.key for g, _ in table_spec(fmt.tables[key]).groups])
        best = copies[0] if len(copies) == 1 else max(copies, key=lambda p: p.score())  # first of equals wins
        tables[key] = best.table()
        notes.extend(best.notes)
        if len(copies) > 1:
            title = fmt.tables[key].title
            notes.append(note(
                "duplicate-table",
                f"表“{title}”出现{len(copies)}次，已取填写数值最多的一份",
                f"table {key!r} appears {len(copies)} times; the copy with the most values is used",
                best.locator, table=key, copies=str(len(copies))))
    return tables, notes



def _parts_in_group_order(copies: list[Parsed], groups: list[str]) -> list[Parsed]:
    """Table 四 cut into one table per group with nothing naming the groups (no group heading, no caption):
    each part is read as the first group. When there are exactly as many parts as the format has groups, they
    are the groups in the format's fixed order (as unnamed columns of one wide table 四 are); otherwise which
    part is which is not known, and the copies stay apart (the duplicate note says one was taken)."""
    if not groups or len(copies) != len(groups):
        return copies
    if any(not c.cells or {row for row, _ in c.cells} != {groups[0]} for c in copies):
        return copies
    merged = Parsed(copies[0].key, locator=copies[0].locator)
    for group, part in zip(groups, copies, strict=True):
        merged.cells.update({(group, col): cell for (_, col), cell in part.cells.items()})
        merged.unmatched_rows.extend(part.unmatched_rows)
        merged.unmatched_cols.extend(c for c in part.unmatched_cols if c not in merged.unmatched_cols)
        merged.notes.extend(part.notes)
    return [merged]


def grid_captions(lines: list[TextLine], grids: list[Grid]) -> dict[int, str]:
    """Per grid, the text line right before it, when no other grid stands between them (a heading over a
    table a conversion cut into pieces: "### 行政诉讼（复议后起诉）" over table 四's lawsuit part)."""
    captions: dict[int, str] = {}
    taken: set[int] = set()
    for gi, grid in enumerate(grids):
        at = grid.after_line
        if at in taken or not 0 < at <= len(lines):
            continue
        taken.add(at)
        captions[gi] = lines[at - 1].text
    return captions
