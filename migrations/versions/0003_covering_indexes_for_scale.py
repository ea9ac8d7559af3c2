"""covering indexes for the budget and training queries at scale (bench/run.py)

The budget queries (budget_lines_spent, spend_by_month, latest_dates) and the training queries
read the expenditure and attendance tables through these indexes only: no table lookup per row.
They replace the two narrower expenditure indexes of 0001.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("expenditures", schema=None) as batch_op:
        batch_op.drop_index("ix_expenditures_programme_code_budget_line_code_date_amount_eur")
        batch_op.drop_index("ix_expenditures_programme_code_date")
        batch_op.create_index("ix_expenditures_line_spent", ["programme_code", "budget_line_code", "currency", "date",
                                                             "amount", "amount_eur"], unique=False)
        batch_op.create_index("ix_expenditures_monthly", ["programme_code", "date", "budget_line_code", "year", "month",
                                                          "amount_eur"], unique=False)
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_session_people", ["session_code", "participant_key", "organisation_code",
                                                               "sex", "age_band"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_session_people")
    with op.batch_alter_table("expenditures", schema=None) as batch_op:
        batch_op.drop_index("ix_expenditures_monthly")
        batch_op.drop_index("ix_expenditures_line_spent")
        batch_op.create_index("ix_expenditures_programme_code_date", ["programme_code", "date"], unique=False)
        batch_op.create_index("ix_expenditures_programme_code_budget_line_code_date_amount_eur",
                              ["programme_code", "budget_line_code", "date", "amount_eur"], unique=False)
