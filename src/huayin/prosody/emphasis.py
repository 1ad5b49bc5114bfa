"""Focus-word emphasis: what one level of emphasis on a token does, shared by every voice.

SSML ``<emphasis level="strong|moderate|reduced">`` marks tokens with a level (see
:data:`EMPHASIS_LEVELS`); each voice raises the F0, level and length of those tokens by these
amounts per level, so an emphasized word stands out the same way whichever voice speaks it.
Directions follow the usual correlates of narrow focus in Mandarin (Xu, Y. (1999). Effects of
tone and focus on the formation and alignment of f0 contours. *Journal of Phonetics* 27, 55–105:
focus expands the pitch range of the focused word and lengthens it; louder too).
"""

import numpy as np

#: ``<emphasis level>`` → level carried on the tokens (SSML's default level is moderate).
EMPHASIS_LEVELS = {"strong": 2.0, "moderate": 1.0, "none": 0.0, "reduced": -1.0}
#: Per level: F0 raise of the token (semitones), gain (dB) and length (factor − 1).
SEMITONES_PER_LEVEL = 1.5
DB_PER_LEVEL = 1.5
LENGTHENING_PER_LEVEL = 0.08


def token_levels(tokens) -> np.ndarray:
    """Emphasis level of each token (0 where none), float64 ``[tokens]``."""
    return np.array([token.emphasis for token in tokens], np.float64)


def length_factor(levels: np.ndarray) -> np.ndarray:
    """Duration factor per token (> 1 = longer); never below half length."""
    return np.maximum(1.0 + LENGTHENING_PER_LEVEL * levels, 0.5)
