"""Which Mellotron speakers are good enough to expose: a measured sweep.

For each speaker: synthesize every sentence (bench/sentences.txt plus the extra sentences below,
≥ 20 in all) with each seed, count clauses whose attention still failed after the retries, then
score the WAVs with the offline evaluator in ../shared/tools (Whisper-base CER, DistillMOS, F0).
Results are appended per speaker to OUT/results.jsonl, so an interrupted sweep keeps what it has
measured and a rerun skips speakers already done. ``--table`` prints the Markdown table for
docs/voices.md and the ``SWEEP`` entries for src/huayin/voices/mellotron/speakers.py.

    .venv/bin/python bench/mellotron_sweep.py --out /tmp/sweep [--speakers biaobei,Aicheng]
        [--seeds 0,1,2] [--table]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from huayin.audio import encode_wav
from huayin.prosody.request import ProsodyRequest
from huayin.text import analyze
from huayin.voices.mellotron.speakers import (
    ALL_SPEAKERS,
    SAMPLE_RATE,
    SweepResult,
    passes,
    speaker_info,
    tier,
)
from huayin.voices.mellotron.voice import MellotronVoice, shared_models
from huayin.voices.store import VoiceStore

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parent.parent / "shared" / "tools"
EXTRA_SENTENCES = [
    "我们的客服热线全天二十四小时为您服务。",
    "春天来了，公园里的花都开了，到处都是游玩的人。",
    "请您在听到提示音后说出您要办理的业务。",
    "这本书讲述了一个普通家庭三代人的故事。",
    "明天上午九点，我们在公司门口集合出发。",
    "他一边听音乐，一边认真地完成作业。",
    "如果您对我们的服务有任何意见，欢迎随时提出。",
    "秋天的傍晚，湖面上倒映着金色的晚霞。",
]
CLAUSE_PAUSE_S = 0.25
MALE_F0_BELOW_HZ = 165.0


def synthesize(voice: MellotronVoice, text: str, seed: int) -> tuple[np.ndarray, int]:
    """Audio of one sentence (clauses joined by a short pause) and its failed-clause count."""
    rng = np.random.default_rng(seed)
    pieces, failures = [], 0
    for clause in analyze(text).clauses:
        audio = voice.synthesize_clause(clause, prosody=ProsodyRequest(), rng=rng)
        failures += bool(voice.last_problems)
        pieces += [audio.samples, np.zeros(int(CLAUSE_PAUSE_S * SAMPLE_RATE), np.float32)]
    return np.concatenate(pieces), failures


def evaluate(evaluator: str, jobs: list[tuple[Path, str]], out: Path) -> list[dict]:
    """Run the speech evaluator on (wav, text) pairs; its per-file records."""
    command = [evaluator, str(TOOLS / "speecheval.py"), str(out)]
    command += [f"{wav}={text}" for wav, text in jobs]
    environment = {**os.environ, "OMP_NUM_THREADS": "1"}
    subprocess.run(command, check=True, capture_output=True, env=environment)
    return [json.loads(line) for line in out.read_text().splitlines() if line.strip()]


def sweep_speaker(voice: MellotronVoice, sentences: list[str], seeds: list[int], directory: Path,
                  evaluator: str) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    jobs, failures, synth_seconds, audio_seconds = [], 0, 0.0, 0.0
    for seed in seeds:
        for index, text in enumerate(sentences):
            started = time.perf_counter()
            samples, failed = synthesize(voice, text, seed)
            synth_seconds += time.perf_counter() - started
            audio_seconds += len(samples) / SAMPLE_RATE
            failures += failed
            wav = directory / f"s{seed}_{index:02d}.wav"
            wav.write_bytes(encode_wav(samples, SAMPLE_RATE))
            jobs.append((wav, text))
    records = evaluate(evaluator, jobs, directory / "eval.jsonl")
    f0s = [r["f0_median"] for r in records if r.get("f0_median")]
    return {
        "speaker": voice.info.speaker,
        "files": len(records),
        "cer": statistics.fmean(r["cer"] for r in records),
        "distillmos": statistics.fmean(r["distillmos"] for r in records),
        "failures": failures,
        "median_f0_hz": statistics.median(f0s) if f0s else 0.0,
        "rtf": synth_seconds / audio_seconds,
    }


def print_table(results: list[dict]) -> None:
    print("| speaker | CER | DistillMOS | failures | median F0 (Hz) | gender | exposed | tier |")
    print("|---|---|---|---|---|---|---|---|")
    for r in sorted(results, key=lambda r: r["cer"]):
        result = SweepResult(r["cer"], r["distillmos"], r["failures"], r["median_f0_hz"])
        gender = "male" if r["median_f0_hz"] < MALE_F0_BELOW_HZ else "female"
        print(f"| {r['speaker']} | {r['cer']:.3f} | {r['distillmos']:.2f} | {r['failures']} | "
              f"{r['median_f0_hz']:.0f} | {gender} | {'yes' if passes(result) else 'no'} | "
              f"{tier(result) if passes(result) else ''} |")
    print()
    for r in sorted(results, key=lambda r: r["speaker"]):
        print(f'    "{r["speaker"]}": SweepResult({r["cer"]:.3f}, {r["distillmos"]:.2f}, '
              f'{r["failures"]}, {r["median_f0_hz"]:.0f}),')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--speakers", default=",".join(ALL_SPEAKERS))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--table", action="store_true", help="print the table of OUT and exit")
    args = parser.parse_args()
    results_file = args.out / "results.jsonl"
    done = ([json.loads(line) for line in results_file.read_text().splitlines()]
            if results_file.exists() else [])
    if args.table:
        print_table(done)
        return 0
    evaluator = str(Path(subprocess.run(
        ["bash", str(TOOLS / "setup_eval.sh")], check=True, capture_output=True, text=True
    ).stdout.strip().splitlines()[-1]) / "bin" / "python")
    sentences = [s.strip() for s in (HERE / "sentences.txt").read_text().splitlines() if s.strip()]
    sentences += EXTRA_SENTENCES
    seeds = [int(s) for s in args.seeds.split(",")]
    models = shared_models(VoiceStore.default().pack_dir("mellotron"), threads=1)
    finished = {r["speaker"] for r in done}
    for speaker in args.speakers.split(","):
        if speaker in finished:
            continue
        voice = MellotronVoice(models, speaker_info(speaker))
        result = sweep_speaker(voice, sentences, seeds, args.out / speaker, evaluator)
        with results_file.open("a") as out:
            out.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
