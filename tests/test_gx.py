"""The Great Expectations adapter: the consolidated table, `ogi gx`, and its Data Docs in Chromium.

The table itself needs only pandas and is tested always; everything that runs GX is marked `gx` and
skipped when great_expectations is not installed (`nox -s gx` installs it).
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

import ogi
from ogi.checks.registry import get_rule
from ogi.gx.consolidated import columns, consolidated_frame
from structured_reports import clean_report, late, unbalanced, write

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "changde-2017-zwzx.txt"
SEED_AGENCY = "常德市人民政府政务服务中心"
CLEAN_AGENCY = "沭阳县自然资源和规划局"
MISSING_AGENCY = "沭阳县审计局"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

NO_GX = find_spec("great_expectations") is None
SKIP_NO_GX = pytest.mark.skipif(NO_GX, reason="great_expectations is not installed (pip install 'ogi-checks[gx]')")


@dataclass(frozen=True)
class Batch:
    folder: Path
    roster: Path
    defective_agency: str
    defective_label: str


def _defective(folder: Path) -> tuple[str, int]:
    """A 2021-format report published late with table 三 out of balance: generated when the synthetic
    report generator is there, else derived from the clean structured report."""
    try:
        from ogi.testing.synth import generate
    except ImportError:
        report = late(unbalanced(clean_report("沭阳县交通运输局")))
        write(report, folder / "defective.json")
        return report["agency"], report["year"]
    synth = generate(7, year=2023, level="department").late(20).unbalanced()
    write(synth.to_structured(), folder / "defective.json")
    return synth.agency, synth.year


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    root = tmp_path_factory.mktemp("gx-batch")
    folder = root / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    write(clean_report(CLEAN_AGENCY), folder / "clean.json")
    agency, year = _defective(folder)
    roster = root / "roster.csv"
    roster.write_text("agency,level,jurisdiction,deadline\n"
                      f"{SEED_AGENCY},department,常德市,\n{CLEAN_AGENCY},department,沭阳县,\n"
                      f"{agency},department,,\n{MISSING_AGENCY},department,沭阳县,\n", encoding="utf-8")
    return Batch(folder, roster, agency, f"{agency}-{year}")


def _identity_rule_registered(code: str = "A101") -> bool:
    try:
        get_rule(code)
    except KeyError:
        return False
    return True


def test_consolidated_table_has_a_row_per_submission_and_per_missing_agency(batch: Batch) -> None:
    frame = consolidated_frame(ogi.check([batch.folder], jobs=1), roster=batch.roster)
    assert list(frame.columns) == columns()
    assert len(frame) == 4 and frame["submission"].is_unique
    rows = frame.set_index("agency")
    seed = rows.loc[SEED_AGENCY]
    assert (seed["year"], seed["format_version"], seed["level"]) == (2017, "2008", "department")
    assert str(seed["published"].date()) == "2018-03-19" and str(seed["deadline"].date()) == "2018-03-31"
    assert bool(seed["on_time"]) and seed["errors"] == 1 and seed["status"] == "fail"
    assert seed["roster_status"] == "on_time" and seed["roster_agency"] == SEED_AGENCY
    assert frame.loc[frame["agency"] == SEED_AGENCY, "requests_new_received"].isna().all()  # old shape: no tables
    clean = rows.loc[CLEAN_AGENCY]
    totals = ("requests_new_received", "requests_total_processed", "appeals_review_total")
    assert tuple(clean[c] for c in totals) == (5, 5, 0)
    assert bool(clean["on_time"]) and clean["errors"] == 0 and clean["status"] == "pass"
    defective = rows.loc[batch.defective_agency]
    assert not bool(defective["on_time"]) and defective["errors"] >= 1
    if _identity_rule_registered():
        assert bool(clean["identity_A101"]) and not bool(defective["identity_A101"])
        assert frame.loc[frame["agency"] == SEED_AGENCY, "identity_A101"].isna().all()  # 2008: no such identity
    missing = rows.loc[MISSING_AGENCY]
    assert (bool(missing["submitted"]), missing["status"], missing["roster_status"]) == (False, "missing", "missing")
    assert frame["submitted"].sum() == 3
    assert str(frame["requests_new_received"].dtype) == "Int64" and str(frame["on_time"].dtype) == "boolean"


def test_without_great_expectations_ogi_gx_says_how_to_install_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['great_expectations'] = None\n"
            "from ogi.cli import main\nsys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "gx", str(SEED), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "pip install 'ogi-checks[gx]'" in done.stderr and "未安装 Great Expectations" in done.stderr
    assert not (tmp_path / "out").exists()


# --- running GX ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GxRun:
    code: int
    stdout: str
    out: Path


def _ogi_gx(*argv: str) -> GxRun:
    from ogi.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["gx", *argv])
    out = Path(argv[argv.index("--out") + 1])
    return GxRun(code, buffer.getvalue(), out)


@pytest.fixture(scope="module")
def gx_run(batch: Batch, tmp_path_factory: pytest.TempPathFactory) -> GxRun:
    pytest.importorskip("great_expectations")
    out = tmp_path_factory.mktemp("gx-out")
    return _ogi_gx(str(batch.folder), "--out", str(out), "--roster", str(batch.roster), "-j", "1")


def _printed_path(stdout: str, label: str) -> Path:
    line = next(line for line in stdout.splitlines() if line.startswith(label))
    return Path(line.split(": ", 1)[1].strip())


@pytest.mark.gx
@SKIP_NO_GX
def test_ogi_gx_fails_on_the_defective_submissions_and_writes_data_docs(gx_run: GxRun, batch: Batch) -> None:
    assert gx_run.code == 1, gx_run.stdout
    index = _printed_path(gx_run.stdout, "Data Docs")
    assert index.is_file() and index.name == "index.html" and gx_run.out / "gx" in index.parents
    assert (gx_run.out / "index.html").is_file()
    failed = [line for line in gx_run.stdout.splitlines() if line.startswith("  ✗ ")]
    assert any("按期发布" in line and batch.defective_label in line for line in failed)
    assert any("应报机关均已报送" in line and MISSING_AGENCY in line for line in failed)
    assert any("错误" in line and f"{SEED_AGENCY}-2017" in line for line in failed)
    if _identity_rule_registered():
        assert any("勾稽" in line and batch.defective_label in line for line in failed)
    assert not any(CLEAN_AGENCY in line for line in failed)
    # The suite is exported for an office's own GX deployment, and the results are kept as JSON.
    suite = json.loads((gx_run.out / "expectation_suite.json").read_text(encoding="utf-8"))
    types = {e["type"] for e in suite["expectations"]}
    assert {"expect_compound_columns_to_be_unique", "expect_column_values_to_be_in_set",
            "expect_column_values_to_be_between"} <= types
    assert suite["name"] == "ogi_annual_reports"
    results = list((gx_run.out / "gx" / "uncommitted" / "validations").rglob("*.json"))
    assert results and json.loads(results[0].read_text(encoding="utf-8"))["success"] is False
    import great_expectations as gx

    reloaded = gx.ExpectationSuite(**suite)  # the exported JSON is a valid suite
    assert len(reloaded.expectations) == len(suite["expectations"])


@pytest.mark.gx
@SKIP_NO_GX
def test_ogi_gx_passes_clean_reports(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    write(clean_report(CLEAN_AGENCY), folder / "a.json")
    write(clean_report("沭阳县水利局"), folder / "b.json")
    run = _ogi_gx(str(folder), "--out", str(tmp_path / "out"), "-j", "1")
    assert run.code == 0, run.stdout
    assert "验证通过" in run.stdout


def _dom(url_path: Path, tmp_path: Path) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url_path.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _text(dom: str) -> str:
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", dom)))


@pytest.mark.gx
@pytest.mark.browser
@SKIP_NO_GX
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not on PATH (apt-get install chromium fonts-noto-cjk)")
def test_data_docs_open_in_chromium_and_show_the_failures(gx_run: GxRun, batch: Batch, tmp_path: Path) -> None:
    index = _text(_dom(_printed_path(gx_run.stdout, "Data Docs"), tmp_path))
    assert "Data Docs" in index and "Validation Results" in index and "Expectation Suites" in index
    page = _printed_path(gx_run.stdout, "本次验证结果 / this validation")
    assert page.is_file() and "validations" in page.parts
    dom = _text(_dom(page, tmp_path))
    assert "Status: Failed" in dom
    # Each failed expectation is shown with the submissions that broke it (by their label).
    on_time = dom.index("按期发布（不晚于法定或本地期限）")
    assert batch.defective_label in dom[on_time:on_time + 600]
    submitted = dom.index("应报机关均已报送")
    assert MISSING_AGENCY in dom[submitted:submitted + 600]
    errors = dom.index("没有“错误”级别的问题")
    assert f"{SEED_AGENCY}-2017" in dom[errors:errors + 800]
    if _identity_rule_registered():
        balance = dom.index("本年新收+上年结转=办理结果总计+结转下年度")
        assert batch.defective_label in dom[balance:balance + 600]
    overview = _text(_dom(gx_run.out / "index.html", tmp_path))
    assert "验证未通过" in overview and batch.defective_label in overview
