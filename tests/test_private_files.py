"""Files that hold password hashes (the embedded SQLite database, its -wal/-shm, backups) are
readable by their owner only."""
from __future__ import annotations

import os
import stat

from dashboard import auth
from dashboard.__main__ import main
from dashboard.db import make_engine, upgrade

PASSWORD = "correct horse battery"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_embedded_database_and_its_wal_files_are_created_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "dashboard.db"
        engine = make_engine(f"sqlite:///{path}")
        assert _mode(path) == 0o600  # before SQLAlchemy ever opens it
        with engine.connect() as conn:
            upgrade(engine)
            auth.add_user(engine, "amina@forim.test", "admin", PASSWORD)
            assert _mode(f"{path}-wal") == 0o600 and _mode(f"{path}-shm") == 0o600
        engine.dispose()
    finally:
        os.umask(old)


def test_backups_are_created_owner_only(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        url = f"sqlite:///{tmp_path / 'live.db'}"
        upgrade(make_engine(url))
        target = tmp_path / "backups" / "copy.db"
        assert main(["backup", str(target), "--db", url]) == 0
        assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
    finally:
        os.umask(old)
