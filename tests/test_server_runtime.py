"""Two costs of Streamlit's defaults that a served app does not need (issue #17), turned off in
``.streamlit/config.toml`` and checked on the app as it runs, not in the file:

- the **file watcher**: every new session registers an inotify watch on the folder of each
  imported module (about 3 000 here) and tears them down when it closes, about 0.4 s of a first
  visit's server time on a 2-core machine, for reloads on save that a deployed app never does;
- the **full garbage collection after each run** (``gc.collect(2)``): about 0.1 s per rerun
  with pandas, plotly and SQLAlchemy loaded, holding the GIL while other sessions wait; Python's
  generational collector still runs (a 20-user load showed the same peak memory either way)."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from browser import Server
from dashboard.db import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import slowlink  # noqa: E402
import ws_load  # noqa: E402


#: Installed in the server process (PYTHONPATH): every explicit ``gc.collect`` call is written to
#: the file named by GC_PROBE_FILE. Python's automatic collections do not go through it.
GC_PROBE = """
import gc, os
_collect = gc.collect
def _counted(*args, **kwargs):
    with open(os.environ["GC_PROBE_FILE"], "a", encoding="ascii") as probe:
        probe.write(repr(args) + "\\n")
    return _collect(*args, **kwargs)
gc.collect = _counted
"""


def inotify_watches(pid: int) -> int:
    """The inotify watches the process holds (``/proc/<pid>/fdinfo`` of its inotify descriptors)."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == "anon_inode:inotify":
                with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                    count += sum(1 for line in info if line.startswith("inotify wd:"))
        except OSError:  # a descriptor closed meanwhile
            continue
    return count


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One session on a served app (the project's config file, nothing overridden): two runs of
    the budget page; the inotify watches counted while the session is open; the explicit garbage
    collections of the server process during those runs."""
    if not Path("/proc/self/fdinfo").is_dir():
        pytest.skip("needs Linux /proc")
    folder = tmp_path_factory.mktemp("served")
    (folder / "probe").mkdir()
    (folder / "probe" / "sitecustomize.py").write_text(GC_PROBE, encoding="ascii")
    probe_file = folder / "gc-calls.txt"
    url = f"sqlite:///{folder / 'demo.db'}"
    slowlink.demo_database(url)
    saved = dict(os.environ)
    os.environ.pop("STREAMLIT_SERVER_FILE_WATCHER_TYPE", None)  # the config file decides
    os.environ.pop("STREAMLIT_RUNNER_POST_SCRIPT_GC", None)
    os.environ["PYTHONPATH"] = str(folder / "probe")
    os.environ["GC_PROBE_FILE"] = str(probe_file)
    try:
        server = Server(url, folder / "streamlit.log")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        cookie = ws_load.sign_in(server.url, *slowlink.DEMO_USER)

        async def session() -> tuple[list[dict], int, list[str]]:
            client = ws_load.Client(server.url, cookie)
            await client.connect()
            try:
                probe_file.write_text("", encoding="ascii")  # what the server did starting up is not counted
                visits = [await client.visit("budget", {}), await client.visit("budget", {})]
                await asyncio.sleep(0.5)  # a session's watchers are registered once its run has finished
                return visits, inotify_watches(server.process.pid), probe_file.read_text(encoding="ascii").split()
            finally:
                await client.close()

        visits, watches, collections = asyncio.run(session())
    finally:
        server.stop()
    for visit in visits:
        assert visit["errors"] == [] and visit["messages"] > 10  # the page was drawn, twice
    return {"watches": watches, "gc_calls": collections}


def test_an_open_session_makes_the_server_watch_no_source_file(served):
    assert served["watches"] == 0, f"{served['watches']} inotify watches for one session"


def test_a_page_run_ends_without_a_full_garbage_collection(served):
    assert served["gc_calls"] == [], served["gc_calls"]
