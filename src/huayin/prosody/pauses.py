"""Pause length after a clause, by the punctuation that closed it."""

from huayin.text.utterance import Break

# Seconds of silence at normal speed, on top of the few frames of silence the model leaves at a
# clause edge. Chosen by ear on the Baker voice: 、 short, ，/； a breath, 。 a clear stop.
_PAUSE_AT_NORMAL_SPEED: dict[Break, float] = {
    Break.NONE: 0.0,
    Break.WORD: 0.0,
    Break.PHRASE: 0.12,
    Break.CLAUSE: 0.22,
    Break.SENTENCE: 0.42,
    Break.PARAGRAPH: 0.7,
}


def pause_seconds(brk: Break, speed: float = 1.0, scale: float = 1.0) -> float:
    """Silence after a break; faster speech has proportionally shorter pauses, and ``scale``
    (an emotion's pause factor) lengthens or shortens them further."""
    return _PAUSE_AT_NORMAL_SPEED[brk] * scale / speed
