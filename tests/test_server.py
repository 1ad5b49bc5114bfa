"""The HTTP service as clients use it: official openai client, httpx, a WebSocket client."""

import asyncio
import base64
import io
import json
import wave

import av
import httpx
import numpy as np
import pytest
import websockets
from openai import OpenAI

from huayin.audio import encode_wav
from huayin.server.settings import ServerSettings
from huayin.voices import DEFAULT_VOICE
from server_fixture import running_server

TEXT = "你好，欢迎使用华音。今天天气很好！"


@pytest.fixture(scope="module")
def base(synthesizer):
    with running_server(ServerSettings(max_text_chars=500), synthesizer) as url:
        yield url


def decode(data: bytes) -> tuple[int, int]:
    """(sample rate, number of samples) of any encoded audio."""
    with av.open(io.BytesIO(data)) as container:
        rate = container.streams.audio[0].rate
        return rate, sum(frame.samples for frame in container.decode(audio=0))


def test_openai_client_every_format(base):
    client = OpenAI(base_url=f"{base}/v1", api_key="unused")
    for fmt in ("mp3", "opus", "aac", "flac", "wav"):
        response = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT,
                                              response_format=fmt)
        rate, samples = decode(response.content)
        assert samples / rate > 1.5, fmt
    pcm = client.audio.speech.create(model="gpt-4o-mini-tts", voice="baker", input=TEXT,
                                     response_format="pcm")
    assert len(pcm.content) / 2 / 24000 > 1.5
    male = client.audio.speech.create(model="tts-1", voice="onyx", input="你好。",
                                      response_format="wav")
    with wave.open(io.BytesIO(male.content)) as wav:  # a 22.05 kHz voice, sent at OpenAI's 24 kHz
        assert wav.getframerate() == 24000


def test_openai_client_streaming_and_sse(base):
    client = OpenAI(base_url=f"{base}/v1", api_key="unused")
    with client.audio.speech.with_streaming_response.create(
            model="tts-1", voice="nova", input=TEXT, response_format="pcm") as response:
        parts = list(response.iter_bytes())
    assert sum(len(p) for p in parts) > 24000 * 2
    with client.audio.speech.with_streaming_response.create(
            model="tts-1", voice="nova", input=TEXT, response_format="pcm",
            extra_body={"stream_format": "sse"}) as response:
        events = [json.loads(line[5:]) for line in response.iter_lines() if line.startswith("data:")]
    deltas = [e for e in events if e["type"] == "speech.audio.delta"]
    assert len(deltas) >= 2 and events[-1]["type"] == "speech.audio.done"
    audio = b"".join(base64.b64decode(e["audio"]) for e in deltas)
    assert len(audio) == sum(len(p) for p in parts)


def test_first_bytes_leave_before_the_whole_text_is_done(base):
    text = "第一句话很短。" + "这是后面很长的一段文字，用来确认流式输出不会等待整段合成完成。" * 6
    with httpx.stream("POST", f"{base}/v1/audio/speech", timeout=60, json={
            "model": "tts-1", "voice": "alloy", "input": text, "response_format": "pcm"}) as r:
        chunks = [len(c) for c in r.iter_raw()]
    assert len(chunks) >= 5  # one network chunk per clause at least, not one blob


def test_native_tts_headers_rate_and_subtitles(base):
    response = httpx.post(f"{base}/api/tts", json={"text": TEXT, "sample_rate": 16000}, timeout=60)
    assert response.status_code == 200
    assert float(response.headers["X-Inference-Time"]) > 0
    with wave.open(io.BytesIO(response.content)) as wav:
        assert wav.getframerate() == 16000
    for kind in ("srt", "vtt", "json"):
        body = httpx.post(f"{base}/api/tts?subtitles={kind}", json={"text": TEXT}, timeout=60).json()
        assert body["duration"] > 1.5 and base64.b64decode(body["audio"])[:4] == b"RIFF"
        if kind == "srt":
            assert body["subtitles"].startswith("1\n00:00:00,") and "今天天气很好！" in body["subtitles"]
        elif kind == "vtt":
            assert body["subtitles"].startswith("WEBVTT")
        else:
            sentences = body["subtitles"]["sentences"]
            assert [s["text"] for s in sentences] == ["你好，欢迎使用华音。", "今天天气很好！"]
            chars = body["subtitles"]["characters"]
            assert all(a["end"] <= b["start"] + 1e-6 for a, b in zip(chars, chars[1:]))


def test_native_tts_streaming(base):
    with httpx.stream("POST", f"{base}/api/tts", timeout=60,
                      json={"text": TEXT, "format": "mp3", "stream": True}) as response:
        data = b"".join(response.iter_bytes())
    assert decode(data)[1] > 24000


def test_synthesize_with_reference_clip(base, synthesizer):
    clip = synthesizer.synthesize("这是一段参考音频，用来测试上传功能。我们说得慢一点。" * 2)
    files = {"emotion_audio": ("ref.wav", encode_wav(clip.samples, clip.sample_rate), "audio/wav")}
    response = httpx.post(f"{base}/api/synthesize", data={"text": TEXT, "speaker": "baker"},
                          files=files, timeout=60)
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF"
    assert "syllables/s" in response.headers["X-Reference-Features"]
    files["emotion_audio"] = ("ref.wav", encode_wav(clip.samples, clip.sample_rate), "audio/wav")
    again = httpx.post(f"{base}/api/synthesize", data={"text": TEXT, "speaker": "baker"},
                       files=files, timeout=60)  # the same clip and text: from the cache
    assert again.headers["X-Cache"] == "HIT" and again.content == response.content
    assert again.headers["X-Reference-Features"] == response.headers["X-Reference-Features"]
    files["emotion_audio"] = ("ref.wav", encode_wav(clip.samples, clip.sample_rate), "audio/wav")
    body = httpx.post(f"{base}/api/synthesize", data={"text": TEXT, "subtitles": "json"},
                      files=files, timeout=60).json()
    assert body["reference"]["syllables_per_second"] > 2
    silence = np.zeros(16000 * 5, np.float32)
    unusable = httpx.post(f"{base}/api/synthesize", data={"text": TEXT}, files={
        "emotion_audio": ("quiet.wav", encode_wav(silence, 16000), "audio/wav")}, timeout=60)
    assert unusable.status_code == 400 and unusable.json()["error"]["message"]


def test_instructions_and_emotion_fields_change_the_audio(base):
    def speak(**extra):
        body = {"model": "gpt-4o-mini-tts", "voice": "alloy", "input": TEXT,
                "response_format": "pcm", **extra}
        return httpx.post(f"{base}/v1/audio/speech", json=body, timeout=60).content

    neutral = speak()
    assert speak(instructions="Speak in a cheerful and happy tone") == speak(emotion="happy")
    assert speak(instructions="用悲伤的语气说") != neutral
    assert speak(instructions="Read it clearly") == neutral
    bad = httpx.post(f"{base}/api/tts", json={"text": "你好", "emotion": "sleepy"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_emotion"


def test_voices_health_metrics(base):
    voices = httpx.get(f"{base}/api/voices").json()
    assert any(v["id"] == "baker" and v["installed"] for v in voices["voices"])
    assert voices["default"] == DEFAULT_VOICE
    aliases, gender = voices["openai_aliases"], {v["id"]: v["gender"] for v in voices["voices"]}
    assert aliases["alloy"] == DEFAULT_VOICE and aliases["onyx"] == "mellotron-aicheng"
    assert {gender[aliases[name]] for name in ("nova", "shimmer", "coral")} == {"female"}
    assert {gender[aliases[name]] for name in ("onyx", "echo")} == {"male"}
    health = httpx.get(f"{base}/health").json()
    assert health["status"] == "ok" and health["ready"] is True
    assert DEFAULT_VOICE in health["voices_loaded"]  # preloaded at start-up
    metrics = httpx.get(f"{base}/metrics").text
    for name in ("huayin_requests_total", "huayin_request_seconds_bucket",
                 "huayin_audio_seconds_total", "huayin_real_time_factor", "huayin_errors_total"):
        assert name in metrics


def test_websocket_several_utterances(base):
    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            results = []
            for text in (TEXT, "第二句。"):
                await socket.send(json.dumps({"text": text, "sample_rate": 16000}))
                pcm, events = b"", []
                while True:
                    message = await socket.recv()
                    if isinstance(message, bytes):
                        pcm += message
                        continue
                    events.append(json.loads(message))
                    if events[-1]["type"] in ("end", "error"):
                        break
                results.append((pcm, events))
            await socket.send(json.dumps({"text": ""}))
            error = json.loads(await socket.recv())
            return results, error

    results, error = asyncio.run(talk())
    pcm, events = results[0]
    assert events[0]["type"] == "start" and events[0]["sample_rate"] == 16000
    sentences = [e for e in events if e["type"] == "sentence"]
    assert [s["text"] for s in sentences] == ["你好，欢迎使用华音。", "今天天气很好！"]
    assert events[-1]["type"] == "end"
    assert len(pcm) / 2 / 16000 == pytest.approx(events[-1]["duration"], abs=0.05)
    assert results[1][1][-1]["type"] == "end"
    assert error["type"] == "error" and error["error"]["code"] == "empty_text"



def test_websocket_sends_every_sentence_when_a_clause_comes_in_parts(base):
    # A long first clause is streamed as a short head and the rest: two chunks, one clause.
    text = "今天天气很好我们一起去公园散步吧。第二句话说完了。"

    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            await socket.send(json.dumps({"text": text}))
            pcm_messages, events = 0, []
            while not events or events[-1]["type"] not in ("end", "error"):
                message = await socket.recv()
                if isinstance(message, bytes):
                    pcm_messages += 1
                else:
                    events.append(json.loads(message))
            return pcm_messages, events

    pcm_messages, events = asyncio.run(talk())
    assert events[-1]["type"] == "end"
    assert pcm_messages >= 3  # the first clause in several chunks (a head first), the second
    sentences = [e for e in events if e["type"] == "sentence"]
    assert [s["text"] for s in sentences] == ["今天天气很好我们一起去公园散步吧。", "第二句话说完了。"]
    assert sentences[0]["end"] <= sentences[1]["start"]
    # Progress counts clauses, not chunks: one event per clause, ending at the start's total.
    start, progress = events[0], [e for e in events if e["type"] == "progress"]
    assert start["clauses"] == 2 and start["text"] == text
    assert [p["clauses_done"] for p in progress] == [1, 2]
    assert progress[-1]["audio_seconds"] == pytest.approx(events[-1]["duration"], abs=0.01)


def test_websocket_ssml_spans_point_into_the_spoken_text(base):
    ssml = '<speak>请拨打<say-as interpret-as="telephone">95588</say-as>，谢谢。</speak>'

    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            await socket.send(json.dumps({"text": ssml}))
            events = []
            while not events or events[-1]["type"] not in ("end", "error"):
                message = await socket.recv()
                if not isinstance(message, bytes):
                    events.append(json.loads(message))
            return events

    events = asyncio.run(talk())
    spoken = events[0]["text"]
    assert spoken == "请拨打95588，谢谢。"
    (sentence,) = [e for e in events if e["type"] == "sentence"]
    assert spoken[slice(*sentence["span"])] == sentence["text"] == spoken
    assert {spoken[slice(*c["span"])] for c in sentence["characters"]} >= {"请", "95588", "谢"}


def test_reference_clip_is_measured_without_synthesis(base, synthesizer):
    clip = synthesizer.synthesize("这是一段参考音频，用来测试测量功能。我们说得慢一点。",
                                  voice="baker", speed=0.8)
    response = httpx.post(f"{base}/api/reference", timeout=60, files={
        "clip": ("ref.wav", encode_wav(clip.samples, clip.sample_rate), "audio/wav")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["duration"] == pytest.approx(clip.duration, abs=0.05)
    assert 150 < body["f0_median_hz"] < 400 and body["f0_range_semitones"] > 2
    assert body["relative"]["rate_ratio"] < 1  # spoken at 0.8
    short = httpx.post(f"{base}/api/reference", timeout=60, files={
        "clip": ("short.wav", encode_wav(clip.samples[:clip.sample_rate], clip.sample_rate),
                 "audio/wav")})
    assert short.status_code == 400 and short.json()["error"]["code"] == "invalid_reference"

BAD_REQUESTS = [
    ("/api/tts", {"text": ""}, 400, "empty_text"),
    ("/api/tts", {"text": "你好" * 300}, 400, "text_too_long"),
    ("/api/tts", {"text": "😀"}, 400, "empty_text"),
    ("/api/tts", {"text": "你好", "voice": "nobody"}, 400, "unknown_voice"),
    ("/api/tts", {"text": "你好", "format": "ogg"}, 400, "invalid_format"),
    ("/api/tts", {"text": "你好", "speed": 9}, 400, "invalid_parameter"),
    ("/api/tts", {"text": "你好", "sample_rate": 12345}, 400, "invalid_parameter"),
    ("/api/tts", {"text": "你好", "pitch": 20}, 400, "invalid_parameter"),
    ("/api/tts", {"voice": "baker"}, 400, "invalid_request"),
    ("/api/tts", {"text": "你好", "unknown_field": 1}, 400, "invalid_request"),
    ("/v1/audio/speech", {"model": "dall-e", "input": "你好", "voice": "alloy"}, 400, "unknown_model"),
    ("/v1/audio/speech", {"model": "tts-1", "input": "你好", "voice": "alloy",
                          "response_format": "xyz"}, 400, "invalid_format"),
]


@pytest.mark.parametrize(("path", "body", "status", "code"), BAD_REQUESTS)
def test_bad_input_gets_json_4xx(base, path, body, status, code):
    response = httpx.post(f"{base}{path}", json=body, timeout=30)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_malformed_bodies_and_uploads(base):
    bad_json = httpx.post(f"{base}/api/tts", content=b"{oops",
                          headers={"Content-Type": "application/json"})
    assert (bad_json.status_code, bad_json.json()["error"]["code"]) == (400, "malformed_json")
    wrong_type = httpx.post(f"{base}/api/tts", content=b"text=hi",
                            headers={"Content-Type": "text/plain"})
    assert (wrong_type.status_code, wrong_type.json()["error"]["code"]) == (
        415, "unsupported_media_type")
    garbage = httpx.post(f"{base}/api/synthesize", data={"text": "你好"},
                         files={"emotion_audio": ("x.wav", b"not audio at all" * 10, "audio/wav")})
    assert (garbage.status_code, garbage.json()["error"]["code"]) == (400, "invalid_audio")
    too_long = np.zeros(16000 * 31, np.float32)
    long_clip = httpx.post(f"{base}/api/synthesize", data={"text": "你好"}, files={
        "emotion_audio": ("long.wav", encode_wav(too_long, 16000), "audio/wav")})
    assert long_clip.status_code == 400 and "longer than 30" in long_clip.json()["error"]["message"]
    assert httpx.get(f"{base}/nope").json()["error"]["code"] == "not_found"
    # the server keeps serving after all of that
    assert httpx.post(f"{base}/api/tts", json={"text": "还在。"}, timeout=30).status_code == 200


def test_api_key_and_busy_queue(synthesizer):
    settings = ServerSettings(api_key="secret", max_queue=1)
    with running_server(settings, synthesizer) as url:
        assert httpx.post(f"{url}/api/tts", json={"text": "你好"}).status_code == 401
        ok = httpx.post(f"{url}/api/tts", json={"text": "你好"},
                        headers={"Authorization": "Bearer secret"}, timeout=30)
        assert ok.status_code == 200
        assert httpx.get(f"{url}/health").status_code == 200  # health stays open

        async def two_at_once():
            async with httpx.AsyncClient(headers={"Authorization": "Bearer secret"},
                                         timeout=60) as client:
                long_text = "这是一段比较长的文字，用来占住唯一的位置。" * 10
                return await asyncio.gather(
                    client.post(f"{url}/api/tts", json={"text": long_text}),
                    client.post(f"{url}/api/tts", json={"text": long_text}))

        statuses = sorted(r.status_code for r in asyncio.run(two_at_once()))
        assert statuses == [200, 503]


def test_request_timeout_is_504_and_server_recovers(synthesizer):
    # 40 characters: within 0.5 s at the optimistic pace assumed before any measurement, so
    # admitted; the real synthesis takes seconds, so the whole answer runs past its timeout.
    with running_server(ServerSettings(request_timeout=0.5), synthesizer) as url:
        response = httpx.post(f"{url}/api/tts", json={"text": "你好，世界。" * 10}, timeout=30)
        assert response.status_code == 504
        assert response.json()["error"]["code"] == "timeout"
        assert httpx.get(f"{url}/health").json()["in_flight"] == 0
        # Measured now: the same text is refused up front, before any synthesis.
        refused = httpx.post(f"{url}/api/tts", json={"text": "你好，世界。" * 10}, timeout=30)
        assert refused.status_code == 413
        assert refused.json()["error"]["code"] == "too_long_for_timeout"
