"""Alembic's environment: migrations run on the connection `ogi.store.database.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from ogi.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
