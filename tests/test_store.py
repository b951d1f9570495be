"""The one database's migrations, on SQLite and PostgreSQL: a fresh database gets exactly the tables and
columns the code uses (`ogi.store.schema`), the migrations go down and up again, and `ogi serve migrate`
and `add-user` work from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from ogi.store import database
from ogi.store.schema import metadata


def _target(backend: str | None, tmp_path: Path) -> str:
    return backend or str(tmp_path / "ogi.sqlite")


def test_migrations_build_the_schema_the_code_uses(backend: str | None, tmp_path: Path) -> None:
    engine = database.open_database(_target(backend, tmp_path))
    try:
        found = inspect(engine)
        assert set(found.get_table_names()) == set(metadata.tables) | {"alembic_version"}
        for name, table in metadata.tables.items():
            columns = {c["name"]: c for c in found.get_columns(name)}
            assert set(columns) == {c.name for c in table.columns}, name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable or column.primary_key, (name, column.name)
        assert database.current_revision(engine) == database.head_revision()
        # down to nothing and up again
        from alembic import command

        config = database._alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        database.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == set(metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_database_urls() -> None:
    assert database.database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database.database_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert database.database_url("desk.sqlite").startswith("sqlite:////")


def test_serve_commands_add_user_and_migrate(backend: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("starlette", reason="the serve extra is not installed")
    from ogi.cli import main

    where = ["--data", str(tmp_path / "data")] + (["--database", backend] if backend else [])
    monkeypatch.setenv("OGI_PASSWORD", "a long enough password")
    assert main(["serve", "add-user", "office1", "--role", "readonly", *where]) == 0
    assert "office1" in capsys.readouterr().out
    monkeypatch.setenv("OGI_PASSWORD", "short")
    assert main(["serve", "add-user", "office2", *where]) == 2
    assert "10" in capsys.readouterr().err
    assert main(["serve", "migrate", *where]) == 0
    assert database.head_revision() in capsys.readouterr().out
    engine = database.open_database(backend or str(tmp_path / "data" / "ogi.sqlite"))
    from sqlalchemy import select

    from ogi.store.schema import users

    with engine.connect() as db:
        assert [tuple(r) for r in db.execute(select(users.c.username, users.c.role))] == [("office1", "readonly")]
    engine.dispose()


def test_history_on_either_database_through_the_api(backend: str | None, tmp_path: Path) -> None:
    """`--history` takes an SQLite file or a database URL: the cross-year rules read last year from it."""
    import ogi
    from docs2021 import Doc

    target = _target(backend, tmp_path)
    (tmp_path / "last").mkdir()
    (tmp_path / "now").mkdir()
    last = Doc(year=2022, published="2023-01-20", signed="2023年1月18日")
    last.cell("requests", "carried_forward", "natural_person", 10)
    ogi.check([last.write(tmp_path / "last")], history=target, jobs=2)
    result = ogi.check([Doc().write(tmp_path / "now")], history=target, jobs=2).submissions[0]
    assert [f.actual for f in result.findings if f.rule == "H001"][:1] == [12]
