"""ogi.toml on real checks: waivers (honoured, listed, expired), severity overrides, disabled rules,
per-level and per-jurisdiction deadlines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from docs2021 import DEPARTMENT, GOVERNMENT, Doc
from ogi.cli import main
from ogi.config import Config, ConfigError, load_config, parse_config
from ogi.engine import check_file
from ogi.model import Severity, Status, SubmissionResult

TODAY = dt.date(2024, 6, 1)


def _config(toml: str, folder: Path) -> Config:
    path = folder / "ogi.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path).with_overrides(today=TODAY)


def _check(doc: Doc, config: Config, folder: Path) -> SubmissionResult:
    return check_file(doc.write(folder), config)


def _no_fee_statement() -> Doc:
    doc = Doc()
    doc.sections["other"] = "无其他需要报告的事项。"
    return doc


WAIVER = """
[[waivers]]
rule = "B101"
agency = "{agency}"
reason = "信息处理费情况已在单独公告中说明"
approver = "市政务公开办"
expires = {expires}
"""


def test_a_waiver_is_honoured_and_listed(tmp_path: Path) -> None:
    config = _config(WAIVER.format(agency=DEPARTMENT, expires="2025-03-31"), tmp_path)
    result = _check(_no_fee_statement(), config, tmp_path)
    assert "B101" not in {f.rule for f in result.findings}
    assert [f.rule for f in result.waived] == ["B101"]  # not silent: listed with its waiver
    waiver = result.waived[0].waived
    assert waiver is not None and waiver.approver == "市政务公开办" and waiver.expires == dt.date(2025, 3, 31)
    assert result.status == Status.PASS


def test_an_expired_waiver_is_ignored(tmp_path: Path) -> None:
    config = _config(WAIVER.format(agency=DEPARTMENT, expires="2024-03-31"), tmp_path)
    result = _check(_no_fee_statement(), config, tmp_path)
    assert "B101" in {f.rule for f in result.findings} and not result.waived
    assert result.status == Status.WARN


def test_a_waiver_for_another_agency_does_not_apply(tmp_path: Path) -> None:
    config = _config(WAIVER.format(agency=GOVERNMENT, expires="2025-03-31"), tmp_path)
    assert "B101" in {f.rule for f in _check(_no_fee_statement(), config, tmp_path).findings}
    everyone = _config(WAIVER.format(agency="*", expires="2025-03-31"), tmp_path)
    assert [f.rule for f in _check(_no_fee_statement(), everyone, tmp_path).waived] == ["B101"]


def test_waivers_are_shown_in_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ogi.toml").write_text(WAIVER.format(agency=DEPARTMENT, expires="2099-03-31"), encoding="utf-8")
    path = _no_fee_statement().write(tmp_path)
    main(["check", str(path), "--config", str(tmp_path / "ogi.toml"), "--format", "json", "--jobs", "1"])
    out = capsys.readouterr().out
    assert "B101" in out and "市政务公开办" in out


def test_severity_override(tmp_path: Path) -> None:
    config = _config('[severity]\nB101 = "error"\n', tmp_path)
    result = _check(_no_fee_statement(), config, tmp_path)
    b101 = next(f for f in result.findings if f.rule == "B101")
    assert b101.severity == Severity.ERROR and result.status == Status.FAIL
    softer = _config('[severity]\nA102 = "warning"\n', tmp_path)
    broken = _check(Doc().cell("requests", "granted", "natural_person", 61), softer, tmp_path)
    assert {f.severity for f in broken.findings if f.rule == "A102"} == {Severity.WARNING}
    assert {f.severity for f in broken.findings if f.rule == "A101"} == set()


def test_disabled_rules_do_not_run(tmp_path: Path) -> None:
    config = _config('disable = ["B101", "v002"]\n', tmp_path)
    doc = _no_fee_statement().cell("requests", "granted", "research", None)
    result = _check(doc, config, tmp_path)
    ran = {f.rule for f in result.findings} | set(result.passed) | {n.rule for n in result.not_checked}
    assert not {"B101", "V002"} & ran
    assert "V001" in result.passed


def test_statutory_deadlines_by_level(tmp_path: Path) -> None:
    late_for_department = Doc(published="2024-02-05")
    result = _check(late_for_department, Config(today=TODAY), tmp_path)
    d002 = [f for f in result.findings if f.rule == "D002"]
    assert len(d002) == 1 and d002[0].expected == "2024-01-31"
    government = Doc(published="2024-02-05").government()
    assert "D002" in _check(government, Config(today=TODAY), tmp_path).passed  # governments: 31 March


def test_local_deadline_for_a_jurisdiction(tmp_path: Path) -> None:
    config = _config('[deadlines.department]\ndefault = "01-31"\n"宿迁市" = "01-15"\n', tmp_path)
    result = _check(Doc(published="2024-01-20"), config, tmp_path)
    d002 = [f for f in result.findings if f.rule == "D002"]
    assert len(d002) == 1 and d002[0].expected == "2024-01-15" and "逾期 5 天" in d002[0].message
    elsewhere = _config('[deadlines.department]\n"南京市" = "01-15"\n', tmp_path)
    assert "D002" in _check(Doc(published="2024-01-20"), elsewhere, tmp_path).passed


def test_local_deadline_for_a_level(tmp_path: Path) -> None:
    config = _config('[deadlines.government]\ndefault = "02-20"\n', tmp_path)
    result = _check(Doc(published="2024-03-01").government(), config, tmp_path)
    assert [f.expected for f in result.findings if f.rule == "D002"] == ["2024-02-20"]


def test_configured_level_of_an_agency(tmp_path: Path) -> None:
    config = _config(f'[levels]\n"{DEPARTMENT}" = "government"\n', tmp_path)
    result = _check(Doc(published="2024-02-05"), config, tmp_path)
    assert "D002" in result.passed
    assert result.report is not None and not result.report.level_inferred


def test_similarity_threshold_is_configurable() -> None:
    assert parse_config({"similarity_threshold": 0.75}).similarity_threshold == 0.75


def test_bad_configuration_is_reported() -> None:
    with pytest.raises(ConfigError):
        parse_config({"severity": {"B101": "fatal"}})
    with pytest.raises(ConfigError):
        parse_config({"waivers": [{"rule": "B101", "agency": "x"}]})
    with pytest.raises(ConfigError):
        parse_config({"deadlines": {"department": {"default": "13-45"}}})
