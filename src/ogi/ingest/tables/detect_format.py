"""Which format (2019 or 2021) a document's tables are written in, from the words only one format uses."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ogi.ingest.document import RawDocument
from ogi.ingest.labels import normalize_label
from ogi.schemas.definitions import load_format

# A text line longer than this is prose, not a table row flattened into text.
MAX_TABLE_LINE = 120
_FOLD_DROP = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Like normalize_label without the ordinal stripping: word characters only, width-folded.

    Folding each line or cell on its own gives the fold of their "\n"-joined text (NFKC never
    composes across a newline, and the newline itself is dropped), and the parts recur across a batch.
    """
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=8)
def _own_vocabulary(version: str) -> tuple[tuple[str, str], ...]:
    """(word, normalised word) of a format's own vocabulary."""
    return tuple((w, normalize_label(w)) for w in load_format(version).own_vocabulary)


def detect_format(raw: RawDocument, year: int | None) -> tuple[str | None, str]:
    """(format version, evidence) from the table vocabulary, with the data year breaking ties."""
    # Table words in prose ("政府集中采购项目类信息55条") are not a table: only grid cells and short
    # lines (a table flattened into text) count.
    parts = [line.text for line in raw.lines if len(line.text) <= MAX_TABLE_LINE]
    parts += [cell.text for grid in raw.grids for row in grid.rows for cell in row]
    text = "".join(map(_fold, parts))
    hits: dict[str, list[str]] = {}
    for version in ("2019", "2021"):
        hits[version] = [w for w, norm in _own_vocabulary(version) if norm in text]
    if not hits["2019"] and not hits["2021"] and not raw.grids:
        # A crawler's text runs a page into long lines, tables too ("…现行有效件数规章000行政规范性文件77132470…"):
        # there a word counts where it stands in a table, next to another table word or a number.
        long_text = "\n".join(_fold(line.text) for line in raw.lines if len(line.text) > MAX_TABLE_LINE)
        for version in ("2019", "2021"):
            hits[version] = [w for w, norm in _own_vocabulary(version) if _in_a_table(norm, long_text)]
    n19, n21 = len(hits["2019"]), len(hits["2021"])
    if year is not None and year <= 2018 and max(n19, n21) < 2:
        # One stray word is no evidence against the old regime's shape.
        return "2008", f"data year {year}, no 2019/2021 table vocabulary"
    if n19 == 0 and n21 == 0:
        return None, ""
    if n19 != n21:
        version = "2019" if n19 > n21 else "2021"
        other = "2021" if version == "2019" else "2019"
        evidence = f"table vocabulary: {', '.join(hits[version])}"
        if hits[other]:
            evidence += f" (also {other}: {', '.join(hits[other])})"
        return version, evidence
    by_year = None if year is None else ("2021" if year >= 2021 else "2019" if year >= 2019 else None)
    both = f"2019: {', '.join(hits['2019'])}; 2021: {', '.join(hits['2021'])}"
    if by_year is None:
        return None, f"table vocabulary of both formats ({both})"
    return by_year, f"table vocabulary of both formats ({both}); data year {year}"


@lru_cache(maxsize=1)
def _table_words() -> re.Pattern[str]:
    """A word of a table (a heading or a row label of table 二 in either format) or a number."""
    words = {normalize_label(w) for version in ("2019", "2021") for w in load_format(version).own_vocabulary}
    for version in ("2019", "2021"):
        active = load_format(version).tables["active"]
        words.update(normalize_label(c.label) for c in active.columns)
        words.update(normalize_label(r.label) for r in active.rows)
    words.add("信息内容")
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
    return re.compile(rf"(?:{alternatives}|\d)")


def _in_a_table(word: str, text: str) -> bool:
    """Whether `word` occurs in `text` directly before or after another table word or a number."""
    pattern = _table_words()
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[max(0, start - 12):start]
        if pattern.match(text, end) or any(pattern.fullmatch(before[i:]) for i in range(len(before))):
            return True
        start = text.find(word, start + 1)
    return False
