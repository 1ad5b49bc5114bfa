"""Prosody targets on a vocoded Mellotron clause: pitch by PSOLA, effort and emphasis by gain.

This checkpoint has no pitch or energy input, so the targets are met on the waveform, after
MelGAN: Praat (through praat-parselmouth) tracks F0 and the glottal pulses (a Manipulation), the
contour is reshaped in semitones by the same transforms as the FastSpeech2 voice
(:func:`huayin.prosody.contours.reshape_semitones`: range around the clause median, shift,
declination) plus per-token offsets (sentence-final rise or fall on the last token with a third
of it on the one before, emphasis; :func:`~huayin.prosody.contours.token_offsets`), and Praat's
overlap-add (PSOLA) resynthesizes the clause at the new pitch. Vocal effort becomes gain, and
emphasized tokens get a little more. Rate is not done here: the voice stretches the mel before
vocoding, which keeps pitch and sounds cleaner than time-domain stretching.

The output has exactly the input's length, so token timings stay valid. With neutral pitch
targets, no effort and no emphasis the input is returned untouched (intensity 0 is bit-identical
to neutral).
"""

from dataclasses import replace

import numpy as np
import parselmouth
from parselmouth.praat import call

from huayin.prosody.contours import reshape_semitones, token_offsets
from huayin.prosody.emphasis import DB_PER_LEVEL
from huayin.prosody.loudness import apply_gain, soft_limit
from huayin.prosody.targets import ProsodyTargets

#: Pitch analysis (Praat's defaults for To Manipulation; covers every exposed speaker, whose
#: medians are 124–354 Hz).
TIME_STEP = 0.01
PITCH_FLOOR = 75.0
PITCH_CEILING = 600.0
#: Token offsets (final movement, emphasis) change over this many seconds around a token
#: boundary instead of jumping, so neither the pitch nor the level clicks.
TRANSITION_SECONDS = 0.04
#: Grid on which token offsets are laid out and smoothed.
GRID_SECONDS = 0.005
#: A tracked F0 point this far (semitones) from its neighbours' median is treated as a tracking
#: error (octave jump): it moves by its neighbours' change instead of being scaled on its own.
OUTLIER_SEMITONES = 6.0
#: Never ask PSOLA for a pitch outside this band (Hz).
MIN_HZ, MAX_HZ = 50.0, 900.0


def needs_delivery(targets: ProsodyTargets, levels: np.ndarray) -> bool:
    """True when the clause's waveform must change (pitch targets, effort or emphasis)."""
    return targets.shapes_pitch or bool(targets.effort) or bool(np.any(levels))


def deliver(
    samples: np.ndarray, rate: int, token_starts: np.ndarray, targets: ProsodyTargets,
    sentence_final: bool, levels: np.ndarray,
) -> np.ndarray:
    """The clause's samples with the targets' pitch, effort and the tokens' emphasis applied.

    ``token_starts``: sample where each token starts, plus where speech ends (length tokens + 1);
    ``levels``: emphasis level per token (:func:`huayin.prosody.emphasis.token_levels`).
    """
    if not needs_delivery(targets, levels):
        return samples
    offsets = token_offsets(levels, targets.final_movement, sentence_final)
    out = samples
    if targets.shapes_pitch or np.any(offsets):
        out = _repitch(samples, rate, token_starts, targets, offsets)
    if np.any(levels):
        gain_db = targets.effort + _token_curve(
            levels * DB_PER_LEVEL, token_starts, rate, np.arange(len(out)) / rate)
        return soft_limit(out * (10.0 ** (gain_db / 20.0)))
    return apply_gain(out.astype(np.float32), targets.effort)


def _repitch(samples: np.ndarray, rate: int, token_starts: np.ndarray, targets: ProsodyTargets,
             offsets: np.ndarray) -> np.ndarray:
    sound = parselmouth.Sound(samples.astype(np.float64), rate)
    manipulation = call(sound, "To Manipulation", TIME_STEP, PITCH_FLOOR, PITCH_CEILING)
    tier = call(manipulation, "Extract pitch tier")
    count = int(call(tier, "Get number of points"))
    if count == 0:
        return samples
    times = np.array([call(tier, "Get time from index", i) for i in range(1, count + 1)])
    hz = np.array([call(tier, "Get value at index", i) for i in range(1, count + 1)])
    semitones = 12.0 * np.log2(hz)
    clean = _without_jumps(semitones)
    speech_start, speech_end = token_starts[0] / rate, token_starts[-1] / rate
    positions = np.clip((times - speech_start) / max(speech_end - speech_start, 1e-3), 0.0, 1.0)
    # Final movement goes per token (below), not on the last analysis frame.
    shaped = reshape_semitones(clean, positions, _without_final(targets), False)
    shaped = shaped + _token_curve(offsets, token_starts, rate, times)
    wanted = np.clip(2.0 ** ((semitones + shaped - clean) / 12.0), MIN_HZ, MAX_HZ)
    new_tier = call("Create PitchTier", "shaped", sound.xmin, sound.xmax)
    for time, value in zip(times, wanted):
        call(new_tier, "Add point", float(time), float(value))
    call([manipulation, new_tier], "Replace pitch tier")
    resynthesized = call(manipulation, "Get resynthesis (overlap-add)").values[0]
    out = np.zeros(len(samples), np.float32)
    length = min(len(samples), len(resynthesized))
    out[:length] = resynthesized[:length]
    return out


def _without_final(targets: ProsodyTargets) -> ProsodyTargets:
    return replace(targets, final_movement=0.0)


def _without_jumps(semitones: np.ndarray) -> np.ndarray:
    """The contour with octave errors replaced by the median of their neighbours."""
    if len(semitones) < 5:
        return semitones
    padded = np.pad(semitones, 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)
    median = np.median(windows, axis=1)
    return np.where(np.abs(semitones - median) > OUTLIER_SEMITONES, median, semitones)


def _token_curve(values: np.ndarray, token_starts: np.ndarray, rate: int,
                 times: np.ndarray) -> np.ndarray:
    """Per-token ``values`` as a function of time, ramping across token boundaries over
    :data:`TRANSITION_SECONDS`; evaluated at ``times`` (seconds)."""
    if not np.any(values):
        return np.zeros(len(times))
    end = max(float(times[-1]) if len(times) else 0.0, token_starts[-1] / rate) + GRID_SECONDS
    grid = np.arange(0.0, end + GRID_SECONDS, GRID_SECONDS)
    token = np.clip(np.searchsorted(token_starts[1:-1] / rate, grid, side="right"),
                    0, len(values) - 1)
    steps = values[token]
    width = max(1, int(round(TRANSITION_SECONDS / GRID_SECONDS)))
    smooth = np.convolve(np.pad(steps, width, mode="edge"), np.ones(width) / width, "same")
    return np.interp(times, grid, smooth[width:-width])
