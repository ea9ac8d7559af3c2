"""A few seconds of the performance benchmark (bench/run.py) so that it never rots: two tiny scale
workbooks on SQLite, every measurement taken and every ratio of the issue computed (their targets
are for the real sizes, 10k vs 1M expenditures: see bench/RESULTS.md); then bench/compare.py
against HEAD on the same database."""
import math
import subprocess
import sys

import streamlit as st

from dashboard.db import ROOT


def test_the_benchmark_measures_every_ratio_at_a_tiny_size(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    monkeypatch.setenv("DASHBOARD_DB_URL", "sqlite://")  # the benchmark points the app at its own files
    sizes, pages = [1500, 3000], ["budget", "funding"]
    try:
        results = run.run_backend("SQLite", f"sqlite:///{tmp_path / 'bench.db'}", sizes, tmp_path, repeat=1,
                                  pages=pages, browser=False, programmes=5, log=lambda *_: None)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    ratios = run.ratios(results)
    expected = {"import", "memory", "naive_speedup", "kpis", "kpis_raw"} | {
        f"{kind}.{page}" for kind in ("page_scaling", "page_overhead", "page_cache") for page in pages}
    assert set(ratios) == expected
    assert all(math.isfinite(value) and value > 0 for value in ratios.values()), ratios
    assert results[3000]["load"]["rows"] == 3000 and results[3000]["pages"]["budget"]["queries"] > 0
    report = run.markdown({"SQLite": {"results": results, "ratios": ratios}}, run.machine(), sizes, 1)
    assert "| import | <= 3.0 |" in report and "| 3k | budget |" in report
    compare = subprocess.run([sys.executable, str(ROOT / "bench" / "compare.py"), "HEAD", "--db",
                              f"sqlite:///{tmp_path / 'bench-3000.db'}", "--rounds", "1", "--pages", "budget"],
                             capture_output=True, text=True, cwd=ROOT)
    assert compare.returncode == 0, compare.stderr[-2000:]
    row = next(line for line in compare.stdout.splitlines() if line.startswith("| budget |"))
    assert len(row.split("|")) == 10 and "→" in row  # every figure of both versions
