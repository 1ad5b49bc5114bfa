"""Why each character reads the way it does: the data behind ``huayin g2p --explain`` and
``/api/g2p``."""

from dataclasses import dataclass

from huayin.text.frontend import analyze


@dataclass(frozen=True)
class CharacterReading:
    """One Chinese character of the normalized text and how its reading was decided."""

    char: str
    """The character."""
    pinyin: str
    """Its spoken reading (after sandhi and erhua), as ``huayin g2p`` prints it."""
    word: str
    """The segmented word it belongs to."""
    span: tuple[int, int]
    """``[start, end)`` of its source in the text (after inline pronunciations are removed)."""
    source: str
    """``inline``, ``lexicon``, ``word``, ``rule``, ``model`` for characters with a choice or a
    user reading; ``""`` for characters with only one reading."""
    detail: str
    """The word, rule or scores that decided."""


def explain(text: str) -> list[CharacterReading]:
    """Every Chinese character of ``text`` (plain text with inline pronunciations, or SSML)."""
    readings = []
    for token in analyze(text).tokens:
        if not token.is_hanzi:
            continue
        source, _, detail = token.reading_source.partition(": ")
        readings.append(CharacterReading(token.text, token.syllables[0], token.word, token.span,
                                         source, detail))
    return readings


def explanation_lines(text: str) -> list[str]:
    """The pinyin line, then one line per character whose reading had a source to name."""
    readings = explain(text)
    lines = [" ".join(r.pinyin for r in readings)]
    for reading in readings:
        if reading.source:
            detail = f"  {reading.detail}" if reading.detail else ""
            lines.append(f"  {reading.char} {reading.pinyin:<7} {reading.source:<7}{detail}")
    return lines
