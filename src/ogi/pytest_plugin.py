"""pytest plugin: one test item per submission × rule (CI gate). Filled in by the plugin work."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ogi", "政府信息公开年报检查 / ogi-checks")
    group.addoption("--ogi-submissions", action="append", default=[], metavar="PATH",
                    help="要检查的年报文件或目录 / reports to check")
