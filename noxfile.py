"""Development sessions: `nox -s tests lint typecheck` is what CI runs (see README)."""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck"]

# Chromium and CJK fonts for the browser tests; PostgreSQL for the desk's tests on a real server.
SYSTEM_PACKAGES = ["chromium", "fonts-noto-cjk", "fonts-wqy-microhei", "postgresql"]


def _system_packages(session: nox.Session) -> None:
    """The browser tests need Debian's Chromium and a CJK font, the desk's tests PostgreSQL; install them when we
    may (the tests start their own throwaway PostgreSQL server on 127.0.0.1, see tests/pg_server.py)."""
    if shutil.which("dpkg") is None:
        return
    if subprocess.run(["dpkg", "-s", *SYSTEM_PACKAGES], capture_output=True).returncode == 0:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        session.run("apt-get", "update", "-qq", external=True)
        session.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *SYSTEM_PACKAGES, external=True,
                    env={"DEBIAN_FRONTEND": "noninteractive"})
    else:
        session.warn("Chromium or PostgreSQL is missing and apt-get is not available as root: "
                     "browser tests and the desk's PostgreSQL tests will be skipped")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (unit, end-to-end on examples/, real reports, browser, the Dask executor, the web desk on
    SQLite and PostgreSQL)."""
    _system_packages(session)
    session.install("-e", ".[test,dask,serve]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "noxfile.py", "conftest.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def examples(session: nox.Session) -> None:
    """ogi check and ogi extract on examples/, the JSON validated against its schema."""
    session.install("-e", ".[test]")
    tmp = session.create_tmp()
    session.run("ogi", "check", "examples/", "--format", "json", "-o", f"{tmp}/report.json", success_codes=[0, 1])
    session.run("ogi", "extract", "examples/", "--format", "json", "-o", f"{tmp}/extract.json")
    session.run("python", "-m", "ogi.tools.validate_json", f"{tmp}/report.json")


@nox.session
def gx(session: nox.Session) -> None:
    """The Great Expectations adapter and its tests (optional extra `gx`); Data Docs open in Chromium."""
    _system_packages(session)
    session.install("-e", ".[test,gx]")
    session.run("pytest", "-m", "gx", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: prints figures (never a timed test)."""
    session.install("-e", ".[test,dask]")
    session.run("python", "-m", "ogi.tools.bench", *session.posargs)


@nox.session
def realset(session: nox.Session) -> None:
    """The real-report regression set: per report, cells read, hard defects found, unexplained errors.

    `nox -s realset -- --json figures.json` also writes the figures, to compare across commits.
    """
    session.install(".")
    session.run("python", "-m", "ogi.tools.realset", *session.posargs)


@nox.session
def serve_load(session: nox.Session) -> None:
    """The web desk under load on loopback: 20 clients submit 500 reports; prints latency, throughput and
    the count of lost or duplicated submissions and server errors (exit 1 if any). Bounded in count and time."""
    session.install("-e", ".[test,serve]")
    session.run("python", "-m", "ogi.tools.serve_load", *session.posargs)
