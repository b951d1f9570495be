"""JSON output (`--format json`): the contract documented in `ogi/schemas/report.schema.json`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from ogi.model import SubmissionResult
from ogi.reports.serialize import results_dict


def render_json(results: Sequence[SubmissionResult], *, generated_at: dt.datetime | None = None) -> str:
    return json.dumps(results_dict(results, generated_at=generated_at), ensure_ascii=False, indent=2) + "\n"
