"""JSON output (`--format json`): the contract documented in `ogi/schemas/report.schema.json`.

The document is written one submission at a time (`write_json`), so a batch of any size is turned into
JSON while its files are still being read and without keeping its results; `render_json` is the same
writer into a string.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable

from ogi import __version__
from ogi.model import SubmissionResult
from ogi.reports.serialize import SCHEMA_VERSION, SummaryCounter, submission_dict

# json.dumps(indent=2) puts the items of the top-level "submissions" list two levels deep.
_ITEM_INDENT = "\n    "


def write_json(results: Iterable[SubmissionResult], write: Callable[[str], object], *,
               generated_at: dt.datetime | None = None) -> SummaryCounter:
    """Write the JSON document of `results` in pieces through `write`; returns the summary counts.

    The text is exactly `json.dumps(results_dict(results), ensure_ascii=False, indent=2)` plus a newline.
    """
    head = json.dumps({"schema_version": SCHEMA_VERSION, "tool": {"name": "ogi-checks", "version": __version__}},
                      ensure_ascii=False, indent=2)
    write(head[: -len("\n}")] + ',\n  "submissions": [')
    summary = SummaryCounter()
    for result in results:
        # A JSON string never holds a raw newline, so re-indenting a submission is a plain replace.
        item = json.dumps(submission_dict(result), ensure_ascii=False, indent=2).replace("\n", _ITEM_INDENT)
        write(("," if summary.submissions else "") + _ITEM_INDENT + item)
        summary.add(result)
    write("\n  ]" if summary.submissions else "]")
    tail: dict[str, object] = {"summary": summary.to_dict()}
    if generated_at is not None:
        tail["generated_at"] = generated_at.isoformat()
    write("," + json.dumps(tail, ensure_ascii=False, indent=2)[len("{"):] + "\n")
    return summary


def render_json(results: Iterable[SubmissionResult], *, generated_at: dt.datetime | None = None) -> str:
    parts: list[str] = []
    write_json(results, parts.append, generated_at=generated_at)
    return "".join(parts)
