"""issue 14 imports: indicator periods, establishment positions, official APL of the DREES

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period', sa.String(length=20), nullable=False, server_default=''))
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
    op.create_table('officialapl',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('standardised_population', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_officialapl_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officialapl')),
    sa.UniqueConstraint('project_id', 'commune_code', 'year', 'variant', name='uq_official_apl')
    )
    with op.batch_alter_table('officialapl', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officialapl_project_id'), ['project_id'], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('officialapl', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officialapl_project_id'))
    op.drop_table('officialapl')
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.drop_column('period')
