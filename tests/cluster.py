"""A small multi-host huayin deployment on one machine, for scale-out tests.

Hosts are Linux network namespaces joined by veth pairs to a bridge (``ip netns``, needs root):
Redis on one host, API replicas and Celery workers on others; the test talks to them over the
bridge like a load balancer would. Without root or ``ip netns`` the same processes run on
loopback ports instead (``Cluster.mode`` says which; tests print it).

Every process is started here and stopped by its process id; namespaces, veths and the bridge
are removed at the end.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from server_fixture import wait_ready

VENV_BIN = Path(sys.executable).parent
SUBNET = "10.231.7"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def namespaces_available() -> bool:
    """True when this process may create network namespaces (root + iproute2 + netns)."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        return False
    probe = f"hyprobe{os.getpid()}"
    try:
        _ip("netns", "add", probe)
        _ip("netns", "delete", probe)
        return True
    except (subprocess.CalledProcessError, OSError):
        return False


@dataclass
class Host:
    """One host of the test deployment."""

    name: str
    """Namespace name (or a label on loopback)."""
    address: str
    """Address other hosts reach it at."""
    processes: list[subprocess.Popen] = field(default_factory=list)
    """What was started on it."""


class Cluster:
    """Hosts, the processes on them, and their teardown."""

    def __init__(self, voices_dir: Path, use_namespaces: bool | None = None):
        self.voices_dir = voices_dir
        self.mode = "netns" if (namespaces_available() if use_namespaces is None
                                else use_namespaces) else "loopback"
        self.tag = f"hy{os.getpid() % 100000}"
        self.bridge = f"{self.tag}br"
        self.hosts: dict[str, Host] = {}
        self.scratch = Path(tempfile.mkdtemp(prefix="huayin-cluster-"))
        self._next_port = 17900 + os.getpid() % 1000
        if self.mode == "netns":
            _ip("link", "add", self.bridge, "type", "bridge")
            _ip("addr", "add", f"{SUBNET}.254/24", "dev", self.bridge)
            _ip("link", "set", self.bridge, "up")

    def host(self, name: str) -> Host:
        """Create (once) and return a host."""
        if name in self.hosts:
            return self.hosts[name]
        number = len(self.hosts) + 1
        if self.mode == "netns":
            namespace = f"{self.tag}{name}"
            outside, inside = f"{self.tag}v{number}", f"{self.tag}p{number}"
            _ip("netns", "add", namespace)
            _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            _ip("link", "set", inside, "netns", namespace)
            _ip("link", "set", outside, "master", self.bridge)
            _ip("link", "set", outside, "up")
            address = f"{SUBNET}.{number}"
            for command in (["addr", "add", f"{address}/24", "dev", inside],
                            ["link", "set", inside, "up"], ["link", "set", "lo", "up"]):
                _ip("netns", "exec", namespace, "ip", *command)
            self.hosts[name] = Host(namespace, address)
        else:
            self.hosts[name] = Host(name, "127.0.0.1")
        return self.hosts[name]

    def port(self) -> int:
        """A port for a new service (distinct on loopback, where hosts share ports)."""
        self._next_port += 1
        return self._next_port

    def start(self, host: Host, command: list[str], env: dict | None = None,
              log: str | None = None) -> subprocess.Popen:
        """Run ``command`` on ``host``; its output goes to a log file in the scratch folder."""
        prefix = ["ip", "netns", "exec", host.name] if self.mode == "netns" else []
        output = open(self.scratch / f"{log or host.name}.log", "ab")
        process = subprocess.Popen(prefix + command, env={**os.environ, **(env or {})},
                                   stdout=output, stderr=subprocess.STDOUT)
        host.processes.append(process)
        return process

    def home(self, name: str) -> Path:
        """A fresh HUAYIN_HOME that shares the installed voice packs."""
        home = self.scratch / f"home-{name}"
        home.mkdir()
        (home / "voices").symlink_to(self.voices_dir)
        return home

    def redis(self, host: Host) -> str:
        """Start redis-server on ``host``; returns its URL."""
        port = 6379 if self.mode == "netns" else self.port()
        data = self.scratch / "redis"
        data.mkdir(exist_ok=True)
        self.start(host, ["redis-server", "--bind", host.address, "--port", str(port),
                          "--protected-mode", "no", "--save", "", "--appendonly", "no",
                          "--dir", str(data)], log="redis")
        url = f"redis://{host.address}:{port}/0"
        deadline = time.time() + 20
        while time.time() < deadline:
            probe = subprocess.run(["redis-cli", "-u", url, "ping"], capture_output=True,
                                   text=True)
            if probe.stdout.strip() == "PONG":
                return url
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def api(self, host: Host, redis_url: str, name: str) -> str:
        """Start an API replica; returns its base URL once ready."""
        port = 7860 if self.mode == "netns" else self.port()
        env = {"HUAYIN_REDIS_URL": redis_url, "HUAYIN_HOME": str(self.home(name))}
        process = self.start(host, [str(VENV_BIN / "huayin"), "serve", "--host", host.address,
                                    "--port", str(port)], env, log=name)
        base = f"http://{host.address}:{port}"
        try:
            wait_ready(base, process)
        except RuntimeError:
            raise RuntimeError((self.scratch / f"{name}.log").read_text()[-2000:]) from None
        return base

    def worker(self, host: Host, redis_url: str, name: str) -> subprocess.Popen:
        """Start a Celery worker (``huayin worker``)."""
        env = {"HUAYIN_REDIS_URL": redis_url, "HUAYIN_HOME": str(self.home(name)),
               "HUAYIN_LOG_FORMAT": "json"}
        return self.start(host, [str(VENV_BIN / "huayin"), "worker", "--name", name,
                                 "--threads", "1"], env, log=name)

    def log_lines(self, name: str) -> list[str]:
        """The lines a service (``log`` name) wrote so far."""
        path = self.scratch / f"{name}.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    def close(self) -> None:
        """Stop every process by its pid, then remove namespaces, veths and the bridge."""
        for host in self.hosts.values():
            for process in host.processes:
                if process.poll() is None:
                    process.kill()
                process.wait(10)
        if self.mode == "netns":
            for host in self.hosts.values():
                subprocess.run(["ip", "netns", "delete", host.name], capture_output=True)
            subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)
        shutil.rmtree(self.scratch, ignore_errors=True)
