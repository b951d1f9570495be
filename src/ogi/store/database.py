"""Opening the database: a file path or an SQLAlchemy URL → an Engine whose schema is up to date.

SQLite is tuned for a server that must not lose what it acknowledged: WAL journal with synchronous=FULL
(a committed transaction survives a power cut), foreign keys on, and every transaction begun IMMEDIATE
so that concurrent writers queue on the busy timeout instead of failing when a read turns into a write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000


class DatabaseError(Exception):
    """The database cannot be used; the message is for the user (Chinese, then English)."""


def database_url(target: str | Path) -> str:
    """An SQLAlchemy URL for `target`: a URL as given (postgresql://… is served by psycopg 3), or an SQLite file."""
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create(target: str | Path, *, wal: bool = False, **kwargs: Any) -> Engine:
    """An Engine for `target` (not yet migrated: see `open_database`)."""
    url = database_url(target)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
                               **kwargs)
        _tune_sqlite(engine, wal)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver's own BEGIN is replaced by ours below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_database(target: str | Path | Engine, *, wal: bool = False) -> Engine:
    """An Engine on `target` with the newest schema (migrations applied when needed)."""
    engine = target if isinstance(target, Engine) else create(target, wal=wal)
    try:
        upgrade(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"无法打开数据库：{exc} / cannot open the database") from exc
    return engine


def _alembic_config() -> Any:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`; an unknown revision in the database means a newer program wrote it."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise DatabaseError(f"数据库的版本（{current}）比本程序新，请升级 ogi-checks / "
                            "the database was written by a newer version of ogi-checks")
    if revision == "head" and current == script.get_current_head():
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
