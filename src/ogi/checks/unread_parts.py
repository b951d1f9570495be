"""Rows and columns of a table that the reader met but could not place, because the file (a conversion, a
flattened page) lost or broke their labels: a pipe row of digits whose label is printed elsewhere
("0 0 0 0 0 0 0", "- -"), a heading split across cells ("商业" | "企业", "尚未" | "审结"). They are not rows or
columns the agency added (S009), and their presence means the rows the reader did not find may be these
(S012 does not call them missing): F006 names them as a reading doubt. A row of dashes holds nothing to read
and is named by neither.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ogi.checks.registry import per_report
from ogi.model import Report
from ogi.schemas.definitions import FormatDef, TableDef

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class UnreadPart:
    table: str
    kind: str  # "row" | "column"
    label: str  # as the file prints it


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# Per table definition (by identity, kept alive here: definitions are not hashable), its words.
_WORDS: dict[int, tuple[TableDef, tuple[str, ...]]] = {}


def _format_words(tdef: TableDef) -> tuple[str, ...]:
    """Every label of the table's rows, groups and columns, without spaces."""
    entry = _WORDS.get(id(tdef))
    if entry is None or entry[0] is not tdef:
        words = {_plain(tdef.row(k).label) for k in tdef.row_keys}
        words |= {_plain(tdef.row(k).group or "") for k in tdef.row_keys}
        words |= {_plain(tdef.column(k).label) for k in tdef.column_keys}
        entry = _WORDS[id(tdef)] = (tdef, tuple(w for w in words if w))
    return entry[1]


def _holds_nothing(label: str) -> bool:
    """A row of dashes or dots ("- -", "— — —"): an empty part of the conversion, with nothing to read."""
    return not any(ch.isalnum() for ch in label)


def is_broken_label(label: str, tdef: TableDef) -> bool:
    """A label that is no label (digits and dashes only) or a piece of one of the format's labels."""
    text = _plain(label)
    if not _HAN.search(text):
        return True
    return len(text) >= 2 and any(text in w and text != w for w in _format_words(tdef))


@per_report
def unread_parts(report: Report, fmt: FormatDef) -> tuple[UnreadPart, ...]:
    """The rows and columns of the report's tables not placed because their labels are broken, each time
    the file has one (ten label-less rows are ten, even when five print the same digits)."""
    out: list[UnreadPart] = []
    noted: set[tuple[str, str]] = set()
    for note in report.read_notes:
        if note.code not in ("unmatched-row", "unmatched-column"):
            continue
        data = dict(note.data)
        key, kind = data.get("table") or "", "row" if note.code == "unmatched-row" else "column"
        label = data.get(kind) or ""
        noted.add((key, label))
        if key in fmt.tables and is_broken_label(label, fmt.tables[key]) and not _holds_nothing(label):
            out.append(UnreadPart(key, kind, label))
    # Tables read from flattened text carry their leftovers without notes.
    for key, table in report.tables.items():
        if key not in fmt.tables:
            continue
        for kind, labels in (("row", table.unmatched_rows), ("column", table.unmatched_cols)):
            for label in labels:
                if (key, label) not in noted and is_broken_label(label, fmt.tables[key]) and not _holds_nothing(label):
                    out.append(UnreadPart(key, kind, label))
    return tuple(out)
