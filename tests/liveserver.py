"""A real server for tests and the benchmark: gunicorn on 127.0.0.1 (ports 5300–5399), werkzeug in a thread for the
browser tests, and a kiosk that speaks HTTP.

`Gunicorn` starts `intake:create_app()` (or any app) with several workers in its own process group;
`HttpKiosk` walks the JSON API over a real socket, keeping its session cookie and CSRF token and
retrying a request whose connection broke, the way the widget does.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "live-test-secret"  # the servers' secret: a benchmark signs kiosk enrolments with it


def worker_ports(first: int, last: int) -> range:
    """This process's share of the ports first..last: `make test` runs two test processes (pytest-xdist), and
    two servers probing the same port at once could both find it free."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    share = (last - first + 1) // workers
    return range(first + worker * share, first + (worker + 1) * share)


PORTS = worker_ports(5300, 5399)


def free_port(ports: range = PORTS) -> int:
    """A free port on 127.0.0.1 in `ports` (this process's share of 5300-5399 unless a test keeps its own range)."""
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def serve_in_thread(app, port: int = 0) -> tuple[str, Callable[[], None]]:
    """Serve a WSGI app on 127.0.0.1 (a free port unless given) from werkzeug in a background thread: its address,
    and the function that stops it."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, _bodies_read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(5)

    return f"http://127.0.0.1:{server.server_port}", stop


def _bodies_read_whole(app):
    """werkzeug's development server leaves a file reply (a static file) open when the browser drops the connection
    halfway: it reads the socket once more before closing the reply, that read raises, and the close is skipped.
    The open file's ResourceWarning then fails whichever test is running (seen in CI on the favicon). Reading each
    reply whole and closing it before werkzeug writes a byte leaves nothing to skip."""

    def whole(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return whole


class Gunicorn:
    """gunicorn serving one app on 127.0.0.1; use as a context manager."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 3,
        app: str = "intake:create_app()",
        env: dict | None = None,
        ready_path: str = "/api/v1/openapi.json",
        root: Path = ROOT,
    ):
        """`root`: the checkout whose app to serve (a benchmark compares another version in the same run)."""
        self.ready_path = ready_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers", str(workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--graceful-timeout", "2",
            "--timeout", "30",
            "--log-level", "warning",
            "--chdir", str(root),
            app,
        ]  # fmt: skip
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "YORISOI_SECRET_KEY": SECRET,
            "YORISOI_RATELIMIT_ENABLED": "false",
            "PYTHONPATH": os.pathsep.join([str(root), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]),
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                status, _, _ = request(self.base, "GET", self.ready_path, timeout=2)
                if status == 200:
                    return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer in 30 s")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    def worker_pids(self) -> list[int]:
        """The worker processes now running (children of the master). A worker killed but not yet reaped by the
        master is still its child, as a zombie, for as long as the master is busy: it is not running."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children if _running(int(pid))]


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:  # reaped meanwhile
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # the state follows the command's name in parentheses


def request(base: str, method: str, path: str, body=None, headers=None, timeout: float = 10, raw: str | None = None):
    """One HTTP request with a JSON `body` (or a `raw` one); returns (status, parsed JSON or text, response)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        payload = raw.encode() if raw is not None else json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json"} if payload is not None else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        kind = response.getheader("Content-Type", "")
        return response.status, (json.loads(raw) if "json" in kind else raw.decode("utf-8", "replace")), response
    finally:
        connection.close()


class HttpKiosk:
    """One kiosk screen running the widget's protocol against a live server."""

    def __init__(self, base: str, retries: int = 20, enrolment: str = ""):
        self.base = base
        self.enrolment = enrolment  # "yorisoi_kiosk=…": the office this kiosk is enrolled to (web/offices.py)
        self.cookie = ""
        self.csrf = ""
        self.token = ""
        self.retries = retries
        self.step: dict = {}
        self.acknowledged: dict[str, object] = {}  # step id -> value the server confirmed with a 200
        self.broken = 0  # requests whose connection broke and were sent again

    def call(self, method: str, path: str, body=None):
        """A request with the session cookie and CSRF token; a broken connection is retried (idempotent)."""
        for attempt in range(self.retries):
            cookies = "; ".join(c for c in (self.enrolment, self.cookie) if c)
            headers = {"Cookie": cookies} if cookies else {}
            if self.csrf:
                headers["X-CSRFToken"] = self.csrf
            try:
                status, data, response = request(self.base, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                self.broken += 1
                time.sleep(0.05 * (attempt + 1))  # a worker died or restarts: the master serves us again
                continue
            if status == 503:
                time.sleep(0.05 * (attempt + 1))
                continue
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            if isinstance(data, dict):
                self.csrf = (
                    data.get("csrf_token") or data.get("error", {}).get("current", {}).get("csrf_token") or self.csrf
                )
            return status, data
        raise RuntimeError(f"{method} {path}: no answer after {self.retries} tries")

    def start(self, locale: str = "ja") -> dict:
        status, data = self.call("POST", "/api/v1/intakes", {"locale": locale})
        if status != 201:
            raise RuntimeError(f"start: {status} {data}")
        self.token, self.step = data["token"], data["step"]
        return data

    def answer(self, body: dict) -> tuple[int, dict]:
        """Send one answer. 200: stored. 409 after a retry: it was stored by the try whose reply was lost."""
        status, data = self.call("POST", f"/api/v1/intakes/{self.token}/answer", body)
        if status == 200:
            if "value" in body or body.get("skip"):
                self.acknowledged[body["step"]] = body.get("value")
            self.step = data["step"]
        elif status == 409 and "current" in data.get("error", {}):
            self.step = data["error"]["current"]["step"]
        return status, data
