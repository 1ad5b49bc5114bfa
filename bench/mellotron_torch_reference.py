"""Speed of ttskit's original torch Mellotron + MelGAN at 1 thread, on huayin's own clauses.

A reference point for bench/mellotron_speed.py: the same clauses (same symbol ids, same speaker
code) run through ttskit 0.3.8's pickled torch models, on the same machine, so the NumPy/ONNX
reimplementation's RTF can be set against the original's.

Two modes, two interpreters:

* ``--dump IDS.npz`` runs in huayin's venv (no torch): the first ``--sentences`` lines of
  bench/sentences.txt, split by ``huayin.text.analyze`` into clauses, each encoded with
  ``huayin.voices.mellotron.symbols.encode_clause``, plus ``speaker_code(--speaker)``.
* ``--time IDS.npz --ttskit DIR`` runs in a THROWAWAY venv with CPU torch (never huayin's venv:
  huayin must not depend on torch). It sets torch to 1 intra-op and 1 inter-op thread, loads
  ``mellotron.kuangdd-mspk.pt`` and ``melgan.kuangdd.pt`` with ``torch.load`` as ttskit's
  ``load_*_torch`` do, warms up on the first clause, then per round runs every clause along
  ttskit's own path (sdk_api.tts_sdk_base with vocoder melgan):

  - acoustic: ``Tacotron2.inference((ids, 0, speaker, None))`` (style token 0, no f0) with the
    pickled decoder's own ``max_decoder_steps`` and ``gate_threshold`` and the prenet's
    always-on dropout (p=0.5, torch RNG; ``--seed`` seeds it once), then ``sigmoid(gate)`` and
    the cut at ``argmax(gate > 0.8)`` as the SDK does;
  - vocoder: ``Generator.inference(mel_postnet)`` as ``melgan.inference.generate_wave`` calls it
    (appends 10 frames of log(1e-5), forward, drops their 2560 samples, scales to int16),
    weight norm left on as ttskit leaves it.

  Each stage is timed by ``time.perf_counter`` (wall) and ``time.thread_time`` (CPU of this
  thread; at 1 thread torch computes on the calling thread). Audio seconds = vocoder output
  samples / 22050. RTF = seconds / audio seconds. Printed per round, then the medians over
  rounds (acoustic, vocoder, total), and how many clauses hit the decoder's step cap.

ttskit's modules import librosa, scipy, aukit (and mellotron/utils.py builds training hparams at
import), none of which inference needs: they are replaced by the empty stand-ins of
tests/fixtures/mellotron/ttskit_stubs.py (shared with record.py), so the venv needs only torch
and numpy.

Reproduce (from the repository root):

    python3 -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy      # the CPU wheel; no other version
    /tmp/torchenv/bin/pip download --no-deps ttskit==0.3.8 -d /tmp/ttskit_dl
    mkdir -p /tmp/ttskit_unpacked && unzip -q -o /tmp/ttskit_dl/ttskit-0.3.8-py3-none-any.whl \\
        -d /tmp/ttskit_unpacked
    .venv/bin/python bench/mellotron_torch_reference.py --dump /tmp/mellotron_ids.npz
    /tmp/torchenv/bin/python bench/mellotron_torch_reference.py --time /tmp/mellotron_ids.npz \\
        --ttskit /tmp/ttskit_unpacked/ttskit --rounds 5
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

SENTENCES_FILE = Path(__file__).with_name("sentences.txt")
STUBS_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mellotron"
SAMPLE_RATE = 22050
SDK_GATE_CUT = 0.8  # sdk_api.tts_sdk_base: kwargs.get('gate_threshold', 0.8)


def dump(options: argparse.Namespace) -> None:
    """huayin's venv: clause symbol ids and the speaker code → npz."""
    import numpy as np

    from huayin.text import analyze
    from huayin.voices.mellotron.acoustic import speaker_code
    from huayin.voices.mellotron.symbols import encode_clause

    sentences = SENTENCES_FILE.read_text(encoding="utf8").splitlines()[: options.sentences]
    arrays, texts = {}, []
    for sentence in sentences:
        for clause in analyze(sentence).clauses:
            ids = encode_clause(clause.tokens, clause.break_after).ids
            arrays[f"ids_{len(texts):03d}"] = ids.astype(np.int64)
            texts.append(clause.text)
    np.savez(options.dump, speaker=speaker_code(options.speaker), count=np.array(len(texts)),
             texts=np.array(texts), **arrays)
    lengths = [len(arrays[k]) for k in sorted(arrays)]
    print(f"{len(sentences)} sentences, {len(texts)} clauses, symbols per clause {lengths}"
          f" → {options.dump}")


def time_reference(options: argparse.Namespace) -> None:
    """Throwaway torch venv: time ttskit's pickled models on the dumped clauses."""
    import numpy as np
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(options.seed)
    sys.path.insert(0, str(STUBS_DIR))
    from ttskit_stubs import stub_ttskit_imports  # noqa: PLC0415

    stub_ttskit_imports()
    sys.path.insert(0, str(options.ttskit))
    import mellotron.model  # noqa: F401, PLC0415  (classes the pickles refer to)

    models = Path(options.ttskit) / "resource" / "model"
    tacotron = torch.load(models / "mellotron.kuangdd-mspk.pt", map_location="cpu",
                          weights_only=False).eval()
    melgan = torch.load(models / "melgan.kuangdd.pt", map_location="cpu", weights_only=False)
    melgan.eval()  # Generator.eval(inference=False): keeps weight norm; returns None
    cap = tacotron.decoder.max_decoder_steps
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}/"
          f"{torch.get_num_interop_threads()}; decoder max_decoder_steps {cap}, "
          f"gate_threshold {tacotron.decoder.gate_threshold}, "
          f"n_frames_per_step {getattr(tacotron.decoder, 'n_frames_per_step', '?')}")

    data = np.load(options.time)
    speaker = torch.from_numpy(data["speaker"])[None]
    clauses = [torch.from_numpy(data[f"ids_{i:03d}"])[None] for i in range(int(data["count"]))]

    def acoustic(ids):
        _, mel_postnet, gate, _ = tacotron.inference((ids, 0, speaker, None))
        out_gate = torch.sigmoid(gate).numpy()[0]
        frames = out_gate.shape[0]
        end = int(np.argmax(out_gate > SDK_GATE_CUT)) or int(np.argmax(out_gate)) or frames
        return mel_postnet[:, :, :end], frames

    def run(ids):
        started, cpu_started = time.perf_counter(), time.thread_time()
        mel, frames = acoustic(ids)
        mid, cpu_mid = time.perf_counter(), time.thread_time()
        samples = melgan.inference(mel).shape[-1]
        ended, cpu_ended = time.perf_counter(), time.thread_time()
        return (mid - started, cpu_mid - cpu_started, ended - mid, cpu_ended - cpu_mid,
                samples, frames)

    with torch.no_grad():
        run(clauses[0])
        results = []
        for round_index in range(options.rounds):
            rows = [run(ids) for ids in clauses]
            sums = [sum(column) for column in zip(*[row[:5] for row in rows])]
            ac_wall, ac_cpu, vo_wall, vo_cpu, samples = sums
            audio = samples / SAMPLE_RATE
            capped = sum(row[5] >= cap for row in rows)
            result = {
                "acoustic": ac_wall / audio, "acoustic_cpu": ac_cpu / audio,
                "vocoder": vo_wall / audio, "vocoder_cpu": vo_cpu / audio,
                "total": (ac_wall + vo_wall) / audio, "total_cpu": (ac_cpu + vo_cpu) / audio,
                "audio": audio, "capped": capped,
            }
            results.append(result)
            print(f"round {round_index + 1}: audio {audio:.2f} s, "
                  f"RTF wall/cpu acoustic {result['acoustic']:.3f}/{result['acoustic_cpu']:.3f}"
                  f" vocoder {result['vocoder']:.3f}/{result['vocoder_cpu']:.3f}"
                  f" total {result['total']:.3f}/{result['total_cpu']:.3f}; "
                  f"{capped}/{len(clauses)} clauses hit the {cap}-step cap", flush=True)
            if options.verbose:
                for index, row in enumerate(rows):
                    print(f"  clause {index}: {clauses[index].shape[1]} symbols, {row[5]} frames,"
                          f" {row[4] / SAMPLE_RATE:.2f} s audio, acoustic {row[0]:.2f} s,"
                          f" vocoder {row[2]:.2f} s")

    def median(key):
        return statistics.median(result[key] for result in results)

    print(f"median over {len(results)} rounds, {len(clauses)} clauses, "
          f"audio {median('audio'):.2f} s: RTF wall/cpu "
          f"acoustic {median('acoustic'):.3f}/{median('acoustic_cpu'):.3f}, "
          f"vocoder {median('vocoder'):.3f}/{median('vocoder_cpu'):.3f}, "
          f"total {median('total'):.3f}/{median('total_cpu'):.3f}; "
          f"capped clauses per round {[r['capped'] for r in results]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dump", type=Path, metavar="OUT.npz",
                      help="write clause ids (run with huayin's venv)")
    mode.add_argument("--time", type=Path, metavar="IDS.npz",
                      help="time ttskit's torch models on these ids (run with the torch venv)")
    parser.add_argument("--ttskit", type=Path, help="unpacked ttskit package dir (holds "
                        "mellotron/ and resource/model/)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=6)
    parser.add_argument("--speaker", default="biaobei")
    parser.add_argument("--seed", type=int, default=0, help="torch seed for prenet dropout")
    parser.add_argument("--verbose", action="store_true", help="per-clause lines")
    options = parser.parse_args()
    if options.dump:
        dump(options)
    else:
        if options.ttskit is None:
            parser.error("--time needs --ttskit")
        time_reference(options)


if __name__ == "__main__":
    main()
