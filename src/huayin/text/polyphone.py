"""Citation readings of Chinese characters: dictionaries, g2pM, and an arbiter between them.

Every character first gets pypinyin's reading (its phrase dictionary for segmented words, else the
character's default reading). Characters with several readings are then decided by a score per
candidate reading:

    log P_g2pM(reading | clause)
      + SEGMENTED_WORD_WEIGHT   if the segmented word is a pypinyin phrase giving this reading
      + PYPINYIN_PHRASE_WEIGHT  if the longest pypinyin phrase covering the character gives it
      + CEDICT_PHRASE_WEIGHT    if the longest CC-CEDICT phrase covering the character gives it

The weights are a conditional-logit fit on the CPP *dev* split (5-fold cross-validated accuracy
97.9 %, against 97.4 % on dev for g2pM alone and for dictionary-then-g2pM); see
``bench/polyphone_accuracy.py`` and ``docs/frontend-g2p.md``. Per-character statistics learned on
dev were tried and did not generalize across folds, so the arbiter has only these four numbers.

Readings here are *citation* readings (what a dictionary lists, what CPP labels): tone sandhi,
neutral tones of particles and erhua come later (:mod:`huayin.text.sandhi`, :mod:`huayin.text.erhua`).
"""

import functools
import importlib.util
import math
import re
import threading
import time
from pathlib import Path

from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.contrib.tone_convert import to_tone3

from huayin.text.polyphone_model import polyphone_model
from huayin.text.punctuation import is_hanzi

#: Bonus, in nats of g2pM log-probability, for agreeing with the segmented word's pypinyin phrase.
SEGMENTED_WORD_WEIGHT = 2.1
#: Bonus for agreeing with the longest pypinyin phrase that covers the character.
PYPINYIN_PHRASE_WEIGHT = 2.5
#: Bonus for agreeing with the longest CC-CEDICT phrase (from pypinyin-dict) covering it.
CEDICT_PHRASE_WEIGHT = 3.8
#: The weights in the order of :attr:`Candidate.votes`.
VOTE_WEIGHTS = (SEGMENTED_WORD_WEIGHT, PYPINYIN_PHRASE_WEIGHT, CEDICT_PHRASE_WEIGHT)
#: Longest phrase looked up around a character.
MAX_PHRASE_CHARS = 6
#: g2pM reads a clause best when it ends the way its training sentences' clauses did.
_CLAUSE_END = "，"


@functools.lru_cache(maxsize=None)
def _tone3(marked: str) -> str:
    """``yín`` → ``yin2``, ``lǜ`` → ``lv4``, unmarked → tone 5."""
    return to_tone3(marked, neutral_tone_with_five=True)


def default_reading(char: str) -> str | None:
    """pypinyin's first (most common) reading of a character, or None if it has none."""
    readings = PINYIN_DICT.get(ord(char))
    return _tone3(readings.split(",")[0]) if readings else None


def _pypinyin_phrase(word: str) -> list[str] | None:
    entry = PHRASES_DICT.get(word)
    if entry is None or len(entry) != len(word):
        return None
    return [_tone3(syllables[0]) for syllables in entry]


class CedictPhrases:
    """CC-CEDICT's phrase readings as packaged by pypinyin-dict, read once, lazily.

    Only phrases holding a polyphonic character are kept (about 45 k of 106 k). The module's source
    is scanned with a regular expression instead of imported: importing builds every nested list
    (1.2 s, 105 MB) where the scan takes about 0.4 s and a third of the memory.
    """

    _ENTRY = re.compile(r"^    '([^']+)': (\[\[.*\]\]),$", re.M)
    _SYLLABLE = re.compile(r"\['([^']*)'")

    def __init__(self, polyphonic: set[str]):
        started = time.perf_counter()
        self._entries: dict[str, str] = {}
        spec = importlib.util.find_spec("pypinyin_dict")
        if spec is not None and spec.submodule_search_locations:
            folder = Path(next(iter(spec.submodule_search_locations))) / "phrase_pinyin_data"
            for part in sorted(folder.glob("cc_cedict_*.py")):
                for match in self._ENTRY.finditer(part.read_text(encoding="utf-8")):
                    word = match.group(1)
                    if len(word) > 1 and not polyphonic.isdisjoint(word):
                        self._entries[word] = match.group(2)
        #: Seconds spent reading the data (reported by the benchmark).
        self.load_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, word: str) -> list[str] | None:
        """Readings of a phrase, one per character, or None if it is not listed."""
        raw = self._entries.get(word)
        if raw is None:
            return None
        readings = [_tone3(s) for s in self._SYLLABLE.findall(raw)]
        return readings if len(readings) == len(word) else None


_cedict: CedictPhrases | None = None
_cedict_lock = threading.Lock()


def cedict_phrases() -> CedictPhrases:
    """The shared CC-CEDICT phrase table (empty when pypinyin-dict is not installed)."""
    global _cedict
    if _cedict is None:
        with _cedict_lock:
            if _cedict is None:
                model = polyphone_model()
                _cedict = CedictPhrases(set(model.candidates) if model else set())
    return _cedict


def _longest_cover(text: str, position: int, lookup, boundaries: set[int]) -> str | None:
    """The reading at ``position`` from the longest phrase around it that ``lookup`` knows.

    Among phrases of the same length, those that start and end where the segmenter cut the text
    come first: in 孩子长大了, 长大 (zhang3) rather than the place name 子长 (chang2).
    """
    for length in range(min(MAX_PHRASE_CHARS, len(text)), 1, -1):
        starts = range(max(0, position - length + 1), min(position, len(text) - length) + 1)
        for start in sorted(starts, key=lambda a: -(a in boundaries) - (a + length in boundaries)):
            readings = lookup(text[start:start + length])
            if readings is not None:
                return readings[position - start]
    return None


def dictionary_readings(words: list[str]) -> list[str | None]:
    """pypinyin's reading of every character: the phrase dictionary for a listed multi-character
    word, else each character's default reading (None for characters it does not know)."""
    readings: list[str | None] = []
    for word in words:
        phrase = _pypinyin_phrase(word) if len(word) > 1 else None
        readings.extend(phrase if phrase else (default_reading(c) for c in word))
    return readings


class Candidate:
    """One polyphonic character's arbiter inputs: g2pM's probability of each reading and the
    reading each dictionary vote names (None where it has no phrase for the character)."""

    __slots__ = ("position", "probabilities", "votes")

    def __init__(self, position: int, probabilities: dict[str, float],
                 votes: tuple[str | None, ...]):
        self.position = position
        self.probabilities = probabilities
        self.votes = votes

    def best(self, weights: tuple[float, ...]) -> str | None:
        """The reading with the highest floored log-probability plus weights of agreeing votes."""
        best, best_score = None, float("-inf")
        for reading, probability in self.probabilities.items():
            score = _log(probability) + sum(
                w for w, vote in zip(weights, self.votes) if vote == reading)
            if score > best_score:
                best, best_score = reading, score
        return best


def arbiter_inputs(text: str, words: list[str], context: tuple[str, str] | None = None,
                   extra_phrases: tuple = ()) -> tuple[list[str | None], list[Candidate]]:
    """Dictionary readings of ``text`` and the arbiter's inputs for each polyphonic character.

    The votes are, in the order of :data:`VOTE_WEIGHTS`: the segmented word's pypinyin phrase,
    the longest pypinyin phrase and the longest CC-CEDICT phrase covering the character; then
    one vote per lookup in ``extra_phrases`` (phrase → readings or None), which is how
    ``bench/polyphone_fit.py`` tries a further dictionary.
    """
    from_words = dictionary_readings(words)
    readings = [r if is_hanzi(c) else None for c, r in zip(text, from_words)]
    model = polyphone_model()
    if model is None:
        return readings, []
    positions = [i for i, c in enumerate(text) if c in model.candidates]
    if not positions:
        return readings, []
    word_is_phrase: list[bool] = []
    boundaries = {0}
    for word in words:
        listed = len(word) > 1 and _pypinyin_phrase(word) is not None
        word_is_phrase.extend([listed] * len(word))
        boundaries.add(len(word_is_phrase))
    cedict = cedict_phrases()
    before, after = context if context is not None else ("", _CLAUSE_END)
    probabilities = model.probabilities(
        before + text + after, [p + len(before) for p in positions])
    candidates = []
    for position, candidate_probabilities in zip(positions, probabilities):
        votes = (
            from_words[position] if word_is_phrase[position] else None,
            _longest_cover(text, position, _pypinyin_phrase, boundaries),
            _longest_cover(text, position, cedict.get, boundaries),
            *(_longest_cover(text, position, lookup, boundaries) for lookup in extra_phrases),
        )
        candidates.append(Candidate(position, candidate_probabilities, votes))
    return readings, candidates


def citation_readings(text: str, words: list[str],
                      context: tuple[str, str] | None = None) -> list[str | None]:
    """The citation reading of each character of ``text`` (None for non-Chinese characters).

    ``words`` is the segmentation of ``text`` (their concatenation is ``text``). ``text`` is one
    clause; ``context`` = (text before, text after) in its sentence, which g2pM also reads (the
    whole sentence decides better than the clause alone: CPP dev 97.98 % vs 97.88 %).
    """
    readings, candidates = arbiter_inputs(text, words, context)
    for candidate in candidates:
        readings[candidate.position] = candidate.best(VOTE_WEIGHTS)
    return readings


#: Probability floor. Outside its training domain g2pM can be confidently wrong (了解 alone →
#: le5 at 0.9999999); with this floor three agreeing dictionaries always overrule it. CPP dev
#: accuracy is the same for any floor from 1e-6 to 3e-3 and drops above 1e-2.
PROBABILITY_FLOOR = 1e-3


def _log(probability: float) -> float:
    return math.log(max(probability, PROBABILITY_FLOOR))
