"""The history of checked reports; a history file of the sqlite3 store (tables `submissions` + `meta`) is converted.

Revision ID: 0001_history
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_history"
down_revision = None
branch_labels = None
depends_on = None

# What the sqlite3 history store wrote: 1, and 2 (the same table with an agency_key column, which is
# derived from the agency's name and so not copied: the store computes it again).
LEGACY_SCHEMAS = ("1", "2")
_COLUMNS = ("agency, year, sha256, source, format_version, level, title, published, tables_json, sections_json, "
            "preamble, text, checked_at")


def upgrade() -> None:
    op.create_table(
        "history_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format_version", sa.String(16)),
        sa.Column("level", sa.String(16)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("tables_json", sa.Text, nullable=False),
        sa.Column("sections_json", sa.Text, nullable=False),
        sa.Column("preamble", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("checked_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("agency", "year", "sha256", name="uq_history_reports_agency_year_sha256"),
    )
    op.create_index("ix_history_reports_agency_year", "history_reports", ["agency", "year"])
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    tables = set(inspector.get_table_names())
    if "submissions" in tables and "tables_json" in {c["name"] for c in inspector.get_columns("submissions")}:
        _convert_legacy(bind, tables)


def _convert_legacy(bind: sa.Connection, tables: set[str]) -> None:
    """Copy an ogi 0.1 history file's rows, oldest check first (their order is the versions' order)."""
    if "meta" in tables:
        row = bind.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and str(row[0]) not in LEGACY_SCHEMAS:
            raise RuntimeError(f"历史数据库的版本为 {row[0]}，本程序只能转换版本 {' / '.join(LEGACY_SCHEMAS)} / "
                               "incompatible history database version")
    bind.exec_driver_sql(f"INSERT INTO history_reports ({_COLUMNS}) SELECT {_COLUMNS} FROM submissions "
                         "ORDER BY checked_at, rowid")
    op.drop_table("submissions")
    if "meta" in tables:
        op.drop_table("meta")


def downgrade() -> None:
    op.drop_index("ix_history_reports_agency_year", "history_reports")
    op.drop_table("history_reports")
