"""Import ÷ bare insert: the whole ``python -m dashboard import`` process against the driver alone.

    python bench/import_ratio.py WORKBOOK [--pg-url URL] [--work DIR]
    python bench/import_ratio.py --size 1000000 --pg-url postgresql+psycopg://USER:PASSWORD@localhost/DB

(a) wall time of ``python -m dashboard import WORKBOOK --db URL`` as a subprocess, on a fresh
    database (a new SQLite file; on PostgreSQL the schema ``import_ratio`` of the given database,
    dropped and created again, through the connection's search_path);
(b) the same expenditure rows, as the import stored them (read back beforehand, not timed), written
    by the driver alone into an unindexed table of the same columns in a fresh database: SQLite
    ``executemany`` in one transaction; PostgreSQL ``COPY ... FROM STDIN`` (psycopg), committed;
and (a) ÷ (b), the ratio issue #17 bounds (≤ 10). ``--size N`` generates the scale workbook of N
expenditures into ``--work`` first (``python -m dashboard demo scale N``), once.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "import_ratio"


def whole_import(workbook: Path, url: str) -> tuple[float, float]:
    """Seconds of ``python -m dashboard import`` in a child process (interpreter start included):
    wall time, and the child's CPU time (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dashboard", "import", str(workbook), "--db", url, "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def stored_rows(engine: sa.Engine) -> tuple[list[str], list[str], list[tuple]]:
    """Column names, their declared types, and every expenditure row as the import stored it."""
    with engine.connect() as conn:
        table = sa.Table("expenditures", sa.MetaData(), autoload_with=conn)
        names = [c.name for c in table.c]
        types = [c.type.compile(engine.dialect) for c in table.c]
        quoted = ", ".join(engine.dialect.identifier_preparer.quote(n) for n in names)
        rows = [tuple(r) for r in conn.exec_driver_sql(f"SELECT {quoted} FROM expenditures").fetchall()]
    return names, types, rows


def _create_sql(table: str, names: list[str], types: list[str]) -> str:
    return f"CREATE TABLE {table} ({', '.join(f'{n} {t}' for n, t in zip(names, types))})"


def bare_sqlite(path: Path, names, types, rows) -> tuple[float, float]:
    """Wall and CPU seconds of the executemany and its commit."""
    import sqlite3

    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # as the app's connections (dashboard.db)
        conn.execute(_create_sql("expenditures", names, types))
        conn.commit()
        sql = f"INSERT INTO expenditures VALUES ({', '.join('?' * len(names))})"
        started, cpu = time.perf_counter(), time.process_time()
        conn.executemany(sql, rows)
        conn.commit()
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def bare_postgres(url: str, names, types, rows) -> float:
    import psycopg

    dsn = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA}_bare CASCADE")
        conn.execute(f"CREATE SCHEMA {SCHEMA}_bare")
        conn.execute(_create_sql(f"{SCHEMA}_bare.expenditures", names, types))
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            with cursor.copy(f"COPY {SCHEMA}_bare.expenditures ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute(f"DROP SCHEMA {SCHEMA}_bare CASCADE")
        conn.commit()
    return seconds


def fresh_pg_schema(url: str) -> str:
    """The URL of the schema ``import_ratio`` of ``url``'s database, emptied."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()
    return sa.engine.make_url(url).update_query_dict(
        {"options": f"-csearch_path={SCHEMA}"}).render_as_string(hide_password=False)


def measure_backend(kind: str, workbook: Path, url: str | None = None, work: Path | None = None) -> dict:
    """One back end's figures: ``kind`` ``"sqlite"`` (fresh files in ``work``) or ``"postgresql"``
    (the schemas ``import_ratio`` and ``import_ratio_bare`` of ``url``'s database)."""
    work = work or Path(tempfile.gettempdir()) / "dashboard-import-ratio"
    work.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        db = work / "import_ratio.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
        seconds, cpu = whole_import(workbook, url)
        engine = sa.create_engine(url)
        names, types, rows = stored_rows(engine)
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        bare, bare_cpu = bare_sqlite(work / "import_ratio_bare.db", names, types, rows)
        # (CPU seconds too: on a machine shared with other work, wall time also counts the waits)
        return {"rows": len(rows), "import_s": round(seconds, 2), "bare_s": round(bare, 2),
                "ratio": round(seconds / bare, 1), "import_cpu_s": round(cpu, 2),
                "bare_cpu_s": round(bare_cpu, 2), "cpu_ratio": round(cpu / bare_cpu, 1)}
    schema_url = fresh_pg_schema(url)
    seconds, _ = whole_import(workbook, schema_url)  # (its CPU time leaves out the server's)
    engine = sa.create_engine(schema_url)
    names, types, rows = stored_rows(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {SCHEMA} CASCADE")
    engine.dispose()
    bare = bare_postgres(url, names, types, rows)
    return {"rows": len(rows), "import_s": round(seconds, 2), "bare_s": round(bare, 2),
            "ratio": round(seconds / bare, 1)}


def measure(workbook: Path, work: Path, pg_url: str | None) -> dict:
    """Both back ends (PostgreSQL when ``pg_url`` is given)."""
    out = {"sqlite": measure_backend("sqlite", workbook, work=work)}
    if pg_url:
        out["postgresql"] = measure_backend("postgresql", workbook, url=pg_url, work=work)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", nargs="?", type=Path, help="a workbook (CSV folder or .xlsx)")
    parser.add_argument("--size", type=int, help="generate the scale workbook of this many expenditures")
    parser.add_argument("--pg-url", help="a PostgreSQL database (schemas import_ratio and import_ratio_bare)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-import-ratio")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    workbook = args.workbook
    if workbook is None:
        if not args.size:
            parser.error("give a WORKBOOK or --size N")
        workbook = args.work / f"scale-{args.size}"
        if not (workbook / ".complete").exists():
            subprocess.run([sys.executable, "-m", "dashboard", "demo", "scale", str(args.size), "--out", str(workbook)],
                           cwd=ROOT, check=True, capture_output=True)
            (workbook / ".complete").write_text("ok")
    print(json.dumps(measure(workbook, args.work, args.pg_url), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
