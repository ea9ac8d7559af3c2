"""The app's own HTTP routes (dashboard/web.py): sign-in, sign-out and /healthz, called as ASGI
requests on SQLite and PostgreSQL (the browser tests run them in a real server)."""
from __future__ import annotations

import asyncio
import hashlib
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette

from dashboard import auth, web
from dashboard import schema as s

PASSWORD = "correct horse battery"
HOST = "dash.example.org"
PAGE = f"http://{HOST}/budget?programme=LT-PAIRS&countries=SEN,MLI&auth_error=bad_credentials"


@pytest.fixture
def site(engine, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("DASHBOARD_TRUST_PROXY", raising=False)
    web._engine.cache_clear()
    auth.add_user(engine, "amina@forim.test", "conseil", PASSWORD)
    yield Starlette(routes=web.routes())
    web._engine.cache_clear()


def call(app, method: str, path: str, headers: dict | None = None, body: bytes = b"", client="192.0.2.10"):
    """One HTTP request through the ASGI app: (status, headers as a list of (name, value))."""
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in {"host": HOST, **(headers or {})}.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "client": (client, 50000), "server": (HOST, 80)}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start["headers"]]


def header(headers, name):
    return [v for k, v in headers if k == name]


def post_form(app, path, form: dict, **headers):
    base = {"content-type": "application/x-www-form-urlencoded", "origin": f"http://{HOST}", "referer": PAGE}
    base.update({k.replace("_", "-"): v for k, v in headers.items()})
    return call(app, "POST", path, {k: v for k, v in base.items() if v is not None}, urlencode(form).encode())


def sessions(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(s.user_sessions)).all()


def test_sign_in_sets_an_httponly_strict_cookie_and_returns_to_the_page(site, engine):
    status, headers = post_form(site, "/auth/signin", {"email": "Amina@forim.test", "password": PASSWORD})
    assert status == 303
    # back to the page the form was on, with its filters, without the previous error
    assert header(headers, "location") == ["/budget?programme=LT-PAIRS&countries=SEN%2CMLI"]
    [cookie] = header(headers, "set-cookie")
    parsed = SimpleCookie(cookie)[web.COOKIE]
    assert parsed["httponly"] is True and parsed["samesite"].lower() == "strict" and parsed["path"] == "/"
    assert parsed["max-age"] == "28800" and not parsed["secure"]  # plain HTTP: not Secure
    [row] = sessions(engine)
    assert row.token_hash == hashlib.sha256(parsed.value.encode()).hexdigest()
    assert auth.session_user(engine, parsed.value) == row.user_id


def test_a_wrong_password_comes_back_with_an_error_code_and_no_cookie(site, engine):
    status, headers = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": "wrong"})
    assert status == 303 and header(headers, "set-cookie") == []
    assert header(headers, "location") == ["/budget?programme=LT-PAIRS&countries=SEN%2CMLI&auth_error=bad_credentials"]
    for _ in range(2):
        post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": "wrong"})
    status, headers = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD})
    assert re.search(r"&auth_error=wait&auth_wait=[12]$", header(headers, "location")[0])  # 2 s, maybe 1 left
    assert sessions(engine) == []
    with engine.connect() as conn:  # counted against the client address too
        assert conn.execute(sa.select(s.sign_in_failures.c.address, s.sign_in_failures.c.failures)).all() == [
            ("192.0.2.10", 3)]


@pytest.mark.parametrize("headers", [
    {"origin": "https://evil.example", "referer": "https://evil.example/form"},
    {"origin": None, "referer": "https://evil.example/form"},
    {"origin": None, "referer": None},
    {"origin": "null", "referer": None},
    {"sec_fetch_site": "cross-site"},
    {"sec_fetch_site": "same-site", "origin": f"http://sub.{HOST}"},
])
def test_a_cross_site_sign_in_is_refused_and_writes_nothing(site, engine, headers):
    status, answer = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD}, **headers)
    assert status == 403 and header(answer, "set-cookie") == []
    assert sessions(engine) == []
    with engine.connect() as conn:
        assert conn.scalar(sa.select(s.users.c.last_login_at)) is None


def test_the_redirect_never_leaves_the_site(site):
    for referer in ("https://evil.example/x?y=1", f"http://{HOST}//evil.example/x"):
        status, headers = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD},
                                    origin=f"http://{HOST}", referer=referer)
        assert status == 303
        assert header(headers, "location")[0] in ("/", "/evil.example/x")


def test_the_cookie_is_secure_behind_a_trusted_https_proxy_only(site, monkeypatch):
    def cookie(**headers):
        _, answer = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD}, **headers)
        return SimpleCookie(header(answer, "set-cookie")[0])[web.COOKIE]

    assert not cookie(x_forwarded_proto="https")["secure"]  # anyone can send the header
    monkeypatch.setenv("DASHBOARD_TRUST_PROXY", "1")
    assert cookie(x_forwarded_proto="https")["secure"] is True
    assert not cookie(x_forwarded_proto="http")["secure"]


def test_behind_a_trusted_proxy_the_forwarded_host_is_this_site(site, engine, monkeypatch):
    proxied = {"origin": "https://dash.example.net", "referer": "https://dash.example.net/progres?lang=en",
               "x_forwarded_host": "dash.example.net"}
    form = {"email": "amina@forim.test", "password": PASSWORD}
    assert post_form(site, "/auth/signin", form, **proxied)[0] == 403  # the header is not trusted by default
    monkeypatch.setenv("DASHBOARD_TRUST_PROXY", "1")
    status, headers = post_form(site, "/auth/signin", form, **proxied)
    assert status == 303 and header(headers, "location") == ["/progres?lang=en"]
    assert len(sessions(engine)) == 1


def test_signing_in_again_drops_the_browsers_previous_session(site, engine):
    _, headers = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD})
    first = SimpleCookie(header(headers, "set-cookie")[0])[web.COOKIE].value
    post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD}, cookie=f"{web.COOKIE}={first}")
    [row] = sessions(engine)
    assert auth.session_user(engine, first) is None and row.token_hash != auth.token_hash(first)


def test_sign_out_ends_the_session_and_clears_the_cookie(site, engine):
    _, headers = post_form(site, "/auth/signin", {"email": "amina@forim.test", "password": PASSWORD})
    token = SimpleCookie(header(headers, "set-cookie")[0])[web.COOKIE].value
    refused, _ = post_form(site, "/auth/signout", {}, origin="https://evil.example", cookie=f"{web.COOKIE}={token}")
    assert refused == 403 and len(sessions(engine)) == 1  # a cross-site page cannot sign people out
    status, headers = post_form(site, "/auth/signout", {}, cookie=f"{web.COOKIE}={token}")
    assert status == 303 and header(headers, "location") == ["/"]
    cleared = SimpleCookie(header(headers, "set-cookie")[0])[web.COOKIE]
    assert cleared.value == "" and cleared["max-age"] == "0" and cleared["httponly"] is True
    assert sessions(engine) == [] and auth.session_user(engine, token) is None


def test_healthz_is_200_with_the_database_and_503_without(site, engine, monkeypatch, tmp_path):
    status, headers = call(site, "GET", "/healthz")
    assert status == 200 and header(headers, "cache-control") == ["no-store"]
    if engine.dialect.name == "sqlite":
        monkeypatch.setenv("DASHBOARD_DB_URL", f"sqlite:///{tmp_path / 'gone.db'}")
    else:
        monkeypatch.setenv("DASHBOARD_DB_URL", engine.url.set(database="no_such_database_h5").render_as_string(
            hide_password=False))
    assert call(site, "GET", "/healthz")[0] == 503
    assert not (tmp_path / "gone.db").exists()  # the probe does not create an empty SQLite file


# --- the maps' outlines: GET /geo/<digest>.json --------------------------------------------------

def fetch(app, path: str, headers: dict | None = None):
    """(status, headers as a dict, body) of one GET through the ASGI app."""
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in {"host": HOST, **(headers or {})}.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
             "client": ("192.0.2.10", 50000), "server": (HOST, 80)}
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}, body


def test_the_outlines_are_served_without_sign_in_immutable_compressed_and_named_by_their_hash():
    """No cookie needed (outlines only, public Natural Earth shapes, no figure); brotli or gzip as
    the browser accepts, each the same JSON; cached a year, immutable; a revalidation is a 304; an
    other digest is a 404, not today's file under an old immutable name."""
    import gzip
    import json

    import brotli
    from starlette.middleware import Middleware

    from dashboard import maps
    from dashboard.compression import StaticCompression

    app = Starlette(routes=web.routes(), middleware=[Middleware(StaticCompression)])  # as streamlit_app.py
    plain, digest = maps.served_shapes()
    assert digest == hashlib.sha256(plain).hexdigest()[:16]
    url = f"/geo/{digest}.json"
    assert maps.shapes_url() == url

    status, headers, body = fetch(app, url, {"accept-encoding": "gzip, deflate, br"})
    assert status == 200 and headers["content-encoding"] == "br" and brotli.decompress(body) == plain
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["etag"] == f'"{digest}.br"' and headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(plain) / 3  # 211 KB -> ~52 KB
    assert "set-cookie" not in headers

    status, headers, body = fetch(app, url, {"accept-encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain
    assert headers["etag"] == f'"{digest}.gzip"'

    status, headers, body = fetch(app, url)  # no Accept-Encoding: the plain JSON
    assert status == 200 and "content-encoding" not in headers and body == plain
    assert headers["etag"] == f'"{digest}"'
    collection = json.loads(body)
    assert len(collection["features"]) == 177
    assert {key for f in collection["features"] for key in f["properties"]} == {"iso3"}  # no figure

    for tag in (f'"{digest}.br"', f'"{digest}.gzip"', f'W/"{digest}"'):
        status, headers, body = fetch(app, url, {"accept-encoding": "gzip, br", "if-none-match": tag})
        assert (status, body) == (304, b"") and headers["cache-control"].endswith("immutable"), tag

    status, headers, _ = fetch(app, "/geo/0123456789abcdef.json", {"accept-encoding": "gzip"})
    assert status == 404 and headers["cache-control"] == "no-store"


def test_the_outlines_route_and_url_follow_the_base_path(monkeypatch):
    from dashboard import maps

    monkeypatch.setattr(web, "base_path", lambda: "/suivi")
    app = Starlette(routes=web.routes())
    url = maps.shapes_url(web.base_path())
    assert url == f"/suivi/geo/{maps.served_shapes()[1]}.json"
    assert fetch(app, url)[0] == 200
    assert fetch(app, url.removeprefix("/suivi"))[0] == 404
