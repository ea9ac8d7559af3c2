"""Database access: the engine, the schema upgrade, and the one chokepoint every query goes through.

The URL comes from (first found): an explicit argument, the ``DASHBOARD_DB_URL`` environment
variable, ``[connections.dashboard] url`` in ``.streamlit/secrets.toml``, else the embedded
SQLite file ``data/dashboard.db``.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import time
import tomllib
from collections import deque
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine



def project_root() -> Path:
    """The project folder, holding queries/, migrations/ and data/: ``DASHBOARD_HOME`` when set,
    else the checkout this package lives in, else the current folder (the package installed with
    ``pip install .`` and run from the checkout)."""
    if os.environ.get("DASHBOARD_HOME"):
        return Path(os.environ["DASHBOARD_HOME"]).resolve()
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "queries").is_dir() else Path.cwd().resolve()


ROOT = project_root()
QUERIES_DIR = ROOT / "queries"
DEFAULT_SQLITE_PATH = ROOT / "data" / "dashboard.db"

log = logging.getLogger(__name__)


class QueryError(RuntimeError):
    """A query failed; ``query`` names it. Pages turn it into a friendly message."""

    def __init__(self, query: str, cause: Exception):
        super().__init__(f"query {query!r} failed: {cause.__class__.__name__}")
        self.query = query
        self.cause = cause


def resolve_url(url: str | None = None) -> str:
    """The database URL to use, by order of precedence (see the module docstring)."""
    if url:
        return url
    if os.environ.get("DASHBOARD_DB_URL"):
        return os.environ["DASHBOARD_DB_URL"]
    secrets = ROOT / ".streamlit" / "secrets.toml"
    if secrets.exists():
        with secrets.open("rb") as fh:
            conf = tomllib.load(fh)
        secret_url = conf.get("connections", {}).get("dashboard", {}).get("url")
        if secret_url:
            return secret_url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_private_file(path: str | os.PathLike, exclusive: bool = False) -> None:
    """Create ``path`` empty and readable by its owner only (0600) if it does not exist: a SQLite
    database holds password hashes. SQLite then creates its -wal and -shm files with the same
    permissions as the database file. ``exclusive``: fail (FileExistsError) if it exists.

    An existing file is never opened: closing a descriptor of a SQLite file drops every POSIX lock
    this process holds on it, including its open connections' shared lock; another process closing
    next would then believe itself the last one and delete the WAL under them
    (tests/test_sqlite_locks.py)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        if exclusive:
            raise
        return
    os.close(fd)
class DatabaseFileGone(sa.exc.SQLAlchemyError):
    """The SQLite file was deleted, moved or replaced while the app ran: a write would go into a
    file nobody will ever read again (or into a new, empty one), so it is refused."""

    def __init__(self, path: str):
        super().__init__(f"the database file {path} was deleted or replaced while the app was running")
        self.path = path


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _watch_sqlite_file(engine: Engine, path: str) -> None:
    """Remember the file's identity (device, inode) when the engine first opens it, and refuse
    every write statement once the path no longer leads to that same file."""
    known: dict[str, tuple[int, int] | None] = {"id": _file_identity(path)}

    def opened(_dbapi_connection, _record) -> None:
        if known["id"] is None:  # created by this first connection
            known["id"] = _file_identity(path)

    def before_write(_conn, _cursor, statement, _params, _context, _many) -> None:
        if statement.lstrip()[:7].upper().startswith(_WRITES) and known["id"] is not None \
                and _file_identity(path) != known["id"]:
            log.error("refusing to write: %s was deleted or replaced while the app was running", path)
            raise DatabaseFileGone(path)

    sa.event.listen(engine, "connect", opened)
    sa.event.listen(engine, "before_cursor_execute", before_write)


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (resolved as above). SQLite gets WAL mode and foreign keys on, and
    refuses writes once its file has been deleted or replaced (:class:`DatabaseFileGone`)."""
    url = resolve_url(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            create_private_file(path)
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if path and path != ":memory:" and not path.startswith("file:"):
            _watch_sqlite_file(engine, str(Path(path).resolve()))
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema with the Alembic migrations (``migrations/``)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def bump_data_version(conn: Connection) -> int:
    """Count one more write of data, in the caller's transaction (call it last, just before the
    commit: on PostgreSQL the row stays locked until then). Returns the new version."""
    from .schema import data_version

    conn.execute(data_version.update().where(data_version.c.id == 1)
                 .values(version=data_version.c.version + 1, changed_at=dt.datetime.now(dt.timezone.utc)))
    return read_data_version(conn)


def read_data_version(conn: Connection | Engine) -> int:
    """The current data version: one primary-key read."""
    from .schema import data_version

    stmt = sa.select(data_version.c.version).where(data_version.c.id == 1)
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return int(c.execute(stmt).scalar_one())
    return int(conn.execute(stmt).scalar_one())


def has_schema(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("programmes")


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The SQL of ``queries/<name>.sql`` without its header comments (they name parameters too)."""
    text = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


class Rows(tuple):
    """A parameter that is a small table: a tuple of equal-length tuples. ``:name`` in the SQL
    becomes ``VALUES (:name_0_0, :name_0_1), (:name_1_0, ...)``, each cell a bound parameter (so a
    query can join per-programme as-of dates: ``WITH asof(programme_code, as_of) AS (:asof)``).
    It must hold at least one row."""


def _expand_rows(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters with every :class:`Rows` parameter spelled out as bound cells."""
    flat = {}
    for key, value in params.items():
        if not isinstance(value, Rows):
            flat[key] = value
            continue
        if not value:
            raise ValueError(f"parameter {key!r}: Rows needs at least one row")
        cells = []
        for i, row in enumerate(value):
            names = [f"{key}_{i}_{j}" for j in range(len(row))]
            flat.update(zip(names, row))
            cells.append("(" + ", ".join(f":{n}" for n in names) + ")")
        sql = re.sub(rf":{key}\b", lambda _m: "VALUES " + ", ".join(cells), sql)
    return sql, flat


def _statement(sql: str, params: Mapping[str, Any]) -> sa.TextClause:
    """A text() statement whose list parameters expand (``IN :codes``) and dates bind as dates."""
    stmt = sa.text(sql)
    binds = []
    for key, value in params.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            # Typed even when empty, so PostgreSQL can compare it with a text column.
            numeric = bool(value) and all(isinstance(v, int) for v in value)
            binds.append(sa.bindparam(key, expanding=True, type_=sa.Integer() if numeric else sa.String()))
        elif isinstance(value, dt.datetime):
            binds.append(sa.bindparam(key, type_=sa.DateTime(timezone=True)))
        elif isinstance(value, dt.date):
            binds.append(sa.bindparam(key, type_=sa.Date))
    return stmt.bindparams(*binds) if binds else stmt


def query(conn: Connection | Engine, name: str, **params: Any) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with bound parameters and return a (small) DataFrame.

    The one chokepoint for reads: parameters are always bound, never formatted into the SQL;
    the query is timed and its name logged; failures raise :class:`QueryError`.

    On a :class:`Connection`, asking the same query with the same parameters again, with no
    other statement run on that connection in between, gives a copy of the first answer instead
    of running it again (the figures of one programme ask some aggregates twice). Any other SQL
    on the connection, a commit or a rollback forgets those answers; an Engine never remembers.
    """
    params = {k: (list(v) if isinstance(v, (set, frozenset, tuple)) and not isinstance(v, Rows) else v)
              for k, v in params.items()}
    key = None
    if isinstance(conn, Connection):
        key = (name, *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        known = conn.__dict__.get(_MEMO, {}).get(key)
        if known is not None:
            return known.copy()
    sql, params = _expand_rows(load_sql(name), params)
    stmt = _statement(sql, params)
    started = time.perf_counter()
    _reading.active = True
    try:
        if isinstance(conn, Engine):
            with conn.connect() as c:
                frame = _frame(c.execute(stmt, params))
        else:
            frame = _frame(conn.execute(stmt, params))
    except sa.exc.SQLAlchemyError as exc:
        log.error("query %s failed: %s", name, exc)
        raise QueryError(name, exc) from exc
    finally:
        _reading.active = False
    QUERY_TIMES.append((name, time.perf_counter() - started))
    frame = _typed_dates(frame)
    if key is not None:
        conn.__dict__.setdefault(_MEMO, {})[key] = frame.copy()
    return frame


_MEMO = "_dashboard_query_memo"
_reading = threading.local()  # true while query() itself runs a statement


def _forget(conn, *_args, **_kwargs) -> None:
    """Any statement, commit or rollback on ``conn`` that query() did not run: forget its answers."""
    if not getattr(_reading, "active", False):
        conn.__dict__.pop(_MEMO, None)


for _event in ("before_cursor_execute", "commit", "rollback", "begin", "savepoint", "rollback_savepoint",
               "release_savepoint"):
    sa.event.listen(Engine, _event, _forget)


def _frame(result) -> pd.DataFrame:
    # Plain tuples: pandas builds a frame from SQLAlchemy Row objects several times slower (it
    # probes each row as a possible named tuple), with the same result.
    return pd.DataFrame([tuple(row) for row in result.fetchall()], columns=list(result.keys()))


def is_date_column(name: str) -> bool:
    """The naming convention of queries/*.sql for date columns: ``date``, ``*_date``,
    ``period_end``, ``last_period``, ``latest``. SQLite returns them as text from a raw query."""
    return name in ("date", "period_end", "last_period", "latest") or name.endswith("_date")


def _typed_dates(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if is_date_column(col):
            known: dict = {}  # a date column repeats few values: convert each once
            dates = [known[v] if v in known else known.setdefault(v, as_date(v)) for v in frame[col].tolist()]
            frame[col] = pd.Series(dates, index=frame.index, dtype=object)
    return frame


def as_date(value) -> dt.date | None:
    """A date from what a driver returns (date, datetime, ISO text; None or NaN: None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


#: (query name, seconds) of recent queries, for the benchmark and the debug panel.
QUERY_TIMES: deque[tuple[str, float]] = deque(maxlen=1000)


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts, with None (not NaN) for missing values. Column by column
    (a page turns thousands of rows into records: a test per cell cost tens of milliseconds)."""
    if frame.empty:
        return []
    names = list(frame.columns)
    columns = []
    for (name, values), missing in zip(frame.to_dict("list").items(), frame.isna().to_dict("list").values()):
        if any(missing):
            values = [None if gone else v for v, gone in zip(values, missing)]
        columns.append(values)
    return [dict(zip(names, row)) for row in zip(*columns)]


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
