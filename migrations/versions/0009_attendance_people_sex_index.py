"""covering index for the sex of the participants (training_by_sex, training_by_sex_age)

A participant's sex is read from every attendance row of theirs dated by the as-of date, in any
programme: the lookup by participant needs the row's session (for its start date) besides the
sex. The index of 0001 on (participant_key, sex) becomes (participant_key, sex, session_code): the
lookup reads the index only, no table row per attendance. It replaces the narrower index (same
leading columns), so an import maintains no more indexes than before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_participant_key_sex")
        batch_op.create_index("ix_attendance_participant_key_sex_session_code",
                              ["participant_key", "sex", "session_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_participant_key_sex_session_code")
        batch_op.create_index("ix_attendance_participant_key_sex", ["participant_key", "sex"], unique=False)
