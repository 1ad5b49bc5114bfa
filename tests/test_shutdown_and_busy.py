"""Faults: a full queue answers 503 + Retry-After and recovers; SIGTERM to ``huayin serve``
lets in-flight requests (whole and streamed) finish, then the process exits — with its log in
JSON lines that hold neither the text nor the key."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import httpx
import pytest

from huayin.server.settings import ServerSettings
from server_fixture import free_port, running_server, wait_ready

TEXT_A = "春天来了，公园里的花都开了，孩子们在草地上放风筝。"
TEXT_B = "晚上的街道很安静，只有几盏路灯还亮着，远处传来火车的声音。"


def wait_in_flight(url: str, count: int, headers: dict | None = None, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if httpx.get(f"{url}/health", headers=headers).json()["in_flight"] >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"never saw {count} request(s) in flight")


def in_background(call) -> tuple[threading.Thread, dict]:
    """Run ``call`` in a thread; its result or exception lands in the returned dict."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as error:  # re-raised by the test through the dict
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_queue_full_is_503_with_retry_after_then_recovers(synthesizer):
    with running_server(ServerSettings(max_queue=1), synthesizer) as url:
        holder, outcome = in_background(lambda: httpx.post(
            f"{url}/api/tts", json={"text": TEXT_A}, timeout=120))
        wait_in_flight(url, 1)
        speech = {"model": "tts-1", "input": "你好。", "voice": "alloy", "stream": True}
        for busy in (httpx.post(f"{url}/api/tts", json={"text": "你好。"}, timeout=30),
                     httpx.post(f"{url}/v1/audio/speech", json=speech, timeout=30)):
            assert busy.status_code == 503
            assert busy.json()["error"]["code"] == "busy"
            assert int(busy.headers["retry-after"]) >= 1
        holder.join(120)
        assert outcome["result"].status_code == 200
        assert httpx.get(f"{url}/health").json()["in_flight"] == 0
        again = httpx.post(f"{url}/api/tts", json={"text": "你好。"}, timeout=60)
        assert again.status_code == 200


@pytest.fixture
def served(store):
    """``huayin serve`` as a process with JSON logs and an API key; a fresh home that shares
    the installed voices (cache off, so nothing lands in the shared store)."""
    home = Path(tempfile.mkdtemp(prefix="huayin-serve-test-"))
    (home / "voices").symlink_to(store.root / "voices")
    port = free_port()
    log_path = home / "serve.log"
    env = {**os.environ, "HUAYIN_HOME": str(home), "HUAYIN_CACHE_MB": "0",
           "HUAYIN_LOG_FORMAT": "json", "HUAYIN_API_KEY": "process-secret-key"}
    env.pop("HUAYIN_LOG_TEXT", None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "huayin"), "serve", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, process, timeout=120)
        yield base, process, log_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        (home / "voices").unlink()  # first, so that removing the home never touches the store
        shutil.rmtree(home)


def test_sigterm_finishes_in_flight_requests(served):
    url, process, log_path = served
    auth = {"Authorization": "Bearer process-secret-key"}

    def whole():
        return httpx.post(f"{url}/api/tts", json={"text": TEXT_A, "format": "wav"},
                          headers={**auth, "X-Request-Id": "whole-1"}, timeout=120)

    def streamed():
        with httpx.stream("POST", f"{url}/v1/audio/speech", headers={**auth, "X-Request-Id":
                          "stream-1"}, timeout=120, json={"model": "tts-1", "input": TEXT_B,
                                                          "voice": "alloy", "stream": True,
                                                          "response_format": "pcm"}) as response:
            # an incomplete chunked body raises here (httpx.RemoteProtocolError)
            return response.status_code, b"".join(response.iter_bytes())

    threads = [in_background(whole), in_background(streamed)]
    wait_in_flight(url, 2, auth)
    process.send_signal(signal.SIGTERM)
    for thread, _ in threads:
        thread.join(150)
    whole_response = threads[0][1]["result"]
    assert whole_response.status_code == 200
    assert wav_seconds(whole_response.content) == pytest.approx(
        float(whole_response.headers["x-audio-duration"]), abs=0.05)
    assert wav_seconds(whole_response.content) > 2.0
    status, pcm = threads[1][1]["result"]
    assert status == 200 and len(pcm) / 2 / 24000 > 2.0
    # uvicorn re-raises the signal once drained: "killed by SIGTERM" is its clean exit (systemd
    # counts it as success), anything else (a crash, a timeout kill) is not
    assert process.wait(60) in (0, -signal.SIGTERM)
    with pytest.raises(httpx.ConnectError):  # it stopped listening
        httpx.get(f"{url}/health", timeout=2)

    lines = log_path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if not line.startswith("huayin: serving")]
    assert len(records) == len(lines) - 1  # every other line is one JSON object
    finished = {r["request_id"]: r["status"] for r in records if r["logger"] == "huayin.access"}
    assert finished["whole-1"] == 200 and finished["stream-1"] == 200
    assert any(r["message"] == "Shutting down" for r in records)
    text = log_path.read_text(encoding="utf-8")
    assert "process-secret-key" not in text
    assert TEXT_A[:6] not in text and TEXT_B[:6] not in text
