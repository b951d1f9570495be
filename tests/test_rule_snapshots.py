"""Each rule's rendered findings on its failing document (RULE_CASES), pinned as a snapshot: rule, severity,
location, both messages, expected, actual and params. A broken placeholder, a wrong location or a changed
type shows up as a diff here. After an intended change, regenerate with
`OGI_UPDATE_SNAPSHOTS=1 pytest tests/test_rule_snapshots.py` and review the diff like code."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from ogi.reports.serialize import finding_dict
from rule_cases import RULE_CASES
from test_rule_coverage import _run

SNAPSHOTS = Path(__file__).parent / "snapshots" / "rules"
UPDATE = os.environ.get("OGI_UPDATE_SNAPSHOTS") == "1"
_PINNED = ("rule", "severity", "category", "location", "message", "message_en", "expected", "actual", "params")


def _rendered(code: str, folder: Path) -> list[dict[str, Any]]:
    before = dt.date.today()
    result = _run(RULE_CASES[code], 0, folder)
    days = {before.isoformat(), dt.date.today().isoformat()}  # the run may cross midnight
    out = []
    for finding in (f for f in result.findings if f.rule == code):
        entry = {key: finding_dict(finding)[key] for key in _PINNED}
        # The documents are written to a fresh folder each run: its path is no part of the finding; nor is the
        # day the test runs on, which D004 ("later than today") names.
        text = json.dumps(entry, ensure_ascii=False).replace(str(folder), "<tmp>")
        for day in days:
            text = text.replace(day, "<today>")
        out.append(json.loads(text))
    return out


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_rule_findings_match_their_snapshot(code: str, tmp_path: Path) -> None:
    rendered = _rendered(code, tmp_path)
    assert rendered, f"{code}: its failing document gave no finding"
    path = SNAPSHOTS / f"{code}.json"
    text = json.dumps(rendered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no snapshot for {code}: run with OGI_UPDATE_SNAPSHOTS=1 and review {path}")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_no_snapshot_without_a_rule() -> None:
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.json")) == sorted(RULE_CASES)
