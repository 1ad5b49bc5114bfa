"""What a request asks of the voice's delivery: rate, pitch, loudness, emotion."""

from dataclasses import dataclass, replace

from huayin.prosody.emotions import emotion_targets, resolve_emotion
from huayin.prosody.speed import MAX_SPEED, MIN_SPEED, check_range, check_speed
from huayin.prosody.targets import ProsodyTargets

MIN_PITCH, MAX_PITCH = -6.0, 6.0  # semitones
MIN_VOLUME, MAX_VOLUME = -20.0, 10.0  # dB
MIN_INTENSITY, MAX_INTENSITY = 0.0, 2.0


@dataclass(frozen=True)
class ProsodyRequest:
    """Delivery settings of one synthesis request (all compose with each other)."""

    speed: float = 1.0
    """Speaking rate, 0.25–4.0, > 1 is faster."""
    pitch: float = 0.0
    """Pitch shift in semitones, −6…+6."""
    volume: float = 0.0
    """Gain in dB, −20…+10."""
    emotion: str = "neutral"
    """Emotion style id; any alias given is stored as the canonical English name."""
    intensity: float = 1.0
    """How strongly the emotion is applied, 0–2 (0 = neutral, 1 = default)."""
    reference: ProsodyTargets | None = None
    """Style measured from a reference clip (:mod:`huayin.prosody.reference`), applied on top
    of the emotion; None for none."""

    def __post_init__(self):
        object.__setattr__(self, "speed", check_speed(self.speed))
        object.__setattr__(self, "pitch", check_range("pitch", self.pitch, MIN_PITCH, MAX_PITCH))
        object.__setattr__(
            self, "volume", check_range("volume", self.volume, MIN_VOLUME, MAX_VOLUME))
        object.__setattr__(
            self, "intensity",
            check_range("intensity", self.intensity, MIN_INTENSITY, MAX_INTENSITY))
        object.__setattr__(self, "emotion", resolve_emotion(self.emotion))

    def adjusted(self, speed_factor: float | None = None, pitch_shift: float | None = None,
                 volume_gain: float | None = None, emotion: str | None = None,
                 intensity: float | None = None) -> "ProsodyRequest":
        """These settings changed by a part of the text (SSML ``<prosody>``/``<emotion>``):
        rate multiplies, pitch and volume add (kept inside their ranges), emotion replaces."""
        def inside(value: float, low: float, high: float) -> float:
            return min(max(value, low), high)

        return replace(
            self,
            speed=inside(self.speed * (speed_factor or 1.0), MIN_SPEED, MAX_SPEED),
            pitch=inside(self.pitch + (pitch_shift or 0.0), MIN_PITCH, MAX_PITCH),
            volume=inside(self.volume + (volume_gain or 0.0), MIN_VOLUME, MAX_VOLUME),
            emotion=emotion or self.emotion,
            intensity=self.intensity if intensity is None else intensity)

    @property
    def targets(self) -> ProsodyTargets:
        """Everything asked for, composed: emotion × reference × speed/pitch/volume."""
        combined = emotion_targets(self.emotion, self.intensity)
        if self.reference is not None:
            combined = combined.then(self.reference)
        requested = ProsodyTargets(pitch_shift=self.pitch, rate=self.speed, loudness=self.volume)
        return combined.then(requested).limited()
