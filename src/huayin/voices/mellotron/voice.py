"""A Mellotron speaker as a huayin voice: NumPy acoustic model + MelGAN in ONNX Runtime.

All speakers share one set of weights (:func:`shared_models`), so loading every exposed speaker
costs the memory of one. Prenet dropout stays on (Tacotron2 needs it to speak), fed from the
request's rng, so a seed gives the same audio; a run whose alignment fails is retried with the
next masks from the same rng and attention held to a monotonic window
(:mod:`~huayin.voices.mellotron.attention`).

The checkpoint has no pitch, energy or style input, so the request's prosody targets
(:class:`~huayin.prosody.targets.ProsodyTargets`: emotion × reference × speed/pitch/volume) are
met around the model: the rate (speed and the emotion's rate) by resampling the mel along time
before vocoding (MelGAN regenerates the waveform, so pitch is kept; emphasized tokens are
stretched a little more); pitch level, range, declination, the sentence-final movement, effort
and focus emphasis after vocoding, by WORLD resynthesis and gain (:mod:`~huayin.voices.mellotron.delivery`).
Pauses and loudness are the engine's, as for every voice. Neutral targets leave the audio
bit-identical to plain synthesis.
"""

import json
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import onnxruntime
from threadpoolctl import threadpool_limits

from huayin.prosody.emphasis import length_factor, token_levels
from huayin.prosody.request import ProsodyRequest
from huayin.text.utterance import Break, Clause
from huayin.voices.base import ClauseAudio, ClauseParts, Voice
from huayin.voices.mellotron import pack
from huayin.voices.mellotron.acoustic import MellotronAcoustic, speaker_code
from huayin.voices.mellotron.attention import (
    AlignmentReport,
    assess,
    stop_policy,
    token_start_frames,
)
from huayin.voices.mellotron.delivery import deliver, needs_delivery
from huayin.voices.mellotron.speakers import MellotronVoiceInfo
from huayin.voices.mellotron.symbols import encode_clause
from huayin.voices.mellotron.decoder import run_to_end
from huayin.voices.mellotron.vocoder import (
    CONTEXT_FRAMES,
    HOP,
    vocode_chunks,
    vocode_head,
    vocode_in_chunks,
)
from huayin.voices.store import require_pack_format

#: Decoder runs per clause before the least bad one is kept.
MAX_ATTEMPTS = 3
#: Longest clause handed to the decoder; longer ones are split by the engine.
MAX_CLAUSE_TOKENS = 30
#: Frames after a postnet row that decide it (five convolutions of kernel 5).
POSTNET_LOOKAHEAD_FRAMES = 10
#: While the decoder runs, a stream's head is looked for every this many frames (each look
#: runs the postnet over the frames so far).
HEAD_CHECK_FRAMES = 8
#: Clauses with fewer tokens are decoded whole before the head is vocoded: their speech may end
#: inside the head's look-ahead, where the trailing trim is not known yet.
MIN_TOKENS_STREAMED_WHILE_DECODING = 4
#: Frames kept before the first and after the last spoken frame (edge silence is the engine's).
KEEP_LEADING_FRAMES = 1
KEEP_TRAILING_FRAMES = 3
#: A frame is silent when its loudest mel bin is below this (natural-log magnitude).
SILENT_FRAME_LOG_MEL = -6.0

#: Intra-op threads of the vocoder (ONNX Runtime) when none are asked for. One: in one process,
#: same mels, interleaved rounds on the 2 shared cores under load, 2 threads took 1.73-1.92x the
#: wall time of 1 (every round slower; 1.18x with thread spinning off) and about 1.8x the CPU
#: time (bench/vocoder_threads.py). The acoustic model is on one BLAS thread regardless, and the
#: server uses the other cores by running requests side by side.
DEFAULT_THREADS = 1


class MellotronModels:
    """The pack's weights, loaded once for every speaker.

    Safe to call from several threads at once: the acoustic model keeps no state between
    calls (every decoder run has its own arrays) and ONNX Runtime sessions are thread-safe, so
    a server runs one request per core.

    Loading holds NumPy's BLAS to one thread for the whole process. NumPy's BLAS would start
    one thread per core for every product of the decoder loop; those products are small and
    bound by memory traffic, and on a busy machine the BLAS threads wait on each other
    (measured on the 2 shared cores under load: decoder RTF 0.09 with 1 BLAS thread, 0.74-1.6
    with 2). ``threads`` goes to the vocoder (ONNX Runtime). The limit is set once and kept,
    not set and lifted around each call: OpenBLAS's thread count is one process-wide setting,
    and requests decoding side by side would lift it under each other (seen: lifted from
    another thread, it stays at 1 anyway).
    """

    def __init__(self, pack_dir: Path, threads: int):
        require_pack_format(pack_dir, pack.PACK, pack.FORMAT)
        self.config = json.loads((pack_dir / pack.CONFIG_FILE).read_text())
        with np.load(pack_dir / pack.ACOUSTIC_FILE) as arrays:
            self.acoustic = MellotronAcoustic(dict(arrays))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Memory patterns pre-plan buffers for the largest chunk seen and keep them: 36 MB
        # more resident for no measurable speed (chunks vary in length anyway).
        options.enable_mem_pattern = False
        self.vocoder = onnxruntime.InferenceSession(
            str(pack_dir / pack.VOCODER_FILE), options, providers=["CPUExecutionProvider"])
        threadpool_limits(limits=1, user_api="blas")

    def vocode(self, mel: np.ndarray) -> np.ndarray:
        """Mel ``[frames, 80]`` → samples, in overlapping chunks (memory bounded by the chunk)."""
        return vocode_in_chunks(self.generate, mel)

    def vocode_chunks(self, mel: np.ndarray, first_chunk_frames: int,
                      skip_first: bool = False) -> Iterator[tuple[np.ndarray, bool]]:
        """:meth:`vocode` lazily, ``(samples, is_last)`` per chunk, the first chunk
        ``first_chunk_frames`` long (left out with ``skip_first``)."""
        return vocode_chunks(self.generate, mel, first_chunk_frames, skip_first=skip_first)

    def generate(self, mel: np.ndarray) -> np.ndarray:
        """One MelGAN run: mel ``[frames, 80]`` → ``frames``·256 samples (edges as the model's
        own padding makes them; :func:`vocode_chunks` gives chunks real neighbours)."""
        (audio,) = self.vocoder.run(["audio"], {"mel": np.ascontiguousarray(mel.T[None])})
        return audio[0, 0]


_shared: dict[tuple[str, int], MellotronModels] = {}
_shared_lock = threading.Lock()


def shared_models(pack_dir: Path, threads: int) -> MellotronModels:
    """One :class:`MellotronModels` per pack directory and thread count."""
    key = (str(pack_dir), threads)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = MellotronModels(pack_dir, threads)
        return _shared[key]


def _loud_frames(mel: np.ndarray) -> np.ndarray:
    """Indices of the frames that are not silent (loudest bin above :data:`SILENT_FRAME_LOG_MEL`)."""
    return np.flatnonzero(mel.max(axis=1) > SILENT_FRAME_LOG_MEL)


def _first_kept_frame(loud: np.ndarray) -> int:
    """Where the leading-silence trim cuts, given :func:`_loud_frames` (one rule for the whole
    clause and for a stream's head, so the two agree)."""
    return max(0, (int(loud[0]) if len(loud) else 0) - KEEP_LEADING_FRAMES)


def stretch(mel: np.ndarray, speed: float) -> np.ndarray:
    """Resample frames along time by linear interpolation: ``speed`` > 1 gives fewer frames."""
    if abs(speed - 1.0) < 1e-3 or len(mel) < 2:
        return mel
    frames = max(2, int(round(len(mel) / speed)))
    return resample_frames(mel, np.linspace(0, len(mel) - 1, frames))


def warp_positions(lengths: np.ndarray) -> np.ndarray:
    """Input frame position of each output frame when input frame ``i`` should last
    ``lengths[i]`` output frames (uneven stretching, e.g. a lengthened emphasized word)."""
    centres = np.cumsum(lengths) - lengths / 2.0
    frames = max(2, int(round(float(lengths.sum()))))
    return np.interp(np.linspace(centres[0], centres[-1], frames), centres,
                     np.arange(len(lengths), dtype=np.float64))


def resample_frames(mel: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Frames at fractional ``positions`` of ``mel``, by linear interpolation."""
    low = np.floor(positions).astype(np.int64)
    high = np.minimum(low + 1, len(mel) - 1)
    weight = (positions - low)[:, None].astype(np.float32)
    return (mel[low] * (1 - weight) + mel[high] * weight).astype(np.float32)


class MellotronVoice(Voice):
    """One speaker of the shared Mellotron model."""

    def __init__(self, models: MellotronModels, info: MellotronVoiceInfo):
        self.models = models
        self.info = info
        self.speaker = speaker_code(info.speaker)
        self.last_problems: list[str] = []
        """Alignment problems of the last clause after all retries (empty = clean); for sweeps."""

    def max_clause_tokens(self, speed: float) -> int:
        return MAX_CLAUSE_TOKENS

    def decode_clause(
        self, clause: Clause, rng: np.random.Generator
    ) -> tuple[np.ndarray, AlignmentReport, np.ndarray]:
        """Best decoder run for a clause: (mel after postnet, alignment report, start frames)."""
        return run_to_end(self._decoding(clause, rng))

    def _decoding(self, clause: Clause, rng: np.random.Generator) -> Generator[
            np.ndarray, None, tuple[np.ndarray, AlignmentReport, np.ndarray]]:
        """:meth:`decode_clause` step by step: yields the first run's decoder frames so far
        after each of its steps (retries run through), returns what ``decode_clause`` does."""
        acoustic = self.models.acoustic
        sequence = encode_clause(clause.tokens, clause.break_after)
        memory = acoustic.encode(sequence.ids, self.speaker)
        best = None
        for attempt in range(MAX_ATTEMPTS):
            policy = stop_policy(sequence, self.models.config["max_decoder_steps"],
                                 self.models.config["gate_threshold"], attempt)
            steps = acoustic.decode_steps(
                memory, acoustic.prenet_masks(rng, policy.max_steps), policy)
            output = (yield from steps) if attempt == 0 else run_to_end(steps)
            report = assess(output, sequence)
            if best is None or len(report.problems) < len(best[1].problems):
                best = (output, report)
            if not report.failed:
                break
        output, report = best
        starts = token_start_frames(output.alignment, sequence)
        return acoustic.refine(output.mel), report, starts

    def synthesize_clause(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator
    ) -> ClauseAudio:
        targets = prosody.targets
        levels = token_levels(clause.tokens)
        mel, token_starts = self._clause_mel(clause, targets.rate, levels, rng)
        samples = self.models.vocode(mel)
        samples = deliver(samples, self.info.sample_rate, token_starts, targets,
                          clause.break_after >= Break.SENTENCE, levels)
        return ClauseAudio(samples, token_starts)

    def synthesize_clause_in_parts(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator,
        first_part_seconds: float,
    ) -> ClauseParts:
        """The vocoder's chunks as they come, the first ``first_part_seconds`` long. At the
        clause's own rate the head is vocoded while the decoder still runs, as soon as its
        frames are final (:meth:`_blocks_while_decoding`); with a rate change or emphasis the
        whole mel is made first. Joined, the blocks equal whole-clause synthesis up to float
        rounding (the postnet over the first frames alone rounds a little differently, < 1e-5).
        A clause that needs WORLD delivery (pitch, effort, emphasis) is resynthesized whole, so
        it comes as one block."""
        levels = token_levels(clause.tokens)
        targets = prosody.targets
        if needs_delivery(targets, levels):
            return super().synthesize_clause_in_parts(
                clause, prosody=prosody, rng=rng, first_part_seconds=first_part_seconds)
        head_frames = max(1, round(first_part_seconds * self.info.sample_rate / HOP))
        if (abs(targets.rate - 1.0) >= 1e-3 or np.any(levels)
                or len(clause.tokens) < MIN_TOKENS_STREAMED_WHILE_DECODING):
            # A rate change or emphasis resamples the whole mel along time: vocode once it is done.
            mel, token_starts = self._clause_mel(clause, targets.rate, levels, rng)
            return ClauseParts(self.models.vocode_chunks(mel, head_frames), token_starts)
        parts = ClauseParts(iter(()))
        parts.blocks = self._blocks_while_decoding(clause, rng, head_frames, levels, parts)
        return parts

    def _blocks_while_decoding(
        self, clause: Clause, rng: np.random.Generator, head_frames: int, levels: np.ndarray,
        parts: ClauseParts,
    ) -> Iterator[tuple[np.ndarray, bool]]:
        """The head is vocoded as soon as the decoder has made its frames (plus the postnet's
        and the vocoder's look-ahead), before the clause is decoded; ``parts.token_starts`` is
        set once it is, then the rest follows chunk by chunk."""
        decoding = self._decoding(clause, rng)
        head_source, checked = None, 0
        while True:
            try:
                decoded = next(decoding)
            except StopIteration as finished:
                mel, report, starts = finished.value
                break
            if head_source is None and len(decoded) >= checked + HEAD_CHECK_FRAMES:
                checked = len(decoded)
                head_source = self._head_source(decoded, head_frames)
                if head_source is not None:
                    yield vocode_head(self.models.generate, head_source, head_frames), False
        self.last_problems = report.problems
        mel, parts.token_starts = self._trimmed(mel, starts, 1.0, levels)
        # The head came from the first decoder run's frames, which the whole clause keeps
        # unless that run failed and a retry replaced it (rare; the rest then follows the
        # retry's timeline, so the stream matches whole synthesis again after the head).
        yield from self.models.vocode_chunks(mel, head_frames, skip_first=head_source is not None)

    def _head_source(self, decoded: np.ndarray, head_frames: int) -> np.ndarray | None:
        """The final mel's first ``head_frames`` + context frames, once the decoder frames so
        far determine them (postnet look-ahead, leading-silence trim); else None."""
        final_rows = len(decoded) - POSTNET_LOOKAHEAD_FRAMES
        if final_rows < head_frames + CONTEXT_FRAMES:
            return None
        refined = self.models.acoustic.refine(decoded)[:final_rows]
        loud = _loud_frames(refined)
        if not len(loud):
            return None
        first = _first_kept_frame(loud)
        if first + head_frames + CONTEXT_FRAMES > final_rows:
            return None
        return refined[first: first + head_frames + CONTEXT_FRAMES]

    def _clause_mel(self, clause: Clause, rate: float, levels: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """The clause's mel, edge silence trimmed and retimed to ``rate``, and the sample where
        each token starts (plus where speech ends)."""
        mel, report, starts = self.decode_clause(clause, rng)
        self.last_problems = report.problems
        return self._trimmed(mel, starts, rate, levels)

    def _trimmed(self, mel: np.ndarray, starts: np.ndarray, rate: float,
                 levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Edge silence trimmed from the postnet mel, retimed (:meth:`_retime`); token starts
        in samples."""
        loud = _loud_frames(mel)
        first = _first_kept_frame(loud)
        last = min(len(mel), (loud[-1] + 1 if len(loud) else len(mel)) + KEEP_TRAILING_FRAMES)
        mel, frames = self._retime(mel[first:last], starts - first, rate, levels)
        token_starts = np.minimum(np.round(frames * HOP), len(mel) * HOP).astype(np.int64)
        return mel, np.maximum.accumulate(token_starts)

    @staticmethod
    def _retime(mel: np.ndarray, starts: np.ndarray, rate: float,
                levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The mel at the targets' rate, emphasized tokens a little longer, and each token's
        start (fractional frame of the new mel)."""
        span = len(mel)
        starts = np.clip(starts, 0, span)
        if not np.any(levels) or span < 2:
            mel_out = stretch(mel, rate)
            return mel_out, starts * (len(mel_out) / max(1, span))
        token = np.clip(np.searchsorted(starts[1:-1], np.arange(span), side="right"),
                        0, len(levels) - 1)
        positions = warp_positions(length_factor(levels)[token] / rate)
        mel_out = resample_frames(mel, positions)
        frames = np.interp(starts, positions, np.arange(len(positions), dtype=np.float64))
        return mel_out, np.where(starts >= span, len(mel_out), frames)
