"""Heavy optional imports stay out of the common paths: Great Expectations loads only for `ogi gx`, Dask only
for `--executor dask`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "changde-2017-zwzx.txt"

PROBE = """
import json, sys
from ogi.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("great_expectations", "dask", "distributed")
               or m in ("ogi.gx.suite", "ogi.gx.run", "ogi.dask_reader"))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def probe(*argv: str) -> dict[str, object]:
    """Run the CLI in a fresh interpreter and report the exit code and the heavy modules it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_check_help_does_not_import_great_expectations() -> None:
    assert probe("check", "--help") == {"code": 0, "heavy": []}


def test_gx_help_does_not_import_great_expectations() -> None:
    assert probe("gx", "--help") == {"code": 0, "heavy": []}


def test_check_on_the_seed_does_not_import_great_expectations() -> None:
    assert probe("check", str(SEED), "-q", "--format", "json", "-o", "/dev/null") == {"code": 1, "heavy": []}


def test_the_pytest_plugin_and_the_api_do_not_import_it() -> None:
    code = """
import sys
import ogi.pytest_plugin
light = "ogi.api" not in sys.modules and "pandas" not in sys.modules
import ogi
from ogi.gx.consolidated import consolidated_frame
consolidated_frame(ogi.check([sys.argv[1]], jobs=1))
print(light, any(m.split(".")[0] == "great_expectations" for m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["True", "False"], done.stderr


WEB = ("starlette", "uvicorn", "sqlalchemy", "alembic", "argon2", "psycopg", "multipart", "ogi.serve.app")
WEB_PROBE = """
import json, sys
import ogi
from ogi.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
web = sorted({m.split(".")[0] if not m.startswith("ogi.") else m for m in sys.modules
              if m.split(".")[0] in TOP or m in DEEP})
print(json.dumps({"code": code, "web": web}))
""".replace("TOP", repr(tuple(w for w in WEB if "." not in w))).replace("DEEP", repr(tuple(w for w in WEB if "." in w)))


def _web_modules(*argv: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", WEB_PROBE, *argv], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_web_stack_loads_only_for_the_desk() -> None:
    """`import ogi`, `ogi --help`, `ogi serve --help` and `ogi check` load neither the web stack nor the database."""
    assert _web_modules("--help") == {"code": 0, "web": []}
    assert _web_modules("serve", "--help") == {"code": 0, "web": []}
    assert _web_modules("check", str(SEED), "-q", "--format", "json", "-o", "/dev/null") == {"code": 1, "web": []}


def test_history_loads_the_database_layer_only_when_used(tmp_path: Path) -> None:
    found = _web_modules("check", str(SEED), "-q", "--format", "json", "-o", "/dev/null", "--history",
                         str(tmp_path / "h.sqlite"), "--jobs", "1")
    assert found["code"] == 1 and "sqlalchemy" in found["web"]  # type: ignore[operator]
    assert "starlette" not in found["web"] and "uvicorn" not in found["web"]  # type: ignore[operator]
