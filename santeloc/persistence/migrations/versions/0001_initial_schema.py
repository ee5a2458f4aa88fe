"""initial schema of the whole methodology

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 14:24:55.985642
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('porteur_type', sa.String(length=40), nullable=False),
    sa.Column('porteur_name', sa.String(length=300), nullable=False),
    sa.Column('project_type', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('plan_pack_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('name', name=op.f('uq_project_name'))
    )
    op.create_table('accessmeasure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_accessmeasure_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessmeasure'))
    )
    with op.batch_alter_table('accessmeasure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accessmeasure_project_id'), ['project_id'], unique=False)

    op.create_table('establishment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('finess', sa.String(length=12), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_establishment_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_establishment'))
    )
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_establishment_project_id'), ['project_id'], unique=False)

    op.create_table('financingplan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_reference', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_financingplan_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financingplan'))
    )
    with op.batch_alter_table('financingplan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financingplan_project_id'), ['project_id'], unique=False)

    op.create_table('funder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('max_rate_bp', sa.Integer(), nullable=True),
    sa.Column('ceiling_cents', sa.BigInteger(), nullable=True),
    sa.Column('eligible_stages', sa.String(length=120), nullable=False),
    sa.Column('counts_ttc', sa.Boolean(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_funder_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funder')),
    sa.UniqueConstraint('project_id', 'code', name='uq_funder_code')
    )
    with op.batch_alter_table('funder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funder_project_id'), ['project_id'], unique=False)

    op.create_table('healthprojectsection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_healthprojectsection_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_healthprojectsection')),
    sa.UniqueConstraint('project_id', 'key', name='uq_health_project_section')
    )
    with op.batch_alter_table('healthprojectsection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_healthprojectsection_project_id'), ['project_id'], unique=False)

    op.create_table('indicatorvalue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('value_territory', sa.Float(), nullable=True),
    sa.Column('value_departement', sa.Float(), nullable=True),
    sa.Column('value_region', sa.Float(), nullable=True),
    sa.Column('value_france', sa.Float(), nullable=True),
    sa.Column('observed', sa.Float(), nullable=True),
    sa.Column('expected', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_indicatorvalue_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicatorvalue'))
    )
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicatorvalue_project_id'), ['project_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_meeting_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_project_id'), ['project_id'], unique=False)

    op.create_table('priority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_priority_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority'))
    )
    with op.batch_alter_table('priority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_project_id'), ['project_id'], unique=False)

    op.create_table('professional',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('rpps', sa.String(length=20), nullable=False),
    sa.Column('last_name', sa.String(length=120), nullable=False),
    sa.Column('first_name', sa.String(length=120), nullable=False),
    sa.Column('profession', sa.String(length=80), nullable=False),
    sa.Column('speciality', sa.String(length=120), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('secondary_commune_code', sa.String(length=5), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('practice_mode', sa.String(length=40), nullable=False),
    sa.Column('sector', sa.Integer(), nullable=True),
    sa.Column('fte', sa.Float(), nullable=True),
    sa.Column('retirement_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('wants_group_practice', sa.Boolean(), nullable=True),
    sa.Column('wants_pluriprofessional', sa.Boolean(), nullable=True),
    sa.Column('owns_premises', sa.Boolean(), nullable=True),
    sa.Column('ready_to_move', sa.Boolean(), nullable=True),
    sa.Column('horizon', sa.String(length=120), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('commitment_status', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_professional_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professional'))
    )
    with op.batch_alter_table('professional', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professional_project_id'), ['project_id'], unique=False)

    op.create_table('projectsetting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_projectsetting_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projectsetting')),
    sa.UniqueConstraint('project_id', 'key', name='uq_project_setting')
    )
    with op.batch_alter_table('projectsetting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projectsetting_project_id'), ['project_id'], unique=False)

    op.create_table('surveyquestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_surveyquestion_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveyquestion'))
    )
    with op.batch_alter_table('surveyquestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveyquestion_project_id'), ['project_id'], unique=False)

    op.create_table('surveyresponse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=80), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('age_group', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_surveyresponse_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveyresponse'))
    )
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveyresponse_project_id'), ['project_id'], unique=False)

    op.create_table('territorycommune',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('insee_code', sa.String(length=5), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_territorycommune_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territorycommune')),
    sa.UniqueConstraint('project_id', 'insee_code', name='uq_territory_commune')
    )
    with op.batch_alter_table('territorycommune', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_territorycommune_project_id'), ['project_id'], unique=False)

    op.create_table('commitmentevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['professional_id'], ['professional.id'], name=op.f('fk_commitmentevent_professional_id_professional'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitmentevent'))
    )
    with op.batch_alter_table('commitmentevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitmentevent_professional_id'), ['professional_id'], unique=False)

    op.create_table('constat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicatorvalue.id'], name=op.f('fk_constat_indicator_id_indicatorvalue'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_constat_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_constat'))
    )
    with op.batch_alter_table('constat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_constat_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_constat_project_id'), ['project_id'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['professional_id'], ['professional.id'], name=op.f('fk_contact_professional_id_professional'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_contact_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_professional_id'), ['professional_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_project_id'), ['project_id'], unique=False)

    op.create_table('expenseline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('amount_ht_cents', sa.BigInteger(), nullable=False),
    sa.Column('vat_rate_bp', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['financingplan.id'], name=op.f('fk_expenseline_plan_id_financingplan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenseline'))
    )
    with op.batch_alter_table('expenseline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenseline_plan_id'), ['plan_id'], unique=False)

    op.create_table('loan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('principal_cents', sa.BigInteger(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('constant_annuity', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['financingplan.id'], name=op.f('fk_loan_plan_id_financingplan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan'))
    )
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_plan_id'), ['plan_id'], unique=False)

    op.create_table('meetingtask',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meetingtask_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetingtask'))
    )
    with op.batch_alter_table('meetingtask', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetingtask_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_objective_priority_id_priority'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective'))
    )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_priority_id'), ['priority_id'], unique=False)

    op.create_table('resourceline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('funder_code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['financingplan.id'], name=op.f('fk_resourceline_plan_id_financingplan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resourceline'))
    )
    with op.batch_alter_table('resourceline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resourceline_plan_id'), ['plan_id'], unique=False)

    op.create_table('surveyanswer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['surveyquestion.id'], name=op.f('fk_surveyanswer_question_id_surveyquestion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['surveyresponse.id'], name=op.f('fk_surveyanswer_response_id_surveyresponse'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveyanswer'))
    )
    with op.batch_alter_table('surveyanswer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveyanswer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveyanswer_response_id'), ['response_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('target_public', sa.Text(), nullable=False),
    sa.Column('pilot', sa.String(length=200), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('plan_justification', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_action_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_objective_id'), ['objective_id'], unique=False)

    op.create_table('meetingparticipant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_meetingparticipant_contact_id_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meetingparticipant_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetingparticipant')),
    sa.UniqueConstraint('meeting_id', 'contact_id', name='uq_meeting_participant')
    )
    with op.batch_alter_table('meetingparticipant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetingparticipant_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetingparticipant_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('actionconstat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('constat_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_actionconstat_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['constat_id'], ['constat.id'], name=op.f('fk_actionconstat_constat_id_constat'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actionconstat')),
    sa.UniqueConstraint('action_id', 'constat_id', name='uq_action_constat')
    )
    with op.batch_alter_table('actionconstat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actionconstat_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actionconstat_constat_id'), ['constat_id'], unique=False)

    op.create_table('actionindicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_actionindicator_action_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actionindicator'))
    )
    with op.batch_alter_table('actionindicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actionindicator_action_id'), ['action_id'], unique=False)

    op.create_table('actionplanlink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('pack_key', sa.String(length=120), nullable=False),
    sa.Column('objective_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_actionplanlink_action_id_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actionplanlink')),
    sa.UniqueConstraint('action_id', 'pack_key', 'objective_code', name='uq_action_plan')
    )
    with op.batch_alter_table('actionplanlink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actionplanlink_action_id'), ['action_id'], unique=False)

    


def downgrade() -> None:
    """Revert this revision."""
    
    with op.batch_alter_table('actionplanlink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actionplanlink_action_id'))

    op.drop_table('actionplanlink')
    with op.batch_alter_table('actionindicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actionindicator_action_id'))

    op.drop_table('actionindicator')
    with op.batch_alter_table('actionconstat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actionconstat_constat_id'))
        batch_op.drop_index(batch_op.f('ix_actionconstat_action_id'))

    op.drop_table('actionconstat')
    with op.batch_alter_table('meetingparticipant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetingparticipant_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meetingparticipant_contact_id'))

    op.drop_table('meetingparticipant')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_objective_id'))

    op.drop_table('action')
    with op.batch_alter_table('surveyanswer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyanswer_response_id'))
        batch_op.drop_index(batch_op.f('ix_surveyanswer_question_id'))

    op.drop_table('surveyanswer')
    with op.batch_alter_table('resourceline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resourceline_plan_id'))

    op.drop_table('resourceline')
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_priority_id'))

    op.drop_table('objective')
    with op.batch_alter_table('meetingtask', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetingtask_meeting_id'))

    op.drop_table('meetingtask')
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_plan_id'))

    op.drop_table('loan')
    with op.batch_alter_table('expenseline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenseline_plan_id'))

    op.drop_table('expenseline')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_project_id'))
        batch_op.drop_index(batch_op.f('ix_contact_professional_id'))

    op.drop_table('contact')
    with op.batch_alter_table('constat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_constat_project_id'))
        batch_op.drop_index(batch_op.f('ix_constat_indicator_id'))

    op.drop_table('constat')
    with op.batch_alter_table('commitmentevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitmentevent_professional_id'))

    op.drop_table('commitmentevent')
    with op.batch_alter_table('territorycommune', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_territorycommune_project_id'))

    op.drop_table('territorycommune')
    with op.batch_alter_table('surveyresponse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyresponse_project_id'))

    op.drop_table('surveyresponse')
    with op.batch_alter_table('surveyquestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveyquestion_project_id'))

    op.drop_table('surveyquestion')
    with op.batch_alter_table('projectsetting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projectsetting_project_id'))

    op.drop_table('projectsetting')
    with op.batch_alter_table('professional', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professional_project_id'))

    op.drop_table('professional')
    with op.batch_alter_table('priority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_project_id'))

    op.drop_table('priority')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_project_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('indicatorvalue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicatorvalue_project_id'))

    op.drop_table('indicatorvalue')
    with op.batch_alter_table('healthprojectsection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_healthprojectsection_project_id'))

    op.drop_table('healthprojectsection')
    with op.batch_alter_table('funder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funder_project_id'))

    op.drop_table('funder')
    with op.batch_alter_table('financingplan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financingplan_project_id'))

    op.drop_table('financingplan')
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_establishment_project_id'))

    op.drop_table('establishment')
    with op.batch_alter_table('accessmeasure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accessmeasure_project_id'))

    op.drop_table('accessmeasure')
    op.drop_table('project')
    
