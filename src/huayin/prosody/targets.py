"""Prosody targets: what a voice should do to its neutral delivery, in voice-independent units.

Emotion presets, the request's speed/pitch/volume and a reference clip's analysis are all
expressed as :class:`ProsodyTargets` and composed into one; a voice then realises them — the
FastSpeech2 voice by editing its predicted contours, a voice without such inputs by pitch/time
modification of its output. Pitch is in semitones and rate/pause/range are ratios, so the same
targets mean the same thing for every voice.
"""

from dataclasses import dataclass, fields

#: Limits of the composed targets (emotion × reference × request): beyond them the voices we
#: have degrade faster than the effect grows.
PITCH_SHIFT_LIMIT = 9.0  # semitones either way
RANGE_LIMITS = (0.25, 2.5)
RATE_LIMITS = (0.2, 5.0)
PAUSE_LIMITS = (0.25, 4.0)
LOUDNESS_LIMITS = (-30.0, 16.0)  # dB


@dataclass(frozen=True)
class ProsodyTargets:
    """Changes relative to a voice's neutral delivery; the defaults change nothing."""

    pitch_shift: float = 0.0
    """Shift of the F0 level, in semitones (+ = higher)."""
    pitch_range: float = 1.0
    """Factor on F0 excursions around the clause's median, in semitones (< 1 = flatter)."""
    declination: float = 0.0
    """Extra F0 fall from the start to the end of each clause, in semitones (< 0 = rising)."""
    final_movement: float = 0.0
    """F0 movement on the last syllable of a sentence, in semitones (+ = rise, − = fall)."""
    rate: float = 1.0
    """Speaking-rate factor (> 1 = faster, shorter syllables)."""
    pause_scale: float = 1.0
    """Factor on pause lengths between clauses, on top of the rate."""
    loudness: float = 0.0
    """Output gain in dB, applied after synthesis (keeps emotions' relative level)."""
    effort: float = 0.0
    """Vocal effort in dB of level: voices that model energy realise it in the voice itself
    (brighter, tenser when raised); others treat it as extra gain."""

    _RATIOS = ("pitch_range", "rate", "pause_scale")

    @property
    def is_neutral(self) -> bool:
        """True when these targets change nothing."""
        return self == ProsodyTargets()

    @property
    def shapes_pitch(self) -> bool:
        """True when the pitch contour must be edited."""
        return (self.pitch_shift, self.pitch_range, self.declination, self.final_movement) != (
            0.0, 1.0, 0.0, 0.0)

    def scaled(self, intensity: float) -> "ProsodyTargets":
        """The same style ``intensity`` times as strong: shifts scale linearly, ratios in the log
        domain, so 0 gives exactly neutral and 2 doubles every change."""
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            values[field.name] = value**intensity if field.name in self._RATIOS else value * intensity
        return ProsodyTargets(**values)

    def then(self, other: "ProsodyTargets") -> "ProsodyTargets":
        """Both changes together: shifts add, ratios multiply."""
        values = {}
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            values[field.name] = mine * theirs if field.name in self._RATIOS else mine + theirs
        return ProsodyTargets(**values)

    def limited(self) -> "ProsodyTargets":
        """The targets clipped to what voices can realise without breaking up."""
        def clip(value: float, low: float, high: float) -> float:
            return min(max(value, low), high)

        return ProsodyTargets(
            pitch_shift=clip(self.pitch_shift, -PITCH_SHIFT_LIMIT, PITCH_SHIFT_LIMIT),
            pitch_range=clip(self.pitch_range, *RANGE_LIMITS),
            declination=self.declination,
            final_movement=self.final_movement,
            rate=clip(self.rate, *RATE_LIMITS),
            pause_scale=clip(self.pause_scale, *PAUSE_LIMITS),
            loudness=clip(self.loudness, *LOUDNESS_LIMITS),
            effort=self.effort,
        )


NEUTRAL = ProsodyTargets()
"""Targets that change nothing."""
