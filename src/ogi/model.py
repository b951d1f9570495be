"""The canonical model: what a report says, and what the checks found.

Everything between the layers travels as these frozen dataclasses; renderers only lay them out.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import Enum
from itertools import repeat
from operator import attrgetter, is_not
from typing import Any


class _Enum(str, Enum):
    """A str enum that pickles as a member lookup (`getattr(cls, name)`): Enum's own pickling calls the
    class in Python, which costs more than the rest of a finding when results cross processes."""

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return getattr, (self.__class__, self._name_)


class Severity(_Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self._value_]  # read for every finding of a batch when results are ordered

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


_SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


class Category(_Enum):
    FILE = "file"
    STRUCTURE = "structure"
    VALUE = "value"
    ARITHMETIC = "arithmetic"
    CONSISTENCY = "consistency"
    BUDGET = "budget"
    DATES = "dates"
    HISTORY = "history"

    @property
    def zh(self) -> str:
        return CATEGORY_ZH[self.value]


CATEGORY_ZH = {
    "file": "文件",
    "structure": "结构",
    "value": "数值",
    "arithmetic": "勾稽",
    "consistency": "一致性",
    "budget": "经费",
    "dates": "日期",
    "history": "跨年度",
}


@dataclass(frozen=True)
class SourceLocator:
    """Where a piece of text or a number sits in the original file, so a reader can find it."""

    kind: str  # txt | html | docx | xlsx | pdf | json
    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.col is not None:
            parts.append(f"col {self.col}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return f"{self.kind}: " + ", ".join(parts) if parts else self.kind

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class CellKind(_Enum):
    NUMBER = "number"
    BLANK = "blank"
    PLACEHOLDER = "placeholder"  # "/", "—", "-", "无", "不适用"
    ANNOTATED = "annotated"  # "22（其中修订16件）", "251000元", "减4"
    TEXT = "text"  # not a number at all


# The kinds whose value counts as the cell's number (`CellValue.number`).
NUMERIC_KINDS = frozenset({CellKind.NUMBER, CellKind.ANNOTATED})


@dataclass(frozen=True)
class CellValue:
    """A table cell: its parsed value and the raw text it came from."""

    raw: str
    kind: CellKind
    value: Decimal | None = None
    unit: str | None = None
    annotation: str | None = None
    locator: SourceLocator | None = None

    @property
    def number(self) -> Decimal | None:
        return self.value if self.kind in NUMERIC_KINDS else None

    @functools.cached_property
    def packed(self) -> PackedCell:
        """The cell as plain values, as a Table pickles it; kept, since readers share cells between reports."""
        return (self.raw, self.kind._value_, None if self.value is None else str(self.value), self.unit,
                self.annotation, None if self.locator is None else _locator_fields(self.locator))


@dataclass(frozen=True)
class Table:
    """One official table (二 `active`, 三 `requests`, 四 `appeals`) in canonical keys."""

    key: str
    cells: dict[tuple[str, str], CellValue]
    unmatched_rows: tuple[str, ...] = ()
    unmatched_cols: tuple[str, ...] = ()
    locator: SourceLocator | None = None

    def get(self, row: str, col: str) -> CellValue | None:
        return self.cells.get((row, col))

    def value(self, row: str, col: str) -> Decimal | None:
        cell = self.cells.get((row, col))
        return cell.number if cell else None

    def __reduce__(self) -> tuple[Any, ...]:
        # Reports cross from the worker processes to the main one. Pickled object by object, a cell
        # costs ~6 µs to rebuild; as plain tuples rebuilt through `_CellCache` it costs a dict lookup.
        packed = tuple([c.packed for c in self.cells.values()])
        return _unpack_table, (self.key, tuple(self.cells), packed, self.unmatched_rows, self.unmatched_cols,
                               self.locator)


# A locator's fields in declaration order, as `SourceLocator(*fields)` takes them back.
_locator_fields = attrgetter(*(f.name for f in fields(SourceLocator)))
PackedCell = tuple[str, str, str | None, str | None, str | None, tuple[Any, ...] | None]


class _CellCache:
    """Equal cells of the reports a process unpickles become one object (they are frozen).

    Most cells of a batch repeat (the zeros and blanks of the same places, report after report), so the
    main process of a batch rebuilds a few per report and holds ~40 KB per report instead of ~130 KB.
    """

    LIMIT = 300_000  # distinct cells remembered; past this the cache starts afresh

    def __init__(self) -> None:
        self.cells: dict[PackedCell, CellValue] = {}
        self.keys: dict[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = {}

    def table_cells(self, keys: tuple[tuple[str, str], ...],
                    packed: tuple[PackedCell, ...]) -> dict[tuple[str, str], CellValue]:
        cells = self.cells
        if len(cells) > self.LIMIT:
            cells.clear()
            self.keys.clear()
        keys = self.keys.setdefault(keys, keys)  # the same layout, report after report
        values: list[CellValue | None] = list(map(cells.get, packed))  # nearly all hits: one C-level pass
        # Not `None in values`: that calls the dataclass __eq__ of every cell.
        if not all(map(is_not, values, repeat(None))):
            for i, cell in enumerate(values):
                if cell is None:
                    item = packed[i]
                    values[i] = cells.get(item) or cells.setdefault(item, _unpack_cell(item))
        return dict(zip(keys, values, strict=True))  # type: ignore[arg-type]  # no None is left


def _unpack_cell(item: PackedCell) -> CellValue:
    raw, kind, value, unit, annotation, locator = item
    return CellValue(raw, CellKind(kind), None if value is None else Decimal(value), unit, annotation,
                     None if locator is None else SourceLocator(*locator))


_CELL_CACHE = _CellCache()


def _unpack_table(key: str, keys: tuple[tuple[str, str], ...], packed: tuple[PackedCell, ...],
                  unmatched_rows: tuple[str, ...], unmatched_cols: tuple[str, ...],
                  locator: SourceLocator | None) -> Table:
    return Table(key, _CELL_CACHE.table_cells(keys, packed), unmatched_rows, unmatched_cols, locator)



class PackedTables(Mapping[str, Table]):
    """A report's tables as one pickled blob, unpickled on the first look at a table (read-only).

    The main process of a batch writing JSON needs the tables of a report only when an identity fails
    for it (a few percent of reports); rebuilding every report's tables was a third of its work. The
    table keys are kept unpickled: `in`, `len` and iteration over the keys need no unpickling.
    """

    __slots__ = ("_blob", "_keys", "_tables")

    def __init__(self, keys: tuple[str, ...], blob: bytes) -> None:
        self._keys = keys
        self._blob = blob  # kept: pickling again is then a copy
        self._tables: dict[str, Table] | None = None

    @classmethod
    def pack(cls, tables: Mapping[str, Table]) -> PackedTables:
        return cls(tuple(tables), pickle.dumps(dict(tables), pickle.HIGHEST_PROTOCOL))

    def unpacked(self) -> dict[str, Table]:
        """The tables as a plain dict (unpickled now if not yet)."""
        tables = self._tables
        if tables is None:
            tables = self._tables = pickle.loads(self._blob)
        return tables

    def __getitem__(self, key: str) -> Table:
        return self.unpacked()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.unpacked()[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedTables):
            other = other.unpacked()
        return self.unpacked() == other

    __hash__ = None  # type: ignore[assignment]  # like a dict

    def __repr__(self) -> str:
        return repr(self.unpacked())

    def __reduce__(self) -> tuple[Any, ...]:
        return PackedTables, (self._keys, self._blob)


@dataclass(frozen=True)
class Section:
    key: str | None  # canonical key from the format definition; None when unrecognised
    heading: str  # as written
    text: str
    order: int
    number: str | None = None  # the Chinese ordinal as written: "七"
    line: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Fact:
    """A number stated in prose: 'what' is the phrase before it."""

    what: str
    value: Decimal
    unit: str | None
    qualifier: str | None  # 多 / 余 / 约 / 近 / 以上
    position: int  # character offset in the section text
    raw: str
    section: str | None = None
    sentence: str = ""


@dataclass(frozen=True)
class DatedText:
    date: dt.date
    raw: str
    label: str | None = None  # 发布日期 / 成文日期 / ...
    source: str = ""  # "page-meta", "header", "signature", "url", "title"


@dataclass(frozen=True)
class Attachment:
    name: str
    href: str | None = None
    extension: str = ""


@dataclass(frozen=True)
class Report:
    source: str
    sha256: str
    kind: str  # detected input kind
    agency: str | None = None
    level: str | None = None  # department | government | township
    level_inferred: bool = True
    year: int | None = None
    format_version: str | None = None  # 2008 | 2019 | 2021
    format_detected_from: str = ""
    title: str | None = None
    published: DatedText | None = None
    signed: DatedText | None = None
    period: tuple[dt.date, dt.date] | None = None
    encoding: str | None = None
    sections: tuple[Section, ...] = ()
    preamble: str = ""
    tables: Mapping[str, Table] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    text: str = ""  # the whole body as read, for prose rules
    read_notes: tuple[ReadNote, ...] = ()

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def prose_texts(self) -> list[tuple[str | None, str]]:
        """(section key, text) of the preamble and every section; the whole text when no section was found."""
        if not self.sections:
            return [(None, self.text)]
        return [(None, self.preamble), *((s.key, s.text) for s in self.sections)]

    @property
    def table_count(self) -> int:
        return len(self.tables)


@dataclass(frozen=True)
class ReadNote:
    """Something the reader noticed that a `file` or `structure` rule turns into a finding."""

    code: str  # e.g. "encoding", "kind-mismatch", "unmatched-row", "legacy-format"
    detail: str
    detail_en: str
    locator: SourceLocator | None = None
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Location:
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    source: SourceLocator | None = None
    text: str | None = None  # the excerpt the finding is about
    # The (row, column) keys of the cells of `table` a finding is about when they are more than one
    # (a finding groups them rather than repeating itself per cell), in the table's reading order.
    cells: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("section", "table", "row", "column", "text"):
            val = getattr(self, key)
            if val is not None:
                out[key] = val
        if self.cells:
            out["cells"] = [{"row": row, "column": col} for row, col in self.cells]
        if self.source is not None:
            out["source"] = self.source.to_dict()
        return out


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    category: Category
    message: str
    message_en: str
    location: Location = field(default_factory=Location)
    expected: Any = None
    actual: Any = None
    basis: str = ""
    fix: str | None = None  # the most likely correction, when one can be named
    waived: Waiver | None = None
    # What a machine needs, typed (numbers as numbers): the numeric values the message was filled from and a
    # rule's own parameters (overrun, percent, the relation and unit of expected/actual, an identity's sides).
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class NotChecked:
    rule: str
    reason: str
    reason_en: str
    # The rule ran on the rest of the report and only this part was not checked (its findings, if any,
    # are about the rest); otherwise the rule could not run at all.
    partial: bool = False


@dataclass(frozen=True)
class RuleError:
    """A rule that raised: a bug in the checker, never a verdict on the report, so it is kept apart from
    NotChecked (a rule that could not apply) and makes the submission's check incomplete."""

    rule: str
    error: str  # "ZeroDivisionError: division by zero"
    traceback: str


@dataclass(frozen=True)
class Waiver:
    rule: str
    agency: str
    reason: str
    approver: str
    expires: dt.date | None = None


class Status(_Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNREADABLE = "unreadable"
    INCOMPLETE = "incomplete"  # a rule raised: the verdict is not complete (see RuleError)

    @property
    def zh(self) -> str:
        return {"pass": "通过", "warn": "有警告", "fail": "不合格", "unreadable": "无法读取",
                "incomplete": "检查未完成"}[self.value]


@dataclass(frozen=True)
class SubmissionResult:
    """One submission after checking: the report as read and everything the rules said."""

    source: str
    sha256: str
    report: Report | None
    findings: tuple[Finding, ...]
    not_checked: tuple[NotChecked, ...]
    passed: tuple[str, ...]  # rule codes that ran and found nothing
    status: Status
    waived: tuple[Finding, ...] = ()
    rule_errors: tuple[RuleError, ...] = ()  # rules that raised (bugs in ogi), never silent
