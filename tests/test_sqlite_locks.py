"""Two processes on one SQLite file (the app server and the command line, e.g. ``load-demo`` or
``users add`` while the app runs) must not corrupt it.

SQLite in WAL mode keeps a shared lock on the database file for as long as a connection is open;
the last process to close takes an exclusive lock, checkpoints and deletes the ``-wal`` and
``-shm`` files. POSIX locks belong to the process, and closing *any* descriptor of the file drops
them all: if the app opened and closed the database file itself while its connections were open
(``make_engine`` did, to create it owner-only), another process closing next believed it was the
last one and deleted the WAL under the running server, whose writes then failed ("disk I/O
error") or were lost ("database disk image is malformed")."""
import subprocess
import sys

import sqlalchemy as sa

from dashboard.db import make_engine

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("SELECT COUNT(*) FROM t").fetchone()
conn.close()
"""


def test_a_second_engine_in_the_server_does_not_let_another_process_delete_the_wal(tmp_path):
    path = tmp_path / "shared.db"
    server = make_engine(f"sqlite:///{path}")
    with server.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (n INTEGER)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))
    held = server.connect()  # a pooled connection of the running server, open
    held.execute(sa.text("SELECT COUNT(*) FROM t")).scalar_one()
    other = make_engine(f"sqlite:///{path}")  # the server's second engine (its web routes')
    # the command line opens, reads and closes while the server runs
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path)], check=True)
    assert (tmp_path / "shared.db-wal").exists(), "another process deleted the WAL of a running server"
    with server.begin() as conn:
        conn.execute(sa.text("INSERT INTO t VALUES (2)"))
    held.close()
    server.dispose()
    other.dispose()
    reread = subprocess.run([sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1])"
                             ".execute('SELECT SUM(n) FROM t').fetchone()[0])", str(path)],
                            check=True, capture_output=True, text=True)
    assert reread.stdout.strip() == "3"  # both rows, read by another process after the server stopped
