"""A throwaway redis-server on a loopback port for tests of the Redis-backed stores (installed by
test.sh; tests that use it skip where it is missing)."""

import shutil
import subprocess
import time

import pytest
import redis

from server_fixture import free_port

#: Marks tests that need redis-server.
needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed (test.sh installs it)")


class RedisServer:
    """A throwaway redis-server on a loopback port, without persistence (a restart loses all)."""

    def __init__(self, scratch):
        self.port = free_port()
        self.scratch = scratch
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.scratch)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
