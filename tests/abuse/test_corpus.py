"""The abuse corpus (tests/abuse/corpus.py) against a real server: every malformed request gets
a 4xx JSON error (or its documented 2xx), never a 5xx, and the server stays healthy."""

import collections
import time

import httpx
import pytest

from corpus import DOCUMENTED_2XX, amplification_cases, http_cases
from huayin.server.settings import ServerSettings
from server_fixture import running_server

#: A small upload limit so the oversized cases stay cheap to send.
MAX_UPLOAD = 256 * 1024
CASES = http_cases(MAX_UPLOAD)
AMPLIFYING = amplification_cases()
OUTCOMES: collections.Counter = collections.Counter()


@pytest.fixture(scope="module")
def base(synthesizer):
    settings = ServerSettings(max_text_chars=500, max_upload_bytes=MAX_UPLOAD)
    with running_server(settings, synthesizer) as url:
        yield url
    print(f"\nabuse corpus: {len(CASES) + len(AMPLIFYING)} tried, " + ", ".join(
        f"{kind} {count}" for kind, count in sorted(OUTCOMES.items())))


def test_the_corpus_is_large_and_covers_every_route():
    assert len(CASES) >= 300
    paths = {case.path.split("?")[0] for case in CASES}
    for route in ("/api/tts", "/v1/audio/speech", "/api/synthesize", "/api/voices", "/api/jobs"):
        assert route in paths
    assert {case.name for case in CASES if case.expect == "2xx"} == set(DOCUMENTED_2XX)


@pytest.fixture(scope="module")
def roomy_base(synthesizer, base):
    """A server whose text limit lets texts of 100 000 characters through, so only the output
    caps (defaults) stand between a few kilobytes of SSML and hours of audio."""
    with running_server(ServerSettings(max_text_chars=100_000), synthesizer) as url:
        yield url


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_request_gets_a_json_4xx(base, case):
    _check(base, case)


@pytest.mark.parametrize("case", AMPLIFYING, ids=[case.name for case in AMPLIFYING])
def test_amplifying_request_is_refused_before_synthesis(roomy_base, case):
    started = time.perf_counter()
    _check(roomy_base, case)
    assert time.perf_counter() - started < 5  # refused up front, not after minutes of work


def _check(base: str, case) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        response = client.request(case.method, case.path, content=case.content,
                                  headers=case.headers, data=case.data, files=case.files)
        kind = f"{response.status_code // 100}xx"
        OUTCOMES[kind] += 1
        assert response.status_code < 500, response.text[:300]
        if case.expect == "4xx":
            assert 400 <= response.status_code < 500, response.text[:200]
            error = response.json()["error"]
            assert error["code"] and error["message"]
            if case.code is not None:
                assert error["code"] == case.code, error
        else:
            assert 200 <= response.status_code < 300
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
