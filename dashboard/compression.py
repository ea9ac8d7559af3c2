"""Compressed static files: Streamlit's JavaScript, CSS and page document, compressed once and kept.

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

Brotli (``br``, about a quarter smaller than gzip for these bundles: plotly's 4.7 MB are 1.06 MB
instead of 1.42 MB) is served when the browser accepts it and the file's brotli form is ready: the
best brotli costs seconds of CPU per large bundle, so it is made by one background thread, on a
file's first request (that request gets gzip), and kept on disk (:data:`CACHE_DIR`, by content
digest) for every later start; :func:`precompress` makes them all ahead (the slow-link test does).

Untouched: responses that already have a ``Content-Encoding`` (Streamlit's gzipped routes), that
are not text (images, fonts: already compressed), range requests, HEAD, and clients that do not
accept gzip. Behind the reverse proxy of deploy/ the proxy sees compressed responses and passes
them on (nginx's gzip skips a response that already has a Content-Encoding).
"""
from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import queue
import threading
from collections import OrderedDict
from pathlib import Path

try:
    import brotli
except ImportError:  # pragma: no cover - a requirement; without it, gzip only
    brotli = None

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Content types worth compressing (text); everything else passes through.
COMPRESSIBLE = (b"text/", b"application/javascript", b"application/json", b"image/svg+xml",
                b"application/manifest+json", b"application/wasm")
MINIMUM_SIZE = 1024
LEVEL = 9  # paid once per file: the smallest gzip
#: ETag suffix of each compressed representation.
SUFFIXES = {"gzip": "-gzip", "br": "-br"}
#: Upper bound of the compressed bytes kept (Streamlit's whole static folder gzips to less).
CACHE_BYTES = 64 * 1024 * 1024
DIGESTS_KEPT = 4096
#: Where brotli forms are kept between starts, by the SHA-256 of the plain file.
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dashboard" / "static-br"
#: Streamlit's static folder (what :func:`precompress` compresses ahead).
STATIC_DIR = Path(__file__).resolve().parent  # replaced below by Streamlit's, when importable
try:
    import streamlit as _st

    STATIC_DIR = Path(_st.__file__).parent / "static"
except ImportError:  # pragma: no cover
    pass
TEXT_SUFFIXES = (".js", ".css", ".html", ".json", ".svg", ".txt", ".map")
log = logging.getLogger(__name__)


def _brotli(body: bytes) -> bytes:
    return brotli.compress(body, quality=11, lgwin=24)


def _stored(digest: str) -> Path:
    return CACHE_DIR / f"{digest}.br"


def _store(digest: str, body: bytes) -> bytes | None:
    """The brotli form of ``body``, made and written to :data:`CACHE_DIR` unless already there."""
    path = _stored(digest)
    try:
        return path.read_bytes()
    except OSError:
        pass
    compressed = _brotli(body)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(compressed)
        os.replace(tmp, path)
    except OSError:  # a read-only home: kept in memory only
        log.warning("cannot keep compressed static files in %s", CACHE_DIR, exc_info=True)
    return compressed


def precompress(directory: Path | None = None) -> int:
    """Make the brotli form of every text file of Streamlit's static folder that has none yet
    (minutes of CPU on a first run, then nothing). Returns the number made."""
    if brotli is None:
        return 0
    made = 0
    for path in sorted((directory or STATIC_DIR).rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file() and path.stat().st_size >= MINIMUM_SIZE:
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()
            if not _stored(digest).exists():
                _store(digest, body)
                made += 1
    return made


class _Brotli:
    """Brotli forms by content digest: from memory, from disk, or queued for the one worker thread."""

    def __init__(self) -> None:
        self._ready: dict[str, bytes] = {}
        self._queued: set[str] = set()
        self._jobs: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def get(self, digest: str, body: bytes) -> bytes | None:
        """The brotli form if ready (the file is queued for the worker otherwise)."""
        if digest in self._ready:
            return self._ready[digest]
        try:
            self._ready[digest] = _stored(digest).read_bytes()
            return self._ready[digest]
        except OSError:
            pass
        with self._lock:
            if digest not in self._queued:
                self._queued.add(digest)
                self._jobs.put((digest, body))
                if self._worker is None:
                    self._worker = threading.Thread(target=self._work, name="brotli-static", daemon=True)
                    self._worker.start()
        return None

    def _work(self) -> None:
        while True:
            digest, body = self._jobs.get()
            try:
                self._ready[digest] = _store(digest, body)
            except Exception:  # noqa: BLE001 - that file stays gzip
                log.exception("brotli compression failed")


def _accepts(headers: dict[bytes, bytes], coding: str) -> bool:
    """The request's Accept-Encoding names ``coding`` (or ``*``) with a quality above 0."""
    for item in headers.get(b"accept-encoding", b"").decode("latin-1").lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in (coding, "*"):
            quality = params.replace(" ", "").removeprefix("q=")
            try:
                return not quality or float(quality) > 0
            except ValueError:
                return False
    return False


class _Cache:
    """Gzipped bodies by content digest, least recently used dropped beyond ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit, self.size = limit, 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, body: bytes) -> bytes:
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
    """ASGI middleware: brotli or gzip, once per file version, the static responses Streamlit sends plain."""

    def __init__(self, app: ASGIApp, cache: _Cache | None = None, brotli_forms: _Brotli | None = None) -> None:
        self.app = app
        self.cache = cache or _Cache()
        self.brotli = brotli_forms or _Brotli()
        #: (path, ETag) -> SHA-256 of the file, the most recent DIGESTS_KEPT (any path of the site
        #: answers with the page document: the key of every cache is the content, not the path)
        self._digests: OrderedDict[tuple[str, str], str] = OrderedDict()

    def _digest(self, key: tuple[str, str], body: bytes) -> str:
        digest = self._digests.get(key)
        if digest is None:
            digest = self._digests[key] = hashlib.sha256(body).hexdigest()
            if len(self._digests) > DIGESTS_KEPT:
                self._digests.popitem(last=False)
        else:
            self._digests.move_to_end(key)
        return digest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        gzip_ok, br_ok = _accepts(headers, "gzip"), brotli is not None and _accepts(headers, "br")
        if b"range" in headers or not (gzip_ok or br_ok):
            await self.app(scope, receive, send)
            return
        inner = scope
        match = headers.get(b"if-none-match", b"").decode("latin-1")
        suffix = next((s_ for s_ in SUFFIXES.values() if s_ + '"' in match), None)
        if suffix:  # revalidation of our representation: ask with the file's own ETag
            raw = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
            raw.append((b"if-none-match", match.replace(suffix + '"', '"').encode("latin-1")))
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
                if message["status"] == 304 and b"etag" in response and suffix:
                    message = {**message, "headers": self._tag(message["headers"], suffix)}
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send_compressed(scope, start, b"".join(chunks), send, gzip_ok, br_ok)
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
    def _tag(raw: list[tuple[bytes, bytes]], suffix: str) -> list[tuple[bytes, bytes]]:
        """The headers with the ETag of the compressed representation and ``Vary``."""
        out = []
        for name, value in raw:
            if name.lower() == b"etag":
                tag = value.decode("latin-1")
                value = (tag[:-1] + suffix + '"' if tag.endswith('"') else tag + suffix).encode("latin-1")
            out.append((name, value))
        if not any(name.lower() == b"vary" for name, _ in out):
            out.append((b"vary", b"Accept-Encoding"))
        return out

    async def _send_compressed(self, scope: Scope, start: Message, body: bytes, send: Send,
                               gzip_ok: bool, br_ok: bool) -> None:
        raw = list(start.get("headers") or ())
        if len(body) < MINIMUM_SIZE:
            raw = [(k, v) for k, v in raw if k.lower() != b"vary"] + [(b"vary", b"Accept-Encoding")]
            await send({**start, "headers": raw})
            await send({"type": "http.response.body", "body": body})
            return
        digest = self._digest((scope.get("path", ""), dict(raw).get(b"etag", b"").decode("latin-1")), body)
        coding, compressed = None, None
        if br_ok:
            compressed = self.brotli.get(digest, body)
            coding = "br" if compressed is not None else None
        if compressed is None:
            if not gzip_ok:  # brotli only, not ready yet: the plain file
                await send({**start, "headers": self._tag(raw, "")})
                await send({"type": "http.response.body", "body": body})
                return
            coding, compressed = "gzip", await self.cache.get(digest, body)
        raw = [(k, v) for k, v in self._tag(raw, SUFFIXES[coding]) if k.lower() != b"content-length"]
        raw += [(b"content-encoding", coding.encode()), (b"content-length", str(len(compressed)).encode())]
        await send({**start, "headers": raw})
        await send({"type": "http.response.body", "body": compressed})
