"""The running server refuses other web pages: no `Access-Control-Allow-Origin: *`, no websocket from elsewhere.

With `enableCORS = false` Streamlit switches its origin check off, so any page a user visits could read
the store through their browser. These tests run the dashboard with the repository's own
.streamlit/config.toml and speak HTTP and the websocket handshake to it directly.
"""

from __future__ import annotations

import base64
import os
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard on an empty store, started as the benchmarks start it (scripts/bench_map.py)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench_map
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    folder = tmp_path_factory.mktemp("origin")
    proc, base = bench_map.start(f"sqlite:///{folder / 's.sqlite'}", folder / "server.log")
    try:
        yield int(base.rsplit(":", 1)[1])
    finally:
        bench_map.stop(proc)


def _handshake(port: int, origin: str) -> str:
    """The status line of a websocket upgrade to Streamlit's stream, sent with this Origin."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: streamlit\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        return s.recv(4096).split(b"\r\n", 1)[0].decode()


def test_a_websocket_from_another_site_is_refused(server):
    assert " 403 " in _handshake(server, "http://evil.example")


def test_a_websocket_from_the_app_itself_is_accepted(server):
    assert " 101 " in _handshake(server, f"http://localhost:{server}")


def test_answers_do_not_invite_every_origin(server):
    req = urllib.request.Request(f"http://127.0.0.1:{server}/_stcore/health", headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.headers.get("Access-Control-Allow-Origin") in (None, "")
