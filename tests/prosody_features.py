"""Delivery features measured on audio, and the directions each emotion should move them.

Shared by the emotion tests of every voice: Praat pitch (through parselmouth) and frame RMS, so
every voice is judged with the same ruler.
"""

import math

import numpy as np

#: Expected sign of the change vs neutral: F0 median, F0 range, syllable rate, RMS.
DIRECTIONS = {
    "happy": (+1, +1, +1, +1),
    "sad": (-1, -1, -1, -1),
    "angry": (+1, +1, +1, +1),
    "fear": (+1, -1, +1, -1),
    "surprise": (+1, +1, -1, +1),
    "disgust": (-1, -1, -1, -1),
    "calm": (-1, -1, -1, -1),
}
FEATURES = ("F0 median (st)", "F0 range (st)", "syllables/s", "RMS (dB)")


def features(samples: np.ndarray, rate: int, syllables: int) -> np.ndarray:
    """F0 median and 10th–90th percentile range (semitones re 1 Hz), syllables per second of
    speech, and RMS level (dB) of speech frames."""
    import parselmouth

    pitch = parselmouth.Sound(samples.astype(np.float64), rate).to_pitch(
        time_step=0.01, pitch_floor=75.0, pitch_ceiling=700.0)
    f0 = pitch.selected_array["frequency"]
    low, median, high = np.percentile(f0[f0 > 0], [10, 50, 90])
    size = rate // 50
    frames = samples[: len(samples) // size * size].reshape(-1, size).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1))
    level = 20 * np.log10(rms + 1e-9)
    # Speech frames relative to the loudest ones, so a softer voice does not lose frames.
    speech = level > np.percentile(level, 95) - 30
    return np.array([
        12 * math.log2(median), 12 * math.log2(high / low),
        syllables / (speech.sum() * size / rate), 20 * math.log10(math.sqrt((rms[speech] ** 2).mean())),
    ])
