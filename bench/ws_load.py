"""Server capacity without browsers: light clients of Streamlit's own websocket protocol.

    python bench/ws_load.py --db-url postgresql+psycopg://USER:PASSWORD@localhost/DB --users 20 --seconds 120
    python bench/ws_load.py --db-url sqlite:////tmp/x.db --users 2 --seconds 10     # a smoke run

Each user signs in as a person does (``POST /auth/signin``, the HttpOnly session cookie), opens
the websocket a browser tab opens (``/_stcore/stream``), and every ``--interval`` seconds asks for
a page the way the frontend does after a sidebar click or a filter change: a ``BackMsg`` with
``rerun_script`` (the page's URL path, the query string with programme and countries, the hashes
of the messages it already holds, as the browser's message cache does). A page's time runs from
that message to the ``ForwardMsg`` ``script_finished`` (every delta of the run received and
decoded). An error is a run that did not finish successfully, an exception element, a page not
found, or a lost connection.

No Chromium: the client costs a few milliseconds of CPU per page, so the figures are the
server's (and the database's). Beside the page times it reports the server process's CPU time
per rerun (``/proc/<pid>/stat``), the database's time (PostgreSQL: ``pg_stat_database.active_time``
of the database), and what that makes the limit: one Python process runs the scripts under one
GIL, so the server serves at most about ``1 / CPU-seconds-per-rerun`` pages a second.
Traffic stays on 127.0.0.1; every loop is bounded in time.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

PAGES = ("overview", "budget", "funding", "training", "progress")
CONNECT_TIMEOUT = 60
PAGE_TIMEOUT = 120  # one page; past this the action counts as an error


def url_path(page: str) -> str:
    from dashboard.ui.pages import PAGES as ALL

    return ALL[page][3]


def sign_in(base: str, email: str, password: str) -> str:
    """The session cookie, from the app's own sign-in route (a form post from one of its pages)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CONNECT_TIMEOUT)
    try:
        body = urlencode({"email": email, "password": password})
        conn.request("POST", "/auth/signin", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": base, "Referer": base + "/"})
        response = conn.getresponse()
        response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("dashboard_session="):
                return value.split(";", 1)[0]
        raise RuntimeError(f"sign-in refused: {response.status} {response.getheader('location')}")
    finally:
        conn.close()


class Client:
    """One browser tab, reduced to its websocket."""

    def __init__(self, base: str, cookie: str):
        self.base, self.cookie = base, cookie
        self.ws = None
        self.hashes: set[str] = set()

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        ws_url = "ws" + self.base[len("http"):] + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.base,
                                additional_headers={"Cookie": self.cookie}, max_size=None,
                                open_timeout=CONNECT_TIMEOUT, compression=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def visit(self, page: str, query: dict[str, str]) -> dict:
        """Ask for ``page`` with ``query``; wait for the run's end. Seconds, bytes received,
        messages, and the errors seen."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        state = back.rerun_script
        state.query_string = urlencode(query)
        state.page_name = url_path(page)
        state.cached_message_hashes.extend(sorted(self.hashes))
        state.widget_states.SetInParent()
        received, messages, errors = 0, 0, []
        started = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        deadline = started + PAGE_TIMEOUT
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=max(deadline - time.perf_counter(), 0.01))
            received += len(data)
            messages += 1
            msg = ForwardMsg.FromString(data)
            if msg.hash:
                self.hashes.add(msg.hash)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                if msg.delta.new_element.WhichOneof("type") == "exception":
                    errors.append(f"exception on {page}: {msg.delta.new_element.exception.message[:100]}")
            elif kind == "page_not_found":
                errors.append(f"page not found: {page}")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app reran itself (a query string it normalised): wait for that run
                if status not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    errors.append(f"{page}: script finished with status {status}")
                break
        return {"seconds": time.perf_counter() - started, "bytes": received, "messages": messages, "errors": errors}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pg_active_seconds(db_url: str) -> float | None:
    """PostgreSQL's ``active_time`` of this database (time spent running statements), seconds."""
    if not db_url.startswith("postgresql"):
        return None
    import sqlalchemy as sa

    from dashboard.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            value = conn.execute(sa.text("SELECT active_time FROM pg_stat_database WHERE datname = current_database()")
                                 ).scalar()
    except Exception:  # noqa: BLE001 - before PostgreSQL 14 there is no active_time: not reported
        value = None
    finally:
        engine.dispose()
    return None if value is None else float(value) / 1000


def scenario(programmes: list[tuple[str, list[str]]], user: int, step: int) -> tuple[str, dict[str, str]]:
    """User ``user``'s ``step``-th action: the pages in turn, each user on its own programme, and
    every other action a country filter (one or two of the programme's countries)."""
    programme, countries = programmes[user % len(programmes)]
    page = PAGES[(user + step) % len(PAGES)]
    query = {"programme": programme}
    if countries and step % 2:
        k = 1 + (step // 2) % min(2, len(countries))
        start = (user + step) % len(countries)
        query["countries"] = ",".join(sorted((countries + countries)[start:start + k]))
    return page, query


async def user_loop(n: int, users: int, base: str, cookie: str, programmes, interval: float, until: float,
                    samples: list, errors: list) -> None:
    client = Client(base, cookie)
    try:
        await asyncio.sleep(interval * n / users)  # arrivals spread over the first interval
        await client.connect()
        step = 0
        while True:
            page, query = scenario(programmes, n, step)
            planned = time.perf_counter() + interval
            try:
                result = await client.visit(page, query)
            except (asyncio.TimeoutError, TimeoutError):
                errors.append(f"user {n}: {page} not finished after {PAGE_TIMEOUT} s")
                break
            samples.append({"user": n, "page": page, "first": step == 0, **result})
            errors.extend(result["errors"])
            step += 1
            if time.perf_counter() >= until:
                break
            await asyncio.sleep(max(planned - time.perf_counter(), 0) * random.uniform(0.9, 1.1))
    except Exception as exc:  # noqa: BLE001 - any failure of a user is an error of the run
        errors.append(f"user {n}: {exc.__class__.__name__}: {str(exc)[:120]}")
    finally:
        await client.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank: the smallest value with at least q of the values at or below it
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run_load(base: str, pid: int, db_url: str, email: str, password: str, programmes, users: int = 20,
             seconds: float = 120, interval: float = 10.0) -> dict:
    """``users`` clients on a running server (``base``, process ``pid``) for ``seconds``: the
    figures of the report."""
    cookies = [sign_in(base, email, password) for _ in range(users)]
    samples: list[dict] = []
    errors: list[str] = []
    cpu0, db0, wall0 = cpu_seconds(pid), pg_active_seconds(db_url), time.perf_counter()

    async def main() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*[user_loop(n, users, base, cookies[n], programmes, interval, until, samples, errors)
                               for n in range(users)])

    asyncio.run(main())
    wall = time.perf_counter() - wall0
    cpu, db = cpu_seconds(pid) - cpu0, pg_active_seconds(db_url)
    times = [s["seconds"] for s in samples]
    reruns = len(samples)
    result = {
        "users": users, "seconds": seconds, "interval_s": interval, "pages": reruns, "errors": len(errors),
        "error_samples": errors[:10],
        "median_s": statistics.median(times) if times else float("nan"), "p95_s": percentile(times, 0.95),
        "max_s": max(times, default=float("nan")),
        "median_first_s": statistics.median([s["seconds"] for s in samples if s["first"]] or [float("nan")]),
        "median_bytes": statistics.median([s["bytes"] for s in samples]) if samples else 0,
        "wall_s": wall, "server_cpu_s": cpu, "server_cpu_per_page_s": cpu / reruns if reruns else float("nan"),
        "server_cpu_share": cpu / wall, "db_active_s": None if db is None or db0 is None else db - db0,
        "cores": os.cpu_count(), "load_average": os.getloadavg()[0],
    }
    per_page = {}
    for page in PAGES:
        mine = [s["seconds"] for s in samples if s["page"] == page]
        if mine:
            per_page[page] = {"pages": len(mine), "median_s": statistics.median(mine), "p95_s": percentile(mine, 0.95)}
    result["per_page"] = per_page
    if result["db_active_s"] is not None and reruns:
        result["db_per_page_s"] = result["db_active_s"] / reruns
    result["capacity_pages_per_s"] = 1 / result["server_cpu_per_page_s"] if reruns and cpu else float("nan")
    # one action every `interval` seconds per person: the users one server process can keep up with
    result["capacity_users"] = result["capacity_pages_per_s"] * interval
    result["limit"] = limit(result)
    return result


def limit(r: dict) -> str:
    """What bounds the server, in one sentence, from the figures."""
    cpu_page = r["server_cpu_per_page_s"]
    db_page = r.get("db_per_page_s")
    parts = [f"the server process used {r['server_cpu_share']:.0%} of one core over the run "
             f"({cpu_page * 1000:.0f} ms of CPU per page)"]
    if db_page is not None:
        parts.append(f"PostgreSQL spent {db_page * 1000:.0f} ms per page running statements "
                     f"({db_page / (db_page + cpu_page):.0%} of server + database time)")
    busy = r.get("load_average", 0) > r["cores"]
    if busy:
        parts.append(f"the machine's load average was {r['load_average']:.1f} on {r['cores']} cores at the end (this "
                     "run and any other work): processes waited for a core, so the times are longer than the "
                     "server's and the database's own needs")
    if r["server_cpu_share"] >= 0.8:
        parts.append("the Python process is the bottleneck: one GIL runs every session's script, so pages queue "
                     "for it (serialisation of the elements included)")
    elif db_page is not None and db_page > cpu_page:
        parts.append("the database is the larger cost")
    elif not busy:
        parts.append("neither the Python process nor the database is saturated at this load")
    return "; ".join(parts) + "."


def scale_programmes(db_url: str, count: int = 30) -> list[tuple[str, list[str]]]:
    """Programmes with their countries (the app's own query ``programme_countries``)."""
    import sqlalchemy as sa

    from dashboard import db

    engine = db.make_engine(db_url)
    with engine.connect() as conn:
        codes = [c for (c,) in conn.execute(sa.text("SELECT code FROM programmes ORDER BY code")).fetchall()][:count]
        found = [(code, sorted(db.query(conn, "programme_countries", programme=code)["country_iso3"])) for code in codes]
    engine.dispose()
    return found


def measure(db_url: str, email: str, password: str, users: int = 20, seconds: float = 120,
            interval: float = 10.0, log: Path | None = None) -> dict:
    """Start ``streamlit run`` on ``db_url`` and run the load against it."""
    from browser import Server

    log = log or Path(tempfile.gettempdir()) / "dashboard-ws-load.log"
    server = Server(db_url, log)
    try:
        programmes = scale_programmes(db_url)
        # one warm-up page (imports, first connection), not counted
        warm = Client(server.url, sign_in(server.url, email, password))

        async def once():
            await warm.connect()
            await warm.visit("budget", {"programme": programmes[0][0]})
            await warm.close()
        asyncio.run(once())
        result = run_load(server.url, server.process.pid, db_url, email, password, programmes, users, seconds,
                          interval)
        result["server_peak_rss_mb"] = _peak_rss(server.process.pid)
    finally:
        server.stop()
    return result


def _peak_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def table(r: dict) -> list[str]:
    db = "—" if r.get("db_per_page_s") is None else f"{r['db_per_page_s'] * 1000:.0f} ms"
    return ["| users | every | duration | pages | errors | median | 95th percentile | first page (median) | "
            "server CPU per page | DB time per page | server CPU use | users one process serves |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            f"| {r['users']} | {r['interval_s']:.0f} s | {r['seconds']:.0f} s | {r['pages']} | {r['errors']} | "
            f"{r['median_s']:.2f} s | {r['p95_s']:.2f} s | {r['median_first_s']:.2f} s | "
            f"{r['server_cpu_per_page_s'] * 1000:.0f} ms | {db} | {r['server_cpu_share']:.0%} of a core | "
            f"{r['capacity_users']:.0f} |"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db-url", required=True, help="a database loaded with a scale workbook (bench/run.py)")
    ap.add_argument("--email", default="bench@bench.invalid")
    ap.add_argument("--password", default="bench password 2026")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--interval", type=float, default=10.0)
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    r = measure(args.db_url, args.email, args.password, args.users, args.seconds, args.interval)
    print("\n".join(table(r)))
    print(r["limit"])
    for error in r["error_samples"]:
        print("error:", error)
    return 0 if not r["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
