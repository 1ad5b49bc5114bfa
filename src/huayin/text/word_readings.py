"""Word readings: the dictionaries a multi-character word's reading is looked up in, in order.

1. :data:`EVERYDAY_READINGS`, huayin's own table: everyday words whose first reading in pypinyin's
   phrase dictionary is a literary or rare sense (大夫 da4 fu1 "senior official" where speech
   means dai4 fu5 "doctor"), or which pypinyin lacks;
2. pypinyin's phrase dictionary;
3. CC-CEDICT's phrases (pypinyin-dict), which list senses alphabetically, so their first reading
   is often not the common one (便宜 bian4 yi2): it only answers for words the others lack.

A word found here is read as listed (neutral tones included) whenever the segmenter yields it:
the character model never overrules a dictionary word (see :mod:`huayin.text.polyphone`).
"""

import functools

from pypinyin.constants import PHRASES_DICT
from pypinyin.contrib.tone_convert import to_tone3

#: Everyday readings that the general dictionaries get wrong or list second. Each entry is a word
#: of ordinary speech (conversation, shopping, health) with the reading of its common sense.
EVERYDAY_READINGS: dict[str, tuple[str, ...]] = {
    word: tuple(reading.split())
    for word, reading in (
        ("大夫", "dai4 fu5"),      # doctor; da4 fu1 is the ancient official
        ("头发", "tou2 fa5"),      # pypinyin: fa4
        ("暖和", "nuan3 huo5"),
        ("招呼", "zhao1 hu5"),
        ("答应", "da1 ying5"),
        ("咳嗽", "ke2 sou5"),
        ("流血", "liu2 xue4"),     # pypinyin: xie3, the colloquial reading of 血 alone
        ("一觉", "yi1 jiao4"),     # one sleep (睡了一觉), not 一 + 觉得
        ("午觉", "wu3 jiao4"),
        ("多重", "duo1 zhong4"),
        ("一行", "yi1 hang2"),     # a row (一行字); the party 一行人 is a longer dictionary word   # how heavy (这块肉多重); 多重国籍 is a longer dictionary word
    )
}


#: The name :func:`word_reading` gives huayin's own table.
OWN_TABLE = "huayin word table"


@functools.lru_cache(maxsize=None)
def _tone3(marked: str) -> str:
    return to_tone3(marked, neutral_tone_with_five=True).replace("ü", "v")


def pypinyin_phrase(word: str) -> list[str] | None:
    """pypinyin's first reading of a phrase, one syllable per character, or None."""
    entry = PHRASES_DICT.get(word)
    if entry is None or len(entry) != len(word):
        return None
    return [_tone3(syllables[0]) for syllables in entry]


def known_phrase(word: str) -> list[str] | None:
    """huayin's table, else pypinyin's phrase dictionary: the word's reading, or None."""
    own = EVERYDAY_READINGS.get(word)
    return list(own) if own is not None else pypinyin_phrase(word)


def word_reading(word: str, cedict_lookup=None) -> tuple[list[str], str] | None:
    """(reading, dictionary name) of a multi-character word from the first dictionary that lists
    it (huayin's table, pypinyin, CC-CEDICT through ``cedict_lookup``), or None."""
    if len(word) < 2:
        return None
    own = EVERYDAY_READINGS.get(word)
    if own is not None:
        return list(own), OWN_TABLE
    phrase = pypinyin_phrase(word)
    if phrase is not None:
        return phrase, "pypinyin phrases"
    if cedict_lookup is not None:
        found = cedict_lookup(word)
        if found is not None:
            return found, "CC-CEDICT"
    return None
