"""A ``huayin serve`` subprocess for the benches: a free loopback port, start until
/health/ready, and its RSS read from /proc (so the figures are the server's alone)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A loopback port free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start_server(port: int, env: dict | None = None) -> tuple[subprocess.Popen, float]:
    """Start ``huayin serve``; returns the process and seconds until /health/ready."""
    started = time.perf_counter()
    # The server's log goes to a file: a pipe nobody reads would fill and block the server.
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"huayin-bench-{port}.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "huayin", "serve", "--port", str(port)],
        env={**os.environ, **(env or {})}, stdout=log, stderr=log)
    log.close()
    while time.perf_counter() - started < 180:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not become ready")
