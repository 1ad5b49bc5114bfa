"""Prosody stage: emotion presets, speed/pitch/volume, reference-clip analysis and pauses.

Everything a request asks for is composed into voice-independent :class:`ProsodyTargets`
(``ProsodyRequest.targets``) that each voice realises.
"""

from huayin.prosody.emotions import EMOTIONS, PRESETS, emotion_targets, resolve_emotion
from huayin.prosody.instructions import emotion_from_instructions
from huayin.prosody.loudness import apply_gain
from huayin.prosody.pauses import pause_seconds
from huayin.prosody.request import ProsodyRequest
from huayin.prosody.speed import MAX_SPEED, MIN_SPEED, check_speed
from huayin.prosody.targets import ProsodyTargets

__all__ = [
    "EMOTIONS", "MAX_SPEED", "MIN_SPEED", "PRESETS", "ProsodyRequest", "ProsodyTargets",
    "apply_gain", "check_speed", "emotion_from_instructions", "emotion_targets",
    "pause_seconds", "resolve_emotion",
]
