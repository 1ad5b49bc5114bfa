"""Output gain for volume and emotion loudness, without hard clipping."""

import numpy as np

#: Above this magnitude samples are bent smoothly toward 1.0 instead of clipped.
SOFT_LIMIT_KNEE = 0.9


def apply_gain(samples: np.ndarray, gain_db: float) -> np.ndarray:
    """``samples`` × the gain; peaks a raised gain would push past the knee are soft-limited, so
    emotions keep their relative level and nothing wraps or clips harshly."""
    if not gain_db:
        return samples
    return soft_limit(samples * np.float32(10.0 ** (gain_db / 20.0)))


def soft_limit(raised: np.ndarray) -> np.ndarray:
    """Samples above :data:`SOFT_LIMIT_KNEE` bent smoothly toward 1.0 (float32 copy)."""
    raised = raised.astype(np.float32)
    magnitude = np.abs(raised)
    over = magnitude > SOFT_LIMIT_KNEE
    if over.any():
        headroom = 1.0 - SOFT_LIMIT_KNEE
        bent = SOFT_LIMIT_KNEE + headroom * np.tanh((magnitude[over] - SOFT_LIMIT_KNEE) / headroom)
        raised[over] = np.sign(raised[over]) * bent
    return raised.astype(np.float32)
