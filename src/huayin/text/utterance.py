"""What the text front end hands to the rest of the pipeline.

An :class:`Utterance` is a list of :class:`Clause` objects, each small enough for one acoustic
model call, made of :class:`Token` objects that remember where they came from in the original
text (for subtitles and timestamps).
"""

from dataclasses import dataclass, field
from enum import IntEnum


class Break(IntEnum):
    """Prosodic break after a token, in the usual #0–#4 scale (plus paragraphs)."""

    NONE = 0  #: inside a word
    WORD = 1  #: prosodic word boundary
    PHRASE = 2  #: short pause, e.g. 、 (enumeration comma)
    CLAUSE = 3  #: clause pause, e.g. ，；：
    SENTENCE = 4  #: sentence end, e.g. 。！？
    PARAGRAPH = 5  #: blank line / line break between paragraphs


@dataclass(frozen=True)
class Token:
    """One spoken unit of the normalized text."""

    text: str
    """The unit as spoken: one Chinese character, or one spelled Latin letter."""
    syllables: tuple[str, ...]
    """Pinyin with tone digit (1–5, 5 = neutral, ``v`` for ü), after tone sandhi. A Chinese
    character has exactly one (an erhua 儿 merged into the syllable before it, as in 一点儿 →
    dianr3, carries the bare syllable ``r``); a spelled letter may have several (W → da2 bu5
    liu5)."""
    word: str
    """The segmented word this token belongs to."""
    span: tuple[int, int]
    """``[start, end)`` character offsets of the source of this token in the original text (all
    characters produced by normalizing "12" point at the span of "12")."""
    is_hanzi: bool = True
    """True for a Chinese character, False for a spelled letter."""
    break_after: Break = Break.NONE
    """Prosodic break between this token and the next one."""
    emphasis: float = 0.0
    """Focus from SSML ``<emphasis>``: 2 strong, 1 moderate, −1 reduced, 0 none (see
    :mod:`huayin.prosody.emphasis`)."""
    reading_source: str = ""
    """For a character with several readings or a reading the user fixed: which source decided
    it (``inline``, ``lexicon``, ``word``, ``rule``, ``model``) and why, as ``huayin g2p
    --explain`` shows it; empty otherwise."""


@dataclass(frozen=True)
class Delivery:
    """Settings in force for a piece of text (None = the request's own value)."""

    speed: float | None = None
    """Multiplier of the request's speed (from ``<prosody rate>``)."""
    pitch: float | None = None
    """Semitones added to the request's pitch."""
    volume: float | None = None
    """dB added to the request's volume."""
    emotion: str | None = None
    """Emotion style from ``<emotion category>``."""
    intensity: float | None = None
    """Emotion intensity from ``<emotion intensity>``."""
    voice: str | None = None
    """Voice id from ``<voice name>``."""



@dataclass
class Clause:
    """A run of tokens synthesized in one acoustic-model call, followed by a pause."""

    tokens: list[Token]
    """The tokens, in order; never empty."""
    break_after: Break = Break.CLAUSE
    """The pause that follows the clause (from its closing punctuation)."""
    delivery: Delivery | None = None
    """Settings from SSML (``<prosody>``, ``<emotion>``, ``<voice>``) for this clause, if any."""
    pause: float | None = None
    """Seconds of silence after the clause set explicitly (SSML ``<break time>``); None = the
    break's usual pause."""

    @property
    def text(self) -> str:
        """The normalized text of the clause (what is actually spoken)."""
        return "".join(t.text for t in self.tokens)


@dataclass
class Utterance:
    """The front end's result for one input text."""

    original: str
    """The text as the user gave it, less SSML markup and inline pronunciations (``行[hang2]``
    → ``行``): what token spans point into."""
    normalized: str
    """The text after normalization (numbers written out, full-width folded, ...)."""
    clauses: list[Clause]
    """Speakable clauses in order; empty when nothing in the text can be spoken."""
    warnings: list[str] = field(default_factory=list)
    """Human-readable notes about skipped or spelled-out input (emoji, symbols, rare letters)."""

    @property
    def tokens(self) -> list[Token]:
        """All tokens of all clauses, in order."""
        return [t for c in self.clauses for t in c.tokens]
