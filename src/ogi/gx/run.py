"""Validate the consolidated table with Great Expectations and write Data Docs (needs great_expectations).

Layout of the output folder ``DIR``::

    DIR/index.html                 the verdict and links to everything below (works offline)
    DIR/consolidated.csv           the table that was validated (UTF-8 with BOM, opens in Excel)
    DIR/expectation_suite.json     the suite, to run in an office's own GX deployment
    DIR/gx/                        a GX file project: great_expectations.yml, expectations/, checkpoints/,
    DIR/gx/uncommitted/validations/            validation results (JSON), one folder per run
    DIR/gx/uncommitted/data_docs/local_site/index.html   Data Docs

Running again into the same folder updates the suite and checkpoint and adds a run to the history.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

if TYPE_CHECKING:
    import pandas as pd

    from ogi.config import Config

DATASOURCE = "ogi"
ASSET = "submissions"
BATCH = "all_submissions"
VALIDATION = "ogi_annual_reports_validation"
CHECKPOINT = "ogi_annual_reports_checkpoint"


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation that did not hold, and the rows (submission labels) that broke it."""

    expectation: str  # GX type, e.g. expect_column_values_to_be_in_set
    column: str | None
    description: str
    rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class GxOutcome:
    success: bool
    out: Path
    index: Path  # Data Docs home page
    validation_page: Path | None  # this run's validation result page
    suite_json: Path
    table_csv: Path
    evaluated: int
    failed: tuple[FailedExpectation, ...] = field(default_factory=tuple)


def _file_path(url: str | None) -> Path | None:
    if not url:
        return None
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else Path(url)


def _quiet() -> None:
    # GX logs and draws progress bars on stderr; the CLI prints its own summary instead.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


def validate_frame(frame: pd.DataFrame, out: str | Path, *, roster_agencies: Sequence[str] = (),
                   today: dt.date | None = None) -> GxOutcome:
    """Run the suite over `frame` (see `ogi.gx.consolidated`) in a file Data Context under ``out/gx``."""
    _quiet()
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from ogi.gx.suite import ROW_ID, build_suite

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    table_csv = out / "consolidated.csv"
    frame.to_csv(table_csv, index=False, encoding="utf-8-sig")

    context = gx.get_context(mode="file", project_root_dir=str(out))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()

    if DATASOURCE in context.data_sources.all():
        context.data_sources.delete(DATASOURCE)
    batch = (context.data_sources.add_pandas(DATASOURCE).add_dataframe_asset(ASSET)
             .add_batch_definition_whole_dataframe(BATCH))
    suite = context.suites.add_or_update(build_suite(roster_agencies, today=today))
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=VALIDATION, data=batch, suite=suite))
    checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
        name=CHECKPOINT, validation_definitions=[validation],
        actions=[UpdateDataDocsAction(name="update_data_docs")],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
    ))
    result = checkpoint.run(batch_parameters={"dataframe": frame})

    suite_json = out / "expectation_suite.json"
    suite_json.write_text(json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2, default=str) + "\n",
                          encoding="utf-8")

    urls = context.build_data_docs()
    index = _file_path(next(iter(urls.values()), None)) or out / "gx/uncommitted/data_docs/local_site/index.html"
    identifier, validation_result = next(iter(result.run_results.items()))
    pages = context.get_docs_sites_urls(resource_identifier=identifier)
    page = _file_path(pages[0].get("site_url")) if pages else None
    failed = tuple(_failed(r) for r in validation_result.results if not r.success)
    outcome = GxOutcome(success=bool(result.success), out=out, index=index, validation_page=page,
                        suite_json=suite_json, table_csv=table_csv, evaluated=len(validation_result.results),
                        failed=failed)
    (out / "index.html").write_text(landing_page(outcome), encoding="utf-8")
    return outcome


def _failed(r: Any) -> FailedExpectation:
    config = r.expectation_config
    kwargs = config.kwargs
    column = kwargs.get("column") or ",".join(kwargs.get("column_list") or ()) or None
    rows: list[str] = []
    for item in (r.result or {}).get("unexpected_index_list") or ():
        label = item.get("submission") if isinstance(item, dict) else None
        if label is not None and str(label) not in rows:
            rows.append(str(label))
    return FailedExpectation(config.type, column, config.description or "", tuple(rows))


def run_gx(paths: Sequence[str | Path], out: str | Path, *, roster: str | Path | None = None,
           config: Config | None = None, jobs: int | None = None) -> GxOutcome:
    """Check `paths`, build the consolidated table and validate it (what ``ogi gx`` runs)."""
    from ogi.api import check
    from ogi.gx.consolidated import consolidated_frame
    from ogi.roster import read_roster

    entries = read_roster(roster) if roster is not None else []
    results = check(list(paths), config=config, jobs=jobs)
    frame = consolidated_frame(results, roster=entries or None, config=config)
    today = config.today if config is not None else None
    return validate_frame(frame, out, roster_agencies=[e.agency for e in entries], today=today)


def landing_page(outcome: GxOutcome) -> str:
    """DIR/index.html: the verdict and links, readable offline.

    GX's own Data Docs index lists its runs with scripts from public CDNs, so on a machine without
    internet access that list stays empty; the validation pages themselves are static HTML.
    """
    from html import escape

    def link(path: Path | None, text: str) -> str:
        if path is None:
            return ""
        href = path.relative_to(outcome.out).as_posix() if path.is_relative_to(outcome.out) else path.as_uri()
        return f'<li><a href="{escape(href)}">{escape(text)}</a></li>'

    verdict = ("验证通过 / validation passed" if outcome.success
               else f"验证未通过 / validation failed：{len(outcome.failed)} / {outcome.evaluated}")
    items = "".join(
        f"<li>{escape(f.description or f.expectation)}"
        + (f"：<b>{escape('、'.join(f.rows))}</b>" if f.rows else "") + "</li>"
        for f in outcome.failed)
    links = "".join([
        link(outcome.validation_page, "本次验证结果 / this validation (GX Data Docs)"),
        link(outcome.index, "GX Data Docs 首页 / home (lists every run; needs internet for its scripts)"),
        link(outcome.suite_json, "期望套件 / Expectation Suite (JSON)"),
        link(outcome.table_csv, "汇总表 / consolidated table (CSV)"),
    ])
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>年度报告汇总验证 / ogi gx</title></head><body>"
            f"<h1>年度报告汇总验证 / consolidated validation</h1><p>{escape(verdict)}</p>"
            f"<ul>{items}</ul><h2>文件 / files</h2><ul>{links}</ul></body></html>\n")


def summary(outcome: GxOutcome) -> str:
    """What ``ogi gx`` prints: the verdict, each failed expectation with its rows, and where the files are."""
    failed = len(outcome.failed)
    if outcome.success:
        lines = [f"Great Expectations 验证通过 / validation passed: {outcome.evaluated} 项期望全部满足"
                 " / expectations met"]
    else:
        lines = [f"Great Expectations 验证未通过 / validation failed: {failed} / {outcome.evaluated} 项期望未满足"
                 " / expectations failed"]
    for f in outcome.failed:
        rows = "、".join(f.rows[:10]) + (f" 等 {len(f.rows)} 项 / …" if len(f.rows) > 10 else "")
        lines.append(f"  ✗ {f.description or f.expectation}" + (f"：{rows}" if rows else ""))
    lines.append(f"Data Docs: {outcome.index}")
    lines.append(f"汇总页 / overview (offline): {outcome.out / 'index.html'}")
    if outcome.validation_page is not None:
        lines.append(f"本次验证结果 / this validation: {outcome.validation_page}")
    lines.append(f"期望套件 / Expectation Suite: {outcome.suite_json}")
    lines.append(f"汇总表 / consolidated table: {outcome.table_csv}")
    return "\n".join(lines) + "\n"
