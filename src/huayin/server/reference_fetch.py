"""Fetching a reference clip named by URL (``emotion_audio_url``), only where the operator allows.

A server that fetches any URL a client names can be turned against the network it sits in
(server-side request forgery). So a URL is fetched only when its host is listed in
``HUAYIN_FETCH_HOSTS``; only ``http``/``https``; every address the name resolves to must be a
public one (no private, loopback, link-local, multicast or reserved address) unless the operator
also sets ``HUAYIN_FETCH_ALLOW_PRIVATE=1``; the connection goes to the address that was checked
(a second DNS answer cannot swap it); a redirect is followed only on the same host (at most 3);
the body is capped in size and the whole fetch in time.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from huayin.server.errors import ServiceError

#: Redirects followed (all on the same host) before giving up.
MAX_REDIRECTS = 3
_REDIRECTS = (301, 302, 303, 307, 308)
_READ_BLOCK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """What the operator allows ``emotion_audio_url`` to fetch."""

    hosts: frozenset[str]
    """Host names (lower case) that may be fetched from; empty = fetching is off."""
    max_bytes: int
    """Largest body accepted."""
    timeout: float
    """Seconds the whole fetch may take (connect, redirects, body)."""
    allow_private: bool = False
    """Also accept private, loopback and link-local addresses (a clip server on the same
    machine or LAN); off by default."""


def _not_allowed(message: str) -> ServiceError:
    return ServiceError("fetch_not_allowed", message)


def _failed(message: str) -> ServiceError:
    return ServiceError("fetch_failed", message)


def check_address(address: str, allow_private: bool = False) -> None:
    """Raise unless ``address`` (an IP literal) is one the server may connect to: a public
    (globally routable) unicast address, or with ``allow_private`` any unicast address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    if ip.is_multicast or ip.is_unspecified:
        raise _not_allowed(f"emotion_audio_url resolves to {ip}, which is not a unicast address")
    if allow_private:
        return
    for kind, matches in (("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
                          ("private", ip.is_private), ("non-public", not ip.is_global)):
        if matches:
            raise _not_allowed(f"emotion_audio_url resolves to {ip}, a {kind} address; only "
                               "public addresses are fetched (HUAYIN_FETCH_ALLOW_PRIVATE=1 "
                               "allows others)")


def resolve_checked(host: str, port: int, allow_private: bool) -> str:
    """The first address of ``host`` after checking every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _failed(f"cannot resolve {host!r}: {error}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise _failed(f"cannot resolve {host!r}")
    for address in addresses:  # one bad address is enough to refuse: DNS may rotate them
        check_address(address, allow_private)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the host name resolves to later."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTPConnection`, with TLS verified against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _check_url(url: str, policy: FetchPolicy, first_host: str | None) -> tuple[str, str, int]:
    """(scheme, host, port) of an allowed URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _not_allowed("emotion_audio_url must be an http or https URL")
    host = (parts.hostname or "").lower()
    if not host:
        raise _not_allowed("emotion_audio_url has no host")
    if first_host is not None and host != first_host:
        raise _not_allowed(f"emotion_audio_url redirects to another host ({host}); "
                           "redirects are followed only on the same host")
    if host not in policy.hosts:
        raise _not_allowed(f"fetching from {host} is not allowed: the server operator can add it "
                           "to HUAYIN_FETCH_HOSTS, or send the clip itself base64-encoded in "
                           "emotion_audio (or as a multipart upload)")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise _not_allowed("emotion_audio_url has an invalid port") from None
    return parts.scheme, host, port


def fetch_reference(url: str, policy: FetchPolicy) -> bytes:
    """The body at ``url`` under ``policy`` (blocking: call it off the event loop); raises
    :class:`ServiceError` (fetch_not_allowed, fetch_failed, payload_too_large)."""
    if not policy.hosts:
        raise _not_allowed("emotion_audio_url is disabled on this server: send the clip "
                           "base64-encoded in emotion_audio (or as a multipart upload), or ask the "
                           "operator to list the host in HUAYIN_FETCH_HOSTS")
    deadline = time.monotonic() + policy.timeout
    first_host = None
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port = _check_url(url, policy, first_host)
        first_host = host
        location = _get(url, scheme, host, port, policy, deadline)
        if isinstance(location, bytes):
            return location
        url = urljoin(url, location)
    raise _failed(f"emotion_audio_url redirected more than {MAX_REDIRECTS} times")


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _failed(f"fetching emotion_audio_url took longer than {timeout:g} s")
    return left


def _get(url: str, scheme: str, host: str, port: int, policy: FetchPolicy,
         deadline: float) -> bytes | str:
    """One GET: the body, or the Location of a redirect."""
    address = resolve_checked(host, port, policy.allow_private)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, _remaining(deadline, policy.timeout))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"User-Agent": "huayin", "Accept": "audio/*"})
        sock = connection.sock  # kept: the connection lets go of it once the response has it
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise _failed(f"emotion_audio_url answered {response.status} without Location")
            return location
        if response.status != 200:
            raise _failed(f"emotion_audio_url answered HTTP {response.status}")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > policy.max_bytes:
            raise _too_large(policy)
        body = bytearray()
        while True:
            sock.settimeout(_remaining(deadline, policy.timeout))
            block = response.read1(_READ_BLOCK)
            if not block:
                return bytes(body)
            body += block
            if len(body) > policy.max_bytes:
                raise _too_large(policy)
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, TimeoutError | socket.timeout):
            raise _failed(f"fetching emotion_audio_url took longer than {policy.timeout:g} s") from None
        raise _failed(f"fetching emotion_audio_url failed: {error}") from None
    finally:
        connection.close()


def _too_large(policy: FetchPolicy) -> ServiceError:
    return ServiceError("payload_too_large", "the clip at emotion_audio_url is larger than "
                        f"{policy.max_bytes // (1024 * 1024)} MB")
