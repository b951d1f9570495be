"""Tables whose cells run together in a page's text: where flattened cells are split.

A crawler's text of a page joins a table's cells with nothing between them: `行政规范性文件77132470` is
77 | 132 | 470, `本年新收政府信息公开申请数量190000120` is 19 | 0 | 0 | 0 | 0 | 1 | 20. The labels still stand
between the rows, so each row's digits are known; how they divide into cells is not, in general.

A row's split is accepted when it is the only one possible:

- by the digits alone (a count has no leading zero, except a lone "0"; a space or a line break in the
  text is a cell boundary): "0000000" is seven zeros, "1000" into three cells is 10 | 0 | 0;
- or, for a table with identities, the only split that satisfies them: each row's own identity first
  (table 三: 总计 = the six applicant columns; table 四: 总计 = the four results), then the identities between
  rows (table 三's balance and outcome sums) choose among the rows still open. Table 二 has no identity: its
  rows are read only when the digits allow one split.

A table is recovered when every row it should have was found and split; otherwise it is there but not
machine-readable in this file, and the reader says so (never "missing"). A row printed with its label and
no digits (the text between two runs is exactly its label) is found, with blank cells. A table no identity
links (table 二) is read row by row: the rows the digits settle, and a note naming the others. The search
is capped; when the cap is hit the table is not read, and the note says why.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ogi.ingest.document import TextLine
from ogi.ingest.tables.cells import text_cell
from ogi.ingest.tables.headers import match_group
from ogi.ingest.tables.vocabulary import MAX_LABEL, TableSpec
from ogi.model import CellValue, ReadNote, SourceLocator, Table
from ogi.schemas.definitions import FormatDef
from ogi.schemas.pandera_schemas import identity_members

# A run of numbers: digits (a decimal point inside a number) with spaces between cells.
_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \t\u3000\xa0]+\d+(?:\.\d+)?)*")
# A digit directly before "." or "、" and a word is the next label's ordinal: "…0 0 1.属于国家秘密".
_ORDINAL_AFTER = re.compile(r"[.、]\s*[^\d\s.]")
_FOLD = re.compile(r"[\W_]+")
_SIGNS = ("-", "−", "+")
_INT = re.compile(r"0|[1-9]\d*")
_DEC = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
_SIGNED = re.compile(r"[-+]?(?:0|[1-9]\d*)")
_BUDGET = 100_000  # cells tried per table (about a second at worst): beyond this it is not read, and said
_MAX_OPEN = 64  # splits kept per row when the row's own identity leaves several


@dataclass(frozen=True)
class Piece:
    """The text since the last run of numbers, and the run after it (its groups split where spaces were)."""

    text: str
    chunks: tuple[str, ...]
    locator: SourceLocator


def pieces(lines: Sequence[TextLine]) -> list[Piece]:
    """The lines as (text, numbers) pieces, in reading order. A line break is a cell boundary."""
    out: list[Piece] = []
    text = ""
    for line in lines:
        s = unicodedata.normalize("NFKC", line.text)
        pos = 0
        for m in _RUN.finditer(s):
            run = m.group()
            ordinal = ""
            if _ORDINAL_AFTER.match(s, m.end()) and "." not in run[-1:]:
                run, ordinal = run[:-1].rstrip(), run[-1]
            text += s[pos:m.start()]
            if run:
                if out and not text.strip() and out[-1].locator.kind == line.locator.kind:
                    prev = out[-1]  # numbers continued on the next line: one run, split there
                    out[-1] = Piece(prev.text, prev.chunks + tuple(run.split()), prev.locator)
                else:
                    out.append(Piece(text, tuple(run.split()), line.locator))
                text = ""
            text += ordinal
            pos = m.end()
        text += s[pos:] + "\n"
    return _join_signs(out)


def _join_signs(found: list[Piece]) -> list[Piece]:
    """A sign alone between two runs belongs to the number after it ("行政处罚2648-18538"): one run."""
    out: list[Piece] = []
    for piece in found:
        if out and piece.text.strip() in _SIGNS:
            prev = out[-1]
            merged = prev.chunks[-1] + piece.text.strip().replace("−", "-") + piece.chunks[0]
            out[-1] = Piece(prev.text, (*prev.chunks[:-1], merged, *piece.chunks[1:]), prev.locator)
        else:
            out.append(piece)
    return out


def _fold(text: str) -> str:
    return _FOLD.sub("", text)


# ---------------------------------------------------------------------------------------------
# Finding the rows: each row's label ends the text before its numbers.


@dataclass(frozen=True)
class _Found:
    index: int  # the row of the format
    piece: Piece
    label: str  # as printed (folded)
    legacy: bool  # a group heading read as the group's one row (（六）其他处理 in a 2021 table)
    blank: bool = False  # printed with its label and no digits: its cells are blank


def _row_at(spec: TableSpec, tail: str, start: int, carried: str | None, first: bool) -> int | None:
    """The expected row (from `start` on) whose label ends the text before a run: its words stand where its
    official label puts them, counted from the end (a remark after them, "（区分处理的，…）", may be left out);
    an exact official label wins, then the longest words."""
    best: tuple[int, int] | None = None
    at = -1
    for i in range(start, 1 if first else len(spec.rows)):
        _, phrases, group = spec.rows[i]
        if group is not None and carried is not None and group not in carried:
            continue
        if not phrases or not _ends_label(tail, phrases, spec.official[i]):
            continue
        rank = (max((len(f) for f in spec.official[i] if f and tail.endswith(f)), default=0),
                sum(len(p) for p in phrases))
        if best is None or rank > best:
            best, at = rank, i
    return at if best is not None else None


def _ends_label(tail: str, phrases: tuple[str, ...], forms: tuple[str, ...]) -> bool:
    """Whether the row's words end the text as in one of its official labels (within two characters)."""
    if not all(p in tail for p in phrases):
        return False
    for form in forms:
        if not all(p in form for p in phrases):
            continue
        last = max(phrases, key=lambda p: form.rfind(p) + len(p))  # the word the label ends nearest
        after = len(form) - (form.rfind(last) + len(last))  # the label's characters after it (a remark)
        if abs(len(tail) - (tail.rfind(last) + len(last)) - after) <= 2:
            return True
    return False


def find_rows(spec: TableSpec, found_pieces: Sequence[Piece]) -> list[_Found]:
    """The table's rows in order, each with the run after its label. The table starts at its first row and
    rows only move forward; a false start (prose naming the first row) is dropped at its first miss."""
    rows: list[_Found] = []
    carried: str | None = None
    misses = 0
    for piece in found_pieces:
        tail = _fold(piece.text)[-MAX_LABEL:]
        start = rows[-1].index + 1 if rows else 0
        if start >= len(spec.rows):
            break
        heads = [(tail.rfind(g), g) for g in spec.row_groups if g in tail]
        if heads:
            carried = max(heads)[1]
        index = _row_at(spec, tail, start, carried, not rows)
        if index is None and rows and len(rows) * 2 < len(spec.rows):
            first = _row_at(spec, tail, 0, None, True)  # a false start in prose, then the table itself
            if first is not None:
                rows, carried, misses, index = [], None, 0, first
        if index is None:
            if len(rows) < 2:
                rows, carried = [], None
            elif rows:
                misses += 1
                if misses > 3:
                    if len(rows) * 2 >= len(spec.rows):
                        break
                    rows, carried, misses = [], None, 0  # too few rows to be the table: look further
            continue
        if rows and index > start and _labels_only(spec, _fold(piece.text), range(start, index), index):
            rows.extend(_Found(k, piece, spec.official[k][0], False, True) for k in range(start, index))
        group = spec.rows[index][2]
        single = spec.single_rows.get(group or "")
        legacy = single is not None and single[0] == index and group is not None and tail.endswith(group)
        rows.append(_Found(index, piece, tail, legacy))
        if group is None:
            carried = None
    return rows


# An ordinal as it stands before a label once folded: "2", "六" (of "（六）"), "十二".
_ORD = "[0-9一二三四五六七八九十]{0,3}"


def _labels_only(spec: TableSpec, text: str, skipped: range, index: int) -> bool:
    """Whether the folded text between two runs is exactly the labels of the rows `skipped` (each with its
    ordinal, a group heading before it allowed) followed by row `index`'s label: rows printed with their
    labels and no digits ("…2.申请人逾期未按收费通知要求缴纳费用…3.其他（七）总计5000005")."""
    def label(k: int) -> str:
        group = spec.rows[k][2]
        heading = f"(?:{_ORD}{re.escape(group)})?" if group else ""
        forms = "|".join(re.escape(f) for f in sorted(spec.official[k], key=len, reverse=True) if f)
        return f"{heading}{_ORD}(?:{forms})"

    head = re.match("".join(label(k) for k in skipped), text)
    if head is None:
        return False
    rest = re.sub(f"^{_ORD}", "", text[head.end():])
    group = spec.rows[index][2]
    if group and rest.startswith(group):  # the next row opens its group: "（六）其他处理1.申请人…"
        rest = re.sub(f"^{_ORD}", "", rest[len(group):])
    # What is left is the next row's own label (its remark may be left out), nothing more.
    forms = spec.official[index]
    return bool(rest) and any(rest == f or (rest in f and all(p in rest for p in spec.rows[index][1]))
                              for f in forms)


def find_appeals_row(spec: TableSpec, found_pieces: Sequence[Piece]) -> Piece | None:
    """Table 四's one data row: the first run after text naming two of its column groups."""
    for piece in found_pieces:
        tail = _fold(piece.text)
        groups = {match_group(spec, g) for g in _group_words(spec) if g in tail}
        if len(groups - {None}) >= 2:
            return piece
    return None


def _group_words(spec: TableSpec) -> tuple[str, ...]:
    return tuple(p for _, phrases in spec.groups for p in phrases)


# ---------------------------------------------------------------------------------------------
# Splitting a run into cells.


class _Capped(Exception):
    """The search ran out of steps."""


@dataclass
class _Search:
    left: int = field(default_factory=lambda: _BUDGET)

    def step(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Capped


Kind = Literal["int", "dec", "signed"]
# A row's own identity over its cells: (cells on the left, cells on the right), by index in the row.
_Check = tuple[tuple[int, ...], tuple[int, ...]]


def _parts(s: str, pos: int, kind: Kind) -> Iterator[tuple[str, int]]:
    """Each way to take one cell from `s` at `pos`: (its text, where the next cell starts). "|" marks a
    boundary a cell cannot cross (a space in the text); a sign can only start a cell of a signed column."""
    stop = s.find("|", pos)
    stop = len(s) if stop < 0 else stop
    pattern = _DEC if kind == "dec" else _SIGNED if kind == "signed" else _INT
    digits = pos + 1 if kind == "signed" and s[pos:pos + 1] in "-+" else pos
    for end in range(pos + 1, stop + 1):
        text = s[pos:end]
        if end - digits > 1 and s[digits] == "0" and not (kind == "dec" and s[digits + 1] == "."):
            break  # a leading zero: no longer cell starts here
        if pattern.fullmatch(text) is not None:
            yield text, (end + 1 if end == stop and end < len(s) else end)


def _number(text: str) -> float:
    return float(text)


def splits(chunks: Sequence[str], kinds: Sequence[Kind], checks: Sequence[_Check], search: _Search,
           limit: int) -> list[tuple[str, ...]]:
    """Up to `limit` ways to split the run into len(kinds) cells in which every check holds."""
    s = "|".join(chunks)
    k = len(kinds)
    if k == 0:
        return []
    total = (k - 1,)
    if any(lhs == total and sorted(rhs) == list(range(k - 1)) for lhs, rhs in checks) and kinds[-1] == "int":
        # The last cell is the sum of all the others (table 三's 总计): try each place it can start, then
        # split what comes before into cells adding up to it, none larger than it.
        out: list[tuple[str, ...]] = []
        first = s.rfind("|") + 1
        for start in range(len(s) - 1, first - 1, -1):
            text = s[start:]
            if _INT.fullmatch(text) is None:
                continue
            head = s[:start - 1] if start == first and start > 0 else s[:start]
            out.extend((*cells, text) for cells in _walk(head, kinds[:-1], checks, search, limit - len(out),
                                                           float(text)))
            if len(out) >= limit:
                break
        return out
    return _walk(s, kinds, checks, search, limit, None)


def _walk(s: str, kinds: Sequence[Kind], checks: Sequence[_Check], search: _Search, limit: int,
          bound: float | None) -> list[tuple[str, ...]]:
    """Depth-first over the cells, left to right; with `bound`, the cells add up to it exactly."""
    k = len(kinds)
    due: dict[int, list[_Check]] = {}
    for lhs, rhs in checks:
        last = max(*lhs, *rhs)
        if last < k:
            due.setdefault(last, []).append((lhs, rhs))
    out: list[tuple[str, ...]] = []
    cells: list[str] = []
    values: list[float] = []

    def walk(pos: int, running: float) -> None:
        i = len(cells)
        if i == k:
            if pos == len(s) and (bound is None or abs(running - bound) < 1e-9):
                out.append(tuple(cells))
            return
        if len(s) - pos < (k - i):
            return
        for text, nxt in _parts(s, pos, kinds[i]):
            search.step()
            value = float(text)
            if bound is not None and running + value > bound + 1e-9:
                break  # a longer cell is larger still
            cells.append(text)
            values.append(value)
            if all(abs(sum(values[j] for j in lhs) - sum(values[j] for j in rhs)) < 1e-9
                   for lhs, rhs in due.get(i, ())):
                walk(nxt, running + value)
            cells.pop()
            values.pop()
            if len(out) >= limit:
                return

    if s or k == 0:
        walk(0, 0.0)
    return out


# ---------------------------------------------------------------------------------------------
# A table from its rows' runs.


@dataclass(frozen=True)
class Reading:
    """What became of one table: its cells when recovered, else why not."""

    table: Table | None
    note: ReadNote | None


@dataclass(frozen=True)
class _Open:
    """A row of the table, as cells (row key, column key) and the splits its run still allows."""

    targets: tuple[tuple[str, str], ...]
    options: tuple[tuple[str, ...], ...]
    by_digits: bool  # the digits alone allow one split
    piece: Piece
    checked: bool = False  # the row's own identity chose among its splits


def _row_checks(fmt: FormatDef, spec: TableSpec, targets: Sequence[tuple[str, str]]) -> list[_Check]:
    """The table's per-row identities over these cells, as indexes into them."""
    at = {t: i for i, t in enumerate(targets)}
    out: list[_Check] = []
    for identity in fmt.identities:
        if identity.table != spec.tdef.key or identity.each != "row":
            continue
        lhs, rhs = identity_members(spec.tdef, identity)
        for row in dict.fromkeys(r for r, _ in targets):
            left = tuple(at[(row, c)] for c in lhs if (row, c) in at)
            right = tuple(at[(row, c)] for c in rhs if (row, c) in at)
            if len(left) == len(lhs) and len(right) == len(rhs):
                out.append((left, right))
    return out


def _column_checks(fmt: FormatDef, spec: TableSpec) -> list[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    out = []
    for identity in fmt.identities:
        if identity.table != spec.tdef.key or identity.each != "column":
            continue
        lhs, rhs = identity_members(spec.tdef, identity)
        for col in spec.tdef.column_keys:
            out.append(([(r, col) for r in lhs], [(r, col) for r in rhs]))
    return out


def _open_row(fmt: FormatDef, spec: TableSpec, targets: tuple[tuple[str, str], ...], piece: Piece,
              search: _Search) -> _Open:
    kinds: list[Kind] = ["dec" if spec.column(c).decimal else "signed" if spec.column(c).signed else "int"
                         for _, c in targets]
    plain = splits(piece.chunks, kinds, (), search, 2)
    if len(plain) == 1:
        return _Open(targets, tuple(plain), True, piece)
    checks = _row_checks(fmt, spec, targets)
    if not checks:
        return _Open(targets, tuple(plain), False, piece)
    options = splits(piece.chunks, kinds, checks, search, _MAX_OPEN + 1)
    if len(options) > _MAX_OPEN:
        raise _Capped  # too many for the identities between rows to choose among
    return _Open(targets, tuple(options), False, piece, True)


def _choose(rows: list[_Open], columns: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]],
            search: _Search) -> list[tuple[tuple[str, ...], ...]]:
    """Every assignment (one split per row) in which the identities between rows hold; at most two."""
    fixed: dict[tuple[str, str], float] = {}
    open_rows = [r for r in rows if len(r.options) > 1]
    for r in rows:
        if len(r.options) == 1:
            fixed.update(zip(r.targets, map(_number, r.options[0]), strict=True))
    found: list[tuple[tuple[str, ...], ...]] = []
    for choice in itertools.product(*(r.options for r in open_rows)):
        search.step()
        values = dict(fixed)
        for r, option in zip(open_rows, choice, strict=True):
            values.update(zip(r.targets, map(_number, option), strict=True))
        if all(abs(sum(values.get(c, 0.0) for c in lhs) - sum(values.get(c, 0.0) for c in rhs)) < 1e-9
               for lhs, rhs in columns):
            found.append(choice)
            if len(found) > 1:
                break
    return found


# A row's cells (row key, column key), the piece holding its run, and how many characters its label has.
Run = tuple[tuple[tuple[str, str], ...], Piece, int]


def _sample(run: Run) -> str:
    """How a row prints in the file, for notes: the end of its label and its digits."""
    text = run[1].text.strip()
    label = text.splitlines()[-1] if text else ""
    return f"{label[-min(run[2], 16):]}{' '.join(run[1].chunks)}"


def read_table(fmt: FormatDef, spec: TableSpec, runs: Sequence[Run], complete: bool) -> Reading:
    """Split each row's run into its cells; a table whose every cell has one split is recovered."""
    key, title = spec.tdef.key, spec.tdef.title
    locator = runs[0][1].locator if runs else None
    search = _Search()
    why_zh = why_en = ""
    # The row shown as an example: the first the digits do not settle, else the longest run.
    sample = _sample(max(runs, key=lambda r: len("".join(r[1].chunks)))) if runs else ""
    try:
        rows = [_open_row(fmt, spec, targets, piece, search) for targets, piece, _ in runs]
        sample = next((_sample(run) for run, row in zip(runs, rows, strict=True) if len(row.options) != 1), sample)
        if not complete:
            why_zh, why_en = "部分行没有数字或未能找到", "some rows have no numbers or were not found"
        elif any(not r.options for r in rows):
            bad = next(r for r in rows if not r.options)
            label, digits = bad.piece.text.strip()[-20:], " ".join(bad.piece.chunks)
            if bad.checked:
                why_zh = f"“{label}”后的数字“{digits}”没有一种拆分符合表内勾稽关系"
                why_en = f"the digits {digits!r} after {label!r} split no way the table's identities allow"
            else:
                why_zh = f"“{label}”后的数字“{digits}”无法拆分为{len(bad.targets)}格"
                why_en = f"the digits {digits!r} after {label!r} do not split into {len(bad.targets)} cells"
        elif not _has_identities(fmt, spec) and any(len(r.options) == 1 for r in rows) \
                and any(len(r.options) > 1 for r in rows):
            # No identity links its rows (table 二): each row the digits settle is read on its own; the
            # others are there, not missing, and said to be unreadable.
            return _partial(spec, runs, rows, locator)
        else:
            chosen = _choose(rows, _column_checks(fmt, spec), search) if any(len(r.options) > 1 for r in rows) \
                else [()]
            if len(chosen) == 1:
                return Reading(_recovered(spec, rows, chosen[0], locator), _recovered_note(spec, rows, sample,
                                                                                          locator))
            why_zh, why_en = ("拆分方式不唯一", "more than one split fits") if chosen else \
                ("没有一种拆分方式符合表内勾稽关系", "no split fits the table's identities")
    except _Capped:
        why_zh = f"可能的拆分方式过多（超过 {_BUDGET} 步仍未穷尽）"
        why_en = f"too many possible splits (not exhausted in {_BUDGET} steps)"
    return Reading(None, ReadNote(
        "table-unreadable",
        f"表“{title}”在文件中存在，但单元格数字连在一起（如“{sample}”），{why_zh}，无法确定各单元格的数值，未读取",
        f"table {key!r} is in the file, but its cells run together (e.g. {sample!r}); {why_en}, so the cells "
        "cannot be known and were not read",
        locator, (("table", key), ("reason", why_en))))


def _has_identities(fmt: FormatDef, spec: TableSpec) -> bool:
    return any(identity.table == spec.tdef.key for identity in fmt.identities)


def _partial(spec: TableSpec, runs: Sequence[Run], rows: list[_Open], locator: SourceLocator | None) -> Reading:
    """A table without identities whose rows the digits settle only in part: those rows, and a note naming
    the rest (with how they print), which are in the file but cannot be read."""
    key, title = spec.tdef.key, spec.tdef.title
    settled = [r for r in rows if len(r.options) == 1]
    unread = [(run, r) for run, r in zip(runs, rows, strict=True) if len(r.options) != 1]
    samples = "、".join(f"“{_sample(run)}”" for run, _ in unread)
    samples_en = ", ".join(repr(_sample(run)) for run, _ in unread)
    keys = ",".join(dict.fromkeys(row for _, r in unread for row, _ in r.targets))
    return Reading(_recovered(spec, settled, (), locator), ReadNote(
        "rows-unreadable",
        f"表“{title}”的单元格数字在文件中连在一起，其中{samples}拆分方式不唯一，无法确定各单元格的数值，未读取；"
        "其余各行已按各格位数唯一拆分读取",
        f"the cells of table {key!r} run together in the file; {samples_en} split more than one way, so those "
        "cells cannot be known and were not read; every other row was split the only way its digit counts allow",
        locator, (("table", key), ("rows", keys), ("reason", "more than one split fits"))))


def _recovered(spec: TableSpec, rows: list[_Open], chosen: tuple[tuple[str, ...], ...],
               locator: SourceLocator | None) -> Table:
    picks = iter(chosen)
    cells: dict[tuple[str, str], CellValue] = {}
    for r in rows:
        option = r.options[0] if len(r.options) == 1 else next(picks)
        for (row, col), text in zip(r.targets, option, strict=True):
            cdef = spec.column(col)
            cells[(row, col)] = text_cell(text, cdef.signed, cdef.decimal, r.piece.locator)
    return Table(spec.tdef.key, cells, (), (), locator)


def _recovered_note(spec: TableSpec, rows: list[_Open], sample: str, locator: SourceLocator | None) -> ReadNote:
    by_identity = any(not r.by_digits for r in rows)
    how_zh = "按各格位数及表内勾稽关系" if by_identity else "按各格位数"
    how_en = "by the digit counts and the table's identities" if by_identity else "by the digit counts alone"
    return recovered_note(spec.tdef.key, spec.tdef.title, sample, (how_zh, how_en), by_identity, locator,
                          (("method", "identities" if by_identity else "digits"),))


def recovered_note(key: str, title: str, sample: str, how: tuple[str, str], relied: bool,
                   locator: SourceLocator | None, data: tuple[tuple[str, str], ...]) -> ReadNote:
    """The cells-recovered note: how run-together cells were split, and — when the split `relied` on the
    table's own relations — that those relations hold by construction and prove nothing."""
    how_zh, how_en = how
    return ReadNote(
        "cells-recovered",
        f"表“{title}”的单元格数字在文件中连在一起（如“{sample}”），已{how_zh}唯一拆分读取"
        + ("；这些勾稽关系因此必然成立，不能再作为核对依据" if relied else ""),
        f"the cells of table {key!r} run together in the file (e.g. {sample!r}); each was split the only way "
        f"possible {how_en}" + ("; those relations therefore hold by construction and prove nothing" if relied
                                else ""),
        locator, (("table", key), *data))
