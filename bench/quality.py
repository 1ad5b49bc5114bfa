"""Speech quality of a voice, measured by the offline evaluator in ../shared/tools.

Synthesizes bench/sentences.txt, then runs Whisper-base CER, DistillMOS and F0 statistics on the
WAVs with the evaluator's own venv (built by ../shared/tools/setup_eval.sh). Prints the
evaluator's per-file lines and a SUMMARY line; compare versions on the same sentences only.
A line ``TEXT|REFERENCE`` synthesizes TEXT and scores the recognizer against REFERENCE, the way a
person reads it (for text full of digits and symbols, whose written form is not what is said).

With several emotions (``--emotion neutral happy sad ...``) every emotion is synthesized, the
evaluator runs once over all files, and a table follows: per emotion the mean change of F0
median, F0 range, syllable rate and RMS level (:mod:`huayin.prosody.features`) against the first
emotion given, and mean CER and DistillMOS with their change.

    .venv/bin/python bench/quality.py [--voice ID] [--seed 0] [--speed 1.0] [--out DIR]
        [--emotion happy [sad ...]] [--intensity 1.0] [--count N]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from tqdm import tqdm

from huayin.audio import encode_wav
from huayin.prosody.features import delivery_features
from huayin.synth import Synthesizer
from huayin.voices import DEFAULT_VOICE

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parent.parent / "shared" / "tools"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--voice", default=DEFAULT_VOICE, help="voice id (default: the default voice)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--emotion", nargs="+", default=["neutral"],
                        help="emotion preset(s) or alias(es); the first is the baseline")
    parser.add_argument("--intensity", type=float, default=1.0, help="emotion strength 0-2")
    parser.add_argument("--sentences", type=Path, default=HERE / "sentences.txt")
    parser.add_argument("--count", type=int, help="only the first N sentences")
    parser.add_argument("--out", type=Path, help="keep WAVs and results here (default: temp dir)")
    args = parser.parse_args()

    sentences, references = read_sentences(args.sentences, args.count)
    out = args.out or Path(tempfile.mkdtemp(prefix="huayin-quality-"))
    out.mkdir(parents=True, exist_ok=True)
    synthesizer = Synthesizer()
    pairs, features = [], {}
    for emotion in args.emotion:
        rows = []
        for index, sentence in enumerate(tqdm(sentences, desc=f"{args.voice} {emotion}")):
            audio = synthesizer.synthesize(sentence, voice=args.voice, speed=args.speed,
                                           seed=args.seed, emotion=emotion,
                                           intensity=args.intensity)
            wav = out / f"{args.voice}-{emotion}-{index:02d}.wav"
            wav.write_bytes(encode_wav(audio.samples, audio.sample_rate))
            pairs.append(f"{wav}={references[index]}")
            rows.append(delivery_features(audio.samples, audio.sample_rate, len(audio.timings)))
        features[emotion] = np.mean(rows, axis=0)

    results = out / "eval.jsonl"
    code = run_evaluator(results, pairs)
    if code == 0 and len(args.emotion) > 1:
        print_emotion_table(args, features, [json.loads(line) for line in results.open()])
    return code


def read_sentences(path: Path, count: int | None = None) -> tuple[list[str], list[str]]:
    """The texts to synthesize and the references to score them against (``TEXT|REFERENCE``
    lines: what a person reads aloud; a line without ``|`` is its own reference)."""
    lines = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    lines = lines[:count] if count else lines
    return ([line.partition("|")[0] for line in lines],
            [line.partition("|")[2] or line.partition("|")[0] for line in lines])


def run_evaluator(results: Path, pairs: list[str], log: Path | None = None) -> int:
    """Run the evaluator once over ``WAV=TEXT`` pairs (building its venv the first time); its
    rows go to ``results`` (JSON lines), its printout to ``log`` if given (else to stdout);
    returns its exit status."""
    venv = subprocess.run(["bash", str(TOOLS / "setup_eval.sh")], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]
    command = [f"{venv}/bin/python", str(TOOLS / "speecheval.py"), str(results), *pairs]
    if log is None:
        return subprocess.run(command).returncode
    with log.open("w") as output:
        return subprocess.run(command, stdout=output).returncode


def print_emotion_table(args, features: dict[str, np.ndarray], rows: list[dict]) -> None:
    """Per emotion: feature changes, CER and DistillMOS against the first emotion."""
    def scores(emotion: str) -> tuple[float, float]:
        mine = [r for r in rows if Path(r["wav"]).name.startswith(f"{args.voice}-{emotion}-")]
        return (float(np.mean([r["cer"] for r in mine])),
                float(np.mean([r["distillmos"] for r in mine])))

    base = args.emotion[0]
    base_cer, base_mos = scores(base)
    print(f"\n{args.voice}, intensity {args.intensity}, seed {args.seed}, changes vs {base}:")
    print("| emotion | ΔF0 median | ΔF0 range | Δrate | Δloudness | CER (Δ) | DistillMOS (Δ) |")
    print("|---|---|---|---|---|---|---|")
    for emotion in args.emotion:
        median, spread, rate, level = features[emotion] - features[base]
        cer, mos = scores(emotion)
        relative = 100 * rate / features[base][2]
        print(f"| {emotion} | {median:+.2f} st | {spread:+.2f} st | {rate:+.2f} syl/s "
              f"({relative:+.0f} %) | {level:+.1f} dB | {cer:.3f} ({100 * (cer - base_cer):+.1f}) "
              f"| {mos:.2f} ({mos - base_mos:+.2f}) |")
    print(f"{base}: F0 median {features[base][0]:.2f} st, range {features[base][1]:.1f} st, "
          f"{features[base][2]:.2f} syl/s, {features[base][3]:.1f} dBFS")


if __name__ == "__main__":
    sys.exit(main())
