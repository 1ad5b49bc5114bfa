"""Scale-out on real Redis + Celery, across network namespaces: Redis on one host, two API
replicas and two workers on others. A 20-item job is submitted to replica A and followed on
replica B while one worker is killed with SIGKILL mid-job; every item must arrive exactly once.
A cache entry made through A is a hit through B. A lexicon entry PUT through A is used by B's
/api/g2p and by the workers' next job items."""

import hashlib
import io
import json
import shutil
import signal
import time
import zipfile

import httpx
import pytest

from cluster import Cluster

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed (test.sh installs it)")


@pytest.fixture(scope="module")
def cluster(store):
    deployment = Cluster(store.root / "voices")
    print(f"\nscale-out test hosts: {deployment.mode}"
          + ("" if deployment.mode == "netns" else " (network namespaces unavailable: "
             "processes on loopback instead)"))
    try:
        redis_url = deployment.redis(deployment.host("redis"))
        deployment.worker(deployment.host("w1"), redis_url, "worker-1")
        deployment.worker(deployment.host("w2"), redis_url, "worker-2")
        deployment.a = deployment.api(deployment.host("apia"), redis_url, "api-a")
        deployment.b = deployment.api(deployment.host("apib"), redis_url, "api-b")
        yield deployment
    finally:
        deployment.close()


def _workers(base: str) -> list[dict]:
    return httpx.get(f"{base}/healthz", timeout=10).json()["jobs"]["workers"]


def test_job_survives_a_killed_worker_and_any_replica_answers(cluster):
    a, b = cluster.a, cluster.b
    deadline = time.time() + 120
    while len(_workers(b)) < 2 and time.time() < deadline:
        time.sleep(0.5)
    assert {w["name"] for w in _workers(b)} == {"worker-1", "worker-2"}
    items = [{"text": f"第{n}条：今天天气很好，我们一起去公园散步，然后回家吃饭。"}
             for n in range(1, 21)]
    answer = httpx.post(f"{a}/api/jobs", json={"items": items, "format": "mp3"},
                        headers={"X-Request-Id": "scale-out-job-1"})
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    killed_at = None
    victim = cluster.hosts["w1"].processes[0]
    deadline = time.time() + 600
    while time.time() < deadline:
        status = httpx.get(f"{b}/api/jobs/{job_id}", timeout=10).json()
        busy = {w["name"] for w in _workers(b) if w["running"]}
        if killed_at is None and status["progress"]["done"] >= 3 and "worker-1" in busy:
            victim.send_signal(signal.SIGKILL)
            killed_at = time.time()
        if status["status"] not in ("queued", "running"):
            break
        time.sleep(0.2)
    assert killed_at is not None, "worker-1 was never seen busy"
    assert status["status"] == "succeeded" and status["failed_items"] == 0, status
    redelivered = [i for i in status["items"] if i.get("attempts", 1) > 1]
    print(f"job finished {time.time() - killed_at:.1f} s after the kill")
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(f"{a}/api/jobs/{job_id}/result",
                                                   timeout=60).content))
    names = [n for n in archive.namelist() if n.endswith(".mp3")]
    assert names == [f"{n:04d}.mp3" for n in range(1, 21)]
    manifest = json.loads(archive.read("manifest.json"))
    assert [entry["index"] for entry in manifest["items"]] == list(range(20))
    for entry in manifest["items"]:
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
    print(f"items delivered again after the kill: {[i['index'] for i in redelivered]}")
    # The workers log in the server's format (HUAYIN_LOG_FORMAT=json), each item's line under
    # the id of the request that submitted the job.
    logged = [json.loads(line) for name in ("worker-1", "worker-2")
              for line in cluster.log_lines(name) if line.startswith("{")]
    done = {entry["item"] for entry in logged
            if entry.get("job") == job_id and entry.get("outcome") == "succeeded"}
    assert done == set(range(20))
    assert {entry["request_id"] for entry in logged if entry.get("job") == job_id} == {
        "scale-out-job-1"}
    deadline = time.time() + 30
    while len(_workers(b)) > 1 and time.time() < deadline:
        time.sleep(0.5)
    assert [w["name"] for w in _workers(b)] == ["worker-2"]


def test_cache_entry_made_on_one_replica_hits_on_another(cluster):
    body = {"text": "这句话在甲服务器上合成，在乙服务器上命中缓存。"}
    first = httpx.post(f"{cluster.a}/api/tts", json=body, timeout=60)
    second = httpx.post(f"{cluster.b}/api/tts", json=body, timeout=60)
    assert first.headers["x-cache"] == "MISS" and second.headers["x-cache"] == "HIT"
    assert first.content == second.content
    health = httpx.get(f"{cluster.b}/healthz").json()["jobs"]
    assert health["mode"] == "celery" and health["cache"]["kind"] == "redis"
    assert health["cache"]["hits"] >= 1


def _job_sha256s(base: str, texts: list[str]) -> list[str]:
    """Run a job of ``texts`` (WAV) through ``base`` and return each item's audio SHA-256."""
    answer = httpx.post(f"{base}/api/jobs", json={"items": [{"text": t} for t in texts],
                                                  "format": "wav"})
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    deadline = time.time() + 300
    while httpx.get(f"{base}/api/jobs/{job_id}", timeout=10).json()["status"] in (
            "queued", "running") and time.time() < deadline:
        time.sleep(0.2)
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(f"{base}/api/jobs/{job_id}/result",
                                                   timeout=60).content))
    manifest = json.loads(archive.read("manifest.json"))
    return [hashlib.sha256(archive.read(entry["file"])).hexdigest() for entry in manifest["items"]]


def test_lexicon_edit_on_one_replica_is_used_by_the_other_and_by_workers(cluster):
    a, b = cluster.a, cluster.b
    word_text, control_text = "他在银行工作。", "今天天气很好。"

    def pinyin_on(base: str) -> str:
        return httpx.get(f"{base}/api/g2p", params={"text": word_text}, timeout=10).json()["pinyin"]

    assert "yin2 hang2" in pinyin_on(b)
    before = _job_sha256s(b, [word_text, control_text])
    put = httpx.put(f"{a}/api/lexicon", json={"word": "银行", "pinyin": "yin2 xing2"}, timeout=10)
    assert put.status_code == 200
    assert "yin2 xing2" in pinyin_on(b)
    assert httpx.get(f"{b}/api/lexicon").json()["entries"] == [
        {"word": "银行", "pinyin": "yin2 xing2"}]
    after = _job_sha256s(b, [word_text, control_text])
    # The workers read the word the new way; the control sentence (synthesized again: the
    # lexicon is part of the cache key) shows that synthesis itself is repeatable.
    assert after[0] != before[0] and after[1] == before[1]
    assert httpx.delete(f"{b}/api/lexicon", params={"word": "银行"}).status_code == 200
    assert "yin2 hang2" in pinyin_on(a)
