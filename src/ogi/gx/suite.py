"""The Expectation Suite over the consolidated table (needs great_expectations).

Each expectation carries a Chinese-first description (shown in Data Docs) and, in ``meta``, the
ogi rule it corresponds to, so an office that runs the exported suite in its own GX deployment reads
the same words as in ogi's reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe

from ogi.gx.consolidated import TOTALS, identity_columns

SUITE_NAME = "ogi_annual_reports"
FIRST_YEAR = 2008  # the first data year under the 2008 Regulation

# The suite's expectations fail on these rows; Data Docs lists them by this column.
ROW_ID = "submission"


def _meta(rule: str | None = None, **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"source": "ogi-checks"}
    if rule:
        meta["ogi_rule"] = rule
    meta.update(extra)
    return meta


def build_suite(roster_agencies: Sequence[str] = (), *, today: dt.date | None = None,
                name: str = SUITE_NAME) -> gx.ExpectationSuite:
    """The expectations: roster completeness, unique agency + year, deadlines met, identities hold,
    no error-level findings, and values in range (counts ≥ 0, a plausible data year)."""
    today = today or dt.date.today()
    suite = gx.ExpectationSuite(name=name, meta={"ogi": "政府信息公开工作年度报告汇总表 / consolidated annual reports"})
    add = suite.add_expectation
    if roster_agencies:
        add(gxe.ExpectColumnValuesToBeInSet(
            column="submitted", value_set=[True],
            description="应报机关均已报送（名单完整性） / every agency on the roster has submitted",
            meta=_meta(roster=sorted(roster_agencies))))
    add(gxe.ExpectCompoundColumnsToBeUnique(
        column_list=["agency_key", "year"], ignore_row_if="any_value_is_missing",
        description="同一机关同一年度只有一份报告 / one report per agency and year", meta=_meta()))
    add(gxe.ExpectColumnValuesToBeInSet(
        column="on_time", value_set=[True],
        description="按期发布（不晚于法定或本地期限） / published by the deadline", meta=_meta("D002")))
    for ident in identity_columns():
        add(gxe.ExpectColumnValuesToBeInSet(
            column=ident.column, value_set=[True],
            description=f"表内勾稽关系成立：{ident.zh} / identity holds: {ident.en}", meta=_meta(ident.code)))
    add(gxe.ExpectColumnValuesToBeBetween(
        column="errors", min_value=0, max_value=0,
        description="没有“错误”级别的问题（详见 ogi check 的报告） / no error-level findings", meta=_meta()))
    add(gxe.ExpectColumnValuesToBeBetween(
        column="year", min_value=FIRST_YEAR, max_value=today.year,
        description=f"报告年度在 {FIRST_YEAR} 年至今之间 / a plausible data year", meta=_meta()))
    for column in (*(t[0] for t in TOTALS), "appeals_litigation_total", "warnings", "infos"):
        add(gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=0,
            description=f"{column} 为非负数 / {column} is not negative", meta=_meta()))
    return suite
