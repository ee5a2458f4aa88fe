"""dossiers: funder's printed mention, its attachments, aids of the State

Revision ID: 0007_dossiers
Revises: 0003
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision: str = "0007_dossiers"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_STATE_CODES = ("DETR", "DSIL", "FNADT", "DDR")


def upgrade() -> None:
    """Add the columns, flag the State's funds and move nothing else (notes stay notes)."""
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mention", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("is_state", sa.Boolean(), nullable=False, server_default=sa.false()))
    funder = sa.table("funder", sa.column("code", sa.String()), sa.column("is_state", sa.Boolean()))
    op.execute(funder.update().where(funder.c.code.in_(_STATE_CODES)).values(is_state=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.drop_column("is_state")
        batch_op.drop_column("attachments")
        batch_op.drop_column("mention")
