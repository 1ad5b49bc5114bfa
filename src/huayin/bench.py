"""Speed benchmark behind ``huayin bench``: real-time factor, first-chunk latency, cold start,
peak memory — per installed voice, with 1 and 2 threads, as medians taken in one run.

Nothing here is a pass/fail test: the machine is shared and noisy, so read ratios and medians.
Run as ``python -m huayin.bench --probe ...`` it is the child process used for cold-start and
memory measurements (a fresh interpreter each time).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from tqdm import tqdm

#: Ordinary sentences (news, service, narrative); the front end's time is included in the RTF.
BENCH_SENTENCES = [
    "欢迎使用华音语音合成系统，它完全离线运行，不需要显卡。",
    "今天北京晴转多云，最高气温二十六度，最低气温十五度。",
    "您的订单已经发货，预计三天内送达，请保持电话畅通。",
    "他推开窗户，看见远处的山峦笼罩在一片薄雾之中。",
    "会议将于下午三点在三楼会议室召开，请各部门负责人准时参加。",
    "人工智能正在改变我们的工作方式和生活方式。",
]
#: A 300-character text for the peak-memory measurement.
LONG_TEXT = ("春天来了，公园里的花都开了，红的像火，粉的像霞，白的像雪。孩子们在草地上奔跑，"
             "老人们坐在长椅上聊天，年轻人沿着湖边慢慢散步。") * 5


def _probe(voice: str, text: str, threads: int) -> None:
    """Child process: synthesize, report time to first audio and peak RSS as one JSON line."""
    from huayin.synth import Synthesizer

    stream = Synthesizer(threads=threads).stream(text, voice=voice)
    first_audio = None
    for chunk in stream:
        if first_audio is None:
            first_audio = time.time()
    print(json.dumps({"first_audio": first_audio, "peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    """This process's peak resident set size. VmHWM (not ru_maxrss, which Linux carries over
    from the parent across fork + exec) so the child's figure is its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_probe(voice: str, text: str, threads: int) -> dict:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "huayin.bench", "--probe", voice, "--threads", str(threads)],
        input=text, capture_output=True, text=True, check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return {"cold_start_s": report["first_audio"] - started, "peak_rss_mb": report["peak_rss_mb"]}


def _rtf(synthesizer, voice: str, repeats: int) -> tuple[float, float]:
    """Median RTF of whole-text synthesis over ``repeats`` passes of the sentence set, and the
    median time to the first chunk of a stream."""
    ratios, latencies = [], []
    for _ in range(repeats):
        synth_seconds = audio_seconds = 0.0
        for sentence in BENCH_SENTENCES:
            started = time.perf_counter()
            audio_seconds += synthesizer.synthesize(sentence, voice=voice).duration
            synth_seconds += time.perf_counter() - started
            started = time.perf_counter()
            next(iter(synthesizer.stream(sentence, voice=voice)))
            latencies.append(time.perf_counter() - started)
        ratios.append(synth_seconds / audio_seconds)
    return statistics.median(ratios), statistics.median(latencies)


def run_bench(voices: list[str] | None = None, threads: list[int] | None = None,
              repeats: int = 3) -> dict:
    """Measure every installed voice (or the given ones) and print a table; returns the numbers."""
    from huayin.synth import Synthesizer
    from huayin.voices import VoiceStore, list_voices

    store = VoiceStore.default()
    voices = voices or [v.id for v in list_voices() if store.is_installed(v.pack)]
    threads = threads or [1, 2]
    rows = []
    settings = [(v, t) for v in voices for t in threads]
    for voice, count in tqdm(settings, desc="bench", unit="setting", file=sys.stderr):
        synthesizer = Synthesizer(threads=count)
        synthesizer.synthesize(BENCH_SENTENCES[0], voice=voice)  # warm-up: load + allocate
        rtf, latency = _rtf(synthesizer, voice, repeats)
        cold = [_run_probe(voice, BENCH_SENTENCES[0], count) for _ in range(repeats)]
        memory = _run_probe(voice, LONG_TEXT, count)
        rows.append({
            "voice": voice, "threads": count, "rtf": rtf, "first_chunk_s": latency,
            "cold_start_s": statistics.median(c["cold_start_s"] for c in cold),
            "peak_rss_mb_300_chars": memory["peak_rss_mb"],
        })
    print(f"{'voice':<12}{'threads':>8}{'RTF':>8}{'first chunk':>13}{'cold start':>12}"
          f"{'peak RSS (300 chars)':>22}")
    for row in rows:
        print(f"{row['voice']:<12}{row['threads']:>8}{row['rtf']:>8.3f}"
              f"{row['first_chunk_s'] * 1000:>10.0f} ms{row['cold_start_s']:>10.2f} s"
              f"{row['peak_rss_mb_300_chars']:>19.0f} MB")
    print(f"({len(BENCH_SENTENCES)} sentences, median of {repeats} passes; RTF = synthesis "
          f"seconds / audio seconds, front end included; CPUs: {os.cpu_count()})")
    return {"rows": rows, "repeats": repeats, "sentences": len(BENCH_SENTENCES)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--probe", required=True, help="voice id; text is read from stdin")
    parser.add_argument("--threads", type=int, default=2)
    options = parser.parse_args()
    _probe(options.probe, sys.stdin.read(), options.threads)
