"""Text front end: raw text (later SSML) → :class:`Utterance` of pinyin tokens.

Public surface: :func:`analyze`, :func:`normalize_text`, :func:`pinyin_line` and the
:mod:`huayin.text.utterance` data classes. Nothing here knows about voices or audio.
"""

from huayin.text.frontend import analyze
from huayin.text.normalize import normalize
from huayin.text.utterance import Break, Clause, Token, Utterance


def normalize_text(text: str) -> str:
    """The normalized text, as ``huayin normalize`` prints it."""
    return normalize(text).text


def pinyin_line(text: str) -> str:
    """Space-separated pinyin of the Chinese characters of ``text``, as ``huayin g2p`` prints it."""
    return " ".join(t.syllables[0] for t in analyze(text).tokens if t.is_hanzi)


__all__ = ["Break", "Clause", "Token", "Utterance", "analyze", "normalize_text", "pinyin_line"]
