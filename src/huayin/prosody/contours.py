"""Voice-independent reshaping of an F0 contour by :class:`ProsodyTargets`.

Works on semitones per unit (a FastSpeech2 symbol, or an analysis frame for voices reshaped after
synthesis), so every voice realises the same targets the same way.
"""

import numpy as np

from huayin.prosody.emphasis import SEMITONES_PER_LEVEL
from huayin.prosody.targets import ProsodyTargets

#: Share of the sentence-final movement given to the syllable before the last, so a rise or fall
#: starts before the last syllable instead of jumping on it.
PENULTIMATE_SHARE = 1 / 3


def reshape_semitones(
    semitones: np.ndarray, positions: np.ndarray, targets: ProsodyTargets, sentence_final: bool
) -> np.ndarray:
    """New F0 in semitones for voiced units of one clause.

    ``semitones``: F0 of each voiced unit (any fixed reference); ``positions``: where each unit
    lies in the clause, 0 (start) to 1 (end); ``sentence_final``: the clause ends a sentence, so
    it gets the final rise or fall.
    """
    if len(semitones) == 0:
        return semitones.copy()
    median = float(np.median(semitones))
    shaped = median + (semitones - median) * targets.pitch_range + targets.pitch_shift
    # Declination is centred on the middle of the clause, so it tilts without moving the level.
    shaped = shaped + targets.declination * (0.5 - positions)
    if sentence_final and targets.final_movement:
        shaped[-1] += targets.final_movement
        if len(shaped) > 1:
            shaped[-2] += targets.final_movement * PENULTIMATE_SHARE
    return shaped


def token_offsets(levels: np.ndarray, final_movement: float, sentence_final: bool) -> np.ndarray:
    """Semitones added to each token of a clause: emphasis (``levels``, see
    :mod:`huayin.prosody.emphasis`) and, for a voice whose units are not symbols, the
    sentence-final movement on the last token with :data:`PENULTIMATE_SHARE` of it on the one
    before."""
    offsets = levels.astype(np.float64) * SEMITONES_PER_LEVEL
    if sentence_final and final_movement and len(offsets):
        offsets[-1] += final_movement
        if len(offsets) > 1:
            offsets[-2] += final_movement * PENULTIMATE_SHARE
    return offsets
