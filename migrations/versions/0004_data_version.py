"""data version: one row bumped by every write, the key of every cache

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1, "changed_at": None}])


def downgrade() -> None:
    op.drop_table("data_version")
