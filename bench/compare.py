"""Before/after: every page of an earlier revision and of this checkout, rendered side by side.

    python bench/compare.py REV --db sqlite:////tmp/dashboard-bench/bench-1000000.db [--rounds 3]

The database is one that ``bench/run.py`` loaded (it holds the benchmark account); both versions
must read its schema. REV is checked out in a temporary git worktree (removed afterwards). Each
round renders every page of each version in a fresh process, alternating (before, after, before,
after...), with a cold cache then a warm rerun, as ``bench/run.py`` does; the table gives medians.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "budget", "funding", "training", "progress")
PROGRAMME = "SC-01"
BENCH_EMAIL = "bench@bench.invalid"


def child(root: str, url: str, pages: list[str]) -> dict:
    """In a fresh process: cold render, its SQL (the checkout's QUERY_TIMES) and warm rerun per page."""
    os.chdir(root)  # the checkout's own .streamlit/config.toml applies
    sys.path.insert(0, root)
    os.environ["DASHBOARD_DB_URL"] = url
    import sqlalchemy as sa
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import auth, db
    from dashboard.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        user_id = conn.scalar(sa.text("SELECT id FROM users WHERE email = :e"), {"e": BENCH_EMAIL})
    # this checkout signs in with a server-side session (an earlier revision may read user_id)
    token = auth.create_session(engine, user_id) if hasattr(auth, "create_session") else None
    engine.dispose()
    db.QUERY_TIMES = collections.deque()
    at = AppTest.from_file(str(Path(root) / "streamlit_app.py"), default_timeout=600)
    at.query_params["programme"] = PROGRAMME
    at.session_state["user_id"] = user_id
    at.session_state["session_token"] = token
    at.run()
    out = {}
    try:  # this revision's page scripts (pages/, from issue 13 on), else views/<page>.py
        from dashboard.ui.pages import PAGES as scripts
    except ImportError:
        scripts = {}
    for page in pages:
        at.switch_page(scripts[page][0] if page in scripts else f"views/{page}.py")
        at.run()  # warm-up: imports, the database's page cache
        st.cache_data.clear()
        db.QUERY_TIMES.clear()
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        sql, queries = sum(t for _, t in db.QUERY_TIMES), len(db.QUERY_TIMES)
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        out[page] = {"cold_s": cold, "sql_s": sql, "queries": queries, "warm_s": warm}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", nargs="?", help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--db", required=True, help="a database loaded by bench/run.py")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pages = args.pages.split(",")
    if args.child:
        print(json.dumps(child(args.child, args.db, pages)))
        return 0
    worktree = Path(tempfile.mkdtemp(prefix="bench-before-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(worktree), args.rev],
                   check=True, capture_output=True)
    samples = {"before": collections.defaultdict(list), "after": collections.defaultdict(list)}
    try:
        for _ in range(args.rounds):
            for label, root in (("before", worktree), ("after", ROOT)):
                result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--db", args.db, "--pages",
                                         args.pages, "--child", str(root)], capture_output=True, text=True)
                if result.returncode:
                    raise SystemExit(f"{label} failed:\n{result.stderr[-3000:]}")
                for page, figures in json.loads(result.stdout.strip().splitlines()[-1]).items():
                    samples[label][page].append(figures)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], capture_output=True)
    print(f"before = {args.rev}, after = this checkout; medians of {args.rounds} rounds, seconds")
    print("| page | cold before | cold after | SQL before | SQL after | queries | warm before | warm after |")
    print("|---|---|---|---|---|---|---|---|")
    for page in pages:
        b = {k: statistics.median(s[k] for s in samples["before"][page]) for k in samples["before"][page][0]}
        a = {k: statistics.median(s[k] for s in samples["after"][page]) for k in samples["after"][page][0]}
        print(f"| {page} | {b['cold_s']:.3f} | {a['cold_s']:.3f} | {b['sql_s']:.3f} | {a['sql_s']:.3f} | "
              f"{b['queries']:.0f} → {a['queries']:.0f} | {b['warm_s']:.3f} | {a['warm_s']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
