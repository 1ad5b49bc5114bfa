"""Service load benchmark against a huayin server on 127.0.0.1 (bounded in time and count).

Measures, in one run: first-audio latency of a 200-character text (streamed /v1/audio/speech,
time to first body byte), throughput with 4 concurrent clients (audio seconds per wall second)
and their p50/p95 latency, and the server's RSS every 100 requests over N sequential requests
(a flat line means no leak).

    .venv/bin/python bench/load.py [--requests 1000] [--clients 4] [--voice ID] [--plot rss.png]

It starts its own server (a subprocess on a free loopback port) so RSS is the server's alone.
"""

import argparse
import asyncio
import statistics
import sys
import time

import httpx
from tqdm import tqdm

from server_process import free_port, rss_mb, start_server

TEXT_200 = ("华音是一个完全离线运行的中文语音合成服务，它不需要显卡，也不会从模型仓库下载任何文件。"
            "用户只需要两条命令就能安装并启动它，然后通过兼容接口或者网页来合成语音。"
            "它能正确朗读数字、日期和多音字，还支持多种情感和语速调节。"
            "在双核处理器上，它的实时率远低于零点一，首包延迟只有几十毫秒，适合客服机器人和有声读物等场景。")[:200]
SHORT_TEXTS = ["您好，请问有什么可以帮您？", "订单已发货，请注意查收。", "明天有小雨，出门记得带伞。",
               "会议将在五分钟后开始。"]


#: Streamed pcm from /v1/audio/speech: 24 kHz, 16-bit mono.
PCM_BYTES_PER_SECOND = 24000 * 2
DEFAULT_VOICE = "alloy"  # OpenAI's name for huayin's default voice


def _speech(text: str, voice: str, fmt: str = "pcm") -> dict:
    return {"model": "tts-1", "voice": voice, "input": text, "response_format": fmt}


def first_audio_latency(base: str, voice: str, repeats: int = 10) -> tuple[float, float]:
    """Median seconds from sending the request to the first audio byte (streamed), and the
    least playback slack seen: a player starting at the first byte has this many seconds of
    audio left when the next bytes arrive (negative: it would have run dry)."""
    latencies, slacks = [], []
    with httpx.Client(timeout=60) as client:
        for _ in range(repeats):
            started = time.perf_counter()
            request = _speech(TEXT_200, voice)
            with client.stream("POST", f"{base}/v1/audio/speech", json=request) as r:
                body = r.iter_raw()
                received = len(next(body))
                first = time.perf_counter()
                latencies.append(first - started)
                for block in body:
                    slacks.append(received / PCM_BYTES_PER_SECOND - (time.perf_counter() - first))
                    received += len(block)
    return statistics.median(latencies), min(slacks, default=0.0)


async def concurrent_clients(base: str, voice: str, clients: int, per_client: int) -> dict:
    """``clients`` clients each sending ``per_client`` requests back to back."""
    latencies: list[float] = []
    audio_seconds = 0.0

    async def client_loop(index: int):
        nonlocal audio_seconds
        async with httpx.AsyncClient(timeout=120) as client:
            for n in range(per_client):
                text = SHORT_TEXTS[(index + n) % len(SHORT_TEXTS)] * 3
                started = time.perf_counter()
                response = await client.post(f"{base}/v1/audio/speech", json=_speech(text, voice))
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()
                audio_seconds += len(response.content) / 2 / 24000

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"throughput_audio_s_per_s": audio_seconds / wall, "p50_s": statistics.median(ordered),
            "p95_s": ordered[int(0.95 * (len(ordered) - 1))], "requests": len(ordered)}


def rss_trend(base: str, pid: int, requests: int) -> list[tuple[int, float]]:
    """Server RSS after every 100 requests (native API, default voice)."""
    points = [(0, rss_mb(pid))]
    with httpx.Client(timeout=60) as client:
        for n in tqdm(range(1, requests + 1), desc="requests", unit="req", file=sys.stderr):
            client.post(f"{base}/api/tts", json={"text": SHORT_TEXTS[n % 4], "seed": n}).raise_for_status()
            if n % 100 == 0:
                points.append((n, rss_mb(pid)))
    return points


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--plot", help="write the RSS trend as a PNG (needs matplotlib)")
    parser.add_argument("--voice", default=DEFAULT_VOICE, help="voice for every request "
                        "(default: alloy, i.e. the default voice)")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, _ = start_server(port)
    try:
        latency, slack = first_audio_latency(base, args.voice)
        print(f"first audio, 200-char text (streamed pcm, median of 10): {latency * 1000:.0f} ms;"
              f" least playback slack {slack * 1000:.0f} ms (negative: a player would run dry)")
        load = asyncio.run(concurrent_clients(base, args.voice, args.clients, args.per_client))
        print(f"{args.clients} concurrent clients, {load['requests']} requests: "
              f"{load['throughput_audio_s_per_s']:.1f} audio s / wall s, "
              f"p50 {load['p50_s'] * 1000:.0f} ms, p95 {load['p95_s'] * 1000:.0f} ms")
        points = rss_trend(base, server.pid, args.requests)
        print("server RSS (MB) by requests served: "
              + ", ".join(f"{n}: {rss:.0f}" for n, rss in points))
        half = len(points) // 2
        print(f"RSS change over the second half: {points[-1][1] - points[half][1]:+.1f} MB")
        if args.plot:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            plt.figure(figsize=(6, 3))
            plt.plot([n for n, _ in points], [r for _, r in points], marker="o")
            plt.xlabel("requests served")
            plt.ylabel("server RSS (MB)")
            plt.title("huayin serve: memory over requests")
            plt.tight_layout()
            plt.savefig(args.plot)
            print(f"plot: {args.plot}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
