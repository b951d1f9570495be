"""Shared pytest configuration: paths to the bundled examples and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def seed_report() -> Path:
    return ROOT / "examples" / "changde-2017-zwzx.txt"
