"""A real huayin server (uvicorn in a thread) on a free loopback port, for HTTP-level tests."""

import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from huayin.server.app import create_app
from huayin.server.settings import ServerSettings
from huayin.service import ServiceSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(base: str, process=None, timeout: float = 180.0) -> None:
    """Wait until ``base``/health/ready answers 200; fail early if ``process`` exits."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server at {base} exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not become ready")


@contextmanager
def running_server(settings: ServerSettings | None = None, synthesizer=None,
                   service_settings: ServiceSettings | None = None):
    """Start the app, wait until it is ready, yield its base URL, stop it. Jobs and the cache
    live in ``service_settings.home`` (default: a fresh temporary directory)."""
    port = free_port()
    scratch = tempfile.TemporaryDirectory(prefix="huayin-test-home-")
    app = create_app(settings or ServerSettings(), synthesizer,
                     service_settings or ServiceSettings(home=Path(scratch.name)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, timeout=60)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        scratch.cleanup()
