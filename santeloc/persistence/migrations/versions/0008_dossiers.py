"""dossiers: funder's printed mention, attachments and State flag; attendance, secretary, next meeting

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_STATE_CODES = ("DETR", "DSIL", "FNADT", "DDR")


def upgrade() -> None:
    """Add the columns, flag the State's funds and move nothing else (notes stay notes)."""
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mention", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("is_state", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secretary", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("next_meeting", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("meetingparticipant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance", sa.String(length=20), nullable=False, server_default="present"))
    with op.batch_alter_table("meetingtask", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_on", sa.Date(), nullable=True))
    funder = sa.table("funder", sa.column("code", sa.String()), sa.column("is_state", sa.Boolean()))
    op.execute(funder.update().where(funder.c.code.in_(_STATE_CODES)).values(is_state=True))


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("meetingtask", schema=None) as batch_op:
        batch_op.drop_column("done_on")
    with op.batch_alter_table("meetingparticipant", schema=None) as batch_op:
        batch_op.drop_column("attendance")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("next_meeting")
        batch_op.drop_column("secretary")
    with op.batch_alter_table("funder", schema=None) as batch_op:
        batch_op.drop_column("is_state")
        batch_op.drop_column("attachments")
        batch_op.drop_column("mention")
