"""Speech quality of huayin revisions side by side, by the offline evaluator in ../shared/tools.

Every system — one git revision × one voice — synthesizes the same sentences (default
bench/sentences_hard.txt: numbers, dates, polyphones) with that revision's own code: the
revision is checked out with ``git worktree add --detach`` into a temporary folder and imported
from there (``PYTHONPATH``) by ``--python`` (default: this interpreter; give another venv's python
when the revision needs other packages). The evaluator (Whisper-base CER against the reference,
toneless pinyin error rate, DistillMOS, F0) then runs once over every WAV — Whisper is slow on
shared cores — and a table per system follows (means over sentences and seeds), then per
sentence the CER of each system (mean over seeds). Several ``--seed`` values average out the
voices' sampling (Baker keeps its dropout; Mellotron samples its prenet) and the recognizer's
sensitivity to small changes in the audio.

References are what a person reads aloud: a line ``TEXT|REFERENCE`` synthesizes TEXT and scores
against REFERENCE (the evaluator turns the recognizer's digits into characters, so a written
``400-820-8820`` could not serve as its own reference); a line without ``|`` is its own reference.

    .venv/bin/python bench/evaluate_speech.py --rev e186251^ --rev main \\
        --voice mellotron-biaobei --voice baker [--seed 0 --seed 1 ...] [--sentences FILE]
        [--out DIR]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from quality import read_sentences, run_evaluator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: Run inside the revision's checkout: every sentence with every seed to OUT/PREFIX-sS-NN.wav.
SYNTHESIZE = """
import json, sys
from pathlib import Path
import huayin
from huayin.audio import encode_wav
from huayin.synth import Synthesizer
job = json.loads(sys.argv[1])
print("huayin from", Path(huayin.__file__).parent, file=sys.stderr)
synthesizer = Synthesizer()
for seed in job["seeds"]:
    for index, text in enumerate(job["sentences"]):
        audio = synthesizer.synthesize(text, voice=job["voice"], seed=seed)
        wav = Path(job["out"]) / f"{job['prefix']}-s{seed}-{index:02d}.wav"
        wav.write_bytes(encode_wav(audio.samples, audio.sample_rate))
        print(wav)
"""


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def checkout(revision: str, stack: ExitStack) -> Path:
    """A temporary worktree of ``revision``, removed when ``stack`` closes."""
    folder = Path(tempfile.mkdtemp(prefix="huayin-rev-")) / "tree"
    git("worktree", "add", "--detach", "--quiet", str(folder), revision)
    stack.callback(lambda: git("worktree", "remove", "--force", str(folder)))
    return folder


def synthesize(tree: Path, python: str, sentences: list[str], voice: str, seeds: list[int],
               out: Path, prefix: str) -> list[Path]:
    """The sentences as WAVs, seed after seed, made by the huayin of ``tree`` (its ``src`` first
    on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    job = json.dumps({"sentences": sentences, "voice": voice, "seeds": seeds, "out": str(out),
                      "prefix": prefix})
    printed = subprocess.run([python, "-c", SYNTHESIZE, job], env=env, capture_output=True,
                             text=True)
    if printed.returncode != 0:
        raise SystemExit(f"synthesis with {tree} failed:\n{printed.stderr[-3000:]}")
    print(printed.stderr.strip().splitlines()[0], file=sys.stderr)
    return [Path(line) for line in printed.stdout.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rev", action="append", required=True,
                        help="git revision to evaluate (repeat; the first is the baseline)")
    parser.add_argument("--voice", action="append", required=True, help="voice id (repeat)")
    parser.add_argument("--seed", type=int, action="append",
                        help="sampling seed (repeat to average over several; default 0)")
    parser.add_argument("--sentences", type=Path, default=HERE / "sentences_hard.txt")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter that synthesizes (its packages; huayin comes from "
                             "the revision)")
    parser.add_argument("--out", type=Path, help="keep WAVs and results here (default: temp dir)")
    args = parser.parse_args()

    args.seed = args.seed or [0]
    sentences, references = read_sentences(args.sentences)
    out = args.out or Path(tempfile.mkdtemp(prefix="huayin-speech-"))
    out.mkdir(parents=True, exist_ok=True)
    systems: list[tuple[str, str, list[Path]]] = []  # (revision label, voice, wavs)
    with ExitStack() as stack:
        for revision in args.rev:
            label = f"{revision} ({git('rev-parse', '--short', revision)})"
            tree = checkout(revision, stack)
            for voice in args.voice:
                prefix = f"{git('rev-parse', '--short', revision)}-{voice}"
                print(f"synthesizing {len(sentences)} sentences x {len(args.seed)} seeds: "
                      f"{label}, {voice}", file=sys.stderr)
                wavs = synthesize(tree, args.python, sentences, voice, args.seed, out, prefix)
                systems.append((label, voice, wavs))
    pairs = [f"{wav}={reference}" for _, _, wavs in systems
             for wav, reference in zip(wavs, references * len(args.seed))]
    results, log = out / "eval.jsonl", out / "eval.log"
    code = run_evaluator(results, pairs, log)
    if code != 0:
        print(log.read_text()[-3000:], file=sys.stderr)
        return code
    rows = {row["wav"]: row for row in map(json.loads, results.open())}
    print_tables(args, systems, sentences, rows)
    print(next(line for line in log.read_text().splitlines() if line.startswith("SUMMARY")))
    print(f"WAVs and per-file rows: {out}")
    return 0


def print_tables(args, systems, sentences: list[str], rows: dict[str, dict]) -> None:
    """Per system: means over sentences and seeds; then per sentence: each system's mean CER."""
    seeds = ", ".join(map(str, args.seed))
    print(f"\n{args.sentences.name}, {len(sentences)} sentences, seed(s) {seeds}:")
    print("| revision | voice | CER | pinyin error | DistillMOS | F0 range (st) |")
    print("|---|---|---|---|---|---|")
    for label, voice, wavs in systems:
        mine = [rows[str(wav)] for wav in wavs]
        ranges = [r["f0_range_st"] for r in mine if r["f0_range_st"] is not None]
        print(f"| {label} | {voice} | {np.mean([r['cer'] for r in mine]):.3f} "
              f"| {np.mean([r['pinyin_err'] for r in mine]):.3f} "
              f"| {np.mean([r['distillmos'] for r in mine]):.2f} | {np.mean(ranges):.1f} |")
    names = [f"{label.split()[0]} {voice}" for label, voice, _ in systems]
    print("\nCER per sentence: " + " | ".join(names))
    for index, sentence in enumerate(sentences):
        cers = [np.mean([rows[str(wav)]["cer"] for wav in wavs[index::len(sentences)]])
                for _, _, wavs in systems]
        print(f"{index:2d} " + " ".join(f"{c:5.3f}" for c in cers) + f"  {sentence}")


if __name__ == "__main__":
    sys.exit(main())
