"""Soak and fault bench against a real ``huayin serve`` on 127.0.0.1 (not CI: minutes long).

Soak: N clients for M minutes, each picking at random among whole answers (/api/tts wav,
subtitles), streams (/api/tts mp3 stream, /v1/audio/speech pcm, SSE), the WebSocket, cancelled
streams (hang up after the first chunk) and requests from the abuse corpus; counts statuses
(5xx must stay 0), latency p50/p95 per kind, and the server's RSS every 15 s with its slope.

Faults: a slow reader does not block another client; SIGTERM lets an in-flight request
finish; kill -9 then restart until /health/ready.

    .venv/bin/python bench/soak.py [--minutes 10] [--clients 8] [--json out.json]

It starts its own server (a subprocess on a free loopback port) so RSS is the server's alone.
"""

import argparse
import asyncio
import json
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "abuse"))
from corpus import http_cases  # noqa: E402  (the abuse corpus, reused as traffic)
from server_process import free_port, rss_mb, start_server  # noqa: E402

TEXTS = ["您好，请问有什么可以帮您？", "订单已发货，请注意查收。", "明天有小雨，出门记得带伞。",
         "会议将在五分钟后开始，请大家准时参加。", "今天是2024年5月1日，气温23℃。"]
LONG = "这是一段用来测试长时间运行的文字，它会被分成很多个小句来合成。" * 4


def one_request(client: httpx.Client, base: str, kind: str, corpus: list) -> int:
    """Run one request of ``kind``; returns its HTTP status (0 for a WebSocket done right)."""
    text = random.choice(TEXTS)
    seed = random.randrange(1_000_000)  # a fresh seed: synthesized, not an audio cache hit
    if kind == "whole":
        return client.post("/api/tts", json={"text": text, "seed": seed}).status_code
    if kind == "subtitles":
        return client.post("/api/tts?subtitles=json", json={"text": text}).status_code
    if kind == "stream":
        with client.stream("POST", "/api/tts", json={"text": text, "format": "mp3",
                                                     "stream": True, "seed": seed}) as response:
            b"".join(response.iter_bytes())
            return response.status_code
    if kind == "openai":
        with client.stream("POST", "/v1/audio/speech", json={
                "model": "tts-1", "voice": "alloy", "input": text, "response_format": "pcm",
                "seed": seed}) as r:
            b"".join(r.iter_bytes())
            return r.status_code
    if kind == "sse":
        with client.stream("POST", "/v1/audio/speech", json={
                "model": "tts-1", "voice": "alloy", "input": text, "response_format": "pcm",
                "stream_format": "sse"}) as r:
            events = [line for line in r.iter_lines() if line.startswith("data:")]
            return r.status_code if "speech.audio.done" in events[-1] else 599
    if kind == "cancel":
        with client.stream("POST", "/api/tts", json={"text": LONG, "format": "pcm",
                                                     "stream": True}) as response:
            next(response.iter_raw())
            return response.status_code
    if kind == "websocket":
        async def talk():
            async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as ws:
                await ws.send(json.dumps({"text": text}))
                while True:
                    message = await ws.recv()
                    if isinstance(message, str) and json.loads(message)["type"] in ("end",
                                                                                    "error"):
                        return 200 if json.loads(message)["type"] == "end" else 599
        return asyncio.run(talk())
    case = random.choice(corpus)  # "abuse"
    return client.request(case.method, case.path, content=case.content, headers=case.headers,
                          data=case.data, files=case.files).status_code


KINDS = {"whole": 3, "subtitles": 1, "stream": 2, "openai": 2, "sse": 1, "cancel": 1,
         "websocket": 1, "abuse": 3}


def soak(base: str, pid: int, minutes: float, clients: int) -> dict:
    corpus = [c for c in http_cases(10 * 1024 * 1024) if "12MB" not in c.name]
    statuses: Counter = Counter()
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    stop = time.perf_counter() + minutes * 60
    lock = threading.Lock()

    def client_loop(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.perf_counter() < stop:
                kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
                started = time.perf_counter()
                try:
                    status = one_request(client, base, kind, corpus)
                except Exception as error:  # a transport failure is a finding, not a crash
                    status = 598
                    with lock:
                        failures.append(f"{kind}: {type(error).__name__}: {error}"[:200])
                with lock:
                    statuses[f"{status // 100}xx" if status < 598 else "failed"] += 1
                    if status < 400:
                        latencies[kind].append(time.perf_counter() - started)

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    rss = [(0.0, rss_mb(pid))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        elapsed = time.perf_counter() - began
        if elapsed - rss[-1][0] >= 15:
            rss.append((elapsed, rss_mb(pid)))
    for thread in threads:
        thread.join()
    rss.append((time.perf_counter() - began, rss_mb(pid)))
    # Slope over the second half (after warm-up: voices, caches and allocator pools settled).
    half = [point for point in rss if point[0] >= rss[-1][0] / 2]
    xs, ys = [p[0] / 60 for p in half], [p[1] for p in half]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
             / max(1e-9, sum((x - mean_x) ** 2 for x in xs)))

    def pct(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else 0.0

    return {
        "minutes": minutes, "clients": clients, "statuses": dict(statuses),
        "latency": {k: {"n": len(v), "p50": round(pct(v, 0.5), 3), "p95": round(pct(v, 0.95), 3)}
                    for k, v in sorted(latencies.items())},
        "rss_mb": [(round(t), round(m, 1)) for t, m in rss],
        "rss_slope_mb_per_min_second_half": round(slope, 2), "failures": failures[:10],
    }


def faults(port: int) -> dict:
    base = f"http://127.0.0.1:{port}"
    results = {}
    process, ready = start_server(port)
    results["cold_start_to_ready_s"] = round(ready, 2)
    # A slow reader (reads nothing for 5 s) does not hold up another client.
    slow = httpx.Client(base_url=base, timeout=60)
    with slow.stream("POST", "/api/tts", json={"text": LONG, "format": "pcm", "stream": True}):
        started = time.perf_counter()
        quick = httpx.post(f"{base}/api/tts", json={"text": "你好。"}, timeout=60)
        results["other_client_while_slow_reader_s"] = round(time.perf_counter() - started, 3)
        results["other_client_status"] = quick.status_code
        time.sleep(5)
    slow.close()
    # SIGTERM with a request in flight: it still completes.
    outcome = {}

    def in_flight() -> None:
        response = httpx.post(f"{base}/api/tts", json={"text": LONG}, timeout=120)
        outcome["status"] = response.status_code

    thread = threading.Thread(target=in_flight)
    thread.start()
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    thread.join()
    process.wait(timeout=60)
    results["sigterm_in_flight_status"] = outcome.get("status")
    results["sigterm_exit_code"] = process.returncode
    # kill -9, then restart until ready.
    process, _ = start_server(port)
    process.kill()
    process.wait()
    process, ready = start_server(port)
    results["kill9_restart_to_ready_s"] = round(ready, 2)
    process.terminate()
    process.wait(timeout=60)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    port = free_port()
    process, ready = start_server(port)
    try:
        report = {"ready_s": round(ready, 2),
                  "soak": soak(f"http://127.0.0.1:{port}", process.pid, args.minutes,
                               args.clients)}
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    print(json.dumps(report["soak"], ensure_ascii=False), flush=True)
    if not args.skip_faults:
        report["faults"] = faults(free_port())
    text = json.dumps(report, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0 if report["soak"]["statuses"].get("5xx", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
