"""Tables flattened into text lines: one token per line (flip-book PDFs) or each row's label followed by
its numbers on a line; failing that, cells run together with nothing between them (`run_together`).
Used for the tables no grid holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ogi.ingest.document import TextLine
from ogi.ingest.labels import normalize_label
from ogi.ingest.tables.cells import looks_like_value, text_cell
from ogi.ingest.tables.headers import match_group
from ogi.ingest.tables.row_labels import group_phrase, match_row, row_score
from ogi.ingest.tables.run_together import Piece, find_appeals_row, find_rows, pieces, read_table
from ogi.ingest.tables.vocabulary import TableSpec, table_spec
from ogi.model import CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import ColumnDef, FormatDef

# A bare ordinal token ("1." before "属于国家秘密" after a line or space split) is a label piece.
_ORDINAL_TOKEN = re.compile(r"^[(（]?[0-9０-９]{1,2}[)）.．、]$")


@dataclass(frozen=True)
class _Token:
    text: str
    norm: str
    value: bool
    locator: SourceLocator


_TOKEN_SPLIT = re.compile(r"[\s\u3000\xa0]+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)


def _tokens(lines: Sequence[TextLine], words: tuple[str, ...]) -> list[_Token]:
    out: list[_Token] = []
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue  # "- 4 -" between two halves of a table would read as values
        for piece in _TOKEN_SPLIT.split(line.text.strip()):
            if not piece:
                continue
            value = not _ORDINAL_TOKEN.match(piece) and looks_like_value(piece)
            norm = normalize_label(piece)
            if value and not norm.isdigit() and any(w in norm for w in words):
                # "4（七）总计20": numbers run into the next row's label (crawled text), not a value with a
                # remark ("22（其中修订16件）"): no token holding a label of the tables is a value.
                value = False
            out.append(_Token(piece, norm, value, line.locator))
    return out


def _table_words(fmt: FormatDef) -> tuple[str, ...]:
    """Every label phrase of the format's tables (rows, groups, columns, headings)."""
    words: set[str] = set()
    for tdef in fmt.tables.values():
        spec = table_spec(tdef)
        words.update(p for _, phrases, _ in spec.rows for p in phrases)
        words.update(spec.header)
        words.update(spec.row_groups)
        words.update(p for phrases in spec.group_rows for p in phrases)
    return tuple(sorted(w for w in words if len(w) >= 2))


def _row_values(tokens: list[_Token], at: int, count: int) -> tuple[list[_Token], int]:
    """Up to `count` value tokens starting at `at`, stopping at the first label token."""
    values: list[_Token] = []
    i = at
    while i < len(tokens) and len(values) < count and tokens[i].value:
        values.append(tokens[i])
        i += 1
    return values, i


def _token_cell(token: _Token, col: ColumnDef) -> CellValue:
    return text_cell(token.text, col.signed, col.decimal, token.locator)


def _label_at(tokens: list[_Token], start: int, end: int) -> list[str]:
    """Label candidates for the run tokens[start:end], most specific (shortest suffix) first."""
    return ["".join(t.norm for t in tokens[i:end]) for i in range(end - 1, max(start, end - 4) - 1, -1)]


def _legacy_note(spec: TableSpec, index: int, label: str, printed: str, locator: SourceLocator | None) -> ReadNote:
    """The note for a group printed as one row, as an older format had it (（六）其他处理), read as `index`."""
    rdef, _, group = spec.rows[index]
    layout = spec.single_rows[group or ""][1]
    others = [r.key for r, _, g in spec.rows if g == group and r is not rdef]
    key = spec.tdef.key
    return ReadNote(
        "legacy-row",
        f"表“{spec.tdef.title}”的“{printed}”按{layout or '旧版'}{'年版' if layout else ''}格式只列一行，"
        f"已读作“{rdef.label}”",
        f"{printed!r} of table {key!r} is one row, as in the {layout or 'older'} format; read as {rdef.en!r}",
        locator, (("table", key), ("row", rdef.key), ("label", printed), ("replaces", ",".join(others)),
                  ("layout", layout or "")))


def _is_legacy(spec: TableSpec, index: int, label: str) -> bool:
    """Whether a label that matched row `index` is the heading of the group that row is the one row of."""
    group = spec.rows[index][2]
    single = spec.single_rows.get(group or "")
    return single is not None and single[0] == index and group_phrase(spec, label) == group


def _lines_rows_table(tokens: list[_Token], spec: TableSpec) -> tuple[Table | None, list[ReadNote]]:
    """Tables 二 and 三: labels in canonical order, each followed by its row of values."""
    rows = [r for r, _, _ in spec.rows]
    all_cols = [c.key for c, _ in spec.cols]
    cells: dict[tuple[str, str], CellValue] = {}
    unmatched: list[str] = []
    nxt = 0  # index of the next expected row
    carried: str | None = None
    i = 0
    label_start = 0
    locator: SourceLocator | None = None
    misses = 0
    notes: list[ReadNote] = []
    while i < len(tokens) and nxt < len(rows):
        if not tokens[i].value:
            group = group_phrase(spec, tokens[i].norm)
            if group is not None and row_score(spec, tokens[i].norm) <= len(group):
                carried = group
            i += 1
            continue
        # A run of values: which expected row does the label before it name?
        end = i
        index: int | None = None
        for label in _label_at(tokens, label_start, end):
            # The table starts at its first row; after that, rows may only move forward.
            index = match_row(spec, label, None, carried, nxt)
            if index is not None and (cells or index == 0):
                break
            index = None
        tail = None
        if index is None:
            # A label broken around its numbers ("…重新出" 1 0 0 0 0 0 1 "具已获取信息").
            j = i
            while j < len(tokens) and tokens[j].value:
                j += 1
            if j < len(tokens) and end > label_start:
                joined = _label_at(tokens, label_start, end)[0] + tokens[j].norm
                index = match_row(spec, joined, None, carried, nxt)
                if index is not None and (cells or index == 0):
                    tail = j
                else:
                    index = None
        rdef = rows[index] if index is not None else None
        keys = list(rdef.cols) if rdef is not None and rdef.cols is not None else all_cols
        values, i = _row_values(tokens, i, len(keys) if rdef is not None else 10**6)
        if tail is not None and i == tail:
            i = tail + 1
        label_start = i
        if rdef is None or index is None:
            if cells:
                misses += 1
                if end > label_start:
                    unmatched.append("".join(t.text for t in tokens[label_start:end])[:80])
                if misses > 3:
                    break
            continue
        if not cells and len(values) < len(keys):
            continue  # prose that happens to name the first row is not the table
        nxt = index + 1
        if rdef.group is None:
            carried = None
        if locator is None and values:
            locator = values[0].locator
        if spec.single_rows and values and _is_legacy(spec, index, label):
            printed = tokens[end - 1].text if end > 0 else label
            notes.append(_legacy_note(spec, index, label, printed, values[0].locator))
        for ckey, token in zip(keys, values, strict=False):  # a short row leaves its last cells absent
            cells[(rdef.key, ckey)] = _token_cell(token, spec.column(ckey))
    if not cells:
        return None, []
    return Table(spec.tdef.key, cells, tuple(unmatched), (), locator), notes


def _lines_appeals_table(tokens: list[_Token], spec: TableSpec) -> Table | None:
    """Table 四: after its headings, the first run of 15 values."""
    want = len(spec.groups) * len(spec.cols)
    start = next((k for k, t in enumerate(tokens) if not t.value and match_group(spec, t.norm)), None)
    if start is None:
        return None
    i = start
    while i < len(tokens):
        if not tokens[i].value:
            i += 1
            continue
        values, end = _row_values(tokens, i, want)
        if len(values) == want:
            keys = [(g.key, c) for g, _ in spec.groups for c, _ in spec.cols]
            cells = {(gk, c.key): _token_cell(t, c) for (gk, c), t in zip(keys, values, strict=True)}
            return Table(spec.tdef.key, cells, (), (), values[0].locator)
        i = end
    return None


def recognise_from_lines(lines: list[TextLine], fmt: FormatDef,
                         keys: Sequence[str] | None = None) -> tuple[dict[str, Table], list[ReadNote]]:
    """Tables (of `keys`, else all) flattened into text: each label followed by its numbers, else the
    cells run together (recovered when their split is unique, else reported as unreadable)."""
    if not fmt.tables or not lines:
        return {}, []
    tokens = _tokens(lines, _table_words(fmt))
    tables: dict[str, Table] = {}
    notes: list[ReadNote] = []
    found_pieces: list[Piece] | None = None
    for key, tdef in fmt.tables.items():
        if keys is not None and key not in keys:
            continue
        spec = table_spec(tdef)
        table_notes: list[ReadNote] = []
        if spec.groups:
            table = _lines_appeals_table(tokens, spec)
        else:
            table, table_notes = _lines_rows_table(tokens, spec)
        if table is None:
            if found_pieces is None:
                found_pieces = pieces(lines)
            table, table_notes = _run_together(fmt, spec, found_pieces)
        if table is not None:
            tables[key] = table
        notes.extend(table_notes)
    return tables, notes


def _run_together(fmt: FormatDef, spec: TableSpec, found_pieces: list[Piece]) -> tuple[Table | None, list[ReadNote]]:
    """A table whose cells run together in the text, if its rows are there (see run_together)."""
    if spec.groups:
        piece = find_appeals_row(spec, found_pieces)
        if piece is None:
            return None, []
        targets = tuple((g.key, c.key) for g, _ in spec.groups for c, _ in spec.cols)
        reading = read_table(fmt, spec, [(targets, piece, 10)], True)
        return reading.table, [n for n in (reading.note,) if n is not None]
    rows = find_rows(spec, found_pieces)
    if len(rows) * 2 < len(spec.rows):
        return None, []  # too few of its rows: not this table
    runs = []
    notes: list[ReadNote] = []
    read: set[str] = set()
    blank: list[tuple[tuple[str, str], SourceLocator]] = []
    for found in rows:
        rdef = spec.rows[found.index][0]
        cols = rdef.cols if rdef.cols is not None else spec.tdef.column_keys
        if found.blank:  # a label and no digits: blank cells, as a grid has them
            blank.extend(((rdef.key, c), found.piece.locator) for c in cols)
            read.add(rdef.key)
            continue
        runs.append((tuple((rdef.key, c) for c in cols), found.piece, len(spec.official[found.index][-1])))
        read.add(rdef.key)
        if found.legacy:
            printed = found.piece.text.strip().splitlines()[-1][-20:] if found.piece.text.strip() else found.label
            notes.append(_legacy_note(spec, found.index, found.label, printed, found.piece.locator))
            read.update(dict(notes[-1].data)["replaces"].split(","))
    complete = all(r.key in read for r, _, _ in spec.rows)
    reading = read_table(fmt, spec, runs, complete)
    table = reading.table
    if table is None:
        notes = []  # nothing was read: the legacy note would speak of a row that is not
    elif blank:
        cells = dict(table.cells)
        for (row, col), locator in blank:
            cdef = spec.column(col)
            cells[(row, col)] = text_cell("", cdef.signed, cdef.decimal, locator)
        table = Table(table.key, cells, table.unmatched_rows, table.unmatched_cols, table.locator)
    return table, [*notes, *(n for n in (reading.note,) if n is not None)]
