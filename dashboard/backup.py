"""Backups of the embedded SQLite database with SQLite's online backup API: consistent while the
app runs, page by page, without stopping writers for long. (PostgreSQL: use pg_dump / pg_restore,
see the README.)"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from .db import create_private_file, read_data_version
from .schema import data_version


class BackupError(RuntimeError):
    pass


def _sqlite_path(engine: Engine) -> str:
    if engine.dialect.name != "sqlite":
        raise BackupError("backup/restore handle SQLite; for PostgreSQL use pg_dump and pg_restore")
    return engine.url.database


def backup(engine: Engine, target: Path) -> Path:
    """Copy the live database into ``target`` (a new SQLite file)."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists: choose a new file name")
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:  # owner-only (0600) before anything is written: a backup holds password hashes
        create_private_file(target, exclusive=True)
    except FileExistsError:
        raise BackupError(f"{target} exists: choose a new file name") from None
    with sqlite3.connect(_sqlite_path(engine)) as source, sqlite3.connect(target) as copy:
        source.backup(copy, pages=1024)
    copy.close()
    return target


def head_revision() -> str:
    """The Alembic revision this code's schema is at (the head of ``migrations/``)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from .db import ROOT

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(cfg).get_current_head()


def expected_tables() -> set[str]:
    from .schema import metadata

    return set(metadata.tables) | {"alembic_version"}


def check_backup(source: Path) -> None:
    """Refuse anything but a sound dashboard database at this code's schema revision, with exactly
    its tables: a foreign SQLite file that happens to have a ``programmes`` table once replaced
    the live database (and every account with it)."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
            sound = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in check.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
            revisions = [r[0] for r in check.execute("SELECT version_num FROM alembic_version")] \
                if "alembic_version" in tables else []
        check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database") from exc
    if not sound:
        raise BackupError(f"{source} is damaged (integrity check failed)")
    head = head_revision()
    if revisions != [head]:
        found = ", ".join(revisions) or "none"
        raise BackupError(f"{source} is not a dashboard backup of this version: schema revision {found}, "
                          f"expected {head}. An older backup: upgrade a copy of it first "
                          f"(python -m dashboard db upgrade --db sqlite:///COPY), then restore the copy")
    expected = expected_tables()
    if tables != expected:
        details = []
        if expected - tables:
            details.append("missing tables: " + ", ".join(sorted(expected - tables)))
        if tables - expected:
            details.append("unknown tables: " + ", ".join(sorted(tables - expected)))
        raise BackupError(f"{source} is not a dashboard backup ({'; '.join(details)})")


def safety_copy_path(live: Path, when: dt.datetime | None = None) -> Path:
    """``<name>.before-restore-<UTC timestamp>``, next to the live database."""
    when = when or dt.datetime.now(dt.timezone.utc)
    path = live.with_name(f"{live.name}.before-restore-{when:%Y%m%dT%H%M%S%fZ}")
    return path


def restore(engine: Engine, source: Path) -> Path | None:
    """Replace the live database's content with the backup ``source``, checked first (integrity,
    schema revision, table set). The database it replaces is kept as
    ``<name>.before-restore-<timestamp>`` (returned; None if there was no database yet), so a
    wrong restore loses nothing."""
    source = Path(source)
    check_backup(source)
    live = Path(_sqlite_path(engine))
    if source.resolve() == live.resolve():
        raise BackupError(f"{source} is the live database itself")
    engine.dispose()  # no pooled connection may keep the old pages
    before = read_data_version(engine) if live.exists() else 0
    kept = None
    if live.exists():
        kept = safety_copy_path(live)
        create_private_file(kept, exclusive=True)  # owner-only, like the database it copies
        with sqlite3.connect(live) as current, sqlite3.connect(kept) as copy:
            current.backup(copy, pages=1024)
        current.close()
        copy.close()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db, \
            sqlite3.connect(live) as target:
        backup_db.backup(target, pages=1024)
    backup_db.close()
    target.close()
    engine.dispose()
    # The restored file has an older version number: move past both, so that no cache keyed by a
    # version seen before the restore can answer for the restored data.
    with engine.begin() as conn:
        restored = read_data_version(conn)
        conn.execute(data_version.update().where(data_version.c.id == 1).values(version=max(before, restored) + 1))
    return kept
