"""Inline pronunciation in plain text: ``行[hang2]``, ``便宜[pian2 yi5]``.

A bracket right after a Chinese character whose content looks like pinyin (letters carrying a tone
digit 1–5 or a tone mark) gives the readings of the Chinese characters just before it, one
syllable per character, last syllable to last character: in ``特别便宜[pian2 yi5]`` it fixes 便宜
and leaves 特别 to the front end. Syllables are spelled as in the user lexicon (``lv4``, ``lü4``,
``nu:3`` and ``lǜ`` all mean the same). The brackets are removed from the text that is spoken.

Anything else in square brackets (``[1]``, ``[注]``, ``[OK]``) is ordinary text. A bracket that
looks like pinyin but is not valid — an unknown syllable, more syllables than Chinese characters
before it, no closing bracket — is an :class:`InlinePronunciationError` naming its position.
"""

import functools
import re
from dataclasses import dataclass

from pypinyin.constants import PINYIN_DICT
from pypinyin.contrib.tone_convert import to_tone3

from huayin.errors import InvalidParameterError
from huayin.text.lexicon import normalize_syllable
from huayin.text.punctuation import is_hanzi

#: Content that is meant as pinyin: Latin letters (ü and tone-marked vowels included), colons,
#: spaces and digits, with at least one letter followed by a digit (a tone, valid or not: hang9
#: is an error, not text) or a tone-marked vowel.
_PINYIN_LIKE = re.compile(r"^[\sA-Za-z:\u00c0-\u024f\u0300-\u036f0-9]+$")
_TONED = re.compile(r"[A-Za-z:\u00fc\u00dc][0-9]|[\u00e0-\u00fc\u0101-\u01dc]")
#: The longest a bracket may run on when it never closes (a pinyin bracket is short).
_MAX_CONTENT = 200


class InlinePronunciationError(InvalidParameterError):
    """A bracket that looks like inline pinyin but cannot be used (HTTP 400, CLI exit 2)."""

    code = "invalid_pronunciation"


@dataclass(frozen=True)
class InlineText:
    """Plain text with its inline pronunciations taken out."""

    text: str
    """The text without the pinyin brackets (what is shown and spoken)."""
    readings: dict[int, str]
    """Offset in :attr:`text` of a Chinese character → the user's syllable for it."""


@functools.lru_cache(maxsize=1)
def known_syllables() -> frozenset[str]:
    """Every toned syllable pypinyin lists for some character, in both tone-5 and toned forms."""
    syllables: set[str] = set()
    for readings in PINYIN_DICT.values():
        for marked in readings.split(","):
            toned = to_tone3(marked, neutral_tone_with_five=True).replace("ü", "v")
            syllables.add(toned)
            syllables.add(toned[:-1] + "5")
    for base in ("r", "m", "n", "ng", "hm", "hng"):  # interjections and the erhua suffix
        syllables.update(f"{base}{tone}" for tone in "12345")
    return frozenset(syllables)


def parse_syllable(raw: str) -> str | None:
    """A user's syllable normalized (``YIN2`` → ``yin2``, ``lǜ`` → ``lv4``), None if not pinyin."""
    syllable = normalize_syllable(raw)
    return syllable if syllable in known_syllables() else None


def extract_inline_pronunciations(text: str) -> InlineText:
    """Split ``text`` into what is spoken and the readings the user wrote in brackets."""
    if "[" not in text:
        return InlineText(text, {})
    out: list[str] = []
    readings: dict[int, str] = {}
    position = 0
    while position < len(text):
        char = text[position]
        if char != "[" or not out or not is_hanzi(out[-1]):
            out.append(char)
            position += 1
            continue
        close = text.find("]", position + 1, position + 2 + _MAX_CONTENT)
        line_end = text.find("\n", position + 1)
        if close < 0 or 0 <= line_end < close:
            end = line_end if line_end >= 0 else len(text)
            if _looks_like_pinyin(text[position + 1:end]):
                raise InlinePronunciationError(
                    f"inline pronunciation at character {position + 1}: '[' is never closed")
            out.append(char)
            position += 1
            continue
        content = text[position + 1:close]
        if not _looks_like_pinyin(content):
            out.append(char)
            position += 1
            continue
        syllables = _syllables(content, position)
        hanzi_before = _hanzi_run_before(out)
        if len(syllables) > len(hanzi_before):
            raise InlinePronunciationError(
                f"inline pronunciation at character {position + 1}: {len(syllables)} syllables "
                f"for {len(hanzi_before)} Chinese character(s) before '['; write one syllable "
                f"per character")
        for offset, syllable in zip(hanzi_before[-len(syllables):], syllables):
            readings[offset] = syllable
        position = close + 1
    return InlineText("".join(out), readings)


def _looks_like_pinyin(content: str) -> bool:
    return (bool(content.strip()) and _PINYIN_LIKE.match(content) is not None
            and _TONED.search(content) is not None)


def _syllables(content: str, position: int) -> list[str]:
    syllables = []
    for raw in content.split():
        syllable = parse_syllable(raw)
        if syllable is None:
            raise InlinePronunciationError(
                f"inline pronunciation at character {position + 1}: {raw!r} is not a pinyin "
                f"syllable (write e.g. hang2, lv4 or lǜ)")
        syllables.append(syllable)
    return syllables


def _hanzi_run_before(out: list[str]) -> list[int]:
    """Offsets of the Chinese characters that end ``out`` (a bracket cannot reach past others)."""
    offsets = []
    index = len(out) - 1
    while index >= 0 and is_hanzi(out[index]):
        offsets.append(index)
        index -= 1
    return offsets[::-1]
