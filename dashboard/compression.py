"""Compressed static files: Streamlit's JavaScript, CSS and page document, gzipped once and kept.

Streamlit 1.67 gzips its own routes but deliberately serves ``/static/...`` and the page document
uncompressed (``streamlit/web/server/starlette/starlette_gzip_middleware.py``: recompressing on
every request costs CPU, and a reverse proxy usually compresses). Over a slow link that is most of
a first visit: 2.7 MB for the sign-in page, 4.7 MB more for the plotly bundle (issue #14 item 15).
This middleware, given to ``st.App(middleware=...)`` (it wraps Streamlit's own), compresses those
responses once per file version (the static handler's ``ETag``) and keeps the result in memory, so
the CPU cost is paid once per file and server start, not per request. Streamlit's cache headers
(``immutable``, a year, for the content-hashed bundles) are kept; ``Vary: Accept-Encoding`` is
added; the compressed representation has its own ``ETag`` (suffix ``-gzip``), and a browser's
revalidation with it still gets a 304.

Untouched: responses that already have a ``Content-Encoding`` (Streamlit's gzipped routes), that
are not text (images, fonts: already compressed), range requests, HEAD, and clients that do not
accept gzip. Behind the reverse proxy of deploy/ the proxy sees compressed responses and passes
them on (nginx's gzip skips a response that already has a Content-Encoding).
"""
from __future__ import annotations

import asyncio
import gzip
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Content types worth compressing (text); everything else passes through.
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml",
                b"application/manifest+json", b"application/wasm")
MINIMUM_SIZE = 1024
LEVEL = 9  # paid once per file: the smallest gzip
SUFFIX = "-gzip"
#: Upper bound of the compressed bytes kept (Streamlit's whole static folder gzips to less).
CACHE_BYTES = 64 * 1024 * 1024


def _accepts_gzip(headers: dict[bytes, bytes]) -> bool:
    """The request's Accept-Encoding names gzip (or ``*``) with a quality above 0."""
    for item in headers.get(b"accept-encoding", b"").decode("latin-1").lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            quality = params.replace(" ", "").removeprefix("q=")
            try:
                return not quality or float(quality) > 0
            except ValueError:
                return False
    return False


class _Cache:
    """Compressed bodies by (path, ETag), least recently used dropped beyond ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit, self.size = limit, 0
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def get(self, key: tuple[str, str], body: bytes) -> bytes:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # one compression per file, however many browsers ask at once
            if key not in self._items:
                compressed = await run_in_threadpool(gzip.compress, body, LEVEL, mtime=0)
                self._items[key] = compressed
                self.size += len(compressed)
                while self.size > self.limit and len(self._items) > 1:
                    _, dropped = self._items.popitem(last=False)
                    self.size -= len(dropped)
            self._locks.pop(key, None)
            return self._items[key]


class StaticCompression:
    """ASGI middleware: gzip, once per file version, the static responses Streamlit sends plain."""

    def __init__(self, app: ASGIApp, cache: _Cache | None = None) -> None:
        self.app = app
        self.cache = cache or _Cache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        if b"range" in headers or not _accepts_gzip(headers):
            await self.app(scope, receive, send)
            return
        inner = scope
        match = headers.get(b"if-none-match", b"").decode("latin-1")
        if SUFFIX in match:  # revalidation of our representation: ask with the file's own ETag
            raw = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
            raw.append((b"if-none-match", match.replace(SUFFIX, "").encode("latin-1")))
            inner = {**scope, "headers": raw}

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                response = dict(message.get("headers") or ())
                if self._eligible(message["status"], response):
                    start = message
                    return
                if message["status"] == 304 and b"etag" in response and SUFFIX in match:
                    message = {**message, "headers": self._tag(message["headers"])}
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_compressed(scope, start, b"".join(chunks), send)
            else:
                await send(message)

        await self.app(inner, receive, capture)

    @staticmethod
    def _eligible(status: int, headers: dict[bytes, bytes]) -> bool:
        """A whole static file (it has an ETag), of a text type, not already encoded."""
        if status != 200 or b"content-encoding" in headers or b"etag" not in headers:
            return False
        kind = headers.get(b"content-type", b"").lower()
        return kind.startswith(COMPRESSIBLE)

    @staticmethod
    def _tag(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        out = []
        for name, value in raw:
            if name.lower() == b"etag":
                tag = value.decode("latin-1")
                value = (tag[:-1] + SUFFIX + '"' if tag.endswith('"') else tag + SUFFIX).encode("latin-1")
            out.append((name, value))
        if not any(name.lower() == b"vary" for name, _ in out):
            out.append((b"vary", b"Accept-Encoding"))
        return out

    async def _send_compressed(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        raw = list(start.get("headers") or ())
        if len(body) < MINIMUM_SIZE:
            raw = [(k, v) for k, v in raw if k.lower() != b"vary"] + [(b"vary", b"Accept-Encoding")]
            await send({**start, "headers": raw})
            await send({"type": "http.response.body", "body": body})
            return
        etag = dict(raw).get(b"etag", b"").decode("latin-1")
        compressed = await self.cache.get((scope.get("path", ""), etag), body)
        raw = [(k, v) for k, v in self._tag(raw) if k.lower() != b"content-length"]
        raw += [(b"content-encoding", b"gzip"), (b"content-length", str(len(compressed)).encode())]
        await send({**start, "headers": raw})
        await send({"type": "http.response.body", "body": compressed})
