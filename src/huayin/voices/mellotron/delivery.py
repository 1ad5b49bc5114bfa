"""Prosody targets on a vocoded Mellotron clause: pitch by WORLD, effort and emphasis by gain.

This checkpoint has no pitch or energy input, so the targets are met on the waveform, after
MelGAN: Praat (praat-parselmouth) tracks F0, WORLD (pyworld) refines it and analyses the spectral
envelope and aperiodicity, the contour is reshaped in semitones by the same transforms as the
FastSpeech2 voice (:func:`huayin.prosody.contours.reshape_semitones`: range around the clause
median, shift, declination) plus per-token offsets (sentence-final rise or fall on the last token
with a third of it on the one before, emphasis; :func:`~huayin.prosody.contours.token_offsets`),
and WORLD resynthesizes the clause at the new F0. Vocal effort becomes gain, and emphasized tokens
get a little more. Rate is not done here: the voice stretches the mel before vocoding, which
keeps pitch and sounds cleaner than time-domain stretching.

WORLD rather than Praat's PSOLA (overlap-add) because it measured better on this voice
(bench/sentences.txt, 8 sentences, seed 0, DistillMOS / CER): sad 3.98 / 0.118 vs 3.85 / 0.128,
a plain −1.5 st shift 4.08 / 0.093 vs 3.79 / 0.123, surprise 4.62 / 0.124 vs 4.35 / 0.147
(neutral 4.31 / 0.092); PSOLA put sad and disgust 0.5 below neutral. Details in docs/emotions.md.

The output has exactly the input's length, so token timings stay valid. With neutral pitch
targets, no effort and no emphasis the input is returned untouched (intensity 0 is bit-identical
to neutral).
"""

from dataclasses import replace

import numpy as np

from huayin.prosody.contours import reshape_semitones, token_offsets
from huayin.prosody.emphasis import DB_PER_LEVEL
from huayin.prosody.loudness import apply_gain, soft_limit
from huayin.prosody.targets import ProsodyTargets

#: WORLD analysis frame (ms) and F0 search band (covers every exposed speaker, whose medians
#: are 124–354 Hz).
FRAME_PERIOD_MS = 5.0
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
#: Window over which the resynthesized level is matched to the input's (a few pitch periods).
LEVEL_WINDOW_SECONDS = 0.03
#: Exponent on the targets' F0 range ratio. The presets were set and measured on the FastSpeech2
#: voice, which follows its pitch input only in part: the same preset moved its measured range
#: about half as far (in semitones) as WORLD, which follows the request exactly (surprise +1.7 vs
#: +4.3 st, sad −1.0 vs −1.8 st on bench/sentences.txt). With the square root both engines
#: realise about the same range change, and sad/calm flatten the tones less (flattening costs
#: intelligibility first).
RANGE_FOLLOW = 0.5
#: Never ask for a pitch outside this band (Hz).
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
    """Analyse with WORLD, move F0 in semitones, resynthesize (same length as the input)."""
    import pyworld  # only when the pitch changes (with Praat: ~80 MB resident once imported)

    x = samples.astype(np.float64)
    frames = int(len(x) / rate * 1000.0 / FRAME_PERIOD_MS) + 1
    times = np.arange(frames) * (FRAME_PERIOD_MS / 1000.0)
    f0 = _praat_f0(x, rate, times)
    voiced = f0 > 0
    if not voiced.any():
        return samples
    f0 = pyworld.stonemask(x, f0, times, rate)
    voiced = f0 > 0
    envelope = pyworld.cheaptrick(x, f0, times, rate)
    aperiodicity = pyworld.d4c(x, f0, times, rate)
    semitones = 12.0 * np.log2(f0[voiced])
    clean = _without_jumps(semitones)
    voiced_times = times[voiced]
    speech_start, speech_end = token_starts[0] / rate, token_starts[-1] / rate
    positions = np.clip((voiced_times - speech_start) / max(speech_end - speech_start, 1e-3),
                        0.0, 1.0)
    # Final movement goes per token (below), not on the last analysis frame.
    shaped = reshape_semitones(clean, positions, _for_waveform(targets), False)
    shaped = shaped + _token_curve(offsets, token_starts, rate, voiced_times)
    wanted = f0.copy()
    wanted[voiced] = np.clip(2.0 ** ((semitones + shaped - clean) / 12.0), MIN_HZ, MAX_HZ)
    resynthesized = pyworld.synthesize(wanted, envelope, aperiodicity, rate, FRAME_PERIOD_MS)
    out = np.zeros(len(samples), np.float32)
    length = min(len(samples), len(resynthesized))
    out[:length] = resynthesized[:length]
    return _level_matched(out, x, rate)


def _level_matched(out: np.ndarray, reference: np.ndarray, rate: int) -> np.ndarray:
    """``out`` with the short-term level of ``reference``. WORLD's resynthesis comes out about
    1.5 dB louder than its input, and a raised or lowered F0 changes a syllable's level by a dB
    or two; a new F0 should change neither, or loudness targets and emphasis would be off."""
    window = max(1, int(LEVEL_WINDOW_SECONDS * rate))
    kernel = np.ones(window) / window
    energy_in = np.convolve(reference**2, kernel, "same")
    energy_out = np.convolve(out.astype(np.float64) ** 2, kernel, "same")
    floor = 1e-10 + 1e-4 * float(energy_in.max())  # below −40 dB of the peak: keep WORLD's level
    ratio = np.sqrt((energy_in + floor) / (energy_out + floor))
    return (out * np.clip(ratio, 0.25, 4.0)).astype(np.float32)


def _praat_f0(x: np.ndarray, rate: int, times: np.ndarray) -> np.ndarray:
    """F0 (Hz, 0 = unvoiced) at ``times`` by Praat's autocorrelation tracker, which makes fewer
    voicing and octave errors on this vocoder's output than WORLD's own fast estimator."""
    import parselmouth  # see _repitch

    pitch = parselmouth.Sound(x, rate).to_pitch_ac(
        time_step=FRAME_PERIOD_MS / 1000.0, pitch_floor=PITCH_FLOOR, pitch_ceiling=PITCH_CEILING)
    hz = pitch.selected_array["frequency"]
    index = np.rint((times - pitch.x1) / pitch.dx).astype(np.int64)
    inside = (index >= 0) & (index < len(hz))
    f0 = np.zeros(len(times))
    f0[inside] = hz[index[inside]]
    return f0


def _for_waveform(targets: ProsodyTargets) -> ProsodyTargets:
    """The targets as applied to the whole contour here: the range ratio softened by
    :data:`RANGE_FOLLOW`, the final movement left to the per-token offsets."""
    return replace(targets, final_movement=0.0, pitch_range=targets.pitch_range ** RANGE_FOLLOW)


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
