"""Interleaved A/B timing of the Mellotron voice, stage by stage (encoder, decoder loop, postnet,
vocoder), at a fixed thread count.

Each variant is a huayin source tree (plus optional environment, e.g. another ``HUAYIN_HOME``
holding a differently prepared pack). Every round runs each variant once in a fresh child
process, alternating the order (A B, B A, ...) so slow drift of a shared, noisy machine hits
both alike; only medians and within-round ratios mean anything. A child loads the models, warms
up on one sentence, then synthesizes the sentences clause by clause with seed 0 and reports
per-stage seconds and audio seconds. The first round's audio is compared across variants (max
abs sample difference), so a speed change that alters the output shows up at once.

    python bench/mellotron_speed.py                               # this tree only
    python bench/mellotron_speed.py --variant base=/tmp/base/src --variant new=src
    python bench/mellotron_speed.py --variant old=src,HUAYIN_HOME=/tmp/oldpack --variant new=src

RTF = seconds / audio seconds, by the wall clock and by the CPU time of the synthesizing thread
(1 thread: all the work runs there; on a busy machine the CPU time is the steadier figure, the
wall clock adds the time the thread waited for a core). "acoustic + vocoder" is encoder + masks + decoder + postnet +
vocoder (the issue's target); "clause" is the whole ``synthesize_clause`` (adds alignment checks,
trimming, speed stretch). The text front end is not included.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES_FILE = Path(__file__).with_name("sentences.txt")
STAGES = ("encoder", "masks", "decoder", "postnet", "vocoder")


def _worker(options: argparse.Namespace) -> None:
    """Child process: time one pass over the sentences with this interpreter's huayin."""
    import numpy as np

    from huayin.prosody.request import ProsodyRequest
    from huayin.text import analyze
    from huayin.voices import VoiceStore
    from huayin.voices.mellotron.speakers import speaker_info
    from huayin.voices.mellotron.voice import MellotronVoice, shared_models

    models = shared_models(VoiceStore.default().pack_dir("mellotron"), options.threads)
    voice = MellotronVoice(models, speaker_info(options.speaker))
    totals = dict.fromkeys(STAGES, 0.0)
    cpu_totals = dict.fromkeys(STAGES, 0.0)

    def timed(stage, function):
        def wrapper(*args, **kwargs):
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - started
                cpu_totals[stage] += time.thread_time() - cpu_started
        return wrapper

    def timed_steps(stage, generator_function):
        """Time every step of a step-by-step generator (the decoder: one frame per step)."""
        def wrapper(*args, **kwargs):
            steps = generator_function(*args, **kwargs)
            while True:
                started, cpu_started = time.perf_counter(), time.thread_time()
                try:
                    frames = next(steps)
                except StopIteration as finished:
                    return finished.value
                finally:
                    totals[stage] += time.perf_counter() - started
                    cpu_totals[stage] += time.thread_time() - cpu_started
                yield frames
        return wrapper

    acoustic = models.acoustic
    acoustic.encode = timed("encoder", acoustic.encode)
    acoustic.prenet_masks = timed("masks", acoustic.prenet_masks)
    # the voice decodes step by step (older trees call decode(), newer ones decode_steps())
    if hasattr(acoustic, "decode_steps"):
        acoustic.decode_steps = timed_steps("decoder", acoustic.decode_steps)
    else:
        acoustic.decode = timed("decoder", acoustic.decode)
    acoustic.refine = timed("postnet", acoustic.refine)
    models.vocode = timed("vocoder", models.vocode)

    sentences = SENTENCES_FILE.read_text().splitlines()[: options.sentences]
    clauses = [clause for sentence in sentences for clause in analyze(sentence).clauses]
    voice.synthesize_clause(clauses[0], prosody=ProsodyRequest(), rng=np.random.default_rng(0))
    totals.update(dict.fromkeys(STAGES, 0.0))
    cpu_totals.update(dict.fromkeys(STAGES, 0.0))

    audio, clause_seconds = [], 0.0
    for clause in clauses:
        started = time.perf_counter()
        result = voice.synthesize_clause(
            clause, prosody=ProsodyRequest(), rng=np.random.default_rng(0))
        clause_seconds += time.perf_counter() - started
        audio.append(result.samples)
    if options.save_audio:
        np.savez(options.save_audio, *audio)
    print(json.dumps({
        **totals, **{f"cpu_{stage}": value for stage, value in cpu_totals.items()},
        "clause": clause_seconds,
        "audio": sum(len(a) for a in audio) / models.config["sample_rate"],
    }))


def _parse_variant(text: str) -> tuple[str, str, dict[str, str]]:
    name, _, spec = text.partition("=")
    source, *assignments = spec.split(",")
    return name, str(Path(source).resolve()), dict(a.split("=", 1) for a in assignments)


def _run_child(variant, options, save_audio: str | None) -> dict:
    name, source, env = variant
    command = [sys.executable, __file__, "--worker", "--threads", str(options.threads),
               "--speaker", options.speaker, "--sentences", str(options.sentences)]
    if save_audio:
        command += ["--save-audio", save_audio]
    child_env = {**os.environ, "PYTHONPATH": source, **env}
    result = subprocess.run(command, env=child_env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"variant {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _max_difference(first: str, second: str) -> float:
    import numpy as np

    with np.load(first) as a, np.load(second) as b:
        worst = 0.0
        for key in a.files:
            x, y = a[key], b[key]
            if len(x) != len(y):
                return float("inf")
            worst = max(worst, float(np.abs(x - y).max()))
        return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=SRC_DIR[,ENV=VALUE...] (default: this tree's src)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--speaker", default="biaobei")
    parser.add_argument("--sentences", type=int, default=6)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--save-audio", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        _worker(options)
        return

    variants = [_parse_variant(v) for v in options.variant] or [
        ("this", str(Path(__file__).resolve().parents[1] / "src"), {})]
    runs: dict[str, list[dict]] = {v[0]: [] for v in variants}
    with tempfile.TemporaryDirectory(prefix="mellotron-speed-") as scratch:
        audio_files = {}
        for round_index in range(options.rounds):
            order = variants if round_index % 2 == 0 else variants[::-1]
            for variant in order:
                save = None
                if round_index == 0:
                    save = audio_files[variant[0]] = f"{scratch}/{variant[0]}.npz"
                runs[variant[0]].append(_run_child(variant, options, save))
            print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
        first = variants[0][0]
        differences = {name: _max_difference(audio_files[first], path)
                       for name, path in audio_files.items() if name != first}

    audio = runs[first][0]["audio"]
    print(f"mellotron-{options.speaker.lower()}, {options.threads} thread(s), "
          f"{options.sentences} sentences = {audio:.1f} s of audio, {options.rounds} rounds; "
          "medians, RTF = seconds / audio seconds")
    for name, results in runs.items():
        for result in results:
            result["acoustic+vocoder"] = sum(result[s] for s in STAGES)
            result["cpu_acoustic+vocoder"] = sum(result[f"cpu_{s}"] for s in STAGES)
    for title, prefix in (("wall clock", ""), ("CPU time of the synthesizing thread", "cpu_")):
        columns = (*STAGES, "acoustic+vocoder") + (("clause",) if not prefix else ())
        print(f"{title}:")
        print(f"{'variant':<12}" + "".join(f"{c:>17}" for c in columns))
        for name, results in runs.items():
            cells = [f"{statistics.median(r[prefix + c] for r in results):7.3f}s "
                     f"{statistics.median(r[prefix + c] / r['audio'] for r in results):.4f}"
                     for c in columns]
            print(f"{name:<12}" + "".join(f"{c:>17}" for c in cells))
    for name, _, _ in variants[1:]:
        for title, prefix in (("wall", ""), ("CPU", "cpu_")):
            pairs = list(zip(runs[first], runs[name]))
            ratios = [b[prefix + "acoustic+vocoder"] / a[prefix + "acoustic+vocoder"]
                      for a, b in pairs]
            stage_ratios = {s: statistics.median(b[prefix + s] / a[prefix + s] for a, b in pairs)
                            for s in ("encoder", "decoder", "postnet", "vocoder")}
            print(f"{name} / {first} ({title}): acoustic+vocoder time ratio median "
                  f"{statistics.median(ratios):.3f} (rounds: "
                  f"{', '.join(f'{r:.3f}' for r in ratios)}); per stage "
                  + ", ".join(f"{s} {r:.3f}" for s, r in stage_ratios.items()))
        print(f"{name} vs {first}: max abs audio difference {differences[name]:.2e}")

if __name__ == "__main__":
    main()
