"""Delivery features measured on synthesized audio: the one ruler for emotion tests and benches.

F0 by Praat (through praat-parselmouth), level from 20 ms frames; "speech" frames are those within
30 dB of the loudest ones, so a softer delivery does not lose frames.
"""

import math

import numpy as np

#: Names of the values :func:`delivery_features` returns, in order.
FEATURE_NAMES = ("F0 median (st)", "F0 range (st)", "syllables/s", "RMS (dB)")


def delivery_features(samples: np.ndarray, rate: int, syllables: int) -> np.ndarray:
    """F0 median and 10th–90th percentile range (semitones re 1 Hz), syllables per second of
    speech, and RMS level (dB re full scale) of the speech frames."""
    import parselmouth

    pitch = parselmouth.Sound(samples.astype(np.float64), rate).to_pitch(
        time_step=0.01, pitch_floor=75.0, pitch_ceiling=700.0)
    f0 = pitch.selected_array["frequency"]
    low, median, high = np.percentile(f0[f0 > 0], [10, 50, 90])
    size = rate // 50
    frames = samples[: len(samples) // size * size].reshape(-1, size).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1))
    level = 20 * np.log10(rms + 1e-9)
    speech = level > np.percentile(level, 95) - 30
    return np.array([
        12 * math.log2(median), 12 * math.log2(high / low),
        syllables / (speech.sum() * size / rate),
        20 * math.log10(math.sqrt((rms[speech] ** 2).mean())),
    ])
