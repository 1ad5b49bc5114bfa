"""Cut normalized text into clauses: at punctuation first, then long runs at word boundaries.

A clause is the unit of one acoustic-model call: short enough that the model never runs past its
frame limit and memory stays flat however long the text is.
"""

import math
from dataclasses import dataclass

from huayin.text.normalize import NormalizedText
from huayin.text.punctuation import BREAK_OF_PUNCTUATION, SILENT_MARKS
from huayin.text.utterance import Break, Token


@dataclass(frozen=True)
class Segment:
    """Text between two punctuation breaks, with the break that ends it."""

    text: str
    """The segment's characters (punctuation and silent marks removed; spaces kept)."""
    spans: tuple[tuple[int, int], ...]
    """Source span of each character in the original text."""
    break_after: Break
    """The strongest break among the punctuation marks that close the segment."""


def split_at_punctuation(normalized: NormalizedText,
                         final_break: Break = Break.SENTENCE) -> list[Segment]:
    """Split at clause-ending punctuation; silent marks (quotes, brackets) are dropped.

    Text after the last mark ends with ``final_break`` (a sentence end for a whole text; a word
    boundary where SSML only changes settings mid-sentence).
    """
    segments: list[Segment] = []
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for char, span in zip(normalized.text, normalized.spans):
        brk = BREAK_OF_PUNCTUATION.get(char)
        if brk is not None:
            if chars:
                segments.append(Segment("".join(chars), tuple(spans), brk))
                chars, spans = [], []
            elif segments and brk > segments[-1].break_after:
                # A run like "。\n" or "！？": the strongest mark decides the pause.
                last = segments[-1]
                segments[-1] = Segment(last.text, last.spans, brk)
            continue
        if char in SILENT_MARKS:
            continue
        chars.append(char)
        spans.append(span)
    if chars:
        segments.append(Segment("".join(chars), tuple(spans), final_break))
    return segments


def leading_break(normalized: NormalizedText) -> Break | None:
    """The break of punctuation that opens the text ("，后面" → CLAUSE), if any."""
    strongest = None
    for char in normalized.text:
        brk = BREAK_OF_PUNCTUATION.get(char)
        if brk is None:
            if char in SILENT_MARKS or char.isspace():
                continue
            break
        strongest = brk if strongest is None else max(strongest, brk)
    return strongest


#: A phrase break (#2) may replace the even cut position if it lies within this fraction of the
#: even piece length from it: cutting where a reader would pause anyway beats an even split.
PHRASE_CUT_TOLERANCE = 0.25


def split_long_clause(tokens: list[Token], max_tokens: int) -> list[list[Token]]:
    """Cut a token run longer than ``max_tokens`` into near-equal pieces.

    Each cut goes at a phrase break (#2) near the even cut position if there is one (within
    :data:`PHRASE_CUT_TOLERANCE` of the even piece length, closest first), else at the first word
    boundary past it; the rest is then divided evenly again, so one early cut does not leave a
    short last piece. A cut never makes more pieces than the even split needs.
    """
    pieces: list[list[Token]] = []
    start = 0
    while len(tokens) - start > max_tokens:
        remaining = len(tokens) - start
        pieces_needed = -(-remaining // max_tokens)
        target = remaining / pieces_needed
        length = _cut_length(tokens, start, target, max_tokens, pieces_needed)
        pieces.append(tokens[start:start + length])
        start += length
    pieces.append(tokens[start:])
    return pieces


def _cut_length(tokens: list[Token], start: int, target: float, max_tokens: int,
                pieces_needed: int) -> int:
    """How many tokens from ``start`` go into the next piece."""
    remaining = len(tokens) - start
    shortest = max(1, remaining - (pieces_needed - 1) * max_tokens)  # the rest must still fit
    low = max(shortest, int(target * (1 - PHRASE_CUT_TOLERANCE) + 0.999))
    high = min(max_tokens, int(target * (1 + PHRASE_CUT_TOLERANCE)))
    best = None
    for length in range(low, high + 1):
        if tokens[start + length - 1].break_after == Break.PHRASE:
            if best is None or abs(length - target) < abs(best - target):
                best = length
    if best is not None:
        return best
    for length in range(math.ceil(target), max_tokens + 1):
        if tokens[start + length - 1].break_after >= Break.WORD:
            return length
    return max_tokens
