"""Grapheme to phoneme for one punctuation-free segment: words → readings → connected speech.

1. rjieba segments and tags words (the tags drive the neutral-tone rules);
2. :mod:`huayin.text.polyphone` gives each Chinese character its citation reading (pypinyin's
   dictionaries, g2pM's model for characters with several readings, and an arbiter);
3. the user lexicon (:mod:`huayin.text.lexicon`) overrides any word it lists;
4. :mod:`huayin.text.sandhi` applies neutral tones, 一/不 and third-tone sandhi;
5. :mod:`huayin.text.erhua` merges suffix 儿 into the syllable before it;
6. :mod:`huayin.text.phrasing` marks prosodic phrase breaks (#2) inside long segments.

Latin letters are spelled; anything else unspeakable is skipped with a warning.
"""

from dataclasses import replace

import rjieba

from huayin.text.erhua import merge_erhua
from huayin.text.letters import spell_letter
from huayin.text.lexicon import user_lexicon
from huayin.text.phrasing import add_phrase_breaks
from huayin.text.polyphone import Decision, decide_readings
from huayin.text.punctuation import is_hanzi, is_latin_letter
from huayin.text.sandhi import TaggedWord, apply_tone_sandhi
from huayin.text.utterance import Break, Token


def tagged_words(text: str) -> list[TaggedWord]:
    """Segment and tag; a word mixing Chinese and other characters is split where they meet."""
    words: list[TaggedWord] = []
    for word, tag in rjieba.tag(text):
        current = ""
        for char in word:
            if current and is_hanzi(char) != is_hanzi(current[-1]):
                words.append(TaggedWord(current, tag))
                current = ""
            current += char
        if current:
            words.append(TaggedWord(current, tag))
    return words


def segment_readings(text: str, words: list[TaggedWord] | None = None,
                     context: tuple[str, str] | None = None,
                     pinned: dict[int, str] | None = None) -> list[str | None]:
    """Final reading of every character of a segment (None where not Chinese): what the tokens
    carry, with erhua 儿 read as a bare ``r``. ``context`` = the sentence around the segment."""
    return segment_decisions(text, words, context, pinned)[0]


def segment_decisions(text: str, words: list[TaggedWord] | None = None,
                      context: tuple[str, str] | None = None,
                      pinned: dict[int, str] | None = None,
                      ) -> tuple[list[str | None], list[Decision]]:
    """Final readings of a segment and how each character's reading was decided.

    ``pinned`` = offset → syllable the user wrote inline (``行[hang2]``) or in SSML
    ``<phoneme>``; like user-lexicon readings they are final: no sandhi changes them, but they
    are context for their neighbours' sandhi. Inline readings win over the lexicon.
    """
    words = tagged_words(text) if words is None else words
    decisions = decide_readings(text, [w.text for w in words], context)
    readings = [d.reading for d in decisions]
    fixed = [False] * len(text)
    for match in user_lexicon().matches(text):
        for offset, syllable in enumerate(match.syllables):
            position = match.start + offset
            readings[position] = syllable
            fixed[position] = True
            decisions[position] = replace(decisions[position], reading=syllable,
                                          source="lexicon", detail="user lexicon entry")
    for position, syllable in (pinned or {}).items():
        readings[position] = syllable
        fixed[position] = True
        decisions[position] = replace(decisions[position], reading=syllable, source="inline",
                                      detail="written by the user")
    ruled = [d.source == "rule" for d in decisions]
    readings = apply_tone_sandhi(words, readings, fixed, ruled)
    return merge_erhua(words, readings), decisions


def text_to_tokens(
    text: str, spans: tuple[tuple[int, int], ...], warnings: list[str],
    context: tuple[str, str] | None = None, pinned: dict[int, str] | None = None,
) -> list[Token]:
    """Tokens for one punctuation-free segment; unspeakable characters are reported in warnings.
    ``context`` = (text before, text after) the segment in its sentence, for polyphones;
    ``pinned`` = readings the user fixed (see :func:`segment_decisions`)."""
    words = tagged_words(text)
    readings, decisions = segment_decisions(text, words, context, pinned)
    tokens: list[Token] = []
    spoken: list[tuple[TaggedWord, int]] = []  # words that produced tokens, with their last one
    position = 0
    for word in words:
        run = word.text
        count_before = len(tokens)
        for offset, char in enumerate(run):
            span = spans[position + offset]
            if is_hanzi(char):
                syllable = readings[position + offset]
                if not syllable or not _is_syllable(syllable):
                    warnings.append(f"skipped {char!r}: no known pronunciation")
                    continue
                decision = decisions[position + offset]
                tokens.append(Token(char, (syllable,), run, span,
                                    reading_source=_describe(decision)))
            elif is_latin_letter(char):
                tokens.append(Token(char, spell_letter(char), run, span, is_hanzi=False))
            elif not char.isspace():
                warnings.append(f"skipped {char!r}: not speakable")
        if len(run) > 4 and is_latin_letter(run[0]):
            warnings.append(f"spelled {run!r} letter by letter")
        position += len(run)
        if tokens and tokens[-1].word == run:
            tokens[-1] = _with_break(tokens[-1], Break.WORD)
        if len(tokens) > count_before:
            spoken.append((word, len(tokens) - 1))
    return add_phrase_breaks(tokens, spoken)


def _describe(decision: Decision) -> str:
    """``source: detail`` for characters with a choice or a user reading, else ''."""
    if not decision.polyphonic and decision.source not in ("inline", "lexicon"):
        return ""
    return f"{decision.source}: {decision.detail}" if decision.detail else decision.source


def _is_syllable(syllable: str) -> bool:
    """A toned pinyin syllable (``zhong1``, ``dianr3``) or the erhua suffix ``r``."""
    return syllable == "r" or (syllable[-1:] in "12345" and syllable[:-1].isalpha()
                               and syllable[:-1].isascii())


def _with_break(token: Token, brk: Break) -> Token:
    return replace(token, break_after=brk)
