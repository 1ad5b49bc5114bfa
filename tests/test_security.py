"""API keys (several, from env and a file, hashed at rest), per-client rate limits, which paths
need a key, and CORS — against a real server where it matters."""

import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import websockets

from huayin.server import security
from huayin.server.app import create_app
from huayin.server.security import ApiKeys, ConfigError, Rate, RateLimiter
from huayin.server.settings import ServerSettings
from server_fixture import running_server


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def key_file(tmp_path):
    gamma = hashlib.sha256(b"gamma-key").hexdigest()
    path = tmp_path / "keys.txt"
    path.write_text(f"# deploy keys\n\nsha256:{gamma}\n  delta-key  \n", encoding="utf-8")
    return path


def test_keys_from_env_and_file(key_file):
    keys = ApiKeys.load(" alpha-key, beta-key,,alpha-key", str(key_file))
    assert len(keys) == 4  # the repeated alpha counted once
    ids = [keys.identify(k) for k in ("alpha-key", "beta-key", "gamma-key", "delta-key")]
    assert all(ids) and len(set(ids)) == 4
    assert ids[2] == "key-" + hashlib.sha256(b"gamma-key").hexdigest()[:8]
    for wrong in (None, "", "alpha", "alpha-key ", "alpha-key,beta-key",
                  "sha256:" + hashlib.sha256(b"gamma-key").hexdigest()):
        assert keys.identify(wrong) is None, wrong
    assert security.hash_key("gamma-key") == "sha256:" + hashlib.sha256(b"gamma-key").hexdigest()
    assert not ApiKeys.load(None, None).required


def test_every_key_compared_in_constant_time(monkeypatch):
    keys = ApiKeys.load("k1,k2,k3", None)
    calls = []
    compare = hmac.compare_digest

    def counting(a, b):
        calls.append((len(a), len(b)))
        return compare(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", counting)
    assert keys.identify("k1") is not None
    assert calls == [(32, 32)] * 3  # no early exit on the first key; digests, not raw keys
    calls.clear()
    assert keys.identify("a much longer wrong key" * 10) is None
    assert calls == [(32, 32)] * 3


def test_bad_key_files_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n")
    with pytest.raises(ConfigError, match="holds no key"):
        ApiKeys.load(None, str(empty))
    bad = tmp_path / "bad.txt"
    bad.write_text("sha256:abc\n")
    with pytest.raises(ConfigError, match="64 hex"):
        ApiKeys.load(None, str(bad))
    with pytest.raises(ConfigError, match="cannot read"):
        ApiKeys.load(None, str(tmp_path / "missing.txt"))
    with pytest.raises(ConfigError):  # the server refuses to start rather than run open
        create_app(ServerSettings(api_key_file=str(empty)))


def test_rate_parsing():
    assert Rate.parse("10/s") == Rate(10.0, 10, "10/s")
    assert Rate.parse("600/min") == Rate(10.0, 10, "600/min")
    assert Rate.parse("30/h", burst=5) == Rate(30 / 3600, 5, "30/h")
    assert Rate.parse(" 2 / minute ").burst == 1
    for bad in ("10", "ten/s", "0/s", "5/day", "-1/s"):
        with pytest.raises(ConfigError):
            Rate.parse(bad)
    with pytest.raises(ConfigError):
        Rate.parse("1/s", burst=0)


def test_token_bucket():
    now = [100.0]
    limiter = RateLimiter(Rate.parse("2/s", burst=3), clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)  # empty: one token in half a second
    assert limiter.take("b") == 0.0  # buckets are per client
    now[0] += 0.5
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    now[0] += 60  # refills to the burst, not beyond
    assert [limiter.take("a") for _ in range(4)][-1] > 0


def test_idle_buckets_forgotten():
    now = [0.0]
    limiter = RateLimiter(Rate.parse("1/s"), max_clients=100, clock=lambda: now[0])
    for client in range(100):
        limiter.take(str(client))
    now[0] += 5  # all refilled
    limiter.take("new")
    assert len(limiter._buckets) == 1


def test_keys_on_every_protected_path(synthesizer, key_file):
    settings = ServerSettings(api_key="alpha-key,beta-key", api_key_file=str(key_file))
    with running_server(settings, synthesizer) as url:
        denied = httpx.get(f"{url}/api/voices")
        assert denied.status_code == 401
        assert denied.json()["error"]["code"] == "unauthorized"
        assert denied.headers["www-authenticate"] == "Bearer"
        for key in ("alpha-key", "beta-key", "gamma-key", "delta-key"):
            assert httpx.get(f"{url}/api/voices", headers=bearer(key)).status_code == 200, key
        for headers in (bearer("wrong"), {"Authorization": "alpha-key"},
                        {"Authorization": "Basic alpha-key"}, bearer("alpha-key,beta-key")):
            assert httpx.get(f"{url}/api/voices", headers=headers).status_code == 401, headers
        # ?api_key= is for WebSockets only: URLs end up in proxy logs and browser history
        assert httpx.get(f"{url}/api/voices?api_key=alpha-key").status_code == 401
        speech = httpx.post(f"{url}/v1/audio/speech", json={"input": "好", "voice": "alloy"})
        assert speech.status_code == 401
        for path in ("/metrics", "/docs", "/docs/assets/swagger-ui.css", "/openapi.json",
                     "/api/jobs"):
            assert httpx.get(f"{url}{path}").status_code == 401, path
            assert httpx.get(f"{url}{path}", headers=bearer("gamma-key")).status_code == 200, path
        for path in ("/health", "/healthz", "/health/ready", "/", "/static/app.js"):
            assert httpx.get(f"{url}{path}").status_code == 200, path
        # spellings of protected paths: the check sees the decoded path the router sees
        for path in ("/%61pi/voices", "/%6detrics", "/api/voices/", "/docs/", "/openapi.json/"):
            assert httpx.get(f"{url}{path}").status_code == 401, path
        assert "huayin_requests_total" not in httpx.get(f"{url}/metrics/",
                                                        follow_redirects=True).text
        metrics = httpx.get(f"{url}/metrics", headers=bearer("delta-key")).text
        assert 'huayin_errors_total{code="401"}' in metrics  # refusals are counted

        socket_url = url.replace("http", "ws") + "/ws/tts"

        async def speak(query: str) -> list:
            async with websockets.connect(socket_url + query) as socket:
                await socket.send('{"text": "好。"}')
                events = []
                while not events or events[-1].get("type") not in ("end", "error"):
                    message = await socket.recv()
                    if isinstance(message, str):
                        events.append(json.loads(message))
                return events

        assert asyncio.run(speak("?api_key=gamma-key"))[-1]["type"] == "end"
        for query in ("", "?api_key=wrong"):
            with pytest.raises(websockets.InvalidStatus) as refused:
                asyncio.run(speak(query))
            assert refused.value.response.status_code == 401
            assert b"unauthorized" in refused.value.response.body


def test_metrics_and_docs_can_stay_public(synthesizer):
    settings = ServerSettings(api_key="alpha-key", public_metrics=True, public_docs=True)
    with running_server(settings, synthesizer) as url:
        for path in ("/metrics", "/docs", "/docs/assets/swagger-ui-bundle.js", "/openapi.json"):
            assert httpx.get(f"{url}{path}").status_code == 200, path
        assert httpx.get(f"{url}/api/voices").status_code == 401


def test_no_key_configured_leaves_everything_open(synthesizer):
    with running_server(ServerSettings(), synthesizer) as url:
        for path in ("/api/voices", "/metrics", "/openapi.json"):
            assert httpx.get(f"{url}{path}").status_code == 200, path


def test_rate_limit_per_key(synthesizer):
    settings = ServerSettings(api_key="alpha-key,beta-key", rate_limit="2/min", rate_burst=2)
    with running_server(settings, synthesizer) as url:
        statuses = [httpx.get(f"{url}/api/voices", headers=bearer("alpha-key")).status_code
                    for _ in range(2)]
        assert statuses == [200, 200]
        limited = httpx.get(f"{url}/api/voices", headers=bearer("alpha-key"))
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert "2/min" in limited.json()["error"]["message"]
        assert 1 <= int(limited.headers["retry-after"]) <= 30  # a token every 30 s
        # another key has its own bucket; wrong keys spend the address's bucket, not a key's
        assert httpx.get(f"{url}/api/voices", headers=bearer("beta-key")).status_code == 200
        guesses = [httpx.get(f"{url}/api/voices", headers=bearer(f"guess-{n}")).status_code
                   for n in range(3)]
        assert guesses == [401, 401, 429]
        assert httpx.get(f"{url}/api/voices", headers=bearer("beta-key")).status_code == 200
        assert httpx.get(f"{url}/health").status_code == 200  # health is never limited

        async def handshake():
            async with websockets.connect(url.replace("http", "ws") + "/ws/tts",
                                          additional_headers=bearer("alpha-key")):
                pass

        with pytest.raises(websockets.InvalidStatus) as refused:
            asyncio.run(handshake())
        assert refused.value.response.status_code == 429
        assert int(refused.value.response.headers["retry-after"]) >= 1


def test_rate_limit_counts_websocket_messages(synthesizer):
    settings = ServerSettings(api_key="alpha-key", rate_limit="2/min", rate_burst=2)
    with running_server(settings, synthesizer) as url:

        async def three_utterances() -> list[dict]:
            events = []
            async with websockets.connect(url.replace("http", "ws") + "/ws/tts",
                                          additional_headers=bearer("alpha-key")) as socket:
                for _ in range(3):  # the handshake took a token, the first message the last one
                    await socket.send(json.dumps({"text": "好。"}))
                    while True:
                        message = await socket.recv()
                        if isinstance(message, str):
                            event = json.loads(message)
                            if event["type"] in ("end", "error"):
                                events.append(event)
                                break
            return events

        first, second, third = asyncio.run(three_utterances())
        assert first["type"] == "end"
        for limited in (second, third):  # refused, and the connection stays open
            assert (limited["type"], limited["error"]["code"]) == ("error", "rate_limited")
            assert limited["retry_after"] >= 1


def test_rate_limit_by_address_without_keys(synthesizer):
    with running_server(ServerSettings(rate_limit="1/min"), synthesizer) as url:
        assert httpx.get(f"{url}/api/voices").status_code == 200
        second = httpx.get(f"{url}/api/voices")
        assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
        assert all(httpx.get(f"{url}/healthz").status_code == 200 for _ in range(3))
        assert httpx.get(f"{url}/metrics").status_code == 200  # only the API is limited


def test_cors_off_by_default_and_preflight_without_key(synthesizer):
    origin = {"Origin": "http://elsewhere.test"}
    preflight = {**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    with running_server(ServerSettings(), synthesizer) as url:
        simple = httpx.get(f"{url}/api/voices", headers=origin)
        assert simple.status_code == 200
        assert "access-control-allow-origin" not in simple.headers
        answer = httpx.options(f"{url}/api/tts", headers=preflight)
        assert "access-control-allow-origin" not in answer.headers
    settings = ServerSettings(api_key="alpha-key", cors_origins=["http://elsewhere.test"])
    with running_server(settings, synthesizer) as url:
        answer = httpx.options(f"{url}/api/tts", headers=preflight)  # preflights carry no key
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "http://elsewhere.test"
        stranger = httpx.options(f"{url}/api/tts", headers={
            **preflight, "Origin": "http://other.test"})
        assert "access-control-allow-origin" not in stranger.headers
        refused = httpx.get(f"{url}/api/voices", headers=origin)
        assert refused.status_code == 401  # and the page may read why, and the request id
        assert refused.headers["access-control-allow-origin"] == "http://elsewhere.test"
        exposed = refused.headers["access-control-expose-headers"].lower()
        assert "x-request-id" in exposed and "retry-after" in exposed


def test_bad_security_settings_stop_serve_with_one_line():
    huayin = str(Path(sys.executable).parent / "huayin")
    for name, value in (("HUAYIN_RATE_LIMIT", "5/day"), ("HUAYIN_API_KEY_FILE", "/nonexistent/k"),
                        ("HUAYIN_LOG_FORMAT", "yaml")):
        run = subprocess.run([huayin, "serve", "--port", "1"], env={**os.environ, name: value},
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 2, name
        last = run.stderr.splitlines()[-1]
        assert last.startswith("huayin: error:") and name in last, run.stderr
        assert "Traceback" not in run.stderr


def test_batch_client_sends_the_first_of_several_keys(synthesizer, tmp_path):
    source = tmp_path / "items.txt"
    source.write_text("批量客户端。\n", encoding="utf-8")
    huayin = str(Path(sys.executable).parent / "huayin")
    with running_server(ServerSettings(api_key="first-key,second-key"), synthesizer) as url:
        for key, code in (("first-key, second-key", 0), ("wrong-key", 2)):
            run = subprocess.run([huayin, "batch", str(source), "-o", str(tmp_path / key),
                                  "--server", url], env={**os.environ, "HUAYIN_API_KEY": key},
                                 capture_output=True, text=True, timeout=300)
            assert run.returncode == code, run.stderr


def test_settings_from_environment(monkeypatch, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("file-key\n")
    for name, value in (("HUAYIN_API_KEY", "a,b"), ("HUAYIN_API_KEY_FILE", str(keys)),
                        ("HUAYIN_RATE_LIMIT", "600/min"), ("HUAYIN_RATE_BURST", "30"),
                        ("HUAYIN_PUBLIC_METRICS", "1"), ("HUAYIN_LOG_FORMAT", "json"),
                        ("HUAYIN_LOG_TEXT", "1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HUAYIN_PUBLIC_DOCS", raising=False)
    settings = ServerSettings()
    policy = security.AccessPolicy.from_settings(settings)
    assert len(policy.keys) == 3 and policy.keys.identify("file-key")
    assert policy.limiter.rate == Rate(10.0, 30, "600/min")
    assert (policy.public_metrics, policy.public_docs) == (True, False)
    assert (settings.log_format, settings.log_text) == ("json", True)
    assert [policy.needs_key(p) for p in ("/metrics", "/docs", "/healthz", "/ws/tts", "/")] == [
        False, True, False, True, False]


def test_key_file_followed_for_rotation(tmp_path, caplog):
    path = tmp_path / "keys"
    path.write_text("old-key\n")
    now = [0.0]
    keys = ApiKeys([], str(path), clock=lambda: now[0])
    assert keys.identify("old-key")
    path.write_text("new-rotated-key\nsha256:" + hashlib.sha256(b"other").hexdigest() + "\n")
    assert keys.identify("old-key")  # checked at most once a second
    now[0] += 1.5
    assert keys.identify("old-key") is None
    assert keys.identify("new-rotated-key") and keys.identify("other") and len(keys) == 2
    for broken in ("", "# all commented out\n", "sha256:nothex\n"):
        path.write_text(broken)
        now[0] += 1.5
        assert keys.identify("new-rotated-key"), broken  # never opens the API by accident
    assert "previous keys kept" in caplog.text
    path.unlink()
    now[0] += 1.5
    assert keys.identify("new-rotated-key")


def test_server_follows_key_file(synthesizer, tmp_path):
    path = tmp_path / "keys"
    path.write_text("first-key\n")
    with running_server(ServerSettings(api_key_file=str(path)), synthesizer) as url:
        assert httpx.get(f"{url}/api/voices", headers=bearer("first-key")).status_code == 200
        path.write_text("second-key-rotated\n")
        time.sleep(1.1)
        assert httpx.get(f"{url}/api/voices", headers=bearer("first-key")).status_code == 401
        assert httpx.get(f"{url}/api/voices",
                         headers=bearer("second-key-rotated")).status_code == 200
