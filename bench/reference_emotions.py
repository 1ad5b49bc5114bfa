"""How often the reference-clip analysis names the emotion a clip was spoken with.

Synthesizes clips (two sentences of bench/sentences.txt each, 3–30 s) with huayin's own voices
in every emotion preset at intensity 1, runs :func:`huayin.prosody.reference.analyze_reference`
on each, and prints the confusion matrix (rows: emotion spoken, columns: nearest emotion
reported), accuracy per voice and overall. Clips given with ``--clips DIR`` (files named
``<emotion>_*.wav``, e.g. human recordings) are added as their own "voice".

    .venv/bin/python bench/reference_emotions.py [--voice ID ...] [--clips-per-cell 3]
        [--clips DIR] [--json OUT]
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from huayin.audio.decode import decode_clip
from huayin.prosody.emotions import EMOTIONS
from huayin.prosody.reference import analyze_reference
from huayin.synth import Synthesizer

HERE = Path(__file__).resolve().parent
DEFAULT_VOICES = ["baker", "mellotron-biaobei", "mellotron-siyue", "mellotron-aicheng"]


def _texts(count: int) -> list[str]:
    lines = [line.strip() for line in (HERE / "sentences.txt").read_text().splitlines()
             if line.strip()]
    return [lines[2 * i % len(lines)] + lines[(2 * i + 1) % len(lines)] for i in range(count)]


def _labels() -> list[str]:
    return ["neutral", *[e for e in EMOTIONS if e != "neutral"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--voice", action="append", help="voice id (repeatable)")
    parser.add_argument("--clips-per-cell", type=int, default=3)
    parser.add_argument("--clips", help="folder of <emotion>_*.wav clips to add")
    parser.add_argument("--json", help="write every clip's measurements here")
    args = parser.parse_args()
    labels = _labels()
    synthesizer = Synthesizer(threads=1)
    rows = []  # (source, spoken emotion, analysis)
    for voice in args.voice or DEFAULT_VOICES:
        for emotion in labels:
            for seed, text in enumerate(_texts(args.clips_per_cell)):
                audio = synthesizer.synthesize(text, voice=voice, emotion=emotion, seed=seed)
                rows.append((voice, emotion, analyze_reference(audio.samples, audio.sample_rate)))
            print(f"{voice} {emotion}: done", file=sys.stderr)
    if args.clips:
        for path in sorted(Path(args.clips).glob("*.wav")):
            emotion = path.stem.split("_")[0]
            if emotion in labels:
                rows.append(("clips", emotion, analyze_reference(*decode_clip(path.read_bytes(),
                                                                               30.0))))
    _print_matrix("all clips", [(e, a.nearest_emotion) for _, e, a in rows], labels)
    for source in dict.fromkeys(s for s, _, _ in rows):
        pairs = [(e, a.nearest_emotion) for s, e, a in rows if s == source]
        hits = sum(e == n for e, n in pairs)
        print(f"{source}: {hits}/{len(pairs)} = {hits / len(pairs):.0%}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"source": s, "emotion": e, **a.to_dict()} for s, e, a in rows], indent=1))
    return 0


def _print_matrix(title: str, pairs: list[tuple[str, str]], labels: list[str]) -> None:
    counts = Counter(pairs)
    width = max(map(len, labels)) + 1
    print(f"\n{title}: rows = emotion spoken, columns = nearest emotion reported")
    print(" " * width + "".join(f"{name[:7]:>8}" for name in labels) + "   right")
    for spoken in labels:
        row = [counts[(spoken, reported)] for reported in labels]
        total = sum(row)
        print(f"{spoken:<{width}}" + "".join(f"{n:>8}" for n in row)
              + f"   {counts[(spoken, spoken)] / max(total, 1):.0%}")
    hits = sum(counts[(e, e)] for e in labels)
    print(f"accuracy {hits}/{len(pairs)} = {hits / max(len(pairs), 1):.0%} "
          f"(chance {1 / len(labels):.0%})")


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
