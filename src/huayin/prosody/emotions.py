"""Emotion presets: each emotion is a set of prosody targets relative to neutral read speech.

Directions follow published acoustic correlates of emotion in Mandarin (and cross-language
reviews where Mandarin studies are silent); magnitudes are ours, kept moderate so intelligibility
holds, and measured on the Baker voice. ``docs/emotions.md`` lists the sources and the measured
effect of every preset. Intensity scales a preset (0 = neutral, 1 = the preset, 2 = twice the
change), see :meth:`ProsodyTargets.scaled`.
"""

from dataclasses import dataclass

from huayin.errors import InvalidParameterError
from huayin.prosody.targets import NEUTRAL, ProsodyTargets


@dataclass(frozen=True)
class EmotionPreset:
    """One emotion style."""

    name: str
    """Canonical English id used in the API (``happy``)."""
    label_zh: str
    """Chinese name shown to users (``开心``)."""
    aliases: tuple[str, ...]
    """Other names accepted for it (English and Chinese)."""
    targets: ProsodyTargets
    """The change at intensity 1."""


PRESETS: dict[str, EmotionPreset] = {
    preset.name: preset
    for preset in (
        EmotionPreset("neutral", "中性", ("中性", "普通", "default", "none"), NEUTRAL),
        # High register, wide range, rising boundary tone; a little faster and louder.
        # Sambert's "arousal" (zhiyan_emo's excited, 激动) is high activation with positive
        # valence, the nearest preset being this one.
        EmotionPreset("happy", "开心", ("开心", "高兴", "快乐", "happiness", "joy", "cheerful",
                                        "arousal", "excited", "激动"),
                      ProsodyTargets(pitch_shift=1.5, pitch_range=1.35, declination=-0.5,
                                     final_movement=1.5, rate=1.07, pause_scale=0.9,
                                     loudness=1.5, effort=1.0)),
        # Low register, flat, falling, slow with long pauses, soft.
        EmotionPreset("sad", "悲伤", ("悲伤", "伤心", "难过", "sadness", "sorrow"),
                      ProsodyTargets(pitch_shift=-1.5, pitch_range=0.75, declination=1.0,
                                     final_movement=-1.0, rate=0.84, pause_scale=1.25,
                                     loudness=-3.5, effort=-1.0)),
        # High register, wide range, high falling boundary tone, fast, loud and tense.
        EmotionPreset("angry", "生气", ("生气", "愤怒", "anger", "mad"),
                      ProsodyTargets(pitch_shift=1.5, pitch_range=1.25, declination=1.0,
                                     final_movement=-1.5, rate=1.07, pause_scale=0.8,
                                     loudness=3.5, effort=1.0)),
        # Raised but narrow register, fast, hesitant pauses, soft.
        EmotionPreset("fear", "害怕", ("害怕", "恐惧", "fearful", "afraid", "scared"),
                      ProsodyTargets(pitch_shift=1.5, pitch_range=0.75, declination=-0.5,
                                     final_movement=0.5, rate=1.1, pause_scale=1.15,
                                     loudness=-2.0, effort=-1.0)),
        # Highest register and widest range, strong final rise, slightly slower, loud.
        EmotionPreset("surprise", "惊讶", ("惊讶", "吃惊", "surprised", "amazed"),
                      ProsodyTargets(pitch_shift=2.0, pitch_range=1.5, declination=-1.0,
                                     final_movement=2.5, rate=0.95, pause_scale=1.0,
                                     loudness=2.0, effort=1.0)),
        # Low register, narrow range, slow and drawn out, slightly soft.
        EmotionPreset("disgust", "厌恶", ("厌恶", "讨厌", "hate", "disgusted"),
                      ProsodyTargets(pitch_shift=-1.5, pitch_range=0.8, declination=0.5,
                                     final_movement=-1.0, rate=0.87, pause_scale=1.15,
                                     loudness=-1.5, effort=-0.5)),
        # Slightly low and flat, unhurried, soft (cross-language "tenderness" profile).
        EmotionPreset("calm", "平静", ("平静", "温柔", "relaxed", "gentle", "soothing"),
                      ProsodyTargets(pitch_shift=-1.0, pitch_range=0.8, declination=0.5,
                                     final_movement=-0.5, rate=0.9, pause_scale=1.2,
                                     loudness=-2.0, effort=-1.0)),
    )
}
EMOTIONS = tuple(PRESETS)
"""Canonical emotion ids, neutral first."""

_BY_NAME: dict[str, str] = {}
for _preset in PRESETS.values():
    for _name in (_preset.name, *_preset.aliases):
        _BY_NAME[_name.casefold()] = _preset.name


def resolve_emotion(name: str) -> str:
    """The canonical id for an emotion name or alias (case-insensitive); raises
    :class:`InvalidParameterError` for anything else."""
    if not isinstance(name, str):
        raise InvalidParameterError(f"emotion must be a string, got {name!r}")
    try:
        return _BY_NAME[name.strip().casefold()]
    except KeyError:
        choices = ", ".join(f"{p.name} ({p.label_zh})" for p in PRESETS.values())
        raise InvalidParameterError(
            f"unknown emotion {name!r}; choose one of {choices}", code="invalid_emotion"
        ) from None


def emotion_targets(emotion: str, intensity: float = 1.0) -> ProsodyTargets:
    """Targets of an emotion (name or alias) at an intensity (0–2)."""
    return PRESETS[resolve_emotion(emotion)].targets.scaled(intensity)

