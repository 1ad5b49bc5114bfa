"""Speech quality of a voice, measured by the offline evaluator in ../shared/tools.

Synthesizes bench/sentences.txt, then runs Whisper-base CER, DistillMOS and F0 statistics on the
WAVs with the evaluator's own venv (built by ../shared/tools/setup_eval.sh). Prints the
evaluator's per-file lines and a SUMMARY line; compare versions on the same sentences only.
A line ``TEXT|REFERENCE`` synthesizes TEXT and scores the recognizer against REFERENCE, the way a
person reads it (for text full of digits and symbols, whose written form is not what is said).

    .venv/bin/python bench/quality.py [--voice ID] [--seed 0] [--speed 1.0] [--out DIR]
        [--emotion happy] [--intensity 1.0]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from huayin.audio import encode_wav
from huayin.synth import Synthesizer
from huayin.voices import DEFAULT_VOICE

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parent.parent / "shared" / "tools"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--voice", default=DEFAULT_VOICE, help="voice id (default: the default voice)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--emotion", default="neutral", help="emotion preset or alias")
    parser.add_argument("--intensity", type=float, default=1.0, help="emotion strength 0-2")
    parser.add_argument("--sentences", type=Path, default=HERE / "sentences.txt")
    parser.add_argument("--out", type=Path, help="keep WAVs and results here (default: temp dir)")
    args = parser.parse_args()

    lines = [s.strip() for s in args.sentences.read_text().splitlines() if s.strip()]
    sentences = [line.partition("|")[0] for line in lines]
    references = [line.partition("|")[2] or line.partition("|")[0] for line in lines]
    out = args.out or Path(tempfile.mkdtemp(prefix="huayin-quality-"))
    out.mkdir(parents=True, exist_ok=True)
    synthesizer = Synthesizer()
    pairs = []
    for index, sentence in enumerate(tqdm(sentences, desc=f"synthesizing ({args.voice})")):
        audio = synthesizer.synthesize(sentence, voice=args.voice, speed=args.speed, seed=args.seed,
                                       emotion=args.emotion, intensity=args.intensity)
        wav = out / f"{args.voice}-{args.emotion}-{index:02d}.wav"
        wav.write_bytes(encode_wav(audio.samples, audio.sample_rate))
        pairs.append(f"{wav}={references[index]}")

    venv = subprocess.run(["bash", str(TOOLS / "setup_eval.sh")], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]
    command = [f"{venv}/bin/python", str(TOOLS / "speecheval.py"), str(out / "eval.jsonl"), *pairs]
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
