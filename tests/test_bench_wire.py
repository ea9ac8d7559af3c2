"""bench/wire.py, the proxy that counts the websocket bytes on the wire for bench/browser_timing.py:
what it counts through it for known exchanges equals what the server sent (RFC 6455 frame sizes
computed by hand), HTTP connections are not counted as websocket bytes, and a websocket without
permessage-deflate is refused loudly."""
import socket
import sys
import threading
import time

import pytest
from websockets.sync.client import connect
from websockets.sync.server import serve

from dashboard.db import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from wire import WireProxy  # noqa: E402

SIZES = (10, 200, 70_000)  # one per frame header size: 2 bytes (< 126), 4 (< 65536), 10 (larger)


def _ws_server(compression, payload):
    """A websocket server (the `websockets` library) on a free port that sends ``payload``'s messages."""
    def handler(ws):
        for message in payload:
            ws.send(message)
        for message in ws:  # echoes, until the client closes
            ws.send(message)

    server = serve(handler, "127.0.0.1", 0, compression=compression, ping_interval=None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.socket.getsockname()[1]


def test_the_proxy_counts_the_websocket_frames_exactly_as_sent():
    payload = [bytes(range(256)) * (n // 256) + bytes(n % 256) for n in SIZES]
    server, port = _ws_server(None, payload)
    try:
        with WireProxy("127.0.0.1", port) as proxy:
            with connect(f"ws://127.0.0.1:{proxy.port}/_stcore/stream", compression=None, ping_interval=None) as ws:
                received = [ws.recv() for _ in SIZES]
                assert [len(m) for m in received] == list(SIZES)
                # unmasked server frames: 2-byte header + 10, 4-byte header + 200, 10-byte header + 70 000
                assert proxy.ws_bytes() == (2 + 10) + (4 + 200) + (10 + 70_000) == 70_226
            (conn,) = proxy.websockets()
            assert conn.path == "/_stcore/stream" and conn.status == 101 and conn.extensions == ""
            assert not conn.deflate
            assert conn.server_bytes >= conn.handshake_bytes + 70_226 and conn.handshake_bytes > 0
            with pytest.raises(RuntimeError, match="permessage-deflate"):
                proxy.require_deflate()
    finally:
        server.shutdown()


def test_the_proxy_sees_permessage_deflate_and_counts_the_compressed_frames():
    text = ('{"country": "Burkina Faso", "amount_eur": 1250.0, "line": "Formation des formateurs"}\n' * 1200)
    assert len(text) > 100_000
    server, port = _ws_server("deflate", [text])
    try:
        with WireProxy("127.0.0.1", port) as proxy:
            with connect(f"ws://127.0.0.1:{proxy.port}/_stcore/stream", compression="deflate",
                         ping_interval=None) as ws:
                assert ws.recv() == text
                wire = proxy.ws_bytes()
            assert "permessage-deflate" in proxy.require_deflate()
            # one repeated line deflates to a small fraction; the counter saw the compressed frame
            assert 0 < wire < len(text) / 20
    finally:
        server.shutdown()


def test_a_connection_that_ends_leaves_the_others_open():
    """Each connection's sockets are closed when both its directions end, and only its own (the
    bug this catches: closing the most recently accepted connection's instead)."""
    server, port = _ws_server(None, [])  # sends nothing first, then echoes until closed

    with WireProxy("127.0.0.1", port) as proxy:
        stream = f"ws://127.0.0.1:{proxy.port}/_stcore/stream"
        with connect(stream, compression=None, ping_interval=None) as first, \
                connect(stream, compression=None, ping_interval=None) as later:
            first.close()
            deadline = time.monotonic() + 10
            while not proxy.connections[0].closed and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proxy.connections[0].closed and not proxy.connections[1].closed
            later.send(b"x" * 300)
            assert later.recv(timeout=5) == b"x" * 300
            assert proxy.ws_bytes(since=1) == 4 + 300  # since the second connection: its echo only
    server.shutdown()


def _one_shot_server(answer: bytes):
    """A bare TCP server that reads one request head, sends ``answer`` in one write, then closes."""
    listener = socket.create_server(("127.0.0.1", 0))
    got = {}

    def run():
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            got["request"] = data
            conn.sendall(answer)
        listener.close()

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1], got


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    return received


def test_http_connections_are_forwarded_unchanged_and_not_counted_as_websocket():
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    request = b"GET /budget?programme=SC-01 HTTP/1.1\r\nHost: x\r\n\r\n"
    port, got = _one_shot_server(answer)
    with WireProxy("127.0.0.1", port) as proxy:
        assert _exchange(proxy.port, request) == answer
        assert got["request"] == request
        (conn,) = proxy.connections
        assert conn.path == "/budget?programme=SC-01" and not conn.websocket
        assert (conn.server_bytes, conn.client_bytes) == (len(answer), len(request))
        assert proxy.ws_bytes() == 0 and proxy.websockets() == []


def test_a_101_head_and_its_first_frames_in_one_segment_are_split_where_the_head_ends():
    head = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n")
    frames = bytes([0x82, 3]) + b"abc" + bytes([0x82, 126, 0, 200]) + bytes(200)  # 5 + 204 bytes
    port, _ = _one_shot_server(head + frames)
    with WireProxy("127.0.0.1", port) as proxy:
        received = _exchange(proxy.port, b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n")
        assert received == head + frames
        (conn,) = proxy.websockets()
        assert (conn.status, conn.handshake_bytes, conn.frame_bytes) == (101, len(head), 209)
        assert proxy.ws_bytes() == 209
        assert proxy.require_deflate() == "permessage-deflate; server_no_context_takeover"
