"""official APL: the total population the DREES publishes beside each commune's APL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the column (empty for rows imported before: the population under a threshold then
    falls back on the legal population, and says so)."""
    with op.batch_alter_table("officialapl", schema=None) as batch_op:
        batch_op.add_column(sa.Column("total_population", sa.Float(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("officialapl", schema=None) as batch_op:
        batch_op.drop_column("total_population")
