"""Front-end speed: cold start, warm cost per character, and pathological inputs.

    .venv/bin/python bench/frontend_speed.py [--cold-runs 3] [--warm-runs 5]

- cold start: a fresh interpreter imports :mod:`huayin.text` and analyzes one sentence; import
  and first call are timed separately (median of ``--cold-runs`` processes). The issue asks for a
  first call within 1.5 s.
- warm: ms per character of :func:`huayin.text.analyze` on ordinary text (the bench sentences,
  repeated to about 5,000 characters), median of ``--warm-runs``. The issue asks for ≤ 2 ms/char.
- pathological: 100,000 commas, 100,000 digits, and a 20,000-character clause with no
  punctuation at all (phrasing and clause cutting must stay near linear), one run each.

Timings on a shared machine are noisy: compare versions by running both in one session,
interleaved, and read medians, not single runs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLD_CODE = """
import json, time
start = time.perf_counter()
from huayin.text import analyze
imported = time.perf_counter()
analyze("2023年10月1日上午9:30，银行行长在3号楼说，这个行业的发展前景很好。")
done = time.perf_counter()
print(json.dumps({"import_s": imported - start, "first_call_s": done - imported}))
"""


def ordinary_text(chars: int = 5000) -> str:
    """The bench sentences (raw side of sentences_hard), repeated to about ``chars``."""
    lines = (HERE / "sentences.txt").read_text().splitlines()
    lines += [line.split("|")[0] for line in (HERE / "sentences_hard.txt").read_text().splitlines()]
    block = "".join(line.strip() for line in lines if line.strip())
    return block * (chars // len(block) + 1)


def pathological_texts() -> dict[str, str]:
    """Inputs that break front ends with quadratic steps."""
    clause = "研究表明每天坚持锻炼半小时可以显著降低患心脏病的风险"
    return {
        "100k commas": "，" * 100_000,
        "100k digits": "7" * 100_000,
        "20k-char clause, no punctuation": (clause * (20_000 // len(clause) + 1))[:20_000],
    }


def cold_start(runs: int) -> dict[str, float]:
    """Median import and first-call seconds over ``runs`` fresh interpreters."""
    env = dict(os.environ)
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD_CODE], env=env, check=True,
                             capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args()

    cold = cold_start(args.cold_runs)
    print(f"cold start (median of {args.cold_runs}): import {cold['import_s']:.2f} s, "
          f"first analyze {cold['first_call_s']:.2f} s, "
          f"total {cold['import_s'] + cold['first_call_s']:.2f} s (issue: first call ≤ 1.5 s)")

    sys.path.insert(0, str(HERE.parent / "src"))
    from huayin.text import analyze

    text = ordinary_text()
    analyze(text)  # warm: dictionaries and models loaded
    times = []
    for _ in range(args.warm_runs):
        start = time.perf_counter()
        analyze(text)
        times.append(time.perf_counter() - start)
    per_char = statistics.median(times) * 1000 / len(text)
    print(f"warm, {len(text)} chars of ordinary text (median of {args.warm_runs}): "
          f"{per_char:.3f} ms/char (issue: ≤ 2 ms/char)")

    for name, text in pathological_texts().items():
        start = time.perf_counter()
        utterance = analyze(text)
        seconds = time.perf_counter() - start
        print(f"{name}: {seconds:.2f} s, {seconds * 1000 / len(text):.3f} ms/char, "
              f"{len(utterance.clauses)} clauses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
