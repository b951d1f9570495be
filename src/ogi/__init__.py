"""ogi-checks: checks China's government information disclosure annual reports (政府信息公开工作年度报告).

    import ogi
    results = ogi.check(["reports/"])
    results.findings_frame()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ogi.api import Extracted, Results, check, extract, iter_check

__all__ = ["Extracted", "Results", "__version__", "check", "extract", "iter_check"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import ogi` (and `ogi --help`) stays fast.
    if name in ("check", "iter_check", "extract", "Results", "Extracted"):
        from ogi import api

        return getattr(api, name)
    raise AttributeError(name)
