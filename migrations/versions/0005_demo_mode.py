"""demo mode as a recorded state of the database (table app_state)

Until 0004 demo mode was inferred ("the embedded default file holds PCRPM-C2"), so the demo
accounts kept working after real data and real accounts were added. From here on it is a row of
``app_state``, written only by the first-start demo load and deleted, with the demo accounts, by
the first other write.

Existing databases: the embedded default file (data/dashboard.db) holding nothing but the demo
(only demo programmes, only demo accounts) stays in demo mode. Everywhere else the demo accounts
are deleted: they were refused outside demo mode already, and must not come back to life.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DEMO_PROGRAMMES = ("LT-PAIRS", "PCRPM-C2")  # dashboard.demo_state.DEMO_PROGRAMMES, frozen here


def upgrade() -> None:
    app_state = op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_state")),
    )
    bind = op.get_bind()
    demo_users = bind.execute(sa.text("SELECT COUNT(*) FROM users WHERE is_demo")).scalar()
    if not demo_users:
        return
    other_users = bind.execute(sa.text("SELECT COUNT(*) FROM users WHERE NOT is_demo")).scalar()
    other_programmes = bind.execute(
        sa.text("SELECT COUNT(*) FROM programmes WHERE code NOT IN :codes").bindparams(
            sa.bindparam("codes", expanding=True)), {"codes": list(DEMO_PROGRAMMES)}).scalar()
    from dashboard.db import DEFAULT_SQLITE_PATH

    embedded_default = bind.dialect.name == "sqlite" and bind.engine.url.database == str(DEFAULT_SQLITE_PATH)
    if embedded_default and not other_users and not other_programmes:
        import datetime as dt

        op.bulk_insert(app_state, [{"key": "demo_mode", "value": "on",
                                    "set_at": dt.datetime.now(dt.timezone.utc)}])
    else:
        bind.execute(sa.text("DELETE FROM user_scopes WHERE user_id IN (SELECT id FROM users WHERE is_demo)"))
        bind.execute(sa.text("DELETE FROM users WHERE is_demo"))


def downgrade() -> None:
    op.drop_table("app_state")
