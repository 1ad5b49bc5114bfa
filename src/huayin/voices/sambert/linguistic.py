"""huayin's front-end tokens → KAN-TTS linguistic symbols ``{phone$tone$syllable_flag$word_flag}``.

What ttsfrd did for ModelScope: pinyin → the PinYin phone set, by the conventions of KAN-TTS's
``py2phoneMap`` (rules here, checked syllable by syllable against the map's recorded output):
an initial ``b`` is ``b_c`` (``x`` is ``xx_c``); a zero-initial syllable gets the onset ``ga``,
``ge`` or ``go`` by its first vowel; ``i`` after z/c/s is ``ii`` and after zh/ch/sh/r ``ih``;
``iu ui un`` are written ``iou uei uen``; ``ü`` (and ``u`` after j/q/x/y) is ``v``; an erhua
syllable has the final's ``r`` variant (``huar`` → ``h_c uar_c``). Flags follow KAN-TTS's
``Syllable``/``SpokenWord.SaveMetafile``: one prosodic word per run of tokens up to a break, a
``#N`` break symbol after each word.
"""

from dataclasses import dataclass

import numpy as np

from huayin.errors import InvalidParameterError
from huayin.text.utterance import Break, Token
from huayin.voices.sambert.acoustic import Tokens
from huayin.voices.sambert.symbols import PHONES, Vocabulary

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
             "x", "r", "z", "c", "s", "y", "w")
_FINAL_SPELLING = {"iu": "iou", "ui": "uei", "un": "uen"}
_FINALS = frozenset(
    "a ai an ang ao e ei en eng er i ia ian iang iao ie ih ii in ing io iong iou o ong ou u ua uai "
    "uan uang uei uen ueng uo v van ve vn".split())
_KNOWN_PHONES = frozenset(PHONES)


@dataclass(frozen=True)
class Symbol:
    """One linguistic unit of the acoustic model's input."""

    phone: str
    tone: str
    syllable_flag: str
    word_flag: str
    token: int
    """Index of the front-end token it belongs to (a break: the token before it)."""

    def text(self) -> str:
        """KAN-TTS's ``{phone$tone$s_flag$word_flag}`` form."""
        return f"{{{self.phone}${self.tone}${self.syllable_flag}${self.word_flag}}}"


def syllable_phones(syllable: str) -> tuple[str, str]:
    """Pinyin without tone (``v`` or ``ü`` for ü, erhua with a trailing ``r``) → its two
    phones; :class:`InvalidParameterError` for what the phone set cannot say."""
    spelled = syllable.lower().replace("ü", "v")
    if spelled in ("ng", "n"):  # 嗯 as KAN-TTS normalizes it
        spelled = "en"
    erhua = spelled.endswith("r") and spelled != "er"
    base = spelled[:-1] if erhua else spelled
    initial = next((i for i in _INITIALS if base.startswith(i) and len(base) > len(i)), "")
    final = base[len(initial):]
    if initial in ("j", "q", "x", "y") and final.startswith("u"):
        final = "v" + final[1:]
    if initial in ("l", "n") and final == "ue":
        final = "ve"
    if not initial:
        onset = {"a": "ga", "o": "go", "e": "ge"}.get(final[:1])
        if onset is None:
            raise InvalidParameterError(f"syllable {syllable!r} is not Mandarin pinyin")
    else:
        onset = "xx_c" if initial == "x" else initial + "_c"
        if final == "i" and initial in ("z", "c", "s"):
            final = "ii"
        elif final == "i" and initial in ("zh", "ch", "sh", "r"):
            final = "ih"
        elif initial not in ("y", "w"):
            final = _FINAL_SPELLING.get(final, final)
    phone = final + ("r" if erhua else "") + "_c"
    if final.startswith("v") and initial not in ("j", "q", "x", "y", "l", "n"):
        raise InvalidParameterError(f"syllable {syllable!r} is not Mandarin pinyin")
    if final not in _FINALS or phone not in _KNOWN_PHONES or onset not in _KNOWN_PHONES:
        raise InvalidParameterError(f"syllable {syllable!r} has no KAN-TTS phones")
    return onset, phone


def _split_tone(syllable: str) -> tuple[str, str]:
    if syllable[-1:].isdigit():
        tone = syllable[-1]
        return syllable[:-1], "tone" + ("2" if tone == "6" else tone)
    return syllable, "tone5"


def _sayable(syllable: str) -> bool:
    try:
        syllable_phones(syllable)
    except InvalidParameterError:
        return False
    return True


def _place(index: int, count: int, alone: bool) -> str:
    """KAN-TTS's position name of item ``index`` of ``count``: both (``alone``), begin, end or
    middle."""
    if alone:
        return "both"
    if index == 0:
        return "begin"
    return "end" if index == count - 1 else "middle"


def _word_symbols(syllables: list[tuple[str, str, int]]) -> list[Symbol]:
    """One prosodic word's phones with KAN-TTS's syllable and word flags."""
    phones_per_syllable = [(syllable_phones(s), tone, token) for s, tone, token in syllables]
    word_phone_count = sum(len(p) for p, _, _ in phones_per_syllable)
    single_syllable = len(phones_per_syllable) == 1
    out = []
    for index, (phones, tone, token) in enumerate(phones_per_syllable):
        # A word is "both" only when it is a single phone (KAN-TTS), not a single syllable.
        word_position = "word_" + _place(index, len(phones_per_syllable), word_phone_count == 1)
        for phone_index, phone in enumerate(phones):
            syllable_flag = "s_" + _place(phone_index, len(phones), len(phones) == 1)
            flag = word_position
            if flag == "word_begin" and syllable_flag == "s_end" and single_syllable:
                flag = "word_end"
            elif flag == "word_begin" and syllable_flag not in ("s_begin", "s_both"):
                flag = "word_middle"
            elif flag == "word_end" and syllable_flag not in ("s_end", "s_both"):
                flag = "word_middle"
            out.append(Symbol(phone, tone, syllable_flag, flag, token))
    return out


def clause_symbols(tokens: list[Token]) -> list[Symbol]:
    """The symbols of one clause: prosodic words split at every break ≥ #1, each followed by
    its ``#N`` symbol; the clause ends with ``#4`` (each clause is its own utterance)."""
    symbols: list[Symbol] = []
    word: list[tuple[str, str, int]] = []
    for index, token in enumerate(tokens):
        for syllable in token.syllables:
            text, tone = _split_tone(syllable)
            if text == "r" or not _sayable(text):
                # An erhua 儿 is already in the syllable before it; the rare interjections the
                # phone set cannot say (hm, m) are left out rather than failing the request.
                continue
            word.append((text, tone, index))
        last = index == len(tokens) - 1
        level = 4 if last else min(int(token.break_after), 4)
        if level >= Break.WORD and word:
            symbols.extend(_word_symbols(word))
            symbols.append(Symbol(f"#{level}", "tone_none", "s_none", "word_none", index))
            word = []
    if symbols and symbols[-1].phone != "#4":  # the last word had nothing sayable
        symbols.append(Symbol("#4", "tone_none", "s_none", "word_none", len(tokens) - 1))
    return symbols


def encode(symbols: list[Symbol], vocabulary: Vocabulary, emotion: str,
           speaker: str) -> Tokens:
    """Symbol ids for the acoustic model (``emotion`` like ``emotion_happy``)."""
    tables = vocabulary.tables
    count = len(symbols)
    return Tokens(
        phone=np.array([tables["sy"]["@" + s.phone] for s in symbols], np.int64),
        tone=np.array([tables["tone"][s.tone] for s in symbols], np.int64),
        syllable_flag=np.array([tables["syllable_flag"][s.syllable_flag] for s in symbols],
                               np.int64),
        word_segment=np.array([tables["word_segment"][s.word_flag] for s in symbols], np.int64),
        emotion=np.full(count, tables["emotion"][emotion], np.int64),
        speaker=np.full(count, tables["speaker"][speaker], np.int64))
