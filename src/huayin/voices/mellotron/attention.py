"""Keeping Tacotron attention honest: when to stop, how to tell a failed run, token timings.

ttskit's pickled decoder runs to 1200 steps with a 0.8 gate: some speakers never stop (Xiaowei),
some stop early and drop words (Xiaomei). Here the gate is believed only once attention has
passed the last spoken symbol, a short tail budget ends runs whose gate never fires, and the step
cap grows with the input. A run is judged from its alignment; the voice retries failures with
fresh prenet dropout masks and attention held to a monotonic window.
"""

from dataclasses import dataclass, field

import numpy as np

from huayin.voices.mellotron.acoustic import DecoderOutput, StopPolicy
from huayin.voices.mellotron.symbols import SymbolSequence

#: Frames per input symbol allowed before the run is cut (normal speech uses about 5–6).
MAX_FRAMES_PER_SYMBOL = 12
MIN_STEPS = 60
#: Frames (≈ 12 ms each) the decoder may go on after attention passed the last syllable.
TAIL_FRAMES = 30
#: A token whose symbols got less total attention than this (in frames) was skipped.
MIN_TOKEN_ATTENTION = 1.0
#: A token held longer than this many frames (≈ 1 s) means attention got stuck there.
MAX_FRAMES_PER_TOKEN = 90
#: Attention jumping back this many symbols behind its furthest point counts as repeating...
BACKTRACK_SYMBOLS = 4
#: ...and this many such frames make the run a failure.
MAX_BACKTRACK_FRAMES = 8
#: Symbols ahead of its furthest point that attention may look at on a retry (a syllable is
#: 4 symbols: initial, final, tone, separator).
RETRY_WINDOW = 3


def stop_policy(sequence: SymbolSequence, max_decoder_steps: int,
                gate_threshold: float, attempt: int = 0) -> StopPolicy:
    """The stop rule for one clause; retries (``attempt`` ≥ 1) also force monotonic attention,
    which stops the speakers that jump ahead (Siyue, Xiaomeng) from skipping words."""
    symbols = len(sequence.ids)
    return StopPolicy(
        max_steps=min(max_decoder_steps, max(MIN_STEPS, MAX_FRAMES_PER_SYMBOL * symbols)),
        gate_threshold=gate_threshold,
        end_symbol=sequence.last_spoken_symbol + 1,
        tail_frames=TAIL_FRAMES,
        window=RETRY_WINDOW if attempt > 0 else None)


@dataclass
class AlignmentReport:
    """What the alignment says about one decoder run."""

    problems: list[str] = field(default_factory=list)
    """Human-readable reasons the run failed; empty when it is good."""

    @property
    def failed(self) -> bool:
        """True when any problem was found."""
        return bool(self.problems)


def attention_path(alignment: np.ndarray) -> np.ndarray:
    """Per frame, the furthest symbol attention has reached so far (monotonic)."""
    if len(alignment) == 0:
        return np.zeros(0, np.int64)
    return np.maximum.accumulate(alignment.argmax(axis=1))


def assess(output: DecoderOutput, sequence: SymbolSequence) -> AlignmentReport:
    """Judge a decoder run from its alignment (see the module constants for the thresholds)."""
    report = AlignmentReport()
    alignment = output.alignment
    if output.hit_step_limit:
        report.problems.append("ran into the step limit")
    if len(alignment) == 0:
        report.problems.append("produced no frames")
        return report
    focus = alignment.argmax(axis=1)
    furthest = np.maximum.accumulate(focus)
    if not output.reached_end:
        report.problems.append("stopped before the last syllable")
    firsts = sequence.token_first_symbol
    per_symbol = alignment.sum(axis=0)
    for index, (first, end) in enumerate(zip(firsts[:-1], firsts[1:])):
        if end > first and per_symbol[first:end].sum() < MIN_TOKEN_ATTENTION:
            report.problems.append(f"skipped token {index}")
        held = np.count_nonzero((focus >= first) & (focus < end))
        if held > MAX_FRAMES_PER_TOKEN:
            report.problems.append(f"stuck on token {index}")
    backtracks = np.count_nonzero(focus < furthest - BACKTRACK_SYMBOLS)
    if backtracks > MAX_BACKTRACK_FRAMES:
        report.problems.append("attention went back (repeats)")
    return report


def token_start_frames(alignment: np.ndarray, sequence: SymbolSequence) -> np.ndarray:
    """Frame where each token starts (first frame attention reaches its first symbol), plus the
    frame where the last syllable ends; non-decreasing, length = tokens + 1."""
    path = attention_path(alignment)
    starts = np.searchsorted(path, sequence.token_first_symbol, side="left")
    starts[0] = 0
    return np.maximum.accumulate(np.minimum(starts, len(path)))
