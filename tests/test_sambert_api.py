"""Sambert clients over HTTP, unchanged: JSON /api/synthesize (base64 clip, clip by URL),
/api/tts_batch, speaker names, emotion names, the alias listing."""

import base64
import functools
import io
import threading
import time
import wave
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import numpy as np
import pytest
import requests

from huayin.audio import encode_wav
from huayin.server.settings import ServerSettings
from huayin.service import ServiceSettings
from huayin.voices import list_aliases
from server_fixture import running_server


@pytest.fixture(scope="module")
def base(synthesizer):
    with running_server(ServerSettings(max_text_chars=500), synthesizer) as url:
        yield url


def test_voices_lists_the_aliases(base):
    body = httpx.get(f"{base}/api/voices").json()
    listed = {alias["name"]: alias["voice"] for alias in body["aliases"]}
    assert listed == {alias.name: alias.voice for alias in list_aliases()}
    voices = {voice["id"]: voice for voice in body["voices"]}
    for name, voice in listed.items():
        assert name in voices[voice]["aliases"]
    assert voices["mellotron-aicheng"]["gender"] == "male" and "zhizhe" in listed


@pytest.mark.parametrize("speaker", [a.name for a in list_aliases() if a.name.startswith("zhi")]
                         + ["aixia", "aiyu", "aida"])
def test_every_sambert_speaker_over_http(base, speaker):
    response = requests.post(f"{base}/api/synthesize", data={"text": "好。", "speaker": f"{speaker}_emo"},
                             timeout=60)
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF"
    expected = next(a.voice for a in list_aliases() if a.name == speaker)
    assert response.headers["X-Voice"] == expected


ISSUE_TEXT = "你好，我是来自未来的语音助手。"


@pytest.fixture(scope="module")
def reference_wav(synthesizer) -> bytes:
    clip = synthesizer.synthesize("这是一段参考音频，用来测试上传功能。我们说得慢一点。" * 2)
    return encode_wav(clip.samples, clip.sample_rate)


@pytest.fixture(scope="module")
def clip_origin(reference_wav, tmp_path_factory):
    """A plain ``http.server`` on 127.0.0.1 serving the reference clip as /emotion.wav."""
    folder = tmp_path_factory.mktemp("clips")
    (folder / "emotion.wav").write_bytes(reference_wav)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def fetching_base(synthesizer, tmp_path_factory):
    """A server that may fetch from 127.0.0.1, private addresses allowed, cache off (so equal
    answers come from equal work)."""
    settings = ServerSettings(fetch_hosts=frozenset({"127.0.0.1"}), fetch_allow_private=True)
    service = ServiceSettings(home=tmp_path_factory.mktemp("home"), cache_mb=0)
    with running_server(settings, synthesizer, service) as url:
        yield url


@pytest.fixture(scope="module")
def strict_base(synthesizer, tmp_path_factory):
    """A server that may fetch from 127.0.0.1 but only at public addresses (the default)."""
    settings = ServerSettings(fetch_hosts=frozenset({"127.0.0.1"}))
    with running_server(settings, synthesizer) as url:
        yield url


def test_the_issue_client_code_with_requests(base):
    response = requests.post(f"{base}/api/synthesize",
                             json={"text": ISSUE_TEXT, "speaker": "zhibei",
                                   "emotion_audio_url": "https://example.com/emotion.wav"})
    # URL fetching is off unless the operator lists the host: a 400 that says what to do.
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "fetch_not_allowed"
    assert "HUAYIN_FETCH_HOSTS" in error["message"] and "base64" in error["message"]
    response = requests.post(f"{base}/api/synthesize",
                             json={"text": ISSUE_TEXT, "speaker": "zhibei"})
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF" and response.headers["Content-Type"] == "audio/wav"
    assert float(response.headers["X-Inference-Time"]) > 0
    assert response.headers["X-Voice"] == "mellotron-xiaobei"


def test_the_issue_client_code_with_httpx(base):
    response = httpx.post(f"{base}/api/synthesize", timeout=60,
                          json={"text": ISSUE_TEXT, "speaker": "zhibei",
                                "emotion_audio_url": "https://example.com/emotion.wav"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "fetch_not_allowed"
    ok = httpx.post(f"{base}/api/synthesize", timeout=60,
                    json={"text": ISSUE_TEXT, "speaker": "zhitian_emo", "emotion": "happy"})
    assert ok.status_code == 200 and ok.content[:4] == b"RIFF"
    as_voice = httpx.post(f"{base}/api/synthesize", timeout=60,
                          json={"text": "你好。", "voice": "baker"})
    assert as_voice.status_code == 200 and as_voice.headers["X-Voice"] == "baker"


def test_json_body_is_validated(base):
    missing = requests.post(f"{base}/api/synthesize", json={"speaker": "zhibei"})
    assert missing.status_code == 400 and "text" in missing.json()["error"]["message"]
    unknown = requests.post(f"{base}/api/synthesize", json={"text": "你好", "speaker": "zhinobody"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_voice"
    broken = requests.post(f"{base}/api/synthesize", json={"text": "你好", "emotion_audio": "@@@"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_audio"
    both = requests.post(f"{base}/api/synthesize", json={
        "text": "你好", "emotion_audio": "UklGRg==", "emotion_audio_url": "http://a/b.wav"})
    assert both.status_code == 400


def test_base64_clip_equals_upload_and_url(fetching_base, reference_wav, clip_origin):
    fields = {"text": ISSUE_TEXT, "speaker": "zhitian", "seed": 3}
    upload = requests.post(f"{fetching_base}/api/synthesize", data=fields, timeout=60,
                           files={"emotion_audio": ("emotion.wav", reference_wav, "audio/wav")})
    assert upload.status_code == 200, upload.text
    encoded = base64.b64encode(reference_wav).decode()
    for clip in (encoded, "data:audio/wav;base64," + encoded):
        as_json = requests.post(f"{fetching_base}/api/synthesize", timeout=60,
                                json={**fields, "emotion_audio": clip})
        assert as_json.status_code == 200, as_json.text
        assert as_json.headers["X-Reference-Features"] == upload.headers["X-Reference-Features"]
        assert as_json.content == upload.content
    by_url = requests.post(f"{fetching_base}/api/synthesize", timeout=60,
                           json={**fields, "emotion_audio_url": f"{clip_origin}/emotion.wav"})
    assert by_url.status_code == 200, by_url.text
    assert by_url.content == upload.content
    for form in ({"emotion_audio": encoded}, {"emotion_audio_url": f"{clip_origin}/emotion.wav"}):
        as_form = requests.post(f"{fetching_base}/api/synthesize", data={**fields, **form},
                                timeout=60)
        assert as_form.status_code == 200, as_form.text
        assert as_form.content == upload.content
    plain = requests.post(f"{fetching_base}/api/synthesize", json=fields, timeout=60)
    assert plain.content != upload.content  # the clip did change the delivery
    missing = requests.post(f"{fetching_base}/api/synthesize", timeout=60,
                            json={**fields, "emotion_audio_url": f"{clip_origin}/nothing.wav"})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "fetch_failed"


def test_url_to_a_loopback_address_is_refused(strict_base, clip_origin):
    response = requests.post(f"{strict_base}/api/synthesize", timeout=60, json={
        "text": ISSUE_TEXT, "emotion_audio_url": f"{clip_origin}/emotion.wav"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "fetch_not_allowed" and "loopback" in error["message"]
    other_host = requests.post(f"{strict_base}/api/synthesize", timeout=60, json={
        "text": ISSUE_TEXT, "emotion_audio_url": "http://169.254.169.254/latest/meta-data"})
    assert other_host.status_code == 400 and "HUAYIN_FETCH_HOSTS" in other_host.json()["error"]["message"]
    as_form = requests.post(f"{strict_base}/api/synthesize", timeout=60, data={
        "text": ISSUE_TEXT, "emotion_audio_url": f"{clip_origin}/emotion.wav"})
    assert as_form.status_code == 400 and "loopback" in as_form.json()["error"]["message"]


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getnframes() / wav.getframerate()


def test_tts_batch_in_order(base):
    items = [{"text": "你好。", "emotion": "happy"},
             {"text": "今天的天气非常好，我们一起去公园散步吧。", "emotion": "sad", "speaker": "zhizhe"},
             {"text": "再见。", "emotion": "neutral", "speaker": "zhibei_emo"}]
    response = requests.post(f"{base}/api/tts_batch", json={"items": items}, timeout=120)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 3
    for result in results:
        audio = base64.b64decode(result["audio"])
        assert audio[:4] == b"RIFF"
        assert wav_seconds(audio) == pytest.approx(result["duration"], abs=0.01)
        assert result["inference_time"] >= 0
    assert results[1]["duration"] > 2 * results[0]["duration"]  # the long text is second
    assert [r["voice"] for r in results] == [
        "mellotron-biaobei", "mellotron-aicheng", "mellotron-xiaobei"]
    at_16k = requests.post(f"{base}/api/tts_batch", timeout=60,
                           json={"items": items[:1], "sample_rate": 16000}).json()["results"][0]
    with wave.open(io.BytesIO(base64.b64decode(at_16k["audio"]))) as wav:
        assert wav.getframerate() == 16000
    assert at_16k["duration"] == pytest.approx(results[0]["duration"], abs=0.01)


def test_tts_batch_limits(base):
    too_many = requests.post(f"{base}/api/tts_batch", json={"items": [{"text": "好。"}] * 33})
    assert too_many.status_code == 413 and "/api/jobs" in too_many.json()["error"]["message"]
    bad = requests.post(f"{base}/api/tts_batch", json={"items": [
        {"text": "好。"}, {"text": "好。", "emotion": "sleepy"}]})
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith("items[1]:")
    empty = requests.post(f"{base}/api/tts_batch", json={"items": []})
    assert empty.status_code == 400
    long = requests.post(f"{base}/api/tts_batch", json={"items": [{"text": "好" * 501}]})
    assert long.status_code == 400 and long.json()["error"]["code"] == "text_too_long"


def test_every_sambert_emotion_name(base):
    names = ["neutral", "happy", "angry", "sad", "fear", "hate", "surprise", "arousal"]
    response = requests.post(f"{base}/api/tts_batch", timeout=120, json={"items": [
        {"text": "我们明天见。", "emotion": name, "speaker": "zhiyan_emo"} for name in names]})
    assert response.status_code == 200, response.text
    audio = dict(zip(names, (r["audio"] for r in response.json()["results"]), strict=True))
    assert audio["arousal"] == audio["happy"]  # zhiyan's arousal is huayin's happy
    assert len({audio[name] for name in names if name != "arousal"}) == 7  # all distinct


def test_aliases_on_the_other_routes(base):
    """Every route that takes a voice takes a Sambert name: OpenAI speech, /api/tts, jobs."""
    speech = requests.post(f"{base}/v1/audio/speech", timeout=60, json={
        "model": "tts-1", "voice": "zhizhe_emo", "input": "你好。", "response_format": "wav"})
    assert speech.status_code == 200, speech.text
    tts = requests.post(f"{base}/api/tts", json={"text": "你好。", "voice": "zhizhe"}, timeout=60)
    assert tts.status_code == 200 and tts.headers["X-Voice"] == "mellotron-aicheng"
    job = requests.post(f"{base}/api/jobs", json={"items": [
        {"text": "你好。", "voice": "zhibei_emo", "emotion": "hate"}]})
    assert job.status_code == 202, job.text
    deadline = time.time() + 120
    while (status := requests.get(f"{base}/api/jobs/{job.json()['id']}").json())["status"] in (
            "queued", "running") and time.time() < deadline:
        time.sleep(0.2)
    assert status["status"] == "succeeded" and status["failed_items"] == 0


def test_a_base64_clip_may_be_as_large_as_an_upload(synthesizer):
    """The body limit leaves room for base64 (4 bytes for 3): a clip just under the upload limit
    passes as JSON, one over it is refused."""
    limit = 1_000_000
    rate = 22050
    noise = np.random.default_rng(0).normal(0, 0.1, (limit - 2000) // 2).astype(np.float32)
    clip = encode_wav(noise, rate)
    assert limit - 4000 < len(clip) < limit
    encoded = base64.b64encode(clip).decode()
    assert len(encoded) > limit + 256 * 1024  # over the plain upload limit + slack
    with running_server(ServerSettings(max_upload_bytes=limit), synthesizer) as url:
        fits = requests.post(f"{url}/api/synthesize", timeout=60,
                             json={"text": "你好。", "emotion_audio": encoded})
        assert fits.status_code != 413, fits.text  # decoded and judged: noise is no speech
        assert fits.json()["error"]["code"] in ("invalid_reference", "invalid_audio")
        bigger = base64.b64encode(encode_wav(np.zeros(limit // 2 + 10, np.float32), rate)).decode()
        over = requests.post(f"{url}/api/synthesize", timeout=60,
                             json={"text": "你好。", "emotion_audio": bigger})
        assert over.status_code == 413
