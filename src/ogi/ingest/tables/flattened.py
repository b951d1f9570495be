"""Tables flattened into text lines: one token per line (flip-book PDFs) or each row's label followed by
its numbers on a line. Used when no grid holds the tables.
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
from ogi.ingest.tables.vocabulary import TableSpec, table_spec
from ogi.model import CellValue, SourceLocator, Table
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


def _tokens(lines: Sequence[TextLine]) -> list[_Token]:
    out: list[_Token] = []
    for line in lines:
        if _PAGE_NUMBER.match(line.text):
            continue  # "- 4 -" between two halves of a table would read as values
        for piece in _TOKEN_SPLIT.split(line.text.strip()):
            if not piece:
                continue
            value = not _ORDINAL_TOKEN.match(piece) and looks_like_value(piece)
            out.append(_Token(piece, normalize_label(piece), value, line.locator))
    return out


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


def _lines_rows_table(tokens: list[_Token], spec: TableSpec) -> Table | None:
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
        for ckey, token in zip(keys, values, strict=False):  # a short row leaves its last cells absent
            cells[(rdef.key, ckey)] = _token_cell(token, spec.column(ckey))
    if not cells:
        return None
    return Table(spec.tdef.key, cells, tuple(unmatched), (), locator)


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


def recognise_from_lines(lines: list[TextLine], fmt: FormatDef) -> dict[str, Table]:
    """Tables flattened into text: each label followed by its numbers (used when no grid holds them)."""
    if not fmt.tables or not lines:
        return {}
    tokens = _tokens(lines)
    tables: dict[str, Table] = {}
    for key, tdef in fmt.tables.items():
        spec = table_spec(tdef)
        table = _lines_appeals_table(tokens, spec) if spec.groups else _lines_rows_table(tokens, spec)
        if table is not None:
            tables[key] = table
    return tables

