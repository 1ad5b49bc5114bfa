"""Batch jobs and the audio cache, embedded mode: real server, real voices, real SQLite."""

import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import wave
import zipfile
from pathlib import Path

import httpx
import pytest

from huayin.service import DiskAudioCache, ServiceSettings
from huayin.service.cache import CachedAudio
from huayin.service.spec import split_into_items
from server_fixture import free_port, running_server, wait_ready

VENV_BIN = Path(sys.executable).parent


def wait_for(base: str, job_id: str, timeout: float = 120.0) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = httpx.get(f"{base}/api/jobs/{job_id}", timeout=10).json()
        if status["status"] not in ("queued", "running"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {status}")


@pytest.fixture(scope="module")
def server(synthesizer, tmp_path_factory):
    home = tmp_path_factory.mktemp("jobs-home")
    with running_server(synthesizer=synthesizer,
                        service_settings=ServiceSettings(home=home, cache_mb=64)) as base:
        yield base


def test_job_items_zip_subtitles_and_a_failed_item(server):
    body = {"items": [{"text": "你好，世界。", "id": "greeting"},
                      {"text": "今天天气很好。", "voice": "baker", "emotion": "happy"},
                      {"text": "这一条的声音不存在。", "voice": "no-such-voice"}],
            "subtitles": "srt"}
    answer = httpx.post(f"{server}/api/jobs", json=body)
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    assert answer.headers["location"] == f"/api/jobs/{job_id}"
    assert answer.json()["status"] in ("queued", "running")
    status = wait_for(server, job_id)
    assert status["status"] == "succeeded" and status["failed_items"] == 1
    assert status["progress"]["done"] == status["progress"]["total"] == 3
    assert status["progress"]["audio_seconds"] > 1.0
    assert [i["status"] for i in status["items"]] == ["succeeded", "succeeded", "failed"]
    assert status["items"][2]["error"]["code"] == "unknown_voice"
    assert status["items"][0]["id"] == "greeting"
    result = httpx.get(f"{server}/api/jobs/{job_id}/result")
    assert result.status_code == 200 and result.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.content))
    assert sorted(archive.namelist()) == ["0001.srt", "0001.wav", "0002.srt", "0002.wav",
                                          "manifest.json"]
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["items"][:2]:
        data = archive.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        with wave.open(io.BytesIO(data)) as audio:
            assert abs(audio.getnframes() / audio.getframerate() - entry["duration"]) < 0.01
    assert manifest["items"][1]["voice"] == "baker"
    assert "今天天气很好。" in archive.read("0002.srt").decode()
    listed = httpx.get(f"{server}/api/jobs").json()["jobs"]
    assert job_id in [job["id"] for job in listed]


def test_long_text_is_split_and_concatenated(server):
    text = "第一段的第一句。第一段的第二句！\n\n第二段只有一句。\n第三段，到此为止。"
    answer = httpx.post(f"{server}/api/jobs", json={
        "text": text, "concatenate": True, "format": "wav", "pause_ms": 300, "subtitles": "vtt"})
    assert answer.status_code == 202
    status = wait_for(server, answer.json()["id"])
    assert status["status"] == "succeeded" and status["progress"]["total"] == 3
    archive = zipfile.ZipFile(io.BytesIO(
        httpx.get(f"{server}/api/jobs/{status['id']}/result").content))
    assert sorted(archive.namelist()) == ["job.vtt", "job.wav", "manifest.json"]
    with wave.open(io.BytesIO(archive.read("job.wav"))) as joined:
        seconds = joined.getnframes() / joined.getframerate()
    items = sum(i["duration"] for i in status["items"])
    assert abs(seconds - (items + 2 * 0.3)) < 0.05
    cues = archive.read("job.vtt").decode()
    assert cues.startswith("WEBVTT") and "第三段，到此为止。" in cues
    direct = httpx.get(f"{server}/api/jobs/{status['id']}/audio")
    assert direct.status_code == 200 and direct.content == archive.read("job.wav")


def test_ssml_item_subtitles_show_the_spoken_text(server):
    ssml = '<speak>请拨打<say-as interpret-as="telephone">95588</say-as>。<break time="200ms"/>谢谢！</speak>'
    job_id = httpx.post(f"{server}/api/jobs", json={"items": [{"text": ssml}],
                                                    "subtitles": "srt"}).json()["id"]
    assert wait_for(server, job_id)["status"] == "succeeded"
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(f"{server}/api/jobs/{job_id}/result").content))
    cues = archive.read("0001.srt").decode()
    assert "请拨打" in cues and "谢谢" in cues and "<" not in cues and "interpret" not in cues


def test_malformed_jobs_are_refused_whole(server):
    for body in ({}, {"items": []}, {"items": [{"text": "a"}], "text": "b"},
                 {"items": [{"text": 5}]}, {"items": [{"text": "a", "seed": -1}]},
                 {"items": [{"text": "a", "speed": "fast"}]}, {"items": "text"},
                 {"items": [{"text": "a"}], "format": "ogg"}, {"text": "   "},
                 {"items": [{"text": "a", "unknown": 1}]}, {"text": "a", "pause_ms": -1},
                 {"items": [{"text": "a", "speed": True}]}):
        answer = httpx.post(f"{server}/api/jobs", json=body)
        assert answer.status_code == 400, body
        assert answer.json()["error"]["message"]
    not_a_number = httpx.post(f"{server}/api/jobs", content=b'{"text": "a", "speed": NaN}',
                              headers={"content-type": "application/json"})
    assert not_a_number.status_code == 400
    too_large = httpx.post(f"{server}/api/jobs", json={"text": "长" * 200_001})
    assert too_large.status_code == 413
    assert too_large.json()["error"]["code"] == "job_too_large"
    assert httpx.get(f"{server}/api/jobs/0123abcd").status_code == 404
    assert httpx.get(f"{server}/api/jobs/../etc").status_code == 404


def test_cancel_stops_the_job(server):
    items = [{"text": f"这是第{n}条比较长的句子，用来测试取消任务的时候后面的条目不再运行。"}
             for n in range(1, 31)]
    job_id = httpx.post(f"{server}/api/jobs", json={"items": items}).json()["id"]
    cancelled = httpx.delete(f"{server}/api/jobs/{job_id}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    time.sleep(1.0)
    status = httpx.get(f"{server}/api/jobs/{job_id}").json()
    assert status["status"] == "cancelled"
    assert sum(i["status"] == "succeeded" for i in status["items"]) < 30
    deadline = time.time() + 30  # a running item stops at its next clause
    while any(i["status"] == "running" for i in status["items"]) and time.time() < deadline:
        time.sleep(0.2)
        status = httpx.get(f"{server}/api/jobs/{job_id}").json()
    assert not any(i["status"] == "running" for i in status["items"])
    assert status["status"] == "cancelled"
    # Cancelled jobs still deliver what they finished.
    assert httpx.get(f"{server}/api/jobs/{job_id}/result").status_code == 200


def test_result_of_a_running_job_is_409(server):
    items = [{"text": f"第{n}条。今天的天气非常好，我们一起去公园散步吧。"} for n in range(8)]
    job_id = httpx.post(f"{server}/api/jobs", json={"items": items}).json()["id"]
    early = httpx.get(f"{server}/api/jobs/{job_id}/result")
    assert early.status_code == 409 and early.json()["error"]["code"] == "job_not_finished"
    httpx.delete(f"{server}/api/jobs/{job_id}")


def test_cache_hit_returns_identical_bytes_also_streamed(server):
    body = {"text": "缓存里的这句话只合成一次。", "format": "wav"}
    first = httpx.post(f"{server}/api/tts", json=body)
    second = httpx.post(f"{server}/api/tts", json=body)
    assert first.headers["x-cache"] == "MISS" and second.headers["x-cache"] == "HIT"
    assert first.content == second.content
    other = httpx.post(f"{server}/api/tts", json={**body, "seed": 1})
    assert other.headers["x-cache"] == "MISS" and other.content != first.content
    speech = {"model": "tts-1", "input": "流式的回答也能命中缓存。", "voice": "alloy",
              "response_format": "mp3"}
    streamed = httpx.post(f"{server}/v1/audio/speech", json=speech)
    again = httpx.post(f"{server}/v1/audio/speech", json=speech)
    assert streamed.headers["x-cache"] == "MISS" and again.headers["x-cache"] == "HIT"
    assert streamed.content == again.content
    health = httpx.get(f"{server}/healthz").json()
    assert health["status"] == "ok" and health["jobs"]["mode"] == "embedded"
    assert health["jobs"]["cache"]["hits"] >= 2
    assert "items_queued" in health["jobs"] and health["jobs"]["workers"]
    metrics = httpx.get(f"{server}/metrics").text
    assert "huayin_cache_hits_total" in metrics and "huayin_job_items_queued" in metrics


def test_cache_off(synthesizer, tmp_path):
    settings = ServiceSettings(home=tmp_path, cache_mb=0)
    with running_server(synthesizer=synthesizer, service_settings=settings) as base:
        answer = httpx.post(f"{base}/api/tts", json={"text": "不缓存。"})
        assert answer.status_code == 200 and "x-cache" not in answer.headers
        assert httpx.get(f"{base}/health").json()["jobs"]["cache"]["kind"] == "off"


def test_disk_cache_is_a_bounded_lru(tmp_path):
    cache = DiskAudioCache(tmp_path, max_bytes=40_000, memory_bytes=8_000)
    for n in range(6):
        cache.put(f"{n:064x}", CachedAudio(bytes([n]) * 9_000, {"n": n}))
        cache.get(f"{0:064x}")  # keep the first entry hot
    stats = cache.stats()
    assert stats.bytes <= 40_000 and stats.evictions >= 2
    assert cache.get(f"{0:064x}").data == bytes([0]) * 9_000
    assert cache.get(f"{1:064x}") is None
    reopened = DiskAudioCache(tmp_path, max_bytes=40_000)
    assert reopened.stats().entries == stats.entries
    assert reopened.get(f"{5:064x}").meta == {"n": 5}


def test_split_into_items_keeps_every_character():
    text = "一。" * 500 + "\n\n" + "二" * 1500 + "\n三！"
    items = split_into_items(text, max_chars=600)
    assert "".join(items) == text.replace("\n", "")
    assert all(len(item) <= 600 for item in items)


def _serve(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "HUAYIN_HOME": str(home), "HUAYIN_JOB_YIELD_SECONDS": "0"}
    return subprocess.Popen([str(VENV_BIN / "huayin"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_9_mid_job_loses_nothing(store, tmp_path):
    """SIGKILL the server while a job runs; after a restart the job resumes at the first
    unfinished item and the result holds every item exactly once."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "voices").symlink_to(store.root / "voices")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = _serve(home, port)
    try:
        wait_ready(base, process)
        items = [{"text": f"第{n}条：今天天气很好，我们一起去公园散步，然后回家吃饭。"}
                 for n in range(1, 13)]
        job_id = httpx.post(f"{base}/api/jobs", json={"items": items}).json()["id"]
        deadline = time.time() + 120
        while time.time() < deadline:
            done = httpx.get(f"{base}/api/jobs/{job_id}").json()["progress"]["done"]
            if done >= 3:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert done < 12, "the job finished before the kill; make it longer"
        process = _serve(home, port)
        wait_ready(base, process)
        status = wait_for(base, job_id, timeout=300)
        assert status["status"] == "succeeded" and status["failed_items"] == 0
        archive = zipfile.ZipFile(io.BytesIO(httpx.get(f"{base}/api/jobs/{job_id}/result").content))
        names = [n for n in archive.namelist() if n.endswith(".wav")]
        assert names == [f"{n:04d}.wav" for n in range(1, 13)]
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["items"]:
            assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
        assert not list((home / "jobs" / job_id).glob("*.part"))
    finally:
        process.kill()
        process.wait(10)


def test_cli_batch_resumes_and_concatenates(store, tmp_path):
    source = tmp_path / "chapter.txt"
    source.write_text("第一段，今天天气很好。\n\n第二段，我们出去走走吧！\n第三段。\n第四段，结束。\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    command = [str(VENV_BIN / "huayin"), "batch", str(source), "-o", str(out),
               "--subtitles", "srt", "--concat", "--format", "mp3"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "4/4 items" in first.stderr
    assert sorted(p.name for p in out.glob("0*.wav")) == [f"{n:04d}.wav" for n in range(1, 5)]
    assert (out / "joined.mp3").stat().st_size > 1000 and (out / "joined.srt").exists()
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("0*.wav")}
    # As if the first run had been interrupted after two items: the rerun does only the rest.
    with sqlite3.connect(out / ".huayin-batch.sqlite") as db:
        db.execute("UPDATE items SET status = 'running' WHERE idx = 2")
        db.execute("UPDATE items SET status = 'queued' WHERE idx = 3")
    for name in ("0003.wav", "0004.wav"):
        (out / name).unlink()
    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("0*.wav")}
    assert sorted(after) == sorted(before)
    assert [after[n] == before[n] for n in sorted(before)] == [True, True, False, False]
    bad = tmp_path / "items.jsonl"
    bad.write_text('{"text": "好"}\n{"text": 3}\n', encoding="utf-8")
    refused = subprocess.run([str(VENV_BIN / "huayin"), "batch", str(bad), "-o",
                              str(tmp_path / "bad")], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "items.jsonl:2" in refused.stderr


def test_cli_batch_on_a_server(server, tmp_path):
    source = tmp_path / "items.jsonl"
    source.write_text('{"text": "服务器上的第一条。", "id": "a"}\n'
                      '{"text": "服务器上的第二条。", "voice": "baker"}\n', encoding="utf-8")
    out = tmp_path / "remote"
    run = subprocess.run([str(VENV_BIN / "huayin"), "batch", str(source), "-o", str(out),
                          "--server", server, "--subtitles", "vtt"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "2/2 items" in run.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "0001.vtt", "0001.wav", "0002.vtt", "0002.wav", "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["items"][0]["id"] == "a" and manifest["items"][1]["voice"] == "baker"


def test_live_gate_holds_jobs_while_live_requests_run():
    from huayin.service import LiveGate

    gate = LiveGate()
    gate.enter()
    started = time.perf_counter()
    gate.wait_idle(0.3)  # a live request is running: the job waits (up to its limit)
    assert time.perf_counter() - started >= 0.29
    gate.leave()
    started = time.perf_counter()
    gate.wait_idle(5.0)  # idle: no wait
    assert time.perf_counter() - started < 0.1


def test_expired_jobs_are_swept_with_their_results(synthesizer, tmp_path):
    from huayin.service import JobRequest, open_job_service

    service = open_job_service(synthesizer, ServiceSettings(home=tmp_path, job_ttl_hours=1))
    try:
        job = service.submit(JobRequest(items=[{"text": "过期。"}]))
        deadline = time.time() + 60
        while service.get(job.id).status != "succeeded" and time.time() < deadline:
            time.sleep(0.1)
        service.archive(job.id)
        assert (tmp_path / "jobs" / job.id).is_dir()
        assert service.dispatcher.sweep(time.time() + 1800) == 0
        assert service.dispatcher.sweep(time.time() + 3601) == 1
        assert not (tmp_path / "jobs" / job.id).exists()
        assert not list((tmp_path / "archives").glob(f"{job.id}*"))
        with pytest.raises(Exception, match="unknown or expired"):
            service.get(job.id)
    finally:
        service.close()


def test_alias_and_voice_id_share_cache_entries(server):
    first = httpx.post(f"{server}/api/tts", json={"text": "别名共用缓存。", "voice": "mellotron-biaobei"})
    again = httpx.post(f"{server}/api/tts", json={"text": "别名共用缓存。", "voice": "zhitian"})
    assert first.headers["x-cache"] == "MISS" and again.headers["x-cache"] == "HIT"
    assert first.content == again.content


def test_job_items_log_under_the_submitting_request_id(server):
    """The request id of POST /api/jobs is kept with the job: its status shows it and each
    item's log line (in whichever thread or worker runs it) carries it."""
    import logging

    from huayin.logs import JsonFormatter, RequestIdFilter

    lines: list[dict] = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = lambda record: lines.append(json.loads(JsonFormatter().format(record)))
    handler.addFilter(RequestIdFilter())
    jobs_log = logging.getLogger("huayin.jobs")
    jobs_log.addHandler(handler)
    old_level = jobs_log.level
    jobs_log.setLevel(logging.INFO)
    try:
        answer = httpx.post(f"{server}/api/jobs", headers={"X-Request-Id": "batch-from-crm-42"},
                            json={"items": [{"text": "第一条。"}, {"text": "第二条。"}]})
        status = wait_for(server, answer.json()["id"])
    finally:
        jobs_log.removeHandler(handler)
        jobs_log.setLevel(old_level)
    assert status["request_id"] == "batch-from-crm-42"
    mine = [line for line in lines if line.get("job") == status["id"]]
    assert sorted(line["item"] for line in mine) == [0, 1]
    assert all(line["request_id"] == "batch-from-crm-42" and line["outcome"] == "succeeded"
               and line["seconds"] > 0 for line in mine)


def test_eta_follows_the_workers_alive_now():
    """The ETA's item slots are asked at each status, not fixed when the service started."""
    from huayin.service.jobs import Dispatcher

    alive = [0]
    dispatcher = Dispatcher(lambda job: None, lambda: [], "celery", lambda: alive[0])
    assert dispatcher.threads == 1  # no worker yet: an ETA as if one were coming
    alive[0] = 3
    assert dispatcher.threads == 3
