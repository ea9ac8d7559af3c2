"""explanations of gaps (comments, with every version) and the archive of board packs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("programme_code", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("shared_with_funders", sa.Boolean, server_default=sa.false(), nullable=False),
        sa.Column("author", sa.String(254)),
        sa.Column("written_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer, server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["programme_code"], ["programmes.code"],
                                name="fk_comments_programme_code_programmes"),
        sa.PrimaryKeyConstraint("programme_code", "subject", "code", "country_iso3", "period_end",
                                name="pk_comments"),
    )
    op.create_table(
        "comment_versions",
        sa.Column("programme_code", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("country_iso3", sa.String(3), nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("shared_with_funders", sa.Boolean, nullable=False),
        sa.Column("author", sa.String(254)),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("programme_code", "subject", "code", "country_iso3", "period_end", "version",
                                name="pk_comment_versions"),
    )
    op.create_table(
        "packs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("programme_code", sa.String(64)),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("countries", sa.Text, server_default="", nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("funder_code", sa.String(64)),
        sa.Column("data_version", sa.BigInteger, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_packs_created_at", "packs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_packs_created_at", table_name="packs")
    op.drop_table("packs")
    op.drop_table("comment_versions")
    op.drop_table("comments")
