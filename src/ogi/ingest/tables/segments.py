"""Which rows of which grids make up each table.

Each grid row votes for the table whose own words (no other table of the format uses them) its labels
use. A table starts at its first voting row, continues into the next grid (a page break) and gives way
to another table at a heading row of that table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ogi.ingest.document import Grid
from ogi.ingest.tables.grid_rows import Row, prepare
from ogi.ingest.tables.headers import header_like
from ogi.ingest.tables.memo import remember
from ogi.ingest.tables.vocabulary import MAX_LABEL, Vocabulary, format_vocabulary, table_spec
from ogi.schemas.definitions import FormatDef


@dataclass
class Segment:
    key: str
    rows: list[Row] = field(default_factory=list)
    last_grid: int = -1


def _cell_vote(norm: str, vocab: dict[str, tuple[str, ...]]) -> str | None:
    if len(norm) > MAX_LABEL:
        return None
    best, best_len = None, 0
    for key, words in vocab.items():
        length = next((len(w) for w in words if w in norm), 0)
        if length > best_len:
            best, best_len = key, length
    return best


def _vote(row: Row, vocab: Vocabulary) -> str | None:
    """The table whose own vocabulary most of the row's label cells use; None if none or tied."""
    memo = vocab.row_votes
    if row.structure in memo:
        return memo[row.structure]
    return remember(memo, row.structure, _count_votes(row, vocab), 100_000)


def _count_votes(row: Row, vocab: Vocabulary) -> str | None:
    counts: dict[str, int] = {}
    cache = vocab.votes
    for c in row.texts:
        norm = c.norm
        best = cache[norm] if norm in cache else remember(cache, norm, _cell_vote(norm, vocab.words), 100_000)
        if best is not None:
            counts[best] = counts.get(best, 0) + 1
    if not counts:
        return None
    top = max(counts.values())
    winners = [k for k, n in counts.items() if n == top]
    return winners[0] if len(winners) == 1 else None


def _continues(rows: list[Row], seg: Segment) -> bool:
    last = seg.rows[-1] if seg.rows else None
    if last is not None and rows and rows[0].width == last.width:
        return True
    cells = [c for r in rows for c in r.cells if not c.empty]
    return bool(cells) and sum(c.value for c in cells) * 2 >= len(cells)


def segments(grids: Sequence[Grid], fmt: FormatDef) -> list[Segment]:
    vocab = format_vocabulary(fmt)
    specs = {k: table_spec(t) for k, t in fmt.tables.items()}
    found: list[Segment] = []
    current: Segment | None = None
    previous = -1  # the last grid considered: a fragment continues a table only from there
    for gi, grid in enumerate(grids):
        width = grid.width  # a max over the rows on every access
        if width < 2:
            continue  # text boxes and page furniture; they do not break a table across pages
        rows = prepare(grid, gi, width)
        votes = [_vote(r, vocab) for r in rows]
        # A table continues only into the next grid (a page break), never into another sheet.
        continuing = (current is not None and current.last_grid == previous
                      and grids[previous].locator.sheet == grid.locator.sheet)
        previous = gi
        if not any(votes):
            # A fragment with no labels at all (table 四's data row alone on the next page).
            if current is not None and continuing and _continues(rows, current):
                current.rows.extend(rows)
                current.last_grid = gi
            else:
                current = None
            continue
        pending: list[Row] = []
        started = False
        for row, vote in zip(rows, votes, strict=True):
            if not started:
                if vote is None:
                    pending.append(row)
                    continue
                started = True
                if current is not None and continuing and vote == current.key:
                    current.rows.extend(pending)
                else:
                    current = Segment(vote)
                    found.append(current)
                current.rows.append(row)
                current.last_grid = gi
                continue
            assert current is not None
            if vote is not None and vote != current.key and header_like(row, specs[vote]):
                current = Segment(vote)
                found.append(current)
            current.rows.append(row)
            current.last_grid = gi
    return found
