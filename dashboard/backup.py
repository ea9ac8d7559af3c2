"""Backups of the embedded SQLite database with SQLite's online backup API: consistent while the
app runs, page by page, without stopping writers for long. (PostgreSQL: use pg_dump / pg_restore,
see the README.)"""
from __future__ import annotations

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


def restore(engine: Engine, source: Path) -> None:
    """Replace the live database's content with the backup ``source`` (checked first)."""
    source = Path(source)
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
            sound = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ours = check.execute("SELECT 1 FROM sqlite_master WHERE name = 'programmes'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database") from exc
    if not sound or not ours:
        raise BackupError(f"{source} is not a sound dashboard backup")
    engine.dispose()  # no pooled connection may keep the old pages
    before = read_data_version(engine)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db, \
            sqlite3.connect(_sqlite_path(engine)) as live:
        backup_db.backup(live, pages=1024)
    live.close()
    engine.dispose()
    # The restored file has an older version number: move past both, so that no cache keyed by a
    # version seen before the restore can answer for the restored data.
    with engine.begin() as conn:
        restored = read_data_version(conn)
        conn.execute(data_version.update().where(data_version.c.id == 1).values(version=max(before, restored) + 1))
