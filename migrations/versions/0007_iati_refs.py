"""IATI organisation identifiers: optional iati_ref on funders and organisations

Used by the IATI export (participating-org/@ref) and filled by the IATI import.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iati_ref", sa.String(64), nullable=True))
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iati_ref", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("iati_ref")
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.drop_column("iati_ref")
