"""The Baker FastSpeech2 + Multi-band MelGAN voice on LiteRT (``ai-edge-litert``)."""

import contextlib
import os
import sys
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from huayin.prosody.request import ProsodyRequest
from huayin.text.utterance import Clause
from huayin.voices.baker import pack
from huayin.voices.baker.graph import HIDDEN_SIZE
from huayin.voices.baker.symbols import BakerSymbols
from huayin.voices.base import ClauseAudio, Voice, VoiceInfo

SAMPLE_RATE = 24000
HOP = 300  # samples per mel frame
#: The length regulator gathers at most this many frames per call.
MAX_FRAMES = 2048
#: Generous upper bound of frames per syllable at speed 1 (measured ≈ 17–20 on normal text).
FRAMES_PER_TOKEN_BOUND = 32
#: Silence kept at clause edges, in frames; the pause after a clause is added by the engine.
KEEP_LEADING_SILENCE = 2
KEEP_TRAILING_SILENCE = 3

INFO = VoiceInfo(
    id="baker",
    display_name="Baker 标贝 (female, FastSpeech2)",
    gender="female",
    sample_rate=SAMPLE_RATE,
    engine="litert/fastspeech2+mb-melgan",
    source=f"PyPI wheel {pack.REQUIREMENT} (read as data)",
    license=pack.LICENSE,
    pack=pack.PACK,
)


@contextlib.contextmanager
def _native_stderr_silenced():
    """Hide the runtime's one-line "Created XNNPACK delegate" banner (written by C++ to fd 2)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _Model:
    """A LiteRT interpreter addressed by tensor names, resized only when a shape changes."""

    def __init__(self, path: Path, threads: int, initial_shapes: dict[str, tuple[int, ...]]):
        with _native_stderr_silenced():
            self.interpreter = Interpreter(model_path=str(path), num_threads=threads)
            self.inputs = {d["name"]: d["index"] for d in self.interpreter.get_input_details()}
            self.outputs = {d["name"]: d["index"] for d in self.interpreter.get_output_details()}
            for name, shape in initial_shapes.items():
                self.interpreter.resize_tensor_input(self.inputs[name], shape)
            self.interpreter.allocate_tensors()  # the delegate (and its banner) is made here
        self._shapes: dict[str, tuple[int, ...]] = dict(initial_shapes)

    def run(self, feeds: dict[str, np.ndarray], fetch: list[str]) -> list[np.ndarray]:
        resized = False
        for name, value in feeds.items():
            if self._shapes.get(name) != value.shape:
                self.interpreter.resize_tensor_input(self.inputs[name], value.shape)
                self._shapes[name] = value.shape
                resized = True
        if resized:
            self.interpreter.allocate_tensors()
        for name, value in feeds.items():
            self.interpreter.set_tensor(self.inputs[name], value)
        self.interpreter.invoke()
        return [self.interpreter.get_tensor(self.outputs[name]) for name in fetch]


class BakerVoice(Voice):
    """Loads the pack once; one instance serves requests one clause at a time (not thread-safe)."""

    info = INFO

    def __init__(self, pack_dir: Path, threads: int):
        self.symbols = BakerSymbols(pack_dir / pack.SYMBOLS_FILE)
        self.acoustic = _Model(pack_dir / pack.ACOUSTIC_FILE, threads, {})
        self.vocoder = _Model(pack_dir / pack.VOCODER_FILE, threads, {"mels": (1, 64, 80)})

    def max_clause_tokens(self, speed: float) -> int:
        frames_per_token = FRAMES_PER_TOKEN_BOUND / min(speed, 1.0)
        return max(4, int(MAX_FRAMES / frames_per_token))

    def synthesize_clause(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator
    ) -> ClauseAudio:
        speed = prosody.speed
        sequence = self.symbols.encode(clause.tokens)
        length = len(sequence.ids)
        mel, durations = self.acoustic.run(
            {
                "input_ids": sequence.ids[None, :],
                "speaker_ids": np.zeros(1, np.int32),
                # FastSpeech2's ratio scales durations: > 1 is slower, the inverse of our speed.
                "speed_ratios": np.array([1.0 / speed], np.float32),
                "f0_ratios": np.ones(1, np.float32),
                "energy_ratios": np.ones(1, np.float32),
                "rng_f0": rng.random((1, length, HIDDEN_SIZE), dtype=np.float32),
                "rng_energy": rng.random((1, length, HIDDEN_SIZE), dtype=np.float32),
            },
            ["Identity_1", "Identity_2"],  # mel after postnet, per-symbol durations (frames)
        )
        frames = np.concatenate([[0], np.cumsum(durations[0].astype(np.int64))])
        first, last = KEEP_LEADING_SILENCE, KEEP_TRAILING_SILENCE
        # Trim the model's own edge silence so the engine alone decides pause lengths.
        start_frame = max(0, frames[1] - first)
        end_frame = min(frames[-1], frames[-3] + last)  # closing sil is the second-to-last symbol
        (audio,) = self.vocoder.run({"mels": mel[:, start_frame:end_frame]}, ["Identity"])
        token_starts = (frames[sequence.token_first_symbol] - start_frame) * HOP
        return ClauseAudio(audio[0, :, 0].astype(np.float32), token_starts.astype(np.int64))
