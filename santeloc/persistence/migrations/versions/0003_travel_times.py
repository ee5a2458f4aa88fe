"""imported travel times between communes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:34:32.254756
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table('traveltime',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=5), nullable=False),
    sa.Column('destination', sa.String(length=5), nullable=False),
    sa.Column('minutes', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_traveltime_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_traveltime')),
    sa.UniqueConstraint('project_id', 'origin', 'destination', name='uq_travel_time')
    )
    with op.batch_alter_table('traveltime', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_traveltime_project_id'), ['project_id'], unique=False)




def downgrade() -> None:
    """Revert this revision."""

    with op.batch_alter_table('traveltime', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_traveltime_project_id'))

    op.drop_table('traveltime')

