"""Cut normalized text into clauses: at punctuation first, then long runs at word boundaries.

A clause is the unit of one acoustic-model call: short enough that the model never runs past its
frame limit and memory stays flat however long the text is.
"""

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


def split_long_clause(tokens: list[Token], max_tokens: int) -> list[list[Token]]:
    """Cut a token run longer than ``max_tokens`` into near-equal pieces at word boundaries."""
    if len(tokens) <= max_tokens:
        return [tokens]
    pieces_needed = -(-len(tokens) // max_tokens)
    target = len(tokens) / pieces_needed
    pieces: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        at_word_end = token.break_after >= Break.WORD
        if (at_word_end and len(current) >= target) or len(current) >= max_tokens:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces
