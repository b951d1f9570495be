"""Format definitions (2008, 2019, 2021) loaded from the YAML files beside this module.

The YAML is the declaration a domain expert reviews; these dataclasses are its typed, read-only view.
Rules and readers take labels, keys and identities from here and never hard-code them.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

FORMAT_VERSIONS = ("2008", "2019", "2021")


@dataclass(frozen=True)
class SectionDef:
    key: str
    heading: str
    en: str
    match: tuple[str, ...]
    required: bool
    number: str | None = None


@dataclass(frozen=True)
class ColumnDef:
    key: str
    label: str
    en: str
    match: tuple[str, ...]
    unit: str | None = None
    decimal: bool = False
    signed: bool = False


@dataclass(frozen=True)
class RowDef:
    key: str
    label: str
    en: str
    match: tuple[str, ...]
    group: str | None = None  # phrase of the group row this row sits under
    cols: tuple[str, ...] | None = None  # table 二: the columns this row has
    # Other phrase sets that also name this row (old provincial tables word a row several ways:
    # 否决公开答复数 / 不予公开答复数); only the readers of tables with their own `reader` use them.
    variants: tuple[tuple[str, ...], ...] = ()
    # How the report's prose names this row's count ("网上申请", "收到…申请": "…" is a short gap of words).
    prose: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRowDef:
    label: str
    match: tuple[str, ...]
    # An older format printed this group as one row of numbers: the row key it is read as, and that format.
    single_row: str | None = None
    single_row_format: str | None = None


@dataclass(frozen=True)
class PartsDef:
    """A total row and the rows listed under it as 其中 1…n (old statistics table): together the parts cannot
    exceed the total (each alone, when they may `overlap`: one document both on the website and in the
    gazette); when `complete_with` (a catch-all row such as 其它形式) is printed, they add up to it."""

    total: str
    parts: tuple[str, ...]
    complete_with: str | None = None
    overlap: bool = False


@dataclass(frozen=True)
class TableDef:
    key: str
    title: str
    title_en: str
    anchors: tuple[str, ...]
    columns: tuple[ColumnDef, ...]
    rows: tuple[RowDef, ...] = ()
    groups: tuple[RowDef, ...] = ()  # table 四: the three column groups
    group_rows: tuple[GroupRowDef, ...] = ()
    ignore_columns: tuple[str, ...] = ()
    note: str = ""
    # A table read by its own module rather than the generic grid/flattened readers ("old_statistics").
    reader: str = ""
    parts: tuple[PartsDef, ...] = ()

    def column(self, key: str) -> ColumnDef:
        return next(c for c in self.columns if c.key == key)

    def row(self, key: str) -> RowDef:
        return next(r for r in (*self.rows, *self.groups) if r.key == key)

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in (self.groups or self.rows))

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def cells(self) -> list[tuple[str, str]]:
        """Every (row, column) the official table has, in reading order."""
        out: list[tuple[str, str]] = []
        for row in self.groups or self.rows:
            cols = row.cols if row.cols is not None else self.column_keys
            out.extend((row.key, c) for c in cols)
        return out

    def expand(self, patterns: tuple[str, ...] | list[str]) -> list[str]:
        """Row keys named by patterns such as "denied.*", in table order."""
        keys = self.row_keys
        out: list[str] = []
        for pattern in patterns:
            out.extend(k for k in keys if fnmatch.fnmatchcase(k, pattern) and k not in out)
        return out

    def expand_columns(self, patterns: tuple[str, ...] | list[str]) -> list[str]:
        keys = self.column_keys
        return [k for p in patterns for k in keys if fnmatch.fnmatchcase(k, p)]


@dataclass(frozen=True)
class IdentityDef:
    code: str
    id: str
    table: str
    each: str  # "column": holds in every column; "row": holds in every row
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    zh: str
    en: str


@dataclass(frozen=True)
class FormatDef:
    version: str
    name: str
    name_en: str
    basis: str
    basis_en: str
    year_from: int
    year_to: int | None
    regulation: str
    missing_section_severity: str
    sections: tuple[SectionDef, ...]
    tables: dict[str, TableDef] = field(default_factory=dict)
    identities: tuple[IdentityDef, ...] = ()
    own_vocabulary: tuple[str, ...] = ()
    foreign_vocabulary: tuple[str, ...] = ()

    def section(self, key: str) -> SectionDef | None:
        return next((s for s in self.sections if s.key == key), None)

    def covers_year(self, year: int) -> bool:
        return year >= self.year_from and (self.year_to is None or year <= self.year_to)


def _t(items: Any) -> tuple[str, ...]:
    return tuple(str(i) for i in items or ())


def _rows(items: list[dict[str, Any]] | None) -> tuple[RowDef, ...]:
    return tuple(
        RowDef(
            key=r["key"], label=r["label"], en=r.get("en", r["key"]), match=_t(r.get("match")),
            group=r.get("group"), cols=_t(r["cols"]) if "cols" in r else None,
            variants=tuple(_t(v) for v in r.get("variants") or ()), prose=_t(r.get("prose")),
        )
        for r in items or ()
    )


def _groups(items: list[dict[str, Any]] | None) -> tuple[GroupRowDef, ...]:
    return tuple(
        GroupRowDef(label=g["label"], match=_t(g.get("match")), single_row=g.get("single_row"),
                    single_row_format=str(g["single_row_format"]) if "single_row_format" in g else None)
        for g in items or ()
    )


def _table(key: str, raw: dict[str, Any], common: dict[str, Any]) -> TableDef:
    base = dict(common[raw["extends"]]) if "extends" in raw else {}
    merged = {**base, **{k: v for k, v in raw.items() if k != "extends"}}
    rows = list(merged.get("rows") or [])
    extra = list(merged.get("extra_rows") or [])
    before = merged.get("extra_rows_before")  # where the format puts its own rows (data, not code)
    at = next((i for i, r in enumerate(rows) if r["key"] == before), len(rows))
    rows[at:at] = extra
    columns = tuple(
        ColumnDef(
            key=c["key"], label=c["label"], en=c.get("en", c["key"]), match=_t(c.get("match") or [c["label"]]),
            unit=c.get("unit"), decimal=bool(c.get("decimal", False)), signed=bool(c.get("signed", False)),
        )
        for c in merged["columns"]
    )
    return TableDef(
        key=key, title=merged["title"], title_en=merged.get("title_en", key), anchors=_t(merged.get("anchors")),
        columns=columns, rows=_rows(rows), groups=_rows(merged.get("groups")),
        group_rows=_groups([*(merged.get("group_rows") or []), *(merged.get("extra_group_rows") or [])]),
        ignore_columns=_t(merged.get("ignore_columns")), note=merged.get("note", ""),
        reader=str(merged.get("reader", "")),
        parts=tuple(PartsDef(total=p["total"], parts=_t(p["parts"]), complete_with=p.get("complete_with"),
                             overlap=bool(p.get("overlap", False)))
                    for p in merged.get("parts") or ()),
    )


# libyaml's loader reads the definitions ~6x faster (the same data); every process loads them once.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("ogi.schemas").joinpath("formats", name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader, C or Python
    assert isinstance(data, dict)
    return data


@cache
def load_format(version: str) -> FormatDef:
    """The definition of one format version ("2008", "2019" or "2021")."""
    if version not in FORMAT_VERSIONS:
        raise KeyError(f"unknown format version {version!r}")
    raw = _read_yaml(f"{version}.yaml")
    common = _read_yaml("common-tables.yaml")
    years = raw.get("years") or {}
    return FormatDef(
        version=str(raw["version"]), name=raw["name"], name_en=raw["name_en"], basis=raw["basis"],
        basis_en=raw.get("basis_en", ""), year_from=int(years["from"]),
        year_to=int(years["to"]) if years.get("to") is not None else None,
        regulation=str(raw["regulation"]), missing_section_severity=raw["missing_section_severity"],
        sections=tuple(
            SectionDef(key=s["key"], heading=s["heading"], en=s["en"], match=_t(s["match"]),
                       required=bool(s["required"]), number=s.get("number"))
            for s in raw["sections"]
        ),
        tables={k: _table(k, v, common) for k, v in (raw.get("tables") or {}).items()},
        identities=tuple(
            IdentityDef(code=i["code"], id=i["id"], table=i["table"], each=i["each"], lhs=_t(i["lhs"]),
                        rhs=_t(i["rhs"]), zh=i["zh"], en=i["en"])
            for i in raw.get("identities") or ()
        ),
        own_vocabulary=_t(raw.get("own_vocabulary")), foreign_vocabulary=_t(raw.get("foreign_vocabulary")),
    )


def format_for_year(year: int | None) -> str | None:
    """The format version that applies to a data year (SPEC §2)."""
    if year is None:
        return None
    for version in reversed(FORMAT_VERSIONS):
        if load_format(version).covers_year(year):
            return version
    return None
