"""population age groups, resource bases, rent and loan start

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:56:26.386360
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table('populationagegroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('age_label', sa.String(length=40), nullable=False),
    sa.Column('age_min', sa.Integer(), nullable=False),
    sa.Column('age_max', sa.Integer(), nullable=True),
    sa.Column('men', sa.Integer(), nullable=False),
    sa.Column('women', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_populationagegroup_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_populationagegroup')),
    sa.UniqueConstraint('project_id', 'level', 'age_min', name='uq_population_age_group')
    )
    with op.batch_alter_table('populationagegroup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_populationagegroup_project_id'), ['project_id'], unique=False)

    op.create_table('rentoccupant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area_centi_m2', sa.Integer(), nullable=True),
    sa.Column('share_bp', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['financingplan.id'], name=op.f('fk_rentoccupant_plan_id_financingplan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rentoccupant'))
    )
    with op.batch_alter_table('rentoccupant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rentoccupant_plan_id'), ['plan_id'], unique=False)

    op.create_table('rentsettings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('annual_charges_cents', sa.BigInteger(), nullable=False),
    sa.Column('market_rent_cents_per_m2_month', sa.Integer(), nullable=True),
    sa.Column('split_mode', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['financingplan.id'], name=op.f('fk_rentsettings_plan_id_financingplan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rentsettings')),
    sa.UniqueConstraint('plan_id', name='uq_rent_settings_plan')
    )
    with op.batch_alter_table('rentsettings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rentsettings_plan_id'), ['plan_id'], unique=False)

    op.create_table('resourcebase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('expense_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expense_id'], ['expenseline.id'], name=op.f('fk_resourcebase_expense_id_expenseline'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resourceline.id'], name=op.f('fk_resourcebase_resource_id_resourceline'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resourcebase')),
    sa.UniqueConstraint('resource_id', 'expense_id', name='uq_resource_base')
    )
    with op.batch_alter_table('resourcebase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resourcebase_expense_id'), ['expense_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resourcebase_resource_id'), ['resource_id'], unique=False)

    with op.batch_alter_table('funder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eligible_categories', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_year', sa.Integer(), nullable=True))




def downgrade() -> None:
    """Revert this revision."""

    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.drop_column('start_year')

    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.drop_column('position')

    with op.batch_alter_table('funder', schema=None) as batch_op:
        batch_op.drop_column('eligible_categories')

    with op.batch_alter_table('resourcebase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resourcebase_resource_id'))
        batch_op.drop_index(batch_op.f('ix_resourcebase_expense_id'))

    op.drop_table('resourcebase')
    with op.batch_alter_table('rentsettings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rentsettings_plan_id'))

    op.drop_table('rentsettings')
    with op.batch_alter_table('rentoccupant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rentoccupant_plan_id'))

    op.drop_table('rentoccupant')
    with op.batch_alter_table('populationagegroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_populationagegroup_project_id'))

    op.drop_table('populationagegroup')

