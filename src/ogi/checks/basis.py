"""The basis a finding cites, chosen by the report's regime and the format of its data year.

A report for data year 2017 answers to the 2008 Regulation (国务院令第492号) and its article numbers;
one for 2019 or 2020 to the 2019 Regulation (国务院令第711号) and the 2019 format (国办公开办函〔2019〕60号);
one for 2021 onward to the same Regulation and the 2021 format (国办公开办函〔2021〕30号). A rule's
basis is therefore a mapping from that version ("2008", "2019", "2021") to its text; `basis_version`
says which applies to a report, and the catalogue shows every regime's text (`catalogue_text`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ogi.model import Report
from ogi.schemas.definitions import format_for_year

# A rule's basis: one text for every regime, or a text per version ("2008" | "2019" | "2021").
Basis = str | Mapping[str, str]

VERSIONS = ("2021", "2019", "2008")  # newest first, as the catalogue lists them
REGULATION_2008 = "2008 年《条例》（国务院令第492号）"
REGULATION_2019 = "《条例》（国务院令第711号）"
FORMAT_DOCUMENT = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}
_LABELS = {"2021": "2021 年格式", "2019": "2019 年格式", "2008": "2008 年条例时期"}


def by_regime(old: str, new: str, new_2019: str | None = None) -> dict[str, str]:
    """`old` for the 2008 regime, `new` from 2019 (`new_2019` for the 2019 format where it differs)."""
    return {"2008": old, "2019": new if new_2019 is None else new_2019, "2021": new}


def national(detail: str = "", prefix: str = "") -> dict[str, str]:
    """The national format of the report's year: `national("表三（…）")` → 〔2019〕60号 or 〔2021〕30号 表三（…）."""
    sep = " " if detail and not detail.startswith(("（", "(")) else ""
    return {version: f"{prefix}{document}{sep}{detail}" for version, document in FORMAT_DOCUMENT.items()}


def basis_version(report: Report) -> str | None:
    """The version whose basis a finding on `report` cites: the format of its data year, else the format read."""
    return format_for_year(report.year) or report.format_version


def basis_text(basis: Basis, *versions: str | None) -> str:
    """The text `basis` gives for the first of `versions` it covers; else the whole catalogue text."""
    if isinstance(basis, str):
        return basis
    return next((basis[v] for v in versions if v is not None and v in basis), None) or catalogue_text(basis)


def catalogue_text(basis: Basis) -> str:
    """Every regime's text, those with the same text named together ("2021 年格式、2019 年格式：…")."""
    if isinstance(basis, str):
        return basis
    merged = dict(basis)
    new, old = FORMAT_DOCUMENT["2021"], FORMAT_DOCUMENT["2019"]
    if {"2019", "2021"} <= merged.keys() and merged["2019"] != merged["2021"] \
            and merged["2019"].replace(old, new) == merged["2021"]:
        # The same text but for the format document: "国办公开办函〔2021〕30号、〔2019〕60号 表三（…）".
        merged["2019"] = merged["2021"] = merged["2021"].replace(new, new + "、" + old.removeprefix("国办公开办函"))
    texts: dict[str, list[str]] = {}
    for version in VERSIONS:
        if version in merged:
            texts.setdefault(merged[version], []).append(_LABELS[version])
    if len(texts) == 1:
        return next(iter(texts))
    return "｜".join(f"{'、'.join(labels)}：{text}" for text, labels in texts.items())
