"""optimistic versions for constats and funders

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:30:00

Two people may edit the same finding or the same funder's rules: like the other rows they can
both edit, these now carry a ``version`` (SQLAlchemy's ``version_id_col``), so a stale save is
refused instead of silently replacing the other person's. Existing rows start at version 1.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ('constat', 'funder')


def upgrade() -> None:
    """Apply this revision."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    """Revert this revision."""
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
