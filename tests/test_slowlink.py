"""Slow links (issue #14 item 15): Streamlit's static files are served gzipped by the app server
itself (dashboard/compression.py, wired into the st.App of streamlit_app.py), the websocket is
deflated, and maps (deck.gl and the world's shapes) are sent only once the person asks for them.
The timings over a throttled link are in tests/test_e2e_slowlink.py."""
from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
import tomllib
from pathlib import Path

import pytest
import streamlit
from starlette.applications import Starlette
from starlette.routing import Mount
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

import brotli

from apptest import ADMIN, database, open_page
from dashboard import compression
from dashboard.compression import StaticCompression

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(streamlit.__file__).parent / "static"
PLOTLY = next((STATIC / "static" / "js").glob("PlotlyChart.*.js"))
FONT = next((STATIC / "static" / "media").glob("*.woff2"))


@pytest.fixture(autouse=True)
def empty_brotli_store(tmp_path, monkeypatch):
    """No brotli form kept from an earlier run: each test starts as a first server start."""
    monkeypatch.setattr(compression, "CACHE_DIR", tmp_path / "static-br")


def static_site() -> StaticCompression:
    """Streamlit's own static handler (what `streamlit run` mounts) behind the middleware."""
    handler = create_streamlit_static_handler(str(STATIC), None)
    return StaticCompression(Starlette(routes=[Mount("/", app=handler)]))


def call(app, path: str, method: str = "GET", **headers) -> tuple[int, dict[str, str], bytes]:
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in {"host": "x", **headers}.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": raw, "client": ("127.0.0.1", 5000), "server": ("x", 80)}
    sent = []

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():  # the request, then nothing until the response is sent (no disconnect)
        if requests:
            return requests.pop()
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_streamlit_javascript_is_served_gzipped_with_its_long_cache_headers():
    site = static_site()
    path = f"/static/js/{PLOTLY.name}"
    plain = PLOTLY.read_bytes()
    status, headers, body = call(site, path, accept_encoding="gzip, deflate")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain  # the same file, byte for byte
    assert int(headers["content-length"]) == len(body) < len(plain) // 3  # plotly: 4.7 MB -> 1.4 MB
    assert headers["cache-control"] == "public, immutable, max-age=31536000"  # Streamlit's, kept
    assert headers["vary"] == "Accept-Encoding"
    # the compressed representation has its own ETag, and revalidating with it is a 304
    assert headers["etag"].endswith('-gzip"')
    status, again, body = call(site, path, accept_encoding="gzip", if_none_match=headers["etag"])
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    # compressed once: the second answer is the very same bytes object's content, from the cache
    assert len(site.cache._items) == 1
    call(site, path, accept_encoding="gzip")
    assert len(site.cache._items) == 1


def test_brotli_is_served_once_made_in_the_background_and_kept_on_disk():
    site = static_site()
    path = f"/static/js/{PLOTLY.name}"
    plain = PLOTLY.read_bytes()
    # first request: the brotli form is not made yet; gzip now, brotli queued for the worker
    status, headers, body = call(site, path, accept_encoding="gzip, deflate, br")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain
    for _ in range(600):  # the worker makes it (q11: seconds of CPU)
        if compression._stored(hashlib.sha256(plain).hexdigest()).exists():
            break
        time.sleep(0.1)
    status, headers, body = call(site, path, accept_encoding="gzip, deflate, br")
    assert status == 200 and headers["content-encoding"] == "br"
    assert brotli.decompress(body) == plain and int(headers["content-length"]) == len(body)
    gzipped = gzip.compress(plain, 9)
    assert len(body) < 0.8 * len(gzipped)  # plotly: 1.06 MB against gzip's 1.42 MB
    assert headers["etag"].endswith('-br"') and headers["cache-control"] == "public, immutable, max-age=31536000"
    status, again, _ = call(site, path, accept_encoding="br", if_none_match=headers["etag"])
    assert status == 304 and again["etag"] == headers["etag"]
    # a new server start finds it on disk: brotli from the first request
    status, headers, body = call(static_site(), path, accept_encoding="br, gzip")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == plain


def test_precompress_makes_every_text_file_once(tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "a.js").write_text("var a = 1;\n" * 500)
    (folder / "js" / "small.js").write_text("var b;")  # under 1 KB: served plain, not stored
    (folder / "font.woff2").write_bytes(b"\0" * 5000)  # not text
    assert compression.precompress(folder) == 1
    stored = list(compression.CACHE_DIR.iterdir())
    assert [p.name for p in stored] == [hashlib.sha256(("var a = 1;\n" * 500).encode()).hexdigest() + ".br"]
    assert brotli.decompress(stored[0].read_bytes()) == ("var a = 1;\n" * 500).encode()
    assert compression.precompress(folder) == 0


def test_the_page_document_is_gzipped_too_and_kept_once_whatever_its_address(monkeypatch):
    monkeypatch.setattr(compression, "DIGESTS_KEPT", 3)
    site = static_site()
    status, headers, body = call(site, "/", accept_encoding="gzip")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (STATIC / "index.html").read_bytes()
    assert headers["cache-control"] == "no-cache"
    # every address of the site answers with the page document: one copy kept, a bounded memo
    for n in range(10):
        assert gzip.decompress(call(site, f"/page-{n}", accept_encoding="gzip")[2]) == (STATIC / "index.html").read_bytes()
    assert len(site.cache._items) == 1 and len(site._digests) == 3


@pytest.mark.parametrize("headers", [{}, {"accept_encoding": "identity"}, {"accept_encoding": "gzip;q=0"},
                                     {"accept_encoding": "gzip", "range": "bytes=0-99"}])
def test_a_client_that_does_not_take_gzip_or_asks_a_range_gets_the_plain_file(headers):
    status, answer, body = call(static_site(), f"/static/js/{PLOTLY.name}", **headers)
    plain = PLOTLY.read_bytes()
    assert "content-encoding" not in answer
    if "range" in headers:
        assert status == 206 and body == plain[:100]
    else:
        assert status == 200 and hashlib.sha256(body).digest() == hashlib.sha256(plain).digest()
        assert answer["etag"] == call(static_site(), f"/static/js/{PLOTLY.name}")[1]["etag"]
        assert not answer["etag"].endswith('-gzip"')


def test_fonts_and_head_requests_pass_through_untouched():
    status, headers, body = call(static_site(), f"/static/media/{FONT.name}", accept_encoding="gzip")
    assert status == 200 and "content-encoding" not in headers and body == FONT.read_bytes()
    status, headers, body = call(static_site(), f"/static/js/{PLOTLY.name}", "HEAD", accept_encoding="gzip")
    assert status == 200 and "content-encoding" not in headers and body == b""


def test_the_app_server_uses_the_middleware_and_a_deflated_websocket():
    import streamlit_app

    assert [m.cls for m in streamlit_app.app._user_middleware] == [StaticCompression]
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableWebsocketCompression"] is True


@pytest.fixture
def app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


@pytest.mark.parametrize("page,key", [("training", "sessions_map"), ("progress", "progress_map")])
def test_a_map_is_sent_only_once_the_person_asks_and_the_choice_holds_for_the_session(app, page, key):
    at = open_page(page, as_user=ADMIN, maps=False, programme="PCRPM-C2")
    assert not at.get("deck_gl_json_chart")  # neither the deck (shapes) nor, so, deck.gl
    toggle = at.toggle(key=f"{key}_shown")
    assert toggle.label == "Afficher la carte" and toggle.value is False
    if page == "progress":  # the legend goes with the map
        assert not [h for h in at.get("html") if "#253494" in h.proto.body]
    toggle.set_value(True).run()
    assert len(at.get("deck_gl_json_chart")) == 1
    if page == "progress":
        assert [h for h in at.get("html") if "#253494" in h.proto.body]
    # the other page with a map opens with its map shown: one choice for the session
    other = "progress" if page == "training" else "training"
    at.switch_page(f"pages/{other}.py").run()
    assert len(at.get("deck_gl_json_chart")) == 1
    assert at.toggle(key="progress_map_shown" if other == "progress" else "sessions_map_shown").value is True
