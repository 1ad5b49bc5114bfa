"""Grapheme to phoneme for the first front end: rjieba words → pypinyin syllables.

pypinyin's phrase dictionary decides polyphones from the word; its ``tone_sandhi`` applies the
common 一/不/3-3 changes. Latin letters are spelled; anything else unspeakable is skipped with a
warning.
"""

from pypinyin import Style, lazy_pinyin

import rjieba

from huayin.text.letters import spell_letter
from huayin.text.punctuation import is_hanzi, is_latin_letter
from huayin.text.utterance import Break, Token

_TONE_DIGITS = set("12345")


def _word_runs(text: str) -> list[str]:
    """Segment into words, then split any word that mixes Chinese and other characters."""
    runs: list[str] = []
    for word in rjieba.cut(text):
        current = ""
        for char in word:
            if current and is_hanzi(char) != is_hanzi(current[-1]):
                runs.append(current)
                current = ""
            current += char
        if current:
            runs.append(current)
    return runs


def _hanzi_pinyin(words: list[str]) -> list[str]:
    """One pinyin syllable per character of the Chinese words, with sandhi, ü written as v."""
    syllables = lazy_pinyin(
        words, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True, v_to_u=False
    )
    if len(syllables) != sum(len(w) for w in words):
        # pypinyin kept some word whole (rare characters): fall back to one call per character.
        syllables = [
            lazy_pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0]
            for w in words
            for c in w
        ]
    return syllables


def text_to_tokens(
    text: str, spans: tuple[tuple[int, int], ...], warnings: list[str]
) -> list[Token]:
    """Tokens for one punctuation-free segment; unspeakable characters are reported in warnings."""
    runs = _word_runs(text)
    pinyin = iter(_hanzi_pinyin([r for r in runs if is_hanzi(r[0])]))
    tokens: list[Token] = []
    position = 0
    for run in runs:
        for offset, char in enumerate(run):
            span = spans[position + offset]
            if is_hanzi(char):
                syllable = next(pinyin)
                if syllable[-1:] not in _TONE_DIGITS or not syllable[:-1].isalpha():
                    warnings.append(f"skipped {char!r}: no known pronunciation")
                    continue
                tokens.append(Token(char, (syllable,), run, span))
            elif is_latin_letter(char):
                tokens.append(Token(char, spell_letter(char), run, span, is_hanzi=False))
            elif not char.isspace():
                warnings.append(f"skipped {char!r}: not speakable")
        if len(run) > 4 and is_latin_letter(run[0]):
            warnings.append(f"spelled {run!r} letter by letter")
        position += len(run)
        if tokens and tokens[-1].word == run:
            tokens[-1] = _with_break(tokens[-1], Break.WORD)
    return tokens


def _with_break(token: Token, brk: Break) -> Token:
    return Token(token.text, token.syllables, token.word, token.span, token.is_hanzi, brk)
