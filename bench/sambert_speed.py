"""Speed of an imported Sambert-HiFiGAN voice, stage by stage, at one BLAS thread.

Imports MODEL_DIR (a ModelScope Sambert-HiFiGAN directory; for a full-size random-weight one,
``scripts/sambert_reference.py --full DIR`` in a throwaway torch venv) into a scratch store, warms
up, then synthesizes the first N sentences of ``bench/sentences.txt`` clause by clause and prints
seconds per stage (encoder + variance adaptor, decoder, postnet, vocoder), RTF (by the wall clock
and the thread's CPU time) and the first-chunk latency of a streamed request::

    python bench/sambert_speed.py /tmp/sambert_full --sentences 5
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

SENTENCES_FILE = Path(__file__).with_name("sentences.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--sentences", type=int, default=5)
    args = parser.parse_args()
    os.environ["HUAYIN_HOME"] = tempfile.mkdtemp(prefix="sambert-bench-")

    import numpy as np
    from threadpoolctl import threadpool_limits

    from huayin.synth import Synthesizer
    from huayin.text.frontend import analyze
    from huayin.voices import VoiceStore
    from huayin.voices.sambert.linguistic import clause_symbols, encode
    from huayin.voices.sambert.pack import import_directory
    from huayin.voices.sambert.catalog import installed_speakers
    from huayin.voices.sambert.voice import shared_models

    threadpool_limits(limits=1, user_api="blas")
    store = VoiceStore.default()
    started = time.perf_counter()
    (imported,) = import_directory(Path(args.model_dir), store)
    print(f"import: {time.perf_counter() - started:.1f} s")
    models = shared_models(imported.directory)
    speaker = imported.speakers[0]
    params = sum(v.size for v in models.acoustic.w.values())
    print(f"acoustic model: {params / 1e6:.2f} M parameters; vocoder: "
          f"{models.vocoder_runtime}")
    texts = [line.strip() for line in SENTENCES_FILE.read_text().splitlines() if line.strip()]
    stages = dict.fromkeys(("encoder+adaptor", "decoder", "postnet", "vocoder"), 0.0)
    audio_seconds, cpu_total = 0.0, 0.0
    for index, text in enumerate(texts[: args.sentences + 1]):
        for clause in analyze(text).clauses:
            tokens = encode(clause_symbols(clause.tokens), models.vocabulary, "emotion_neutral",
                            speaker)
            cpu = time.thread_time()
            t0 = time.perf_counter()
            prosody = models.acoustic.prosody(tokens)
            t1 = time.perf_counter()
            decoded = np.concatenate(list(models.acoustic.decode_steps(prosody)))
            t2 = time.perf_counter()
            mel = models.acoustic.postnet(decoded, prosody.frames)
            t3 = time.perf_counter()
            samples = models.generate(mel)
            t4 = time.perf_counter()
            if index == 0:
                continue  # warm-up
            cpu_total += time.thread_time() - cpu
            for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                stages[name] += seconds
            audio_seconds += len(samples) / models.sample_rate
    total = sum(stages.values())
    print(f"audio {audio_seconds:.1f} s; " + ", ".join(
        f"{name} {seconds:.2f} s (RTF {seconds / audio_seconds:.3f})"
        for name, seconds in stages.items()))
    print(f"acoustic + vocoder RTF {total / audio_seconds:.3f} wall, "
          f"{cpu_total / audio_seconds:.3f} CPU")
    voice_id = next(s.voice_id for s in installed_speakers(store.root / "voices")
                    if s.pack == imported.pack)
    synthesizer = Synthesizer(store=store, threads=1)
    started = time.perf_counter()
    first = next(iter(synthesizer.stream(texts[1], voice=voice_id, early_start=True)))
    print(f"first chunk after {time.perf_counter() - started:.2f} s "
          f"({len(first.samples) / first.sample_rate:.2f} s of audio)")


if __name__ == "__main__":
    main()
