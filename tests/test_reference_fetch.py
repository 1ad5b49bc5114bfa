"""emotion_audio_url fetching: allowed hosts only, public addresses only, same-host redirects,
size and time limits — against a real HTTP server on 127.0.0.1."""

import shutil
import ssl
import subprocess
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from huayin.server.errors import ServiceError
from huayin.server.reference_fetch import FetchPolicy, check_address, fetch_reference, resolve_checked

CLIP = b"RIFF" + bytes(range(256)) * 64


class ClipHandler(BaseHTTPRequestHandler):
    """/clip.wav: the clip; /big.wav: 1 MB; /slow.wav: answers after 3 s; /same: redirect to
    /clip.wav; /other: redirect to localhost (another host name); /loop: redirects forever."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        port = self.server.server_address[1]
        redirects = {"/same": "/clip.wav", "/other": f"http://localhost:{port}/clip.wav",
                     "/loop": "/loop", "/ftp": "ftp://127.0.0.1/clip.wav"}
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
            self.end_headers()
            return
        bodies = {"/clip.wav": CLIP, "/big.wav": b"x" * (1024 * 1024), "/slow.wav": CLIP}
        if self.path not in bodies:
            self.send_error(404)
            return
        if self.path == "/slow.wav":
            time.sleep(3)
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        if self.path != "/big.wav":  # the big one hides its size: the read must stop by itself
            self.send_header("Content-Length", str(len(bodies[self.path])))
        self.end_headers()
        try:
            self.wfile.write(bodies[self.path])
        except OSError:
            pass  # the client gave up, as intended

    def log_message(self, *args):
        pass


@contextmanager
def clip_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ClipHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def origin():
    with clip_server() as url:
        yield url


def policy(allow_private=True, hosts=("127.0.0.1",), max_bytes=512 * 1024, timeout=2.0):
    return FetchPolicy(frozenset(hosts), max_bytes, timeout, allow_private)


def refused(call, code="fetch_not_allowed") -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value.message


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "fe80::1", "fc00::1", "100.64.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "192.0.2.1"])
def test_non_public_addresses_are_refused(address):
    refused(lambda: check_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    check_address(address)


def test_override_admits_private_but_never_multicast_or_unspecified():
    for address in ("127.0.0.1", "10.0.0.1", "169.254.1.1", "::1"):
        check_address(address, allow_private=True)
    for address in ("0.0.0.0", "224.0.0.1", "::"):
        refused(lambda address=address: check_address(address, allow_private=True))


def test_names_are_checked_after_resolution():
    message = refused(lambda: resolve_checked("localhost", 80, allow_private=False))
    assert "loopback" in message


def test_allowed_host_fetches_the_clip(origin):
    assert fetch_reference(f"{origin}/clip.wav", policy()) == CLIP
    assert fetch_reference(f"{origin}/same", policy()) == CLIP  # redirect on the same host


def test_loopback_is_refused_without_the_override(origin):
    message = refused(lambda: fetch_reference(f"{origin}/clip.wav", policy(allow_private=False)))
    assert "127.0.0.1" in message and "loopback" in message


def test_fetching_is_off_without_hosts_and_says_how_to_enable(origin):
    message = refused(lambda: fetch_reference(f"{origin}/clip.wav", policy(hosts=())))
    assert "HUAYIN_FETCH_HOSTS" in message and "base64" in message
    message = refused(lambda: fetch_reference(f"{origin}/clip.wav", policy(hosts=("example.com",))))
    assert "HUAYIN_FETCH_HOSTS" in message and "127.0.0.1" in message


def test_schemes_and_redirects_to_other_hosts_are_refused(origin):
    for url in ("ftp://127.0.0.1/clip.wav", "file:///etc/passwd", f"{origin}/ftp"):
        assert "http or https" in refused(lambda url=url: fetch_reference(url, policy()))
    other = policy(hosts=("127.0.0.1", "localhost"))
    assert "another host" in refused(lambda: fetch_reference(f"{origin}/other", other))
    assert "redirected more than" in refused(lambda: fetch_reference(f"{origin}/loop", policy()),
                                             "fetch_failed")


def test_size_and_time_limits(origin):
    refused(lambda: fetch_reference(f"{origin}/big.wav", policy()), "payload_too_large")
    started = time.monotonic()
    message = refused(lambda: fetch_reference(f"{origin}/slow.wav", policy(timeout=0.5)),
                      "fetch_failed")
    assert "longer than 0.5 s" in message and time.monotonic() - started < 2.5
    refused(lambda: fetch_reference(f"{origin}/missing.wav", policy()), "fetch_failed")


def test_https_certificates_are_verified(tmp_path):
    """A TLS server with a self-signed certificate is refused: TLS runs (with the host name as
    SNI) and is verified."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), ClipHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/clip.wav"
        message = refused(lambda: fetch_reference(url, policy()), "fetch_failed")
        assert "CERTIFICATE_VERIFY_FAILED" in message
    finally:
        server.shutdown()
        server.server_close()
