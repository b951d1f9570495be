"""Great Expectations adapter (optional extra ``ogi-checks[gx]``).

`consolidated` builds one pandas row per submission from `ogi.check` results (no GX needed);
`suite` declares the expectations over that table; `run` validates it through a GX Checkpoint and
writes Data Docs. Only `suite` and `run` import great_expectations, and nothing outside this package
imports them, so the CLI and the Python API never pay for GX (it takes seconds to import).
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = ("未安装 Great Expectations：请运行 pip install 'ogi-checks[gx]'\n"
                "Great Expectations is not installed: pip install 'ogi-checks[gx]'")


def gx_available() -> bool:
    """Whether great_expectations can be imported (checked without importing it)."""
    return importlib.util.find_spec("great_expectations") is not None
