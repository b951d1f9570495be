"""Shared pytest configuration: paths to the bundled examples and fixtures."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
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


# --- the web desk's databases (tests/test_serve*.py) ---------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A throwaway PostgreSQL server for the session (tests/pg_server.py), or None when none can be had."""
    import pg_server

    if pg_server.why_unavailable() is not None:
        yield None
        return
    with pg_server.postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, postgres_url: str | None, tmp_path: Path) -> str | None:
    """The desk's database: None for the default (SQLite in the data folder) or a fresh PostgreSQL database."""
    import pg_server

    if request.param == "sqlite":
        return None
    try:
        import psycopg  # noqa: F401 - the driver comes with the serve extra
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'ogi-checks[serve]')")
    if postgres_url is None:
        reason = f"no PostgreSQL server: {pg_server.why_unavailable()}"
        if os.environ.get("OGI_REQUIRE_POSTGRES"):  # CI installs PostgreSQL: there, not having it is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return pg_server.fresh_database(postgres_url, f"ogi_test_{next(_DATABASES)}_{os.getpid()}")


_DATABASES = itertools.count()
