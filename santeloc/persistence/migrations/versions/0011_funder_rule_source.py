"""funder catalogue: the source and date of each rate and ceiling

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the columns; existing catalogues say « source non renseignée » until the user fills them."""
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_source", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("rule_date", sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.drop_column("rule_date")
        batch_op.drop_column("rule_source")
