"""Our pinyin tokens → ids of phkit's ``hanzi`` symbol set (145 symbols), without phkit.

phkit (MIT, by the ttskit author) spells a syllable as initial + final + tone + ``-``; zero-initial
syllables get a doubled vowel as initial (``ai`` → ``aa ai``, ``yu`` → ``vv v``, ``wei`` →
``uu ui``), ``zi/ci/si`` take final ``iy``, ``zhi/chi/shi`` take ``ix`` and ``ri`` takes ``iz``;
``j/q/x`` + ``u`` is ü. :func:`syllable_phonemes` reproduces all 420 entries of phkit's table
(checked by ``tests/test_mellotron.py`` against a copy of it in the fixtures). A clause ends with
a punctuation symbol, ``~`` (end) and ``_`` (pad), as phkit's ``text2sequence`` writes it.
"""

from dataclasses import dataclass

import numpy as np

from huayin.text.utterance import Break, Token

_PAD, _EOS, _CHAIN = "_", "~", "-"
_INITIALS = [
    "aa", "b", "c", "ch", "d", "ee", "f", "g", "h", "ii", "j", "k", "l", "m", "n", "oo", "p",
    "q", "r", "s", "sh", "t", "uu", "vv", "x", "z", "zh"]
_FINALS = [
    "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "er", "i", "ia", "ian", "iang", "iao",
    "ie", "in", "ing", "iong", "iu", "ix", "iy", "iz", "o", "ong", "ou", "u", "ua", "uai", "uan",
    "uang", "ueng", "ui", "un", "uo", "v", "van", "ve", "vn", "ng", "uong"]
_ALPHABET = "Aa Bb Cc Dd Ee Ff Gg Hh Ii Jj Kk Ll Mm Nn Oo Pp Qq Rr Ss Tt Uu Vv Ww Xx Yy Zz".split()
_PUNCTUATION = '! ? . , ; : " # ( )'.split()
#: phkit.chinese.symbol.symbol_chinese, in order (ids are positions).
SYMBOLS = (
    [_PAD, _EOS, _CHAIN] + _INITIALS + _FINALS + list("12345") + _ALPHABET
    + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _PUNCTUATION + "w y 0 6 7 8 9".split())
SYMBOL_IDS = {symbol: index for index, symbol in enumerate(SYMBOLS)}

_SPELLED_INITIALS = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                     "j", "q", "x", "r", "z", "c", "s"]
#: Finals written differently after a zero initial (y/w spelling) → (phkit initial, final).
_ZERO_INITIAL = {
    "yi": ("ii", "i"), "ya": ("ii", "ia"), "yan": ("ii", "ian"), "yang": ("ii", "iang"),
    "yao": ("ii", "iao"), "ye": ("ii", "ie"), "yin": ("ii", "in"), "ying": ("ii", "ing"),
    "yong": ("ii", "iong"), "you": ("ii", "iu"), "yo": ("ii", "o"),
    "yu": ("vv", "v"), "yuan": ("vv", "van"), "yue": ("vv", "ve"), "yun": ("vv", "vn"),
    "wu": ("uu", "u"), "wa": ("uu", "ua"), "wai": ("uu", "uai"), "wan": ("uu", "uan"),
    "wang": ("uu", "uang"), "weng": ("uu", "ueng"), "wei": ("uu", "ui"), "wen": ("uu", "un"),
    "wo": ("uu", "uo"), "wong": ("uu", "uong"),
    "ng": ("ee", "ng"), "n": ("n", "ng"),
}
_ADJUSTED_FINALS = {"iu": "iu", "ui": "ui", "un": "un"}  # already phkit's spelling


def syllable_phonemes(syllable: str) -> list[str] | None:
    """Toneless pinyin (``v`` for ü) → phkit's two phonemes, or None if it is not a syllable."""
    if syllable in _ZERO_INITIAL:
        return list(_ZERO_INITIAL[syllable])
    for initial in _SPELLED_INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            final = syllable[len(initial):]
            if final == "i" and initial in ("z", "c", "s"):
                final = "iy"
            elif final == "i" and initial in ("zh", "ch", "sh"):
                final = "ix"
            elif final == "i" and initial == "r":
                final = "iz"
            elif initial in ("j", "q", "x") and final.startswith("u"):
                final = "v" + final[1:]
            final = _ADJUSTED_FINALS.get(final, final)
            return [initial, final] if final in _FINALS else None
    if syllable and syllable[0] in "aeo":
        final = syllable
        return ["ee" if final[0] == "e" else final[0] * 2, final] if final in _FINALS else None
    return None


def _syllable_symbols(syllable: str) -> list[str]:
    """One toned syllable → its symbols including the closing chain (erhua → syllable + er5)."""
    tone = syllable[-1] if syllable[-1:] in "12345" and len(syllable) > 1 else "5"
    body = syllable[:-1] if syllable[-1:].isdigit() else syllable
    body = body.replace("ü", "v").lower()
    if body == "r":  # the 儿 after an erhua syllable: phkit reads huar as hua + er5
        return ["ee", "er", "5", _CHAIN]
    phonemes = syllable_phonemes(body)
    if phonemes is None and body.endswith("r") and body != "er":
        phonemes = syllable_phonemes(body[:-1])
    if phonemes is None:
        return []  # unknown syllable (e.g. a bare interjection): say nothing rather than noise
    return phonemes + [tone, _CHAIN]


@dataclass
class SymbolSequence:
    """A clause as model input."""

    ids: np.ndarray
    """Symbol ids, int64 ``[symbols]``, ending with punctuation, ``~`` and ``_``."""
    token_first_symbol: np.ndarray
    """Index of each token's first symbol, plus one entry for the closing punctuation."""
    last_spoken_symbol: int
    """Index of the last symbol of the last syllable (attention past it means "done")."""


def encode_clause(tokens: list[Token], break_after: Break) -> SymbolSequence:
    """Symbols for one clause; the closing mark follows the pause that comes after it."""
    symbols: list[str] = []
    firsts = []
    for token in tokens:
        firsts.append(len(symbols))
        for syllable in token.syllables:
            symbols.extend(_syllable_symbols(syllable))
    last_spoken = max(0, len(symbols) - 1)
    firsts.append(len(symbols))
    mark = "." if break_after >= Break.SENTENCE else ","
    symbols.extend([mark, _CHAIN, _EOS, _PAD])
    return SymbolSequence(np.array([SYMBOL_IDS[s] for s in symbols], np.int64),
                          np.array(firsts, np.int64), last_spoken)
