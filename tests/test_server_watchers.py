"""A deployed app watches no source file (issue #17: first visits).

With Streamlit's default file watcher, every new session registers an inotify watch on the
folder of each imported module (about 3 000 here) and tears them down when it closes: about
0.4 s of a first visit's server time on a 2-core machine, for a feature (reload on save) that a
deployed app does not use. ``.streamlit/config.toml`` turns it off; this checks the running
server, not the file: a session open on a page, the server process holds no inotify watch."""
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


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_an_open_session_makes_the_server_watch_no_source_file(tmp_path, monkeypatch):
    monkeypatch.delenv("STREAMLIT_SERVER_FILE_WATCHER_TYPE", raising=False)  # the config file decides
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    slowlink.demo_database(url)
    server = Server(url, tmp_path / "streamlit.log")
    try:
        cookie = ws_load.sign_in(server.url, *slowlink.DEMO_USER)

        async def visit_and_count() -> tuple[dict, int]:
            client = ws_load.Client(server.url, cookie)
            await client.connect()
            try:
                visit = await client.visit("budget", {})
                await asyncio.sleep(0.5)  # the watchers are registered once the run has finished
                return visit, inotify_watches(server.process.pid)
            finally:
                await client.close()

        visit, watches = asyncio.run(visit_and_count())
    finally:
        server.stop()
    assert visit["errors"] == [] and visit["messages"] > 10  # the page was drawn
    assert watches == 0, f"{watches} inotify watches for one session"
