"""The 2008-era statistics table (政府信息公开情况统计表): 指标名称 | 计量单位 | 本年度 | 历年累计.

No national format exists for data years 2008–2018; provinces attached their own table (Fujian's:
主动公开信息数, 其中 1.网站公开 2.政府公报公开, 受理依申请公开信息总数, 其中 1.当面…6.其它形式申请数, 对申请的答复数,
其中 1.同意公开…3.否决公开答复数, 行政复议数, 行政诉讼数, 行政申诉数; later years drop, merge or reword rows).
Rows are matched by label (the definition's `match` or one of its `variants`, the longest phrases winning; a
label two rows fit equally well is not read) and whichever rows a variant prints are read.

From a grid (HTML, DOCX, XLSX, PDF) each row's cells are its own. From crawled text the cells run together:
'受理依申请公开信息总数条728' is 7 | 28 — the unit (条/件/元/人次) ends the label and the two numbers follow. A
row's split is accepted only when it is the only one possible:

- by its digits (a count has no leading zero, except a lone "0"; a space is a cell boundary); where they
  allow several cuts, by 历年累计 ≥ 本年度 (a cumulative count includes this year's);
- else by the table's 其中 rows: the parts cannot add up to more than their total (each alone, where one item
  may count in two parts), in either column. A row is read when every assignment of the open rows of its
  group that keeps this gives it the same two cells.

A row whose split stays open is not read, and a note names it (`rows-unreadable`, F007); the checks on what
the reading relied on (历年累计 ≥ 本年度; parts ≤ total) then hold by construction, and the note says so.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ogi.ingest.document import Grid, RawDocument, TextLine
from ogi.ingest.labels import normalize_label
from ogi.ingest.tables.cells import text_cell
from ogi.ingest.tables.run_together import pieces, recovered_note
from ogi.model import CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import TableDef

# The 计量单位 column's words, longest first: the unit ends a row's label in crawled text.
UNITS = ("万元", "人次", "条", "件", "元", "项", "个", "次")
_MONEY = ("万元", "元")
_HEADER = "历年累计"
_HEADER_WORDS = ("指标名称", "计量单位", "单位")  # what stands before 历年累计 in the header row
_INT = re.compile(r"0|[1-9]\d*")
_DEC = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_LABEL_MAX = 30  # a longer "label" is prose after the table, not a row
_MAX_MISSES = 3  # rows in a row the definition does not know before the table is taken to have ended
_COMBOS = 50_000  # assignments tried per group of 其中 rows; beyond this the open rows stay unread

Pair = tuple[str, str]


@dataclass(frozen=True)
class _Row:
    key: str
    printed: str
    unit: str
    options: tuple[Pair, ...]  # the (本年度, 历年累计) texts the row's digits allow
    locator: SourceLocator
    joined: bool  # its two cells ran together in the text
    bounded: bool  # its cuts were narrowed by the cumulative ≥ year bound


def _forms(tdef: TableDef) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    return [(r.key, tuple(tuple(normalize_label(p) for p in m) for m in (r.match, *r.variants) if m))
            for r in tdef.rows]


def match_label(tdef: TableDef, printed: str) -> str | None:
    """The row key a printed label names: every phrase of the row's `match` (or of a variant) occurs in it,
    the longest phrases winning; None when no row fits or two rows fit equally well."""
    label = normalize_label(printed)
    scored: list[tuple[int, str]] = []
    for key, forms in _forms(tdef):
        best = max((sum(len(p) for p in form) for form in forms if all(p in label for p in form)), default=0)
        if best:
            scored.append((best, key))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two rows fit as well: never guess which
    return scored[0][1]


def _valid(text: str, money: bool) -> bool:
    return (_DEC if money else _INT).fullmatch(text) is not None


def _splits(chunks: Sequence[str], money: bool) -> tuple[tuple[Pair, ...], bool]:
    """Every (本年度, 历年累计) the digits allow, and whether the cumulative ≥ year bound was needed to narrow
    them: two chunks are the two cells; one is cut where both halves are numbers (the only such cut is taken
    as it is, so a cumulative below the year stays visible), else where the cumulative is at least the year."""
    if len(chunks) == 2:
        return (((chunks[0], chunks[1]),) if all(_valid(c, money) for c in chunks) else ()), False
    if len(chunks) != 1:
        return (), False
    s = chunks[0]
    cuts = [(s[:cut], s[cut:]) for cut in range(1, len(s)) if _valid(s[:cut], money) and _valid(s[cut:], money)]
    if len(cuts) <= 1:
        return tuple(cuts), False
    return tuple(c for c in cuts if float(c[1]) >= float(c[0])), True


def _unit_and_label(text: str) -> tuple[str, str]:
    """(unit, label) of the text before a row's numbers: "网上申请数条" → ("条", "网上申请数")."""
    stripped = text.strip()
    for unit in UNITS:
        if stripped.endswith(unit):
            return unit, stripped[: -len(unit)].strip()
    return "", stripped


# ---------------------------------------------------------------------------------------------
# Crawled text: the rows after the header's 历年累计.


def _header_before(before: str) -> bool:
    """Whether the text before a 历年累计 is the header row's start (the cells may be lines of their own)."""
    return before.endswith("年度") or any(w in before[-30:] for w in _HEADER_WORDS)


def _text_rows(tdef: TableDef, lines: Sequence[TextLine]) -> tuple[list[_Row], list[str], SourceLocator | None]:
    """The rows after the header (each with the cuts its digits allow), the labels no row matched, and where."""
    start = None
    for i, line in enumerate(lines):
        if _HEADER not in line.text:
            continue
        text = unicodedata.normalize("NFKC", line.text)
        at = text.find(_HEADER)
        earlier = "".join(unicodedata.normalize("NFKC", x.text).strip() for x in lines[max(0, i - 3): i])
        while at >= 0 and not _header_before((earlier + text[:at]).rstrip()):
            at = text.find(_HEADER, at + 1)  # "历年累计" in prose is not the table's header
        if at >= 0:
            start = (i, at + len(_HEADER))
            break
    if start is None:
        return [], [], None
    i, offset = start
    first = lines[i]
    body = [TextLine(unicodedata.normalize("NFKC", first.text)[offset:], first.locator), *lines[i + 1:]]
    rows: list[_Row] = []
    unmatched: list[str] = []
    seen: set[str] = set()
    misses = 0
    for piece in pieces(body):
        unit, label = _unit_and_label(piece.text)
        key = match_label(tdef, label) if len(normalize_label(label)) <= _LABEL_MAX else None
        if key is None or key in seen:
            misses += 1
            # A row this table does not define (a label, its unit, numbers) is named; anything else, or
            # a run of them, is where the table ends (prose, a signature date).
            if unit and len(normalize_label(label)) <= _LABEL_MAX and misses <= _MAX_MISSES:
                unmatched.append(label)
                continue
            break
        misses = 0
        seen.add(key)
        options, bounded = _splits(piece.chunks, unit in _MONEY)
        rows.append(_Row(key, label, unit, options, piece.locator, len(piece.chunks) == 1, bounded))
    return rows, unmatched, first.locator


# ---------------------------------------------------------------------------------------------
# Grids: a header row with 历年累计, then label | unit | 本年度 | 历年累计.


def _grid_rows(tdef: TableDef, grid: Grid) -> tuple[list[_Row], list[str]] | None:
    texts = [[unicodedata.normalize("NFKC", c.text).strip() for c in row] for row in grid.rows]
    header = next((r for r, row in enumerate(texts) if any(_HEADER in t for t in row)), None)
    if header is None:
        return None
    cols = texts[header]
    cum = next(c for c, t in enumerate(cols) if _HEADER in t)
    year = next((c for c, t in enumerate(cols) if "年度" in t and _HEADER not in t), None)
    unit_col = next((c for c, t in enumerate(cols) if "单位" in t), None)
    if year is None:
        return None
    rows: list[_Row] = []
    unmatched: list[str] = []
    seen: set[str] = set()
    for r in range(header + 1, len(texts)):
        row = texts[r]
        if len(row) <= max(cum, year):
            continue
        unit = row[unit_col] if unit_col is not None and unit_col < len(row) else ""
        # The rightmost label cell: "其中" columns put a part's label right of its total's merged cell.
        label = next((t for c, t in reversed(list(enumerate(row[: min(year, cum)]))) if t and c != unit_col), "")
        key = match_label(tdef, label)
        if key is None or key in seen:
            if label:
                unmatched.append(label)
            continue
        seen.add(key)
        pair = (row[year], row[cum])
        rows.append(_Row(key, label, unit, (pair,), grid.rows[r][year].locator, False, False))
    return rows, unmatched


# ---------------------------------------------------------------------------------------------
# Settling the rows the digits leave open by the 其中 rows (parts ≤ total, in both columns).


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0  # a grid's placeholder: not a number, no bound


def _within(overlap: bool, parts: list[float], total: float) -> bool:
    """Parts within their total: together, or each alone when they may overlap."""
    return (max(parts, default=0.0) if overlap else sum(parts)) <= total + 1e-9


def _settle(tdef: TableDef, rows: list[_Row]) -> tuple[dict[str, Pair], set[str]]:
    """(the rows whose cells are known, the rows known only through the 其中 bound)."""
    by_key = {r.key: r for r in rows}
    known: dict[str, Pair] = {r.key: r.options[0] for r in rows if len(r.options) == 1}
    by_parts: set[str] = set()
    for group in tdef.parts:
        members = [k for k in (group.total, *group.parts) if k in by_key]
        if group.total not in by_key or len(members) < 2:
            continue
        open_rows = [k for k in members if k not in known and by_key[k].options]
        if not open_rows:
            continue
        sizes = [len(by_key[k].options) for k in open_rows]
        count = 1
        for size in sizes:
            count *= size
        if count > _COMBOS:
            continue
        seen: dict[str, set[Pair]] = {k: set() for k in open_rows}
        for combo in itertools.product(*(by_key[k].options for k in open_rows)):
            values = {**{k: known[k] for k in members if k in known}, **dict(zip(open_rows, combo, strict=True))}
            total = values[group.total]
            parts = [values[k] for k in members if k != group.total and k in values]
            if all(_within(group.overlap, [_number(p[c]) for p in parts], _number(total[c])) for c in (0, 1)):
                for k, pair in zip(open_rows, combo, strict=True):
                    seen[k].add(pair)
        for k, found in seen.items():
            if len(found) == 1:
                known[k] = next(iter(found))
                by_parts.add(k)
    return known, by_parts


def _cells(tdef: TableDef, rows: list[_Row], known: dict[str, Pair]) -> dict[tuple[str, str], CellValue]:
    cells: dict[tuple[str, str], CellValue] = {}
    for r in rows:
        if r.key not in known:
            continue
        money = r.unit in _MONEY
        for col, text in zip(("year", "cumulative"), known[r.key], strict=True):
            cells[(r.key, col)] = text_cell(text, False, money, r.locator)
    return cells


def _notes(tdef: TableDef, rows: list[_Row], known: dict[str, Pair], by_parts: set[str],
           locator: SourceLocator | None) -> list[ReadNote]:
    key, title = tdef.key, tdef.title
    notes: list[ReadNote] = []
    joined = [r for r in rows if r.joined and r.key in known]
    bounded = [r for r in joined if r.bounded]
    if joined:
        shown = (bounded or joined)[0]
        sample = f"{shown.printed}{shown.unit}{''.join(known[shown.key])}"
        relied = bool(bounded or by_parts)
        how_zh = "按各格位数" + ("、“历年累计不小于本年度”" if bounded else "") + (
            "及“其中各项之和不大于总数”" if by_parts else "")
        how_en = "by the digit counts" + (", cumulative ≥ this year" if bounded else "") + (
            " and parts ≤ their total" if by_parts else "")
        notes.append(recovered_note(
            key, title, sample, (how_zh, how_en), relied, locator,
            (("method", "parts" if by_parts else "cumulative" if bounded else "digits"),
             ("split", ",".join(r.key for r in bounded)), ("by_parts", ",".join(sorted(by_parts))))))
    unread = [r for r in rows if r.key not in known]
    if unread:
        samples = "、".join(f"“{r.printed}{r.unit}…”" for r in unread)
        samples_en = ", ".join(repr(r.printed) for r in unread)
        rows_read = [r for r in rows if r.key in known]
        notes.append(ReadNote(
            "rows-unreadable" if rows_read else "table-unreadable",
            f"表“{title}”的单元格数字在文件中连在一起，其中{samples}不能唯一拆分为本年度和历年累计两栏，"
            "无法确定其数值，未读取"
            + ("；其余各行已唯一拆分读取" if rows_read else ""),
            f"the cells of table {key!r} run together in the file; {samples_en} cannot be split into this year and "
            "cumulative one way only, so their cells cannot be known and were not read"
            + ("; every other row split one way only" if rows_read else ""),
            locator, (("table", key), ("rows", ",".join(r.key for r in unread)),
                      ("reason", "no single split into two cells"))))
    return notes


def read_old_statistics(raw: RawDocument, tdef: TableDef) -> tuple[Table | None, list[ReadNote]]:
    """The statistics table from the document's grids, else from its text; with what could not be read."""
    for grid in raw.grids:
        found = _grid_rows(tdef, grid)
        if found is not None and found[0]:
            rows, unmatched = found
            known = {r.key: r.options[0] for r in rows}
            return Table(tdef.key, _cells(tdef, rows, known), tuple(unmatched), (), grid.locator), []
    rows, unmatched, locator = _text_rows(tdef, raw.lines)
    if not rows:
        return None, []
    known, by_parts = _settle(tdef, rows)
    notes = _notes(tdef, rows, known, by_parts, locator)
    cells = _cells(tdef, rows, known)
    return (Table(tdef.key, cells, tuple(unmatched), (), locator) if cells else None), notes
