"""Table labels compared on their words: width, spacing, punctuation and numbering folded away.

Real tables write the same label as "1．属于国家秘密", "1.属于国家秘密", "（三）不予公开", "商业 企业" or
with curly quotes; the format definitions list short phrases that must all occur in a label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TypeVar

K = TypeVar("K")

# Circled and parenthesised numerals become plain digits under NFKC ("①" → "1"), which would leave
# an ordinal indistinguishable from a number, so they go first.
_CIRCLED = re.compile(r"^[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u2776-\u2793]+")
_SPACE = re.compile(r"\s+")
_NUM = r"(?:[一二三四五六七八九十百零〇○]+|\d{1,2})"
# "一、" "(三)" "1." "1、" "(1)" "【一】" "1)" — applied after NFKC, so brackets and dots are ASCII.
_ORDINAL = re.compile(rf"^(?:[(\[【〔]{_NUM}[)\]】〕][、.,:]?|{_NUM}[、.,:)](?!\d))")
# Everything that is not a letter or digit: punctuation, brackets, quotes, symbols, leftover spaces.
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """The words of a label: NFKC, no whitespace, no ordinal prefix, no punctuation or brackets."""
    if not text:
        return ""
    s = _SPACE.sub("", text)
    s = _CIRCLED.sub("", s)
    s = unicodedata.normalize("NFKC", s)
    s = _SPACE.sub("", s)  # NFKC can produce spaces (e.g. from "⑴" or compatibility forms)
    for _ in range(2):  # "三、(一)" style double numbering
        stripped = _ORDINAL.sub("", s)
        if stripped == s:
            break
        s = stripped
    return _NON_WORD.sub("", s)


@lru_cache(maxsize=4096)
def _phrases(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in (normalize_label(x) for x in phrases) if p)


def match_score(label: str, phrases: Sequence[str]) -> int:
    """Total length of the phrases when all occur in the (normalised) label, else 0."""
    norm = _phrases(tuple(phrases))
    if not norm:
        return 0
    total = 0
    for phrase in norm:
        if phrase not in label:
            return 0
        total += len(phrase)
    return total


def best_match(
    text: str, candidates: Mapping[K, Sequence[str]] | Iterable[tuple[K, Sequence[str]]]
) -> K | None:
    """The candidate whose phrases all occur in the label with the longest total; first wins a tie."""
    label = normalize_label(text)
    if not label:
        return None
    items = candidates.items() if isinstance(candidates, Mapping) else candidates
    best: K | None = None
    best_score = 0
    for key, phrases in items:
        score = match_score(label, phrases)
        if score > best_score:
            best, best_score = key, score
    return best
