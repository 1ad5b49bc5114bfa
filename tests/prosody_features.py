"""What the emotion tests of every voice expect: the direction each emotion moves each feature.

Features come from :func:`huayin.prosody.features.delivery_features`, so every voice (and the
bench) is judged with the same ruler.
"""

from huayin.prosody.features import FEATURE_NAMES as FEATURES
from huayin.prosody.features import delivery_features as features

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

__all__ = ["DIRECTIONS", "FEATURES", "features"]
