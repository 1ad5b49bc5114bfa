"""The text front end: normalize → split → segment + g2p → :class:`Utterance`."""

from huayin.text.g2p import _with_break, text_to_tokens
from huayin.text.normalize import normalize
from huayin.text.split import split_at_punctuation, split_long_clause
from huayin.text.utterance import Clause, Utterance

#: Clauses near this many syllables keep memory low and stay far below the model's frame limit.
DEFAULT_MAX_CLAUSE_TOKENS = 50


def analyze(text: str, max_clause_tokens: int = DEFAULT_MAX_CLAUSE_TOKENS) -> Utterance:
    """Turn raw text into speakable clauses of pinyin tokens."""
    normalized = normalize(text)
    warnings: list[str] = []
    clauses: list[Clause] = []
    for segment in split_at_punctuation(normalized):
        tokens = text_to_tokens(segment.text, segment.spans, warnings)
        if not tokens:
            # Nothing speakable (e.g. only emoji): its pause still applies to the clause before.
            if clauses and segment.break_after > clauses[-1].break_after:
                clauses[-1].break_after = segment.break_after
            continue
        pieces = split_long_clause(tokens, max_clause_tokens)
        for piece in pieces[:-1]:
            clauses.append(Clause(piece, piece[-1].break_after))
        last = pieces[-1]
        last[-1] = _with_break(last[-1], segment.break_after)
        clauses.append(Clause(last, segment.break_after))
    return Utterance(text, normalized.text, clauses, warnings)
