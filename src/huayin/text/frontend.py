"""The text front end: (SSML →) normalize → split → segment + g2p → :class:`Utterance`.

Plain text is one run. SSML becomes several runs: a new run starts wherever the settings change
(``<prosody>``, ``<emotion>``, ``<voice>``) or a ``<break>``/``</s>`` forces a boundary; each run
is then normalized, split into clauses and converted to pinyin like plain text.
"""

from dataclasses import dataclass, field, replace

from huayin.text.g2p import _with_break, text_to_tokens
from huayin.text.inline import extract_inline_pronunciations
from huayin.text.normalize import NormalizedText, normalize
from huayin.text.output_limits import OutputLimits, speech_seconds, spoken_syllables
from huayin.text.punctuation import LONE_SURROGATE, is_hanzi, is_surrogate
from huayin.text.say_as import SAY_AS_RULES
from huayin.text.split import (
    Segment,
    cut_break,
    leading_break,
    split_at_punctuation,
    split_long_clause,
)
from huayin.text.ssml import Piece, is_ssml, parse_ssml
from huayin.text.utterance import Break, Clause, Delivery, Token, Utterance

#: Clauses near this many syllables keep memory low and stay far below the model's frame limit.
DEFAULT_MAX_CLAUSE_TOKENS = 50


@dataclass
class _Run:
    """Normalized text spoken with one set of settings, up to a forced boundary."""

    chars: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    delivery: Delivery | None = None
    pause: float | None = None  # explicit silence after the run
    sentence_end: bool = False  # a </s> or </p> closes the run

    def text(self) -> NormalizedText:
        return NormalizedText("".join(self.chars), tuple(self.spans))


def analyze(text: str, max_clause_tokens: int = DEFAULT_MAX_CLAUSE_TOKENS,
            limits: OutputLimits | None = None, rate: float = 1.0) -> Utterance:
    """Turn raw text or SSML (text starting with ``<speak``) into speakable clauses.

    Raises :class:`huayin.text.ssml.SsmlError` for invalid SSML (a lone surrogate code point
    included) and :class:`huayin.text.inline.InlinePronunciationError` for a malformed inline
    pronunciation (``行[hang9]``); in plain text, anything unspeakable (emoji, control
    characters, lone surrogates) is skipped with a note in :attr:`Utterance.warnings`. Inline
    pronunciations (``便宜[pian2 yi5]``) are removed from the display text and fix the readings.
    With ``limits``, a text over one of their caps raises
    :class:`~huayin.text.output_limits.OutputTooLongError` once it is normalized, before the
    pinyin conversion; its audio is estimated at ``rate`` (the request's speed, 1 = normal).
    """
    warnings: list[str] = []
    display, runs, marks = _runs(text, warnings, limits)
    if limits is not None:
        limits.check_audio(estimated_seconds(runs, rate))
    clauses: list[Clause] = []
    for index, run in enumerate(runs):
        start = len(clauses)
        opening = leading_break(run.text())
        if opening is not None and clauses:  # "...</prosody>，..." closes the clause before
            clauses[-1].break_after = max(clauses[-1].break_after, opening)
        # A run that ends only because settings change continues the sentence.
        ends_text = index == len(runs) - 1 or run.sentence_end
        final_break = Break.SENTENCE if ends_text else Break.WORD
        _append_clauses(clauses, run.text(), max_clause_tokens, warnings, marks, final_break)
        for clause in clauses[start:]:
            clause.delivery = run.delivery
        if run.pause is not None or run.sentence_end:
            if len(clauses) == start and clauses:
                start -= 1  # the run had nothing speakable: its boundary closes the clause before
            if len(clauses) > start:
                last = clauses[-1]
                if run.sentence_end:
                    last.break_after = max(last.break_after, Break.SENTENCE)
                if run.pause is not None:
                    last.pause = (last.pause or 0.0) + run.pause
    normalized_text = "".join("".join(run.chars) for run in runs)
    return Utterance(display, normalized_text, clauses, warnings)


def check_output(text: str, limits: OutputLimits, rate: float = 1.0) -> None:
    """The caps of :func:`analyze` alone (no pinyin conversion, no voice): for a text checked
    before it is queued. Raises :class:`~huayin.text.output_limits.OutputTooLongError`, and
    whatever :func:`analyze` raises for a malformed text."""
    _, runs, _ = _runs(text, [], limits)
    limits.check_audio(estimated_seconds(runs, rate))


def _runs(text: str, warnings: list[str], limits: OutputLimits | None,
          ) -> tuple[str, list["_Run"], "_Marks"]:
    """The display text, its normalized runs and the marks on it (SSML or plain text)."""
    if is_ssml(text):
        return _ssml_runs(parse_ssml(text, limits))
    inline = extract_inline_pronunciations(text)
    normalized = _without_surrogates(normalize(inline.text), warnings)
    return (inline.text, [_Run(list(normalized.text), list(normalized.spans))],
            _Marks(pinyin=dict(inline.readings)))


def estimated_seconds(runs: list["_Run"], rate: float = 1.0) -> float:
    """Estimated audio seconds of normalized runs at ``rate``: each run's speech at its own
    ``<prosody rate>``, plus its explicit ``<break>``."""
    total = 0.0
    for run in runs:
        factor = run.delivery.speed if run.delivery is not None and run.delivery.speed else 1.0
        total += speech_seconds(spoken_syllables("".join(run.chars)), rate * factor)
        total += run.pause or 0.0
    return total


def _without_surrogates(normalized: NormalizedText, warnings: list[str]) -> NormalizedText:
    """Drop lone surrogates (no encoder or segmenter takes them) with a warning; they still
    separate what stands around them, as they did during normalization."""
    if LONE_SURROGATE.search(normalized.text) is None:
        return normalized
    kept = []
    for char, span in zip(normalized.text, normalized.spans):
        if is_surrogate(char):
            warnings.append(f"skipped lone surrogate U+{ord(char):04X}: not a character")
        else:
            kept.append((char, span))
    return NormalizedText("".join(c for c, _ in kept), tuple(s for _, s in kept))


def sentence_contexts(segments: list[Segment]) -> list[tuple[str, str]]:
    """For each segment, the rest of its sentence before and after it (clauses joined by "，",
    closed by "。"), so the polyphone model reads whole sentences."""
    contexts: list[tuple[str, str]] = []
    sentence: list[Segment] = []
    for index, segment in enumerate(segments):
        sentence.append(segment)
        if segment.break_after >= Break.SENTENCE or index == len(segments) - 1:
            texts = [s.text for s in sentence]
            for position in range(len(texts)):
                before = "".join(t + "，" for t in texts[:position])
                after = "".join("，" + t for t in texts[position + 1:]) + "。"
                contexts.append((before, after))
            sentence = []
    return contexts


def _append_clauses(clauses: list[Clause], normalized: NormalizedText, max_clause_tokens: int,
                    warnings: list[str], marks: "_Marks", final_break: Break) -> None:
    segments = split_at_punctuation(normalized, final_break)
    for segment, context in zip(segments, sentence_contexts(segments)):
        tokens = [marks.apply(t) for t in
                  text_to_tokens(segment.text, segment.spans, warnings, context,
                                 marks.pinned(segment))]
        if not tokens:
            # Nothing speakable (e.g. only emoji): its pause still applies to the clause before.
            if clauses and segment.break_after > clauses[-1].break_after:
                clauses[-1].break_after = segment.break_after
            continue
        pieces = split_long_clause(tokens, max_clause_tokens)
        for piece in pieces[:-1]:
            clauses.append(Clause(piece, cut_break(piece)))
        last = pieces[-1]
        last[-1] = _with_break(last[-1], segment.break_after)
        clauses.append(Clause(last, segment.break_after))


@dataclass
class _Marks:
    """Per-character SSML marks keyed by display-text offset."""

    pinyin: dict[int, str] = field(default_factory=dict)
    """``<phoneme>`` readings of Chinese characters."""
    emphasis: dict[int, float] = field(default_factory=dict)
    """``<emphasis>`` levels."""

    def pinned(self, segment: Segment) -> dict[int, str]:
        """Offset in ``segment`` → the marked reading, for Chinese characters that come from
        exactly one marked source character."""
        if not self.pinyin:
            return {}
        return {index: self.pinyin[start] for index, (char, (start, end))
                in enumerate(zip(segment.text, segment.spans))
                if end - start == 1 and start in self.pinyin and is_hanzi(char)}

    def apply(self, token: Token) -> Token:
        """The token with the reading and emphasis marked at its source."""
        syllable = self.pinyin.get(token.span[0]) if token.is_hanzi else None
        if syllable is not None and token.syllables != (syllable,):
            token = replace(token, syllables=(syllable,), reading_source="inline: written by the user")
        level = self.emphasis.get(token.span[0], 0.0)
        return replace(token, emphasis=level) if level else token


def _ssml_runs(pieces: list[Piece]) -> tuple[str, list[_Run], _Marks]:
    """The display text (what is spoken, markup removed), its runs, and ``<phoneme>`` readings
    and ``<emphasis>`` levels keyed by display-text offset."""
    display = ""
    runs: list[_Run] = []
    marks = _Marks()
    current = _Run()
    for piece in pieces:
        if piece.pause is not None or piece.sentence_end:
            current.pause = piece.pause if piece.pause is not None else current.pause
            current.sentence_end = current.sentence_end or piece.sentence_end
            runs.append(current)
            current = _Run(delivery=current.delivery)
            continue
        if not piece.text:
            continue
        delivery = piece.delivery if piece.delivery != Delivery() else None
        if delivery != current.delivery and current.chars:
            runs.append(current)
            current = _Run()
        current.delivery = delivery
        offset = len(display)
        display += piece.text
        if piece.pinyin is not None:
            hanzi = [i for i, ch in enumerate(piece.text) if is_hanzi(ch)]
            for index, syllable in zip(hanzi, piece.pinyin):
                marks.pinyin[offset + index] = syllable
        if piece.emphasis:
            marks.emphasis.update(dict.fromkeys(range(offset, len(display)), piece.emphasis))
        rules = SAY_AS_RULES[piece.say_as] if piece.say_as else None
        normalized = normalize(piece.text) if rules is None else normalize(piece.text, rules)
        current.chars.extend(normalized.text)
        current.spans.extend((offset + a, offset + b) for a, b in normalized.spans)
    runs.append(current)
    return display, [run for run in runs if run.chars or run.pause or run.sentence_end], marks
