"""The server as README's deployment runs it: ``gunicorn nq57.wsgi`` with the repository's ``gunicorn.conf.py``."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_connections_are_kept_alive(tmp_path):
    """One connection answers several requests (gthread keeps it alive): a ``worker_connections`` no larger than
    ``threads`` makes gunicorn close every connection after its response."""
    port = _free_port()
    env = {**os.environ, "NQ57_DATA_DIR": str(tmp_path), "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "nq57.settings",
           "WEB_CONCURRENCY": "1"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "nq57.wsgi", "-b", f"127.0.0.1:{port}",
                               "--log-level", "error"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz")
        first = connection.getresponse()
        assert first.status == 200 and first.read() == b"ok"
        sock = connection.sock
        assert sock is not None, f"the server closed the connection (Connection: {first.getheader('Connection')})"
        for _ in range(3):
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert response.status == 200 and response.read() == b"ok"
            assert connection.sock is sock
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
