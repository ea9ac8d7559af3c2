"""The bytes on the wire: a small threaded TCP proxy in front of the app server that forwards every
connection both ways, unchanged, and counts what the server sends on each one.

A connection whose first client bytes are an HTTP request for ``/_stcore/stream`` is Streamlit's
websocket: the server's answer to it is a ``101 Switching Protocols`` head (its
``Sec-WebSocket-Extensions`` header says whether permessage-deflate was negotiated), then websocket
frames. :meth:`WireProxy.ws_bytes` is the sum of those frames, headers included, as they travel
(compressed when the extension is on): what the browser actually receives, the handshake head
left out. Every other connection (pages, scripts, the sign-in route) is forwarded and counted
apart.

Used by ``bench/browser_timing.py`` for its wire pass (the timed rounds do not go through it).
"""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

STREAM_PATH = "/_stcore/stream"
CHUNK = 65536


@dataclass
class Connection:
    """One client connection through the proxy."""

    path: str = ""  # the path of its first HTTP request ("" until the request line arrived)
    websocket: bool = False  # its first request is for STREAM_PATH
    status: int = 0  # the status of the server's first answer (101 for a websocket accepted)
    extensions: str = ""  # the server's Sec-WebSocket-Extensions header in that answer
    handshake_bytes: int = 0  # the server's answer head (websocket connections)
    server_bytes: int = 0  # every byte the server sent on this connection
    frame_bytes: int = 0  # websocket connections: the bytes after the 101 head (frames, headers included)
    client_bytes: int = 0  # every byte the client sent
    ended: str = ""  # how the first of its two directions ended (diagnostics): "client EOF", "server error ..."
    closed: bool = False  # both directions ended, its two sockets closed
    _head: bytearray = field(default_factory=bytearray, repr=False)  # the request line / answer head so far
    _answer: bytearray = field(default_factory=bytearray, repr=False)
    _answered: bool = False

    @property
    def deflate(self) -> bool:
        return "permessage-deflate" in self.extensions.lower()


class WireProxy:
    """Listens on ``127.0.0.1:<free port>`` (``url``) and forwards each connection to
    ``target_host:target_port``. Stop it with :meth:`close`."""

    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self.connections: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="wire-accept", daemon=True)
        self._thread.start()

    @classmethod
    def before(cls, url: str) -> WireProxy:
        """A proxy in front of the server at ``url`` (``http://host:port``)."""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 80)

    # --- counters ------------------------------------------------------------------------

    def mark(self) -> int:
        """The number of connections so far: :meth:`ws_bytes` ``(since=mark)`` counts only later ones."""
        with self._lock:
            return len(self.connections)

    def ws_bytes(self, since: int = 0) -> int:
        """Bytes of websocket frames the server sent so far on the websocket connections opened
        after the ``since``-th (all of them by default)."""
        with self._lock:
            return sum(c.frame_bytes for c in self.connections[since:] if c.websocket)

    def websockets(self) -> list[Connection]:
        with self._lock:
            return [c for c in self.connections if c.websocket]

    def require_deflate(self) -> str:
        """The ``Sec-WebSocket-Extensions`` the server answered; raises unless every websocket
        connection so far was accepted (101) with permessage-deflate: without it the wire bytes
        are the payload's, and a figure about compression would mean nothing."""
        found = self.websockets()
        if not found:
            raise RuntimeError("no websocket connection went through the proxy")
        plain = [c for c in found if c.status != 101 or not c.deflate]
        if plain:
            raise RuntimeError(f"websocket without permessage-deflate: {len(plain)} of {len(found)} connections "
                               f"(status {plain[0].status}, Sec-WebSocket-Extensions {plain[0].extensions!r}); "
                               "is server.enableWebsocketCompression on in .streamlit/config.toml?")
        return sorted({c.extensions for c in found})[0]

    # --- forwarding ----------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            for s in (client, server):
                s.settimeout(None)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Connection()
            with self._lock:
                self.connections.append(conn)
                self._sockets += [client, server]
            # both directions ended: close this connection's two sockets (bound now, not the loop's latest)
            done = threading.Barrier(2, action=lambda c=conn, pair=(client, server): self._finish(c, *pair))
            threading.Thread(target=self._pump, args=(client, server, conn, True, done), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, conn, False, done), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, conn: Connection, from_client: bool,
              done: threading.Barrier) -> None:
        side = "client" if from_client else "server"
        try:
            while True:
                try:
                    data = src.recv(CHUNK)
                except OSError as exc:
                    self._end(conn, f"{side} recv error {exc!r}")
                    break
                if not data:
                    self._end(conn, f"{side} EOF")
                    break
                # counted before it is forwarded: when the browser has a frame, the counter has it
                with self._lock:
                    (self._client if from_client else self._server)(conn, data)
                try:
                    dst.sendall(data)
                except OSError as exc:
                    self._end(conn, f"{side} to {'server' if from_client else 'client'} send error {exc!r}")
                    break
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        finally:
            try:
                done.wait(timeout=600)
            except threading.BrokenBarrierError:
                _close(src, dst)

    def _finish(self, conn: Connection, *sockets: socket.socket) -> None:
        _close(*sockets)
        with self._lock:
            conn.closed = True

    def _end(self, conn: Connection, how: str) -> None:
        with self._lock:
            conn.ended = conn.ended or how

    @staticmethod
    def _client(conn: Connection, data: bytes) -> None:
        conn.client_bytes += len(data)
        if conn.path or len(conn._head) > 8192:
            return
        conn._head += data
        line, sep, _ = bytes(conn._head).partition(b"\r\n")
        if not sep:
            return
        parts = line.decode("latin-1").split(" ")
        conn.path = parts[1] if len(parts) >= 3 else "?"
        conn.websocket = conn.path.split("?", 1)[0] == STREAM_PATH
        conn._head.clear()

    @staticmethod
    def _server(conn: Connection, data: bytes) -> None:
        conn.server_bytes += len(data)
        if not conn.websocket:
            return
        if conn._answered:
            conn.frame_bytes += len(data)
            return
        conn._answer += data
        end = bytes(conn._answer).find(b"\r\n\r\n")
        if end < 0:
            return
        head_len = end + 4
        conn._answered = True
        conn.handshake_bytes = head_len
        conn.frame_bytes += len(conn._answer) - head_len
        head = bytes(conn._answer[:head_len]).decode("latin-1").split("\r\n")
        status = head[0].split(" ")
        conn.status = int(status[1]) if len(status) > 1 and status[1].isdigit() else 0
        found = [v.strip() for k, _, v in (h.partition(":") for h in head[1:])
                 if k.strip().lower() == "sec-websocket-extensions"]
        conn.extensions = ", ".join(found)
        conn._answer.clear()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        self._thread.join(timeout=5)
        with self._lock:
            sockets = list(self._sockets)
        for s in sockets:
            try:
                s.close()
            except OSError:
                pass

    def __enter__(self) -> WireProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _close(*sockets: socket.socket) -> None:
    for s in sockets:
        try:
            s.close()
        except OSError:
            pass
