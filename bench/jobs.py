"""Figures of the job and cache service, taken in one run (ratios and medians, never absolutes
across days).

    .venv/bin/python bench/jobs.py overhead --items 12     # job per-item overhead vs /api/tts
    .venv/bin/python bench/jobs.py cache --repeats 200     # cache-hit latency of a ~10 s clip
    .venv/bin/python bench/jobs.py rss --chars 300 100000 --voice baker   # peak RSS by length

Each starts its own server (`huayin serve` in a subprocess, fresh HUAYIN_HOME sharing the voices).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
SENTENCE = "今天天气很好，我们一起去公园散步，然后回家吃饭。"


def serve(env: dict, port: int) -> tuple[subprocess.Popen, str]:
    home = Path(tempfile.mkdtemp(prefix="huayin-bench-"))
    voices = Path(os.environ.get("HUAYIN_HOME") or Path.home() / ".cache/huayin") / "voices"
    (home / "voices").symlink_to(voices)
    process = subprocess.Popen([str(BIN / "huayin"), "serve", "--port", str(port)],
                               env={**os.environ, "HUAYIN_HOME": str(home), **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server not ready")


def wait(client: httpx.Client, job_id: str) -> dict:
    while True:
        status = client.get(f"/api/jobs/{job_id}").json()
        if status["status"] not in ("queued", "running"):
            return status
        time.sleep(0.05)


def overhead(args) -> None:
    process, base = serve({"HUAYIN_CACHE_MB": "0"}, 17950)
    try:
        with httpx.Client(base_url=base, timeout=300) as client:
            texts = [f"第{n}段。{SENTENCE}" for n in range(args.items)]
            client.post("/api/tts", json={"text": "预热。"})
            rounds = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                for text in texts:
                    client.post("/api/tts", json={"text": text})
                direct = time.perf_counter() - started
                started = time.perf_counter()
                job = client.post("/api/jobs", json={"items": [{"text": t} for t in texts]}).json()
                wait(client, job["id"])
                client.get(f"/api/jobs/{job['id']}/result")
                jobs = time.perf_counter() - started
                rounds.append(jobs / direct)
                print(f"direct {direct:.2f} s, job {jobs:.2f} s, ratio {jobs / direct:.3f}")
            print(f"job/direct median ratio over {args.rounds} rounds: "
                  f"{statistics.median(rounds):.3f} ({args.items} items)")
    finally:
        process.kill()


def cache(args) -> None:
    process, base = serve({}, 17951)
    try:
        with httpx.Client(base_url=base, timeout=300) as client:
            body = {"text": SENTENCE * 4}  # about 10 s of speech
            started = time.perf_counter()
            miss = client.post("/api/tts", json=body)
            synthesis = time.perf_counter() - started
            seconds = float(miss.headers["x-audio-duration"])
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                hit = client.post("/api/tts", json=body)
                times.append(time.perf_counter() - started)
                assert hit.headers["x-cache"] == "HIT" and hit.content == miss.content
            times.sort()
            print(f"clip {seconds:.1f} s, {len(miss.content) / 1e6:.2f} MB WAV; miss (synthesis) "
                  f"{synthesis * 1000:.0f} ms; hit p50 {statistics.median(times) * 1000:.2f} ms, "
                  f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms over {args.repeats}")
    finally:
        process.kill()


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def rss(args) -> None:
    for chars in args.chars:
        process, base = serve({"HUAYIN_CACHE_MB": "0"}, 17952)
        try:
            with httpx.Client(base_url=base, timeout=300) as client:
                before = peak_rss(process.pid)
                text = "\n".join(SENTENCE * 2 for _ in range(max(1, chars // (len(SENTENCE) * 2))))
                started = time.perf_counter()
                job = client.post("/api/jobs", json={"text": text[:chars], "format": "mp3",
                                                     "concatenate": True,
                                                     "voice": args.voice}).json()
                status = wait(client, job["id"])
                client.get(f"/api/jobs/{job['id']}/result")
                elapsed = time.perf_counter() - started
                print(f"{chars} chars: {status['progress']['total']} items, "
                      f"{status['progress']['audio_seconds']:.0f} s audio in {elapsed:.0f} s; "
                      f"peak RSS after start-up {before} MB, after the job {peak_rss(process.pid)} MB")
        finally:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("overhead")
    one.add_argument("--items", type=int, default=12)
    one.add_argument("--rounds", type=int, default=3)
    one.set_defaults(run=overhead)
    two = commands.add_parser("cache")
    two.add_argument("--repeats", type=int, default=200)
    two.set_defaults(run=cache)
    three = commands.add_parser("rss")
    three.add_argument("--chars", type=int, nargs="+", default=[300, 20000])
    three.add_argument("--voice", default="mellotron-biaobei")
    three.set_defaults(run=rss)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
