"""Time limits by progress, not by total time: long streams never die on a timer, a stream that
must end early ends so clients notice, whole answers that cannot finish in time are refused up
front, and work for a client that has gone stops at the next clause."""

import json
import logging
import time

import httpx
import pytest

from huayin.server.settings import ServerSettings
from server_fixture import running_server

LONG_TEXT = "这是一段用来测试的比较长的文字，它会被分成很多个小句来合成。" * 12


def _in_flight(base: str) -> int:
    return httpx.get(f"{base}/health").json()["in_flight"]


def _wait_idle(base: str, seconds: float = 15) -> float:
    """Seconds until no request is in flight."""
    started = time.perf_counter()
    while _in_flight(base) and time.perf_counter() - started < seconds:
        time.sleep(0.05)
    return time.perf_counter() - started


def test_a_long_stream_outlives_the_request_timeout(synthesizer):
    # 1 s for whole answers; the stream takes longer and must still arrive complete.
    with running_server(ServerSettings(request_timeout=1.0), synthesizer) as base:
        started = time.perf_counter()
        with httpx.stream("POST", f"{base}/api/tts", timeout=120,
                          json={"text": LONG_TEXT, "format": "pcm", "stream": True}) as response:
            audio = b"".join(response.iter_bytes())
        assert response.status_code == 200 and time.perf_counter() - started > 1.0
        assert len(audio) / 2 / 24000 > 20  # all of it: ~24 clauses of speech


def test_a_whole_answer_that_cannot_finish_in_time_is_refused_up_front(synthesizer):
    with running_server(ServerSettings(request_timeout=1.0), synthesizer) as base:
        started = time.perf_counter()
        response = httpx.post(f"{base}/api/tts", json={"text": LONG_TEXT}, timeout=60)
        assert time.perf_counter() - started < 1.0  # answered before any synthesis
        assert response.status_code == 413
        error = response.json()["error"]
        assert error["code"] == "too_long_for_timeout"
        assert "stream" in error["message"] and "/api/jobs" in error["message"]
        subtitles = httpx.post(f"{base}/api/tts?subtitles=srt", json={"text": LONG_TEXT})
        assert subtitles.status_code == 413
        short = httpx.post(f"{base}/api/tts", json={"text": "你好。"}, timeout=60)
        assert short.status_code == 200


def test_a_stalled_stream_ends_so_clients_see_an_error(synthesizer):
    # No audio may take longer than 1 ms after the first chunk: the stream must end early.
    settings = ServerSettings(stall_timeout=0.001)
    with running_server(settings, synthesizer) as base:
        with pytest.raises(httpx.RemoteProtocolError):  # no terminating chunk
            with httpx.stream("POST", f"{base}/api/tts", timeout=60,
                              json={"text": LONG_TEXT, "format": "pcm", "stream": True}) as r:
                assert r.status_code == 200
                b"".join(r.iter_bytes())
        with pytest.raises(httpx.RemoteProtocolError):
            with httpx.stream("POST", f"{base}/v1/audio/speech", timeout=60, json={
                    "model": "tts-1", "voice": "alloy", "input": LONG_TEXT,
                    "response_format": "mp3"}) as r:
                b"".join(r.iter_bytes())
        with httpx.stream("POST", f"{base}/v1/audio/speech", timeout=60, json={
                "model": "tts-1", "voice": "alloy", "input": LONG_TEXT, "response_format": "pcm",
                "stream_format": "sse"}) as r:
            events = [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data:")]
        assert events[-1]["type"] == "error" and events[-1]["error"]["code"] == "timeout"
        assert not any(e["type"] == "speech.audio.done" for e in events)
        assert _wait_idle(base) < 5
        assert httpx.get(f"{base}/health").json()["status"] == "ok"


def test_an_aborted_stream_logs_one_line_and_no_server_error(synthesizer):
    seen: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: seen.append(f"{record.name}: {record.getMessage()}")
    with running_server(ServerSettings(stall_timeout=0.001), synthesizer) as base:
        # after the start: the server's logging set-up replaces its loggers' handlers
        loggers = [logging.getLogger(name) for name in ("uvicorn.error", "huayin.server")]
        for logger in loggers:
            logger.addHandler(handler)
        try:
            with pytest.raises(httpx.RemoteProtocolError):
                with httpx.stream("POST", f"{base}/api/tts", timeout=60, json={
                        "text": LONG_TEXT, "format": "pcm", "stream": True}) as response:
                    b"".join(response.iter_bytes())
            _wait_idle(base)
        finally:
            for logger in loggers:
                logger.removeHandler(handler)
        metrics = httpx.get(f"{base}/metrics").text
    aborted = [line for line in seen if "stream aborted" in line]
    assert len(aborted) == 1 and "synthesis stalled" in aborted[0], seen
    assert not [line for line in seen if line.startswith("uvicorn.error")], seen
    assert 'huayin_requests_total{route="/api/tts",status="200"} 1.0' in metrics


@pytest.mark.parametrize("streamed", [False, True])
def test_a_client_that_leaves_stops_the_work_at_the_next_clause(synthesizer, streamed):
    with running_server(ServerSettings(), synthesizer) as base:
        body = {"text": LONG_TEXT, "format": "pcm", "stream": streamed}
        if streamed:  # the listener hangs up after the first chunk
            with httpx.stream("POST", f"{base}/api/tts", json=body, timeout=60) as response:
                next(response.iter_raw())
        else:  # the client gives up waiting after 0.8 s
            with pytest.raises(httpx.ReadTimeout):
                httpx.post(f"{base}/api/tts", json=body, timeout=httpx.Timeout(60, read=0.8))
        # The whole text takes ~10 s; the server must notice within a clause or two.
        assert _wait_idle(base) < 3.0
        cpu_before = time.process_time()
        time.sleep(1.5)
        assert time.process_time() - cpu_before < 0.5  # nothing is synthesizing any more
