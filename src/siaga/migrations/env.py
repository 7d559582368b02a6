"""Alembic environment: runs migrations on the connection Siaga hands it."""

from __future__ import annotations

from alembic import context

import siaga.models  # noqa: F401  (registers every table on the metadata)
from siaga.db import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `siaga db upgrade`")
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
