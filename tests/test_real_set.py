"""The real-report regression set (tests/real): per report, every cell read as the hand truth has it, every
hard defect found, no error that no real defect explains, and the metadata read right.

A report the checker still fails is marked `xfail(strict=True)` with the figures it fails by and the class of
issue 15 that explains it; when a fix lands the test passes, strict xfail turns that into a failure, and the
mark is removed. Each report is checked once per session.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ogi.tools.realset import Figures, Truth, check, evaluate, load_truths

REAL = Path(__file__).parent / "real"
TRUTHS = {t.id: t for t in load_truths(REAL)}
SCHEMA = json.loads((REAL / "truth.schema.json").read_text(encoding="utf-8"))

# What the current code fails, per aspect: report id -> the figures and the issue-15 class behind them.
CELLS_XFAIL: dict[str, str] = {}
DEFECTS_XFAIL: dict[str, str] = {}
ERRORS_XFAIL: dict[str, str] = {}
# Warnings that no defect explains and that name no reading doubt (realset.READING_DOUBT_RULES).
WARNINGS_XFAIL: dict[str, str] = {}
METADATA_XFAIL: dict[str, str] = {}
# Reports of the other half (branch realset-b): while they are not in this tree the set is short of 20.
OTHER_HALF = "pingtan-2012"


def _params(xfails: dict[str, str], only: Any = None) -> list[Any]:
    out = []
    for id_, truth in TRUTHS.items():
        if only is not None and not only(truth):
            continue
        marks = [pytest.mark.xfail(strict=True, reason=xfails[id_])] if id_ in xfails else []
        out.append(pytest.param(id_, marks=marks, id=id_))
    return out


@cache
def _figures(id_: str) -> Figures:
    truth = TRUTHS[id_]
    return evaluate(truth, check(truth))


def _truth(id_: str) -> Truth:
    return TRUTHS[id_]


@pytest.mark.xfail(OTHER_HALF not in TRUTHS, strict=True,
                   reason="the other half of the set (branch realset-b) is not in this tree")
def test_the_set_has_at_least_twenty_reports() -> None:
    assert len(TRUTHS) >= 20


@pytest.mark.parametrize("id_", list(TRUTHS))
def test_truth_file_follows_the_schema(id_: str) -> None:
    jsonschema.validate(_truth(id_).data, SCHEMA)
    assert _truth(id_).data["file"].rsplit(".", 1)[0] == id_


@pytest.mark.parametrize("id_", list(TRUTHS))
def test_file_is_the_one_the_provenance_names(id_: str) -> None:
    truth = _truth(id_)
    data = truth.document.read_bytes()
    assert len(data) < 3_000_000
    assert hashlib.sha256(data).hexdigest() == truth.data["provenance"]["sha256"]


@pytest.mark.parametrize("id_", _params(CELLS_XFAIL, only=lambda t: t.data["cells_kept_apart"]))
def test_every_cell_is_read_as_printed(id_: str) -> None:
    figures = _figures(id_)
    assert figures.cells > 0
    assert [m.describe() for m in figures.misses] == []


@pytest.mark.parametrize("id_", _params(DEFECTS_XFAIL, only=lambda t: any(d["rules"] for d in t.hard_defects)))
def test_every_hard_defect_is_found(id_: str) -> None:
    assert list(_figures(id_).hard_missed) == []


@pytest.mark.parametrize("id_", _params(ERRORS_XFAIL))
def test_no_error_without_a_real_defect(id_: str) -> None:
    assert list(_figures(id_).unexplained) == []


@pytest.mark.parametrize("id_", _params(WARNINGS_XFAIL))
def test_no_warning_without_a_real_defect(id_: str) -> None:
    assert list(_figures(id_).unexplained_warnings) == []


@pytest.mark.parametrize("id_", _params(METADATA_XFAIL))
def test_agency_year_and_format_are_read(id_: str) -> None:
    assert _figures(id_).metadata == {}
