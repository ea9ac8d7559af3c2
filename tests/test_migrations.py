"""The Alembic migrations create exactly the schema of dashboard/schema.py, and go down and up."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dashboard.db import upgrade
from dashboard.schema import SHEET_TABLES, metadata


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_every_sheet_has_its_table_and_sqlite_enforces_foreign_keys(engine):
    tables = set(sa.inspect(engine).get_table_names())
    assert set(SHEET_TABLES) | {"users", "user_scopes", "audit_log", "alembic_version"} <= tables
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_downgrade_to_base_then_upgrade_again(engine):
    upgrade(engine, "head")
    from alembic import command
    from alembic.config import Config
    from dashboard.db import ROOT

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert "programmes" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    assert "programmes" in sa.inspect(engine).get_table_names()
