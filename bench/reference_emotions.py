"""Can a reference clip's emotion be named from its measurements? The check behind dropping the
"nearest emotion" label (it was the ``X-Reference-Emotion`` header).

Synthesizes clips (two sentences of bench/sentences.txt each, 3–30 s) with huayin's own voices
in every emotion preset at intensity 1, measures each with
:func:`huayin.prosody.reference.analyze_reference`, names the preset nearest to the measurements
the way huayin did until 2026-12-04 (each preset's measured profile, scaled by an intensity of
0.5–2, in a weighted space; kept here as it was) and prints the confusion matrix (rows: emotion
spoken, columns: nearest emotion), accuracy per voice and overall. Clips given with ``--clips
DIR`` (files named ``<emotion>_*.wav``, e.g. human recordings) are added as their own "voice".
Result on 2026-12-04: 33/96 = 34 % (Baker 58 %, Mellotron voices 17–38 %).

    .venv/bin/python bench/reference_emotions.py [--voice ID ...] [--clips-per-cell 3]
        [--clips DIR] [--json OUT]
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import math

import numpy as np

from huayin.audio.decode import decode_clip
from huayin.prosody.emotions import EMOTIONS
from huayin.prosody.reference import (
    NEUTRAL_LEVEL_DBFS,
    NEUTRAL_PAUSE_RATIO,
    NEUTRAL_RANGE_ST,
    NEUTRAL_SYLLABLES_PER_SECOND,
    ReferenceAnalysis,
    analyze_reference,
)
from huayin.synth import Synthesizer

HERE = Path(__file__).resolve().parent
DEFAULT_VOICES = ["baker", "mellotron-biaobei", "mellotron-siyue", "mellotron-aicheng"]


#: How each preset at intensity 1 measured on the Baker voice, relative to neutral: (F0 level st,
#: F0 range st, rate ratio, level dB, pause-ratio difference); the classifier's weights.
PRESET_PROFILES: dict[str, tuple[float, float, float, float, float]] = {
    "happy": (+1.65, +0.86, 1.058, +3.06, -0.017),
    "sad": (-1.73, -1.16, 0.862, -5.24, +0.027),
    "angry": (+1.43, +0.66, 1.049, +5.02, -0.029),
    "fear": (+1.58, -2.64, 1.109, -3.00, +0.019),
    "surprise": (+2.39, +1.10, 0.981, +3.67, -0.006),
    "disgust": (-1.74, -0.86, 0.890, -2.70, +0.016),
    "calm": (-1.04, -1.27, 0.937, -3.59, +0.024),
}
PROFILE_WEIGHTS = np.array([1.0, 1.0, 8.0, 0.15, 10.0])


def _profile_vector(profile) -> np.ndarray:
    level, spread, rate, loudness, pauses = profile
    return PROFILE_WEIGHTS * np.array([level, spread, math.log(rate), loudness, pauses])


def nearest_emotion(analysis: ReferenceAnalysis) -> str:
    """The preset whose profile, scaled by an intensity of 0.5–2, is nearest to the clip's;
    "neutral" when none is nearer than neutral itself."""
    clip = _profile_vector((
        analysis.targets.pitch_shift, analysis.f0_range - NEUTRAL_RANGE_ST,
        analysis.syllable_rate / NEUTRAL_SYLLABLES_PER_SECOND,
        analysis.speech_level - NEUTRAL_LEVEL_DBFS, analysis.pause_ratio - NEUTRAL_PAUSE_RATIO))
    best = ("neutral", float(np.linalg.norm(clip)))
    for name, profile in PRESET_PROFILES.items():
        preset = _profile_vector(profile)
        scale = float(np.clip(round(2 * clip @ preset / (preset @ preset)) / 2, 0.5, 2.0))
        distance = float(np.linalg.norm(clip - scale * preset))
        if distance < best[1]:
            best = (name, distance)
    return best[0]


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
    _print_matrix("all clips", [(e, nearest_emotion(a)) for _, e, a in rows], labels)
    for source in dict.fromkeys(s for s, _, _ in rows):
        pairs = [(e, nearest_emotion(a)) for s, e, a in rows if s == source]
        hits = sum(e == n for e, n in pairs)
        print(f"{source}: {hits}/{len(pairs)} = {hits / len(pairs):.0%}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"source": s, "emotion": e, "nearest": nearest_emotion(a), **a.to_dict()}
             for s, e, a in rows], indent=1))
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
