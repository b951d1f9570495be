"""Cell text → CellValue, and whether a cell's text is a value or a label.

Tables repeat the same few tokens ("0", "", "/") thousands of times per batch, and readers share GridCell
instances between documents, so every step here is cached on the text or on the cell.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ogi.ingest.document import GridCell
from ogi.ingest.labels import normalize_label
from ogi.ingest.numbers import ParsedCell, parse_cell
from ogi.ingest.tables.memo import Memo, remember
from ogi.model import CellKind, CellValue, SourceLocator

# Ordinal-prefixed labels ("2.重复申请", "1、申请人…") parse as annotated numbers; they are labels.
ORDINAL_LABEL = re.compile(r"^\s*[(（]?\s*[0-9０-９]{1,2}\s*[)）.．、,，]\s*\D")
KINDS = {k.value: k for k in CellKind}
_VALUE_START = re.compile(r"^(?:[-+−]?\d|减少|增加|[减增约近]\d|超过\d)")


def parse(raw: str, signed: bool, decimal_ok: bool) -> ParsedCell:
    # parse_cell reads `signed` only for a "+" sign and `decimal_ok` only for a ".": a text with neither
    # (ASCII or full-width, which it normalises to ASCII) reads the same under every flag, so once.
    if "+" not in raw and "." not in raw and "＋" not in raw and "．" not in raw:
        signed = decimal_ok = True
    return _parse_cached(raw, signed, decimal_ok)


@lru_cache(maxsize=65536)
def _parse_cached(raw: str, signed: bool, decimal_ok: bool) -> ParsedCell:
    # Tables repeat the same few tokens ("0", "", "/") thousands of times per batch.
    return parse_cell(raw, signed=signed, decimal_ok=decimal_ok)


@lru_cache(maxsize=65536)
def looks_like_value(text: str) -> bool:
    """A data cell (number, placeholder, number with a remark), not a label."""
    stripped = text.strip()
    if not stripped or ORDINAL_LABEL.match(stripped):
        return False
    kind = parse(stripped, True, True).kind
    if kind == "annotated":
        # A number somewhere inside words ("上一年项目数量") is a label; a value leads with its number.
        return _VALUE_START.match(unicodedata.normalize("NFKC", stripped)) is not None
    return kind in ("number", "placeholder")


@lru_cache(maxsize=65536)
def _cell_fields(raw: str, signed: bool, decimal_ok: bool) -> dict[str, Any]:
    """CellValue's fields but the locator (raw, kind, value, unit, annotation: in field order) for a raw
    cell text. Shared: only ever copied."""
    parsed = parse(raw.strip(), signed, decimal_ok)
    return {"raw": raw, "kind": KINDS[parsed.kind], "value": parsed.value, "unit": parsed.unit,
            "annotation": parsed.annotation}


_new = object.__new__
_set_attr = object.__setattr__


def cell_at(raw: str, signed: bool, decimal_ok: bool, locator: SourceLocator | None) -> CellValue:
    """CellValue of a cell text at `locator`, built from a copy of its cached field dict, with the locator
    last (the frozen dataclass's __init__ would make six object.__setattr__ calls): tables read hundreds
    of cells."""
    fields = _cell_fields(raw, signed, decimal_ok).copy()
    fields["locator"] = locator
    out = _new(CellValue)
    _set_attr(out, "__dict__", fields)
    return out


def text_cell(text: str, signed: bool, decimal_ok: bool, locator: SourceLocator) -> CellValue:
    """CellValue of a token of flattened text (its text as written, unstripped)."""
    parsed = parse(text, signed, decimal_ok)
    return CellValue(text, KINDS[parsed.kind], parsed.value, parsed.unit, parsed.annotation, locator)


# Per (signed, decimal) reading, the CellValue of each grid cell, by the cell's identity. Readers share
# GridCell instances between documents (the same short text at the same place: 98% of a bench batch's
# cells), so most of a table's CellValues (frozen) are found rather than built: build_report 6.4-6.9 ->
# 5.2 M instructions per report (callgrind, unseen pages). The cell is kept with its value, so its id
# cannot be reused while the entry lives.
CellValues = Memo
_CELL_VALUES: dict[tuple[bool, bool], CellValues] = {(s, d): {} for s in (False, True) for d in (False, True)}
_MAX_CELL_VALUES = 50_000


def known_values(signed: bool, decimal_ok: bool) -> CellValues:
    return _CELL_VALUES[signed, decimal_ok]


def cell_value(cell: GridCell, signed: bool, decimal_ok: bool, known: CellValues) -> CellValue:
    """The CellValue of a grid cell: found in `known` (the cell values of its reading), else built and kept."""
    hit = known.get(id(cell))
    if hit is not None and hit[0] is cell:
        return hit[1]
    value = cell_at(cell.text, signed, decimal_ok, cell.locator)
    remember(known, id(cell), (cell, value), _MAX_CELL_VALUES)
    return value


@lru_cache(maxsize=65536)
def cell_info(text: str) -> tuple[str, bool, bool]:
    """(normalised label, looks like a value, empty) of a grid cell's text."""
    if text.isascii() and text.isdigit():
        return text, True, False  # a plain count ("0", "12"), worked out without the label and cell parsers
    return normalize_label(text), looks_like_value(text), not text.strip()


# A row label and its numbers in one cell ("行政强制 37", "行政规范性文件 77 132 470"), where a PDF lost
# the rule between them: the numbers are the run at the end; an official label never ends in a digit.
_NUMBER = r"[-+−]?\d[\d,，]*(?:[.．]\d+)?"
_LABEL_AND_NUMBERS = re.compile(rf"^(.*?[^\d\s.,，．、:：+\-−])\s*({_NUMBER}(?:\s+{_NUMBER})*)\s*$")


def label_and_numbers(text: str) -> tuple[str, list[str]] | None:
    """(label, the numbers after it) of a cell holding both, or None."""
    found = _LABEL_AND_NUMBERS.match(text.strip())
    if found is None or not found.group(1).strip():
        return None
    return found.group(1), found.group(2).split()
