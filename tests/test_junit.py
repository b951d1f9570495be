"""junit.xml: valid against the JUnit schema CI servers use; errors fail, warnings per fail_on, skips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from ogi.checks.registry import get_rule
from ogi.reports.junit import render_junit
from report_samples import SEED_AGENCY, TABLE_AGENCY, seed_result, table_result, unreadable_result

XSD = Path(__file__).parent / "fixtures" / "junit-10.xsd"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(XSD)


def _batch() -> list:
    return [seed_result(), table_result(), unreadable_result()]


def _cases(xml: str, suite: int) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    return {c.get("name", "").split()[0]: c for c in root.findall("testsuite")[suite].findall("testcase")}


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_validates_against_the_junit_schema(schema: xmlschema.XMLSchema, fail_on: str) -> None:
    xml = render_junit(_batch(), fail_on=fail_on, generated_at=dt.datetime(2024, 3, 1, 8, 0))
    schema.validate(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_one_suite_per_submission_one_case_per_rule() -> None:
    root = ET.fromstring(render_junit(_batch()))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f"{SEED_AGENCY} 2017", f"{TABLE_AGENCY} 2023", "坏文件.doc"]
    seed = seed_result()
    codes = sorted({*(f.rule for f in seed.findings), *(n.rule for n in seed.not_checked), *seed.passed})
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [f"{c} {get_rule(c).title}" for c in codes]
    assert {c.get("classname") for c in cases} == {SEED_AGENCY}
    assert suites[0].get("tests") == str(len(codes))
    props = {p.get("name"): p.get("value") for p in suites[0].iter("property")}
    assert props["sha256"] == seed.sha256 and props["status"] == "fail"


def test_errors_fail_warnings_go_to_system_out_by_default() -> None:
    xml = render_junit(_batch())
    cases = _cases(xml, 0)
    failure = cases["B001"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    b001 = next(f for f in seed_result().findings if f.rule == "B001")
    assert failure.get("message") == b001.message
    assert cases["S002"].find("failure") is None
    out = cases["S002"].find("system-out")
    assert out is not None and "S002" in (out.text or "")
    skipped = cases["B002"].find("skipped")
    b002 = next(n for n in seed_result().not_checked if n.rule == "B002")
    assert skipped is not None and skipped.get("message") == b002.reason
    assert cases["D002"].find("failure") is None and cases["D002"].find("skipped") is None
    root = ET.fromstring(xml)
    assert root.findall("testsuite")[0].get("failures") == "1"
    assert root.findall("testsuite")[0].get("skipped") == str(len(seed_result().not_checked))


def test_warnings_fail_when_fail_on_says_warning() -> None:
    cases = _cases(render_junit(_batch(), fail_on="warning"), 0)
    failure = cases["S002"].find("failure")
    assert failure is not None and failure.get("type") == "warning"
    assert cases["F004"].find("failure") is None  # information still does not fail


def test_waived_finding_is_reported_not_failed() -> None:
    cases = _cases(render_junit(_batch()), 1)
    assert cases["S001"].find("failure") is None
    assert "经批准并入第一部分" in (cases["S001"].find("system-out").text or "")  # type: ignore[union-attr]
    a001 = cases["A001"].find("failure")
    assert a001 is not None and "fix: （二）部分公开" in (a001.text or "")


def test_english_and_hostile_text(schema: xmlschema.XMLSchema) -> None:
    xml = render_junit([table_result(agency="坏\x01名 <&> ]]>")], lang="en")
    schema.validate(xml)
    root = ET.fromstring(xml)
    assert root.find("testsuite").get("name") == "坏名 <&> ]]> 2023"  # type: ignore[union-attr]
    assert "Published after the deadline" in xml


def test_deterministic() -> None:
    assert render_junit(_batch()) == render_junit(_batch())
    assert "timestamp" not in render_junit(_batch())


def test_the_schema_is_not_vacuous(schema: xmlschema.XMLSchema) -> None:
    wrong_order = ('<testsuites><testsuite name="s" tests="1"><testcase name="c">'
                   '<system-out>x</system-out><failure message="m"/></testcase></testsuite></testsuites>')
    no_name = '<testsuites><testsuite tests="1"><testcase name="c"/></testsuite></testsuites>'
    for xml in (wrong_order, no_name):
        assert not schema.is_valid(xml)


def test_a_rule_checked_in_part_fails_or_skips_but_not_both(schema: xmlschema.XMLSchema) -> None:
    from dataclasses import replace

    from ogi.model import NotChecked

    base = table_result()
    part = NotChecked("A001", "表三“总计”列 2 个单元格空白", "2 cells blank", partial=True)
    failing = replace(base, not_checked=(*base.not_checked, part))
    assert any(f.rule == "A001" and f.severity.value == "error" for f in failing.findings)
    quiet = replace(failing, findings=tuple(f for f in failing.findings if f.rule != "A001"))
    xml = render_junit([failing, quiet])
    schema.validate(xml)
    checked = _cases(xml, 0)["A001"]
    assert checked.find("failure") is not None and checked.find("skipped") is None
    assert "（部分未检查）表三“总计”列 2 个单元格空白" in (checked.findtext("system-out") or "")
    assert _cases(xml, 1)["A001"].find("skipped") is not None
