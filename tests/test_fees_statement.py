"""B003 (2008 regime): information about prices and fees that the organ discloses is not a statement about the
fees of disclosure (real case: 平潭综合实验区 2012, "推进价格和收费信息公开", which never says whether
applicants were charged)."""

from __future__ import annotations

from pathlib import Path

from ogi.config import Config
from ogi.engine import check_file
from rule_cases import CHANGDE

REAL = Path(__file__).parent / "real" / "files"


def test_price_and_fee_information_is_not_a_fee_statement() -> None:
    result = check_file(REAL / "pingtan-2012.txt", Config())
    assert "B003" in {f.rule for f in result.findings}


def test_a_real_fee_statement_still_counts(tmp_path: Path) -> None:
    statement = "本年度没有发生政府信息公开收费。"
    text = CHANGDE.replace(statement, "推进价格和收费信息公开。" + statement)
    path = tmp_path / "changde.txt"
    path.write_text(text, encoding="utf-8")
    assert "B003" in check_file(path, Config()).passed
