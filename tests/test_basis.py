"""Basis, wording and examples follow the report's own regime and year (issue 15, class 11).

A 2017 report answers to the 2008 Regulation (国务院令第492号); a 2019/2020 report to the 2019
Regulation (国务院令第711号) and the 2019 format (〔2019〕60号); a report from 2021 on to the same
Regulation and the 2021 format (〔2021〕30号). No finding cites another regime's documents, and the
"how to fix" example shown with a finding is the report's own year's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ogi.checks.basis import basis_version, catalogue_text, national
from ogi.checks.registry import all_rules, get_rule
from ogi.config import Config
from ogi.engine import check_file
from ogi.model import SubmissionResult
from ogi.reports.html import how_to_fix
from rule_cases import RULE_CASES, SEED

# What a finding of each regime must not cite.
FOREIGN = {
    "2008": ("国务院令第711号", "〔2021〕30号", "〔2019〕60号", "〔2019〕61号"),
    "2019": ("国务院令第492号", "〔2021〕30号", "2008 年《条例》"),
    "2021": ("国务院令第492号", "〔2019〕60号", "2008 年《条例》"),
}


def _foreign_citations(result: SubmissionResult) -> list[tuple[str, str]]:
    assert result.report is not None
    version = basis_version(result.report)
    assert version is not None
    return [(f.rule, f.basis or "") for f in result.findings if any(w in (f.basis or "") for w in FOREIGN[version])]


def test_a_2017_report_cites_the_2008_regulation_and_its_own_year(tmp_path: Path) -> None:
    # The seed (2017) states no statistical period: D005, once cited with the 2021 format and a 2023 example.
    result = check_file(SEED(tmp_path), Config())
    [d005] = [f for f in result.findings if f.rule == "D005"]
    assert "国务院令第492号" in (d005.basis or "") and "〔2021〕" not in (d005.basis or "")
    assert "2017年1月1日至12月31日" in d005.message
    fix = how_to_fix("D005", "zh", result.report)
    assert "2017年1月1日" in fix and "2023" not in fix
    [b001] = [f for f in result.findings if f.rule == "B001"]
    assert "国务院令第492号" in (b001.basis or "")


def test_a_late_2017_report_is_not_told_about_agency_levels(tmp_path: Path) -> None:
    # Under the 2008 Regulation every agency had until 31 March: the level (部门/政府) decides nothing.
    result = check_file(RULE_CASES["D002"].failing(tmp_path), Config())
    [d002] = [f for f in result.findings if f.rule == "D002"]
    assert d002.message == "发布日期 2018-04-19 晚于期限 2018-03-31（2008 年《条例》：次年3月31日前），逾期 19 天"


@pytest.mark.parametrize("code", sorted(RULE_CASES))
def test_no_finding_cites_another_regime(code: str, tmp_path: Path) -> None:
    # Every rule's failing document (2008-era seed variants, 2019- and 2021-format pages).
    case = RULE_CASES[code]
    config = case.failing_config or Config()
    result = check_file(case.failing(tmp_path), config)
    if result.report is not None and basis_version(result.report) is not None:
        assert _foreign_citations(result) == []


def test_a_2019_format_report_cites_the_2019_format(tmp_path: Path) -> None:
    from docs2021 import Doc

    doc = Doc(version="2019", year=2020, published="2021-01-20", signed="2021年1月18日")
    doc.cell("requests", "granted", "natural_person", "/")
    result = check_file(doc.write(tmp_path), Config())
    [v003] = [f for f in result.findings if f.rule == "V003"]
    assert "〔2019〕60号" in (v003.basis or "") and "〔2021〕" not in (v003.basis or "")


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*年)")  # a year is written with 年, unlike a count of 2026 items
# Examples that name a later year on purpose: a date in the future, the national formats' own years.
_LATER_YEARS_MEANT = {"D004", "S008"}


@pytest.mark.parametrize("rule", [r for r in all_rules() if not r.formats or "2008" in r.formats],
                         ids=lambda r: r.code)
def test_examples_for_a_2017_report_speak_of_2017(rule) -> None:  # type: ignore[no-untyped-def]
    sections = rule.doc_sections(2017, "2008")
    for heading in ("不合规示例", "合规示例"):
        years = [int(y) for y in _YEAR.findall(sections.get(heading, ""))]
        if rule.code not in _LATER_YEARS_MEANT:
            assert all(y <= 2018 for y in years), f"{rule.code} {heading}: {sections[heading]}"


def test_regime_examples_replace_the_plain_ones() -> None:
    d002 = get_rule("D002")
    assert "3月31日" in d002.doc_sections(2017, "2008")["不合规示例"]
    assert "1月31日" in d002.doc_sections(2023, "2021")["不合规示例"]
    # The catalogue shows both, each for a year of its regime.
    assert "2018年4月8日" in d002.doc and "2024年2月5日" in d002.doc


def test_the_catalogue_names_both_formats_once() -> None:
    both = "国办公开办函〔2021〕30号、〔2019〕60号 表四（行政复议、行政诉讼情况）"
    assert catalogue_text(national("表四（行政复议、行政诉讼情况）")) == both
    assert "2008 年条例时期：" in get_rule("D002").basis
