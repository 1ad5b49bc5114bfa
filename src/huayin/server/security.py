"""Who may call the server and how often: API keys and per-client rate limits.

Keys come from ``HUAYIN_API_KEY`` (several, comma-separated) and ``HUAYIN_API_KEY_FILE`` (one
per line, plain or ``sha256:<hex>`` so the file need not hold the secret itself). Every key is
kept only as its SHA-256 digest and a presented key is compared with ``hmac.compare_digest``
against each of them, so neither the time taken nor the log lines tell a caller anything about
the keys. Clients are told apart by a short key id (a prefix of the digest, safe to log), or by
their address when no key is configured. A key's file line is ``sha256:`` followed by
``printf %s KEY | sha256sum`` (see :func:`hash_key`).
"""

import hashlib
import hmac
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from huayin.errors import HuayinError

#: Probes never behind the key or the rate limit (the page, /static and any path not listed
#: below are open as well).
OPEN_PATHS = ("/health", "/healthz", "/health/ready")
#: Paths that need a key when keys are configured (the API itself).
API_PREFIXES = ("/v1/", "/api/", "/ws/")
#: Operator paths behind the key unless made public (HUAYIN_PUBLIC_METRICS / HUAYIN_PUBLIC_DOCS).
METRICS_PATHS = ("/metrics",)
#: ("/redoc" is not served; it stays listed so a key-protected server answers it 401 like before.)
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")

log = logging.getLogger("huayin.security")

_SHA256_LINE = re.compile(r"sha256:([0-9a-fA-F]{64})")
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*")
_SECONDS_PER_UNIT = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
                     "h": 3600, "hour": 3600}


class ConfigError(HuayinError):
    """A security setting cannot be used (unreadable key file, bad rate syntax)."""

    code = "invalid_config"


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class ApiKeys:
    """The accepted API keys, held as SHA-256 digests only. Keys from a file follow the file:
    it is checked at most once a second and re-read when it changes, so keys rotate without a
    restart (a change that leaves it unreadable or empty keeps the previous keys, with a
    warning)."""

    def __init__(self, digests: list[bytes], key_file: str | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self._fixed = list(dict.fromkeys(digests))  # order kept, duplicates dropped
        self._file = Path(key_file) if key_file else None
        self._clock = clock
        self._file_digests: list[bytes] = []
        self._file_version: tuple[int, int] | None = None
        self._checked = -math.inf
        self._digests = self._fixed
        if self._file is not None:
            self._read_file()

    @classmethod
    def load(cls, keys: str | None, key_file: str | None) -> "ApiKeys":
        """Keys from a comma-separated string and/or a file (blank lines and ``#`` comments
        skipped; ``sha256:<64 hex>`` lines are digests of keys, anything else a key). A file
        that cannot be used raises :class:`ConfigError`."""
        return cls([_digest(k.strip()) for k in (keys or "").split(",") if k.strip()], key_file)

    def _read_file(self) -> None:
        path = self._file
        try:
            stat = path.stat()
            version = (stat.st_mtime_ns, stat.st_size)
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"cannot read HUAYIN_API_KEY_FILE {path}: {error}") from None
        digests = []
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            hashed = _SHA256_LINE.fullmatch(line)
            if line.startswith("sha256:") and not hashed:
                raise ConfigError(f"{path}: 'sha256:' must be followed by 64 hex digits")
            digests.append(bytes.fromhex(hashed.group(1)) if hashed else _digest(line))
        if not digests:
            # An empty file must not silently turn authentication off.
            raise ConfigError(f"HUAYIN_API_KEY_FILE {path} holds no key")
        self._file_digests, self._file_version = digests, version
        self._digests = list(dict.fromkeys(self._fixed + digests))

    def _follow_file(self) -> None:
        now = self._clock()
        if self._file is None or now - self._checked < 1.0:
            return
        self._checked = now
        try:
            stat = self._file.stat()
            changed = (stat.st_mtime_ns, stat.st_size) != self._file_version
        except OSError:
            changed = True
        if changed:
            try:
                self._read_file()
                log.info("API keys re-read from %s: %d key(s)", self._file, len(self._digests))
            except ConfigError as error:
                log.warning("API key file not re-read, previous keys kept: %s", error.message)

    @property
    def required(self) -> bool:
        """True when at least one key is configured (otherwise the API is open)."""
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def identify(self, presented: str | None) -> str | None:
        """The key id of ``presented`` if it is one of the keys, else None. Every stored digest
        is compared (no early exit), each in constant time."""
        self._follow_file()
        if not presented:
            return None
        candidate = _digest(presented)
        match = None
        for digest in self._digests:
            if hmac.compare_digest(candidate, digest) and match is None:
                match = digest
        return key_id(match) if match is not None else None


def key_id(digest: bytes) -> str:
    """A short name for a key, safe for logs: the first 8 hex digits of its SHA-256 digest."""
    return "key-" + digest.hex()[:8]


def hash_key(key: str) -> str:
    """The ``sha256:<hex>`` line that stands for ``key`` in HUAYIN_API_KEY_FILE."""
    return "sha256:" + _digest(key).hex()


def client_key(configured: str | None) -> str | None:
    """The key a client on this machine sends (``huayin batch --server``): the first of
    HUAYIN_API_KEY's comma-separated keys."""
    first = (configured or "").split(",")[0].strip()
    return first or None


def presented_key(connection: HTTPConnection, allow_query: bool) -> str | None:
    """The key a client sent: ``Authorization: Bearer KEY``, or ``?api_key=KEY`` where
    ``allow_query`` (WebSockets: browsers cannot set headers on them)."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if allow_query:
        return connection.query_params.get("api_key") or None
    return None


@dataclass(frozen=True)
class Rate:
    """A token-bucket rate: ``per_second`` tokens refill each second, up to ``burst``."""

    per_second: float
    """Sustained requests per second."""
    burst: int
    """Requests allowed at once after an idle spell (bucket size)."""
    text: str
    """The rate as configured, e.g. ``600/min``, for messages."""

    @classmethod
    def parse(cls, text: str, burst: int | None = None) -> "Rate":
        """``N/s``, ``N/min`` or ``N/h``; the burst defaults to one second's worth (at least 1)."""
        match = _RATE.fullmatch(text)
        if not match or float(match.group(1)) <= 0:
            raise ConfigError(f"HUAYIN_RATE_LIMIT {text!r}: use N/s, N/min or N/h with N > 0")
        per_second = float(match.group(1)) / _SECONDS_PER_UNIT[match.group(2)]
        if burst is not None and burst < 1:
            raise ConfigError("HUAYIN_RATE_BURST must be at least 1")
        return cls(per_second, burst or max(1, math.ceil(per_second)), text.strip())


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """One token bucket per client id. The server is one event loop, so no lock is needed."""

    rate: Rate
    """The rate every client gets."""
    max_clients: int = 10_000
    """Buckets kept at most; beyond it, buckets that have refilled (idle clients) are dropped."""
    clock: Callable[[], float] = time.monotonic
    """Time source (seconds)."""
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def take(self, client: str) -> float:
        """Take a token for ``client``: 0.0 if allowed, else the seconds until one is free."""
        now = self.clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.max_clients:
                self._forget_idle(now)
            bucket = self._buckets[client] = _Bucket(float(self.rate.burst), now)
        bucket.tokens = min(self.rate.burst,
                            bucket.tokens + (now - bucket.updated) * self.rate.per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate.per_second

    def _forget_idle(self, now: float) -> None:
        full = [client for client, bucket in self._buckets.items()
                if bucket.tokens + (now - bucket.updated) * self.rate.per_second >= self.rate.burst]
        for client in full:
            del self._buckets[client]
        if len(self._buckets) >= self.max_clients:  # all busy: drop the oldest rather than grow
            oldest = sorted(self._buckets, key=lambda c: self._buckets[c].updated)
            for client in oldest[:len(oldest) // 10 + 1]:
                del self._buckets[client]


@dataclass
class Refusal:
    """Why a request is turned away before it reaches a route."""

    status: int
    """401 or 429."""
    code: str
    """Error code of the JSON body."""
    message: str
    """Error message of the JSON body."""
    retry_after: int | None = None
    """Seconds for the Retry-After header (429)."""


@dataclass
class AccessPolicy:
    """Which paths need a key, and the rate limit; one per app."""

    keys: ApiKeys
    """Accepted keys (none: the API is open)."""
    limiter: RateLimiter | None
    """Per-client rate limit (None: off)."""
    public_metrics: bool = False
    """Keep /metrics open even with keys configured."""
    public_docs: bool = False
    """Keep /docs (with its assets) and /openapi.json open even with keys configured."""

    @classmethod
    def from_settings(cls, settings) -> "AccessPolicy":
        """Build from :class:`huayin.server.settings.ServerSettings`."""
        keys = ApiKeys.load(settings.api_key, settings.api_key_file)
        limiter = (RateLimiter(Rate.parse(settings.rate_limit, settings.rate_burst))
                   if settings.rate_limit else None)
        return cls(keys, limiter, settings.public_metrics, settings.public_docs)

    def needs_key(self, path: str) -> bool:
        """True when a request to ``path`` must carry a key."""
        if not self.keys.required or path in OPEN_PATHS:
            return False
        if path.startswith(API_PREFIXES):
            return True
        if path in METRICS_PATHS:
            return not self.public_metrics
        if path.startswith(DOCS_PATHS):
            return not self.public_docs
        return False

    def check(self, connection: HTTPConnection,
              websocket: bool = False) -> tuple[str | None, Refusal | None]:
        """Authenticate and rate-limit one request or WebSocket connection. Returns the client
        id (key id, or ``addr-<host>`` without keys; None on open paths) and a refusal, if any."""
        path = connection.url.path
        address = "addr-" + (connection.client.host if connection.client else "unknown")
        if not self.needs_key(path):
            if self.keys.required or not path.startswith(API_PREFIXES):
                return None, None  # open paths are neither authenticated nor limited
            return address, self.limit(address)
        client = self.keys.identify(presented_key(connection, allow_query=websocket))
        if client is None:
            # Failed attempts spend the address's tokens, so guessing keys is rate-limited too.
            how = "Authorization: Bearer KEY" + (" or ?api_key=KEY" if websocket else "")
            return None, self.limit(address) or Refusal(
                401, "unauthorized", f"missing or wrong API key ({how})")
        return client, self.limit(client)

    def limit(self, client: str) -> Refusal | None:
        """Take a token for ``client``; a 429 refusal when its bucket is empty."""
        if self.limiter is None:
            return None
        wait = self.limiter.take(client)
        if not wait:
            return None
        seconds = max(1, math.ceil(wait))
        return Refusal(429, "rate_limited",
                       f"rate limit of {self.limiter.rate.text} (burst {self.limiter.rate.burst}) "
                       f"exceeded; retry in {seconds} s", seconds)


class AccessMiddleware:
    """ASGI middleware that applies an :class:`AccessPolicy` to HTTP requests and WebSocket
    handshakes (and, with a rate limit, each WebSocket message). Refusals are JSON errors (401,
    or 429 + Retry-After); a refused WebSocket handshake gets the same answer as an HTTP denial
    where the server supports it, else close code 4401/4429.
    The client id is left in ``scope["state"]["client_id"]`` for the request log."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        websocket = scope["type"] == "websocket"
        client, refusal = self.policy.check(HTTPConnection(scope), websocket=websocket)
        if client is not None:
            scope.setdefault("state", {})["client_id"] = client
        if refusal is None:
            if websocket and client is not None and self.policy.limiter is not None:
                receive = self._limited_messages(client, receive, send)
            await self.app(scope, receive, send)
        elif websocket:
            await _refuse_websocket(scope, send, refusal)
        else:
            await _send_refusal(send, "http.response", refusal)


    def _limited_messages(self, client: str, receive: Receive, send: Send) -> Receive:
        """``receive`` for a WebSocket whose every message takes a token: a message past the
        limit is answered with the protocol's error event (plus ``retry_after``) and dropped;
        the connection stays open. The handler waits in ``receive`` meanwhile, so this send
        never interleaves with its own."""

        async def receive_within_limit() -> Message:
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                refusal = self.policy.limit(client)
                if refusal is None:
                    return message
                await send({"type": "websocket.send", "text": json.dumps({
                    "type": "error", "error": {"code": refusal.code, "message": refusal.message},
                    "retry_after": refusal.retry_after})})

        return receive_within_limit


def _refusal_headers(refusal: Refusal, length: int) -> list[tuple[bytes, bytes]]:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(length).encode())]
    if refusal.retry_after is not None:
        headers.append((b"retry-after", str(refusal.retry_after).encode()))
    if refusal.status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    return headers


async def _send_refusal(send: Send, prefix: str, refusal: Refusal) -> None:
    body = json.dumps({"error": {"code": refusal.code, "message": refusal.message}}).encode()
    await send({"type": f"{prefix}.start", "status": refusal.status,
                "headers": _refusal_headers(refusal, len(body))})
    await send({"type": f"{prefix}.body", "body": body})


async def _refuse_websocket(scope: Scope, send: Send, refusal: Refusal) -> None:
    if "websocket.http.response" in scope.get("extensions", {}):
        await _send_refusal(send, "websocket.http.response", refusal)
    else:  # the handshake fails (HTTP 403) without a body
        await send({"type": "websocket.close", "code": 4000 + refusal.status,
                    "reason": refusal.code})
