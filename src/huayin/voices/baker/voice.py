"""The Baker FastSpeech2 + Multi-band MelGAN voice on LiteRT (``ai-edge-litert``).

FastSpeech2 runs in two halves (made at install, see :mod:`~huayin.voices.baker.split`): the
predictor gives per-symbol durations, pitch and energy; the request's prosody targets reshape
them (:mod:`~huayin.voices.baker.contours`); the synthesizer renders the mel from the result.
"""

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from huayin.prosody.emphasis import token_levels
from huayin.prosody.request import ProsodyRequest
from huayin.text.utterance import Break, Clause
from huayin.voices.baker import pack
from huayin.voices.baker.contours import shape_contours
from huayin.voices.baker.graph import HIDDEN_SIZE
from huayin.voices.baker.split import PREDICT, SYNTHESIZE
from huayin.voices.baker.symbols import BakerSymbols
from huayin.voices.base import ClauseAudio, ClauseParts, Voice, VoiceInfo
from huayin.voices.store import require_pack_format

SAMPLE_RATE = 24000
HOP = 300  # samples per mel frame
#: The length regulator gathers at most this many frames per call.
MAX_FRAMES = 2048
#: Generous upper bound of frames per syllable at speed 1 (measured ≈ 17–20 on normal text).
FRAMES_PER_TOKEN_BOUND = 32
#: Silence kept at clause edges, in frames; the pause after a clause is added by the engine.
KEEP_LEADING_SILENCE = 2
#: Mel frames on each side that Multi-band MelGAN's output depends on (its receptive field):
#: with this much context, vocoding in pieces gives exactly the samples of one whole call.
VOCODER_CONTEXT_FRAMES = 24
#: The last syllable decays on into the closing ``sil`` (≈ 100 ms, from about −15 to −40 dB):
#: a clause ends at the first frame after the ``sil`` starts whose level is below this, not at
#: the ``sil``'s start (cutting there left the final 20 ms at −16 to −27 dB, an audible chop).
TAIL_FLOOR_DB = -55.0
#: The kept decay fades out (cos²) from the ``sil``'s start to the cut, over at least this long
#: (5 ms): the release sounds natural, the last 20 ms sit near the noise floor (−62 to −70 dB, as
#: Mellotron's), and the decay's falling pitch barely counts in pitch statistics.
FADE_OUT_SAMPLES = 120

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


@dataclass
class SymbolProsody:
    """FastSpeech2's per-symbol predictions for one clause (all arrays have length T)."""

    hidden: np.ndarray
    """Encoder state, float32 ``[1, T, 256]``; the synthesizer's conditioning."""
    durations: np.ndarray
    """Frames per symbol before rounding, float32 ``[T]``."""
    pitch: np.ndarray
    """Pitch in the model's normalised units, float32 ``[T]`` (see :mod:`.contours`)."""
    energy: np.ndarray
    """Energy in the model's normalised units, float32 ``[T]``."""


class BakerVoice(Voice):
    """Loads the pack once. LiteRT interpreters are not thread-safe, so every call of one holds
    its lock: threads may share the voice, each interpreter runs one call at a time."""

    info = INFO

    def __init__(self, pack_dir: Path, threads: int):
        require_pack_format(pack_dir, pack.PACK, pack.FORMAT)
        self.symbols = BakerSymbols(pack_dir / pack.SYMBOLS_FILE)
        # One lock per interpreter: one thread may vocode while another runs the acoustic model.
        self._acoustic_lock = threading.Lock()
        self._vocoder_lock = threading.Lock()
        with _native_stderr_silenced():
            self._acoustic = Interpreter(
                model_path=str(pack_dir / pack.ACOUSTIC_FILE), num_threads=threads)
            self._predict = self._acoustic.get_signature_runner(PREDICT)
            self._synthesize = self._acoustic.get_signature_runner(SYNTHESIZE)
            # One tiny call each, so the delegate (and its banner) is made while stderr is muted.
            warm = self.predict(np.array([1, 1, 218], np.int32))
            self._synthesize(hidden=warm.hidden, durations=np.ones((1, 3), np.int32),
                             pitch=warm.pitch[None], energy=warm.energy[None],
                             rng_f0=np.zeros((1, 3, HIDDEN_SIZE), np.float32),
                             rng_energy=np.zeros((1, 3, HIDDEN_SIZE), np.float32))
        self.vocoder = _Model(pack_dir / pack.VOCODER_FILE, threads, {"mels": (1, 64, 80)})

    def max_clause_tokens(self, speed: float) -> int:
        frames_per_token = FRAMES_PER_TOKEN_BOUND / min(speed, 1.0)
        return max(4, int(MAX_FRAMES / frames_per_token))

    def predict(self, ids: np.ndarray) -> SymbolProsody:
        """Run the prosody predictor on symbol ids ``[T]``."""
        with self._acoustic_lock:
            out = self._predict(input_ids=ids[None, :])
        return SymbolProsody(out["hidden"], out["durations"][0], out["pitch"][0],
                             out["energy"][0])

    def render(
        self, hidden: np.ndarray, frames: np.ndarray, pitch: np.ndarray, energy: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Mel ``[1, frames, 80]`` from per-symbol int frames, pitch and energy (length T)."""
        length = hidden.shape[1]
        # The f0 field is drawn before the energy field: the order the seed has always meant.
        rng_f0 = rng.random((1, length, HIDDEN_SIZE), dtype=np.float32)
        rng_energy = rng.random((1, length, HIDDEN_SIZE), dtype=np.float32)
        with self._acoustic_lock:
            out = self._synthesize(
                hidden=hidden, durations=frames[None].astype(np.int32),
                pitch=pitch[None].astype(np.float32), energy=energy[None].astype(np.float32),
                rng_f0=rng_f0, rng_energy=rng_energy)
        return out["mel"]

    def synthesize_clause(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator
    ) -> ClauseAudio:
        mel, token_starts = self._mel(clause, prosody, rng)
        return ClauseAudio(_end_decayed(self._vocode(mel), int(token_starts[-1])), token_starts)

    def synthesize_clause_in_parts(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator,
        first_part_seconds: float,
    ) -> ClauseParts:
        mel, token_starts = self._mel(clause, prosody, rng)
        split = int(first_part_seconds * SAMPLE_RATE / HOP)
        speech_end = int(token_starts[-1])
        if mel.shape[1] <= split + VOCODER_CONTEXT_FRAMES or speech_end <= split * HOP:
            whole = _end_decayed(self._vocode(mel), speech_end)
            return ClauseParts(iter([(whole, True)]), token_starts)
        return ClauseParts(self._vocode_in_two(mel, split, speech_end), token_starts)

    def _mel(self, clause: Clause, prosody: ProsodyRequest,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """The clause's mel with the leading silence trimmed and the closing ``sil`` kept (its
        audio is cut where the last syllable has decayed, see :func:`_end_decayed`), and each
        token's start in samples (the last entry: where the ``sil`` starts)."""
        sequence = self.symbols.encode(clause.tokens)
        predicted = self.predict(sequence.ids)
        sentence_final = clause.break_after >= Break.SENTENCE
        frames, pitch, energy = shape_contours(
            predicted.durations, predicted.pitch, predicted.energy,
            self.symbols.is_voiced(sequence.ids), prosody.targets, sentence_final,
            _symbol_levels(token_levels(clause.tokens), sequence.token_first_symbol,
                           len(sequence.ids)))
        mel = self.render(predicted.hidden, frames, pitch, energy, rng)
        bounds = np.concatenate([[0], np.cumsum(frames.astype(np.int64))])
        # Trim the model's own edge silence so the engine alone decides pause lengths; the
        # trailing one is trimmed on the audio, where the decay can be heard.
        start_frame = max(0, bounds[1] - KEEP_LEADING_SILENCE)
        token_starts = (bounds[sequence.token_first_symbol] - start_frame) * HOP
        return mel[:, start_frame:], token_starts.astype(np.int64)

    def _vocode(self, mel: np.ndarray) -> np.ndarray:
        with self._vocoder_lock:
            (audio,) = self.vocoder.run({"mels": mel}, ["Identity"])
        return audio[0, :, 0].astype(np.float32)

    def _vocode_in_two(self, mel: np.ndarray, split: int,
                       speech_end: int) -> Iterator[tuple[np.ndarray, bool]]:
        """Vocode frames [0, split) then the rest, each with enough neighbouring frames that
        the joined output is bit-identical to vocoding the whole mel at once (``speech_end``,
        in samples after ``split``'s frame, as for :func:`_end_decayed`)."""
        context = VOCODER_CONTEXT_FRAMES
        head = self._vocode(mel[:, :split + context])
        yield head[:split * HOP], False
        tail = self._vocode(mel[:, split - context:])
        yield _end_decayed(tail[context * HOP:], speech_end - split * HOP), True


def _end_decayed(audio: np.ndarray, speech_end: int) -> np.ndarray:
    """``audio`` up to the end of the first mel frame at or after ``speech_end`` (a multiple of
    :data:`HOP`) whose level is below :data:`TAIL_FLOOR_DB`, faded out from ``speech_end`` (see
    :data:`FADE_OUT_SAMPLES`)."""
    frames = np.arange(speech_end, len(audio) - HOP + 1, HOP)
    end = len(audio)
    for start in frames:
        if np.sqrt(np.mean(np.square(audio[start:start + HOP]))) < 10 ** (TAIL_FLOOR_DB / 20):
            end = start + HOP
            break
    kept = audio[:end].copy()
    fade = min(max(FADE_OUT_SAMPLES, end - speech_end), len(kept))
    kept[len(kept) - fade:] *= np.cos(np.linspace(0.0, np.pi / 2, fade, dtype=np.float32)) ** 2
    return kept


def _symbol_levels(levels: np.ndarray, first_symbol: np.ndarray, length: int) -> np.ndarray | None:
    """Each symbol's token emphasis level (silences and the end mark get 0); None without any."""
    if not np.any(levels):
        return None
    per_symbol = np.zeros(length)
    for level, start, end in zip(levels, first_symbol[:-1], first_symbol[1:]):
        per_symbol[start:end] = level
    return per_symbol
