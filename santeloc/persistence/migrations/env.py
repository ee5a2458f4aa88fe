"""Alembic environment: runs on the connection handed over by santeloc.persistence.engine."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from santeloc.domain import models  # noqa: F401  (registers every table on the metadata)

target_metadata = SQLModel.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables instead
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command-line use by developers: `alembic -x url=sqlite:///dev.db revision --autogenerate`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///santeloc-dev.db")
    with create_engine(url).begin() as own_connection:
        _run(own_connection)
