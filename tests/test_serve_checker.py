"""The desk's checker: checks run off the request path in the engine's worker processes, so a file that
keeps its worker busy (here a 6 MB page of 100,000 table rows, some seconds of parsing) is stopped at the
time limit with F001, while another user's draft, sent after it, is checked meanwhile by the other
checker thread."""

from __future__ import annotations

import time
from pathlib import Path

from ogi.config import Config
from ogi.serve.checker import Checker, Job, relabel

SEED = Path(__file__).resolve().parent.parent / "examples" / "changde-2017-zwzx.txt"


def test_a_stuck_file_does_not_block_other_users(tmp_path: Path) -> None:
    checker = Checker(None, threads=2)
    try:
        rows = "".join(f"<tr><td>第{i}行</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(100_000))
        page = f"<html><body><h1>某某局2023年政府信息公开工作年度报告</h1><table>{rows}</table></body></html>"
        stuck = checker.scratch_file("大文件.html", page.encode())
        slow = checker.submit(Job(id="slow", path=stuck, name="大文件.html",
                                  config=Config().with_overrides(per_file_seconds=2.0), save_history=False))
        time.sleep(0.5)  # the stuck file is being read
        quick = checker.submit(Job(id="quick", path=checker.scratch_file("草稿.txt", SEED.read_bytes()),
                                   name="草稿.txt", config=Config(), save_history=False))
        assert quick.done.wait(60)
        assert quick.result is not None and quick.result.report is not None
        assert not slow.done.is_set()  # still on its clock while the other draft was answered
        assert slow.done.wait(120)
        assert slow.result is not None
        finding = slow.result.findings[0]
        assert finding.rule == "F001" and "超时" in finding.message
        assert slow.result.source == "大文件.html" and str(stuck) not in finding.message
        assert checker.position(quick) == 0 and checker.pending() == 0
    finally:
        checker.stop()
    assert not checker.scratch.exists()


def test_results_carry_the_senders_file_name(tmp_path: Path) -> None:
    from ogi.engine import check_file

    path = tmp_path / "scratch-name.txt"
    path.write_bytes(b"")
    result = relabel(check_file(path, Config()), path, "我的报告.txt")
    assert result.source == "我的报告.txt"
    assert all(str(path) not in (f.location.text or "") for f in result.findings)
