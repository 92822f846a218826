"""The running server refuses other web pages: no `Access-Control-Allow-Origin: *`, no websocket from elsewhere.

With `enableCORS = false` Streamlit switches its origin check off, so any page a user visits could read
the store through their browser. These tests run the dashboard with the repository's own
.streamlit/config.toml and speak HTTP and the websocket handshake to it directly.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("origin") / "s.sqlite"
    port = _free_port()
    log = open(db.with_suffix(".log"), "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": f"sqlite:///{db}"}, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {db.with_suffix('.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


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
