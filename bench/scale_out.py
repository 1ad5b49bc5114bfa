"""Scale-out figures on real Redis + Celery (hosts as network namespaces when run as root):
throughput of one vs two workers, and the time from a worker's SIGKILL to its item's
redelivery (the item starts again on the other worker).

    .venv/bin/python bench/scale_out.py --items 12
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from cluster import Cluster  # noqa: E402

TEXT = "第{run}轮第{n}条：今天天气很好，我们一起去公园散步，然后回家吃饭。"
_runs = iter(range(1, 1000))


def run_job(base: str, items: int, kill=None) -> tuple[float, dict, float | None]:
    run = next(_runs)  # new texts every run: the shared cache must not answer for the workers
    body = {"items": [{"text": TEXT.format(run=run, n=n)} for n in range(items)], "format": "mp3"}
    started = time.perf_counter()
    job_id = httpx.post(f"{base}/api/jobs", json=body).json()["id"]
    killed = redelivered = None
    while True:
        status = httpx.get(f"{base}/api/jobs/{job_id}").json()
        if kill and killed is None and status["progress"]["done"] >= 2:
            running = [i["index"] for i in status["items"] if i["status"] == "running"]
            workers = httpx.get(f"{base}/healthz").json()["jobs"]["workers"]
            if running and any(w["name"] == "worker-1" and w["running"] for w in workers):
                kill.send_signal(signal.SIGKILL)
                killed = time.perf_counter()
                attempts = {i["index"]: i.get("attempts", 1) for i in status["items"]}
        if killed and redelivered is None and any(
                i.get("attempts", 1) > attempts.get(i["index"], 1) for i in status["items"]):
            redelivered = time.perf_counter() - killed
        if status["status"] not in ("queued", "running"):
            return time.perf_counter() - started, status, redelivered
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=12)
    args = parser.parse_args()
    voices = Path(os.environ.get("HUAYIN_HOME") or Path.home() / ".cache/huayin") / "voices"
    cluster = Cluster(voices)
    try:
        redis_url = cluster.redis(cluster.host("redis"))
        w1 = cluster.worker(cluster.host("w1"), redis_url, "worker-1")
        base = cluster.api(cluster.host("api"), redis_url, "api")
        while len(httpx.get(f"{base}/healthz").json()["jobs"]["workers"]) < 1:
            time.sleep(0.5)
        run_job(base, 2)  # warm-up
        one, status, _ = run_job(base, args.items)
        audio = status["progress"]["audio_seconds"]
        cluster.worker(cluster.host("w2"), redis_url, "worker-2")
        while len(httpx.get(f"{base}/healthz").json()["jobs"]["workers"]) < 2:
            time.sleep(0.5)
        run_job(base, 2)
        two, _, _ = run_job(base, args.items)
        print(f"hosts: {cluster.mode}; {args.items} items, {audio:.0f} s audio")
        print(f"1 worker: {one:.1f} s ({audio / one:.1f} audio s/s); 2 workers: {two:.1f} s "
              f"({audio / two:.1f} audio s/s); speed-up {one / two:.2f}x")
        elapsed, status, redelivered = run_job(base, args.items, kill=w1)
        print(f"SIGKILL of worker-1 mid-item: item started again {redelivered:.1f} s later; "
              f"job {status['status']} with {status['progress']['done']}/{args.items} items "
              f"in {elapsed:.1f} s")
    finally:
        cluster.close()


if __name__ == "__main__":
    main()
