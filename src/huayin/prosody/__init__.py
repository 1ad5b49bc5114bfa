"""Prosody stage: how fast, how high, how loud, and how long the pauses are.

For now it holds the request settings, speed handling and pause lengths; emotion presets arrive
here later.
"""

from huayin.prosody.pauses import pause_seconds
from huayin.prosody.request import ProsodyRequest
from huayin.prosody.speed import MAX_SPEED, MIN_SPEED, check_speed

__all__ = ["MAX_SPEED", "MIN_SPEED", "ProsodyRequest", "check_speed", "pause_seconds"]
