"""Prosody targets → edited FastSpeech2 predictions (durations, pitch, energy) for one clause.

The model's pitch and energy are normalised units, not Hz or dB. Their relation to what comes
out of the vocoder was measured with :mod:`huayin.voices.baker.calibrate` over 30 sentences
(368 syllables): the constants below are that script's output. Two pitch numbers are needed
because the decoder follows an edit less than the natural variation suggests: the *level* maps a
predicted value to the Hz it usually sounds at; the *response* is how many Hz the output moves
when a value is changed.
"""

import numpy as np

from huayin.prosody.contours import reshape_semitones
from huayin.prosody.emphasis import DB_PER_LEVEL, SEMITONES_PER_LEVEL, length_factor
from huayin.prosody.targets import ProsodyTargets

#: Hz ≈ PITCH_HZ_AT_ZERO + PITCH_HZ_PER_UNIT × predicted value (per-syllable medians, r = 0.98).
PITCH_HZ_AT_ZERO = 251.5
PITCH_HZ_PER_UNIT = 64.5
#: Output F0 change in Hz per unit added to the pitch input (linear within ±1.5 units ≈ ±6 st).
PITCH_RESPONSE_HZ_PER_UNIT = 55.9
#: Output level change in dB per unit added to the energy input, raising and lowering.
ENERGY_DB_PER_UNIT_UP = 2.5
ENERGY_DB_PER_UNIT_DOWN = 4.3
#: Never ask the model for less than this (its predictions of voiced finals stay above ~150 Hz).
MIN_HZ = 60.0
#: The voice cannot go much above ~400 Hz (its median tops out near +4 semitones; asking for
#: more makes the F0 collapse). Wanted pitch above the knee is bent smoothly toward the ceiling.
PITCH_KNEE_HZ = 350.0
PITCH_CEILING_HZ = 430.0
#: The length regulator gathers at most this many frames per call.
MAX_FRAMES = 2048


def scale_durations(durations: np.ndarray, rate: float) -> np.ndarray:
    """Int frames per symbol at ``rate`` (> 1 faster), rounded per symbol as the graph does."""
    frames = np.round(durations / np.float32(rate)).astype(np.int32)
    total = int(frames.sum())
    if total > MAX_FRAMES:  # only reachable at extreme slow settings: fit rather than fail
        frames = np.floor(frames * (MAX_FRAMES / total)).astype(np.int32)
    if frames.sum() == 0:
        frames[0] = 1
    return frames


def _below_ceiling(hz: np.ndarray) -> np.ndarray:
    above = hz > PITCH_KNEE_HZ
    if not above.any():
        return hz
    headroom = PITCH_CEILING_HZ - PITCH_KNEE_HZ
    bent = hz.copy()
    bent[above] = PITCH_KNEE_HZ + headroom * np.tanh((hz[above] - PITCH_KNEE_HZ) / headroom)
    return bent


def shape_pitch(
    pitch: np.ndarray, frames: np.ndarray, voiced: np.ndarray, targets: ProsodyTargets,
    sentence_final: bool, emphasis: np.ndarray | None = None,
) -> np.ndarray:
    """Pitch input after applying the targets' level, range, declination and final movement,
    and raising emphasized symbols (``emphasis``: level per symbol)."""
    voiced_index = np.flatnonzero(voiced)
    emphasized = emphasis is not None and bool(np.any(emphasis))
    if not (targets.shapes_pitch or emphasized) or len(voiced_index) == 0:
        return pitch
    hz = np.maximum(PITCH_HZ_AT_ZERO + PITCH_HZ_PER_UNIT * pitch[voiced_index], MIN_HZ)
    semitones = 12.0 * np.log2(hz / PITCH_HZ_AT_ZERO)
    ends = np.cumsum(frames)
    centres = (ends - frames / 2.0)[voiced_index]
    positions = centres / max(float(ends[-1]), 1.0)
    shaped = reshape_semitones(semitones, positions, targets, sentence_final)
    if emphasized:
        shaped = shaped + emphasis[voiced_index] * SEMITONES_PER_LEVEL
    wanted_hz = _below_ceiling(PITCH_HZ_AT_ZERO * 2.0 ** (shaped / 12.0))
    change = (wanted_hz - hz) / PITCH_RESPONSE_HZ_PER_UNIT
    # Initials and silences follow their neighbouring finals, so no symbol is left behind.
    everywhere = np.interp(np.arange(len(pitch)), voiced_index, change)
    return (pitch + everywhere).astype(np.float32)


def shape_energy(energy: np.ndarray, effort_db: float,
                 emphasis: np.ndarray | None = None) -> np.ndarray:
    """Energy input raised or lowered by ``effort_db`` of level, and emphasized symbols
    (``emphasis``: level per symbol) by :data:`DB_PER_LEVEL` more per level."""
    if emphasis is None or not np.any(emphasis):
        if not effort_db:
            return energy
        per_unit = ENERGY_DB_PER_UNIT_UP if effort_db > 0 else ENERGY_DB_PER_UNIT_DOWN
        return (energy + effort_db / per_unit).astype(np.float32)
    level_db = effort_db + emphasis * DB_PER_LEVEL
    per_unit = np.where(level_db > 0, ENERGY_DB_PER_UNIT_UP, ENERGY_DB_PER_UNIT_DOWN)
    return (energy + level_db / per_unit).astype(np.float32)


def shape_contours(
    durations: np.ndarray, pitch: np.ndarray, energy: np.ndarray, voiced: np.ndarray,
    targets: ProsodyTargets, sentence_final: bool, emphasis: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frames (int32), pitch and energy for the synthesizer; ``emphasis`` (level per symbol,
    :mod:`huayin.prosody.emphasis`) makes symbols higher, louder and longer. Unchanged values
    when nothing is asked for, so intensity 0 is bit-identical to neutral."""
    if emphasis is not None and np.any(emphasis):
        durations = (durations * length_factor(emphasis)).astype(np.float32)
    frames = scale_durations(durations, targets.rate)
    return (frames, shape_pitch(pitch, frames, voiced, targets, sentence_final, emphasis),
            shape_energy(energy, targets.effort, emphasis))
