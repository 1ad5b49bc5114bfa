"""Interleaved timing of the Mellotron vocoder (MelGAN in ONNX Runtime) at several thread settings.

The Mellotron acoustic model always runs on one BLAS thread, so the ``threads`` setting only
reaches the vocoder; this tells which value to use. One process: the mels of the first N bench
sentences are made once (seed 0), then every round vocodes all of them with each session in
turn, alternating the order (A B C, C B A, ...) so drift of a shared machine hits all alike.
Reports, per setting, the median over rounds of wall-clock RTF and of process CPU-time RTF
(CPU time counts every thread, so it shows what a second thread costs the other jobs), and the
per-round wall-clock ratio to the first setting.

    python bench/vocoder_threads.py [--rounds 7] [--sentences 6] [--speaker biaobei]
"""

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import onnxruntime

from huayin.prosody.request import ProsodyRequest
from huayin.text import analyze
from huayin.voices import VoiceStore
from huayin.voices.mellotron import pack
from huayin.voices.mellotron.speakers import speaker_info
from huayin.voices.mellotron.vocoder import HOP, vocode_in_chunks
from huayin.voices.mellotron.voice import MellotronVoice, shared_models

SENTENCES_FILE = Path(__file__).with_name("sentences.txt")
#: name → (intra-op threads, allow spinning): ONNX Runtime's pool threads spin while waiting
#: for work by default, which costs CPU on a shared machine.
SETTINGS = {"1": (1, True), "2": (2, True), "2-nospin": (2, False)}


def session(pack_dir: Path, threads: int, spinning: bool) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    return onnxruntime.InferenceSession(str(pack_dir / pack.VOCODER_FILE), options,
                                        providers=["CPUExecutionProvider"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sentences", type=int, default=6)
    parser.add_argument("--speaker", default="biaobei")
    options = parser.parse_args()

    pack_dir = VoiceStore.default().pack_dir("mellotron")
    models = shared_models(pack_dir, 1)
    voice = MellotronVoice(models, speaker_info(options.speaker))
    mels = []
    models.vocode = lambda mel: mels.append(mel) or np.zeros(0, np.float32)  # record, skip
    for sentence in SENTENCES_FILE.read_text().splitlines()[: options.sentences]:
        for clause in analyze(sentence).clauses:
            voice.synthesize_clause(clause, prosody=ProsodyRequest(), rng=np.random.default_rng(0))
    audio_seconds = sum(len(m) for m in mels) * HOP / models.config["sample_rate"]

    sessions = {name: session(pack_dir, *spec) for name, spec in SETTINGS.items()}

    def vocode_all(runner: onnxruntime.InferenceSession) -> tuple[float, float]:
        def generate(mel):
            return runner.run(["audio"], {"mel": np.ascontiguousarray(mel.T[None])})[0][0, 0]

        wall, cpu = time.perf_counter(), time.process_time()
        for mel in mels:
            vocode_in_chunks(generate, mel)
        return time.perf_counter() - wall, time.process_time() - cpu

    for runner in sessions.values():  # warm-up
        vocode_all(runner)
    wall = {name: [] for name in sessions}
    cpu = {name: [] for name in sessions}
    names = list(sessions)
    for round_index in range(options.rounds):
        for name in names if round_index % 2 == 0 else names[::-1]:
            seconds, cpu_seconds = vocode_all(sessions[name])
            wall[name].append(seconds / audio_seconds)
            cpu[name].append(cpu_seconds / audio_seconds)
    print(f"{len(mels)} clauses, {audio_seconds:.1f} s of audio, {options.rounds} rounds")
    first = names[0]
    for name in names:
        ratios = [w / f for w, f in zip(wall[name], wall[first])]
        print(f"threads {name:<9} wall RTF median {statistics.median(wall[name]):.4f}  "
              f"CPU RTF median {statistics.median(cpu[name]):.4f}  "
              f"wall / threads {first}: median {statistics.median(ratios):.2f} "
              f"(rounds {min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
