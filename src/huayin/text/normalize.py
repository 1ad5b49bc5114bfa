"""Text normalization: what the text says, in Chinese characters, with source spans.

Three steps: width folding (full-width digits and letters → ASCII, CJK punctuation kept),
traditional → simplified, then the rules of :mod:`huayin.text.tn` (numbers, dates, times, money,
units, phone numbers, ...). Every output character remembers the span of the original text it came
from, so timestamps and subtitles can point back at what the user wrote.
"""

import re
from dataclasses import dataclass

from huayin.text.tn import RULES
from huayin.text.tn.charset import fold_width, to_simplified
from huayin.text.tn.rule import Piece, Rule


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus, for each of its characters, the source span in the original."""

    text: str
    """The normalized text."""
    spans: tuple[tuple[int, int], ...]
    """``spans[i]`` is the ``[start, end)`` range of the original text behind ``text[i]``."""


def _next_match(rule: Rule, source: str, position: int) -> re.Match | None:
    """The leftmost match of ``rule`` at or after ``position`` that the rule accepts."""
    match = rule.pattern.search(source, position)
    while match is not None and (
        match.end() == match.start() or (rule.accepts is not None and not rule.accepts(match))
    ):
        match = rule.pattern.search(source, match.start() + 1)
    return match


def _in_source_order(pieces: list[Piece]) -> bool:
    """Whether each piece starts at or after the end of the one before."""
    return all(later[1] >= earlier[2] for earlier, later in zip(pieces, pieces[1:]))


def normalize(text: str, rules: tuple[Rule, ...] = RULES) -> NormalizedText:
    """Write numbers, dates, units, ... out in Chinese characters, tracking source spans.

    The leftmost match of any rule is verbalized first; where several rules match at the same
    place, the first in ``rules`` (default :data:`huayin.text.tn.RULES`) wins. Text between
    matches is copied. SSML ``<say-as>`` passes a narrower rule list.
    """
    folded, folded_spans = fold_width(text)
    source = to_simplified(folded)
    chars: list[str] = []
    spans: list[tuple[int, int]] = []

    def emit(spoken: str, start: int, end: int) -> None:
        end = max(end, start + 1)  # a reading attached to an empty span gets the next character
        span = (folded_spans[start][0], folded_spans[end - 1][1])
        chars.extend(spoken)
        spans.extend([span] * len(spoken))

    # Each rule's next acceptable match; refreshed only when the text before it has been consumed.
    upcoming = [_next_match(rule, source, 0) for rule in rules]
    position = 0
    while True:
        best_index = None
        for index, match in enumerate(upcoming):
            if match is not None and match.start() < position:
                match = upcoming[index] = _next_match(rules[index], source, position)
            if match is not None and (best_index is None
                                      or match.start() < upcoming[best_index].start()):
                best_index = index
        if best_index is None:
            break
        match = upcoming[best_index]
        chars.extend(source[position : match.start()])
        spans.extend(folded_spans[position : match.start()])
        spoken = rules[best_index].verbalize(match)
        if isinstance(spoken, str) or not _in_source_order(spoken):
            # Readings that reorder the source ($5 → 五美元) point at the whole match, so that
            # spans never run backwards.
            emit("".join(spoken) if isinstance(spoken, str) else "".join(p[0] for p in spoken),
                 match.start(), match.end())
        else:
            for piece_text, start, end in spoken:
                emit(piece_text, start, end)
        position = match.end()
    chars.extend(source[position:])
    spans.extend(folded_spans[position:])
    return NormalizedText("".join(chars), tuple(spans))
