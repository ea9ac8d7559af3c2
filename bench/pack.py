"""Board pack generation time at scale: the pack of the scale workbook's first programme (cold
caches) against the cold renders of the budget and progress pages together, in the same run on the
same database (goal: pack <= 3 x (budget + progress)).

    .venv/bin/python bench/pack.py --sizes 10000 100000          # SQLite, writes bench/PACK.md
    .venv/bin/python bench/pack.py --sizes 1000000 --repeat 1

Reuses bench/run.py's workbook generator, database set-up and page measurement (AppTest).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402

GOAL = 3.0


def measure(size: int, work: Path, repeat: int) -> dict:
    import streamlit as st

    from dashboard import pack
    from dashboard.auth import SYSTEM
    from dashboard.importer import import_workbook

    folder = bench.workbook(size, work)
    url = f"sqlite:///{work / f'pack-{size}.db'}"
    engine = bench.fresh_database(url)
    started = time.perf_counter()
    report = import_workbook(engine, folder, actor="bench")
    assert report.ok, report.render("en")
    imported = time.perf_counter() - started
    bench.bench_account(url)
    pages = bench.measure_pages(url, ["budget", "progress"], repeat)
    os.environ["DASHBOARD_DB_URL"] = url
    times, pages_count = [], 0
    for _ in range(repeat):
        st.cache_data.clear()
        st.cache_resource.clear()
        from dashboard.ui import data

        started = time.perf_counter()
        made = pack.build(data.engine(), SYSTEM, bench.PROGRAMME, None, (), "fr", archive=False)
        times.append(time.perf_counter() - started)
        pages_count = made.pages
    cold_pages = pages["budget"]["cold_s"] + pages["progress"]["cold_s"]
    pack_s = statistics.median(times)
    return {"size": size, "import_s": imported, "budget_cold_s": pages["budget"]["cold_s"],
            "progress_cold_s": pages["progress"]["cold_s"], "pack_s": pack_s, "pack_pages": pages_count,
            "ratio": pack_s / cold_pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dashboard-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "PACK.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(size, args.work, args.repeat) for size in args.sizes]
    info = bench.machine()
    lines = ["# Board pack generation time", "",
             f"Run of {dt.date.today().isoformat()} on {info.get('cpu', '?')} ({info.get('cores', '?')} cores, "
             f"{info.get('memory_gb', '?')} GB), SQLite, `{' '.join(['bench/pack.py', *sys.argv[1:]])}`; "
             f"medians of {args.repeat} cold runs (caches cleared). The pack is built from the same page models "
             "(cold: every model is computed for it), then drawn by ReportLab. Goal: pack ≤ 3 × (cold budget "
             "page + cold progress page).", "",
             "| expenditures | budget page cold (s) | progress page cold (s) | pack (s) | pages | ratio | goal ≤ 3 |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['size']:,} | {r['budget_cold_s']:.2f} | {r['progress_cold_s']:.2f} | {r['pack_s']:.2f} | "
                     f"{r['pack_pages']} | {r['ratio']:.2f} | {'met' if r['ratio'] <= GOAL else 'missed'} |")
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
