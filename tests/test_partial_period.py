"""D001: a statistical period that is part of the data year (an organ set up during the year) is a warning that
says so, never the "wrong year" error; a period of another year stays an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi.config import Config
from ogi.engine import check_file
from ogi.model import Severity
from rule_cases import CHANGDE, PERIOD


@pytest.mark.parametrize(("period", "severity"), [
    ("2017年9月1日至2017年12月31日", Severity.WARNING),  # 君山片区 2019: the bureau was formed that autumn
    ("2017年1月1日至2017年6月30日", Severity.WARNING),
    ("2016年1月1日至2016年12月31日", Severity.ERROR),
    ("2016年9月1日至2017年12月31日", Severity.ERROR),
])
def test_partial_period_is_a_warning(period: str, severity: Severity, tmp_path: Path) -> None:
    text = CHANGDE.replace(PERIOD[0], PERIOD[1].replace("2017年1月1日至2017年12月31日", period))
    path = tmp_path / "changde.txt"
    path.write_text(text, encoding="utf-8")
    found = [f for f in check_file(path, Config()).findings if f.rule == "D001"]
    assert [f.severity for f in found] == [severity]
    assert ("只覆盖" in found[0].message) == (severity == Severity.WARNING)
