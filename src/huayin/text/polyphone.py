"""Citation readings of Chinese characters: word dictionaries, syntax rules, g2pM, and an arbiter.

Every character first gets its dictionary reading (:mod:`huayin.text.word_readings` for segmented
words, else the character's default reading). Characters with several readings are then decided
by the first source that knows, in this order:

1. **word** — the segmenter yielded a multi-character word (or whole words it did not join,
   量/血压) that a word dictionary lists: huayin's table, pypinyin's phrases, then — for a
   segmented word that is not a name, where it lists one reading — CC-CEDICT (炸鸡 zha2, 下载
   zai3). The character model alone never overrules it (便宜 in 特别便宜 is pian2 yi5 whatever
   g2pM thinks of 便) unless it is nearly certain and the word is rare
   (:func:`_model_knows_rare_word`: 拖拽, 脯氨酸, 胸闷); only when another dictionary phrase names
   the model's reading, or CC-CEDICT lists the word with several readings (当天, 煞气), are they
   weighed (:func:`_word_or_arbiter`). A one-character function word the segmenter cut off does
   not open such a phrase (都/会 is not 都会);
2. **word inside a segment** — the segmenter glued an unknown word (王大夫, tagged as a name;
   人口数量): the longest known word inside it that covers the character (大夫, 数量);
3. **rule** — a syntax rule of :mod:`huayin.text.polyphone_rules` (得 dei3 before a verb, 长
   chang2 after 很, surnames before titles, ...);
4. **model** — the arbiter: for each candidate reading

    log P_g2pM(reading | clause)
      + SEGMENTED_WORD_WEIGHT   if the segmented word is a known phrase giving this reading
      + PYPINYIN_PHRASE_WEIGHT  if the longest known phrase covering the character gives it
      + CEDICT_PHRASE_WEIGHT    if the longest CC-CEDICT phrase covering the character gives it

The weights are a conditional-logit fit on the CPP *dev* split (5-fold cross-validated accuracy
97.9 %); see ``bench/polyphone_accuracy.py`` and ``docs/frontend-g2p.md``.

Readings here are *citation* readings (what a dictionary lists, what CPP labels) except where a
word dictionary marks a neutral tone: tone sandhi, neutral tones of particles and erhua come later
(:mod:`huayin.text.sandhi`, :mod:`huayin.text.erhua`).
"""

import functools
import importlib.util
import math
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import rjieba
from pypinyin.constants import PINYIN_DICT
from pypinyin.contrib.tone_convert import to_tone3

from huayin.text.polyphone_model import polyphone_model
from huayin.text.polyphone_rules import NUMERALS as NUMERAL_CHARS
from huayin.text.polyphone_rules import PolyphoneRules, tags
from huayin.text.punctuation import is_hanzi
from huayin.text.word_readings import EVERYDAY_READINGS, OWN_TABLE, known_phrase, word_reading

#: Bonus, in nats of g2pM log-probability, for agreeing with the segmented word's pypinyin phrase.
SEGMENTED_WORD_WEIGHT = 2.1
#: Bonus for agreeing with the longest pypinyin phrase that covers the character.
PYPINYIN_PHRASE_WEIGHT = 2.5
#: Bonus for agreeing with the longest CC-CEDICT phrase (from pypinyin-dict) covering it.
CEDICT_PHRASE_WEIGHT = 3.8
#: The weights in the order of :attr:`Candidate.votes`.
VOTE_WEIGHTS = (SEGMENTED_WORD_WEIGHT, PYPINYIN_PHRASE_WEIGHT, CEDICT_PHRASE_WEIGHT)
#: g2pM probability at which the model overrules a rare dictionary word (tuned on CPP dev).
RARE_WORD_MODEL_CONFIDENCE = 0.999
#: rjieba dictionary frequency below which a word counts as rare (脯氨酸 8, 拖拽 4; everyday words
#: sit above it: 炸鸡 15, 下载 1151, 便宜 2013). CPP dev alone would pick 100, which costs the
#: everyday set colloquial words (没空 80, 炸鸡 15); 10 keeps them.
RARE_WORD_FREQUENCY = 10
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
    return known_phrase(word)


class CedictPhrases:
    """CC-CEDICT's phrase readings as packaged by pypinyin-dict, read once, lazily.

    Only phrases holding a polyphonic character are kept (about 45 k of 106 k). The module's source
    is scanned with a regular expression instead of imported: importing builds every nested list
    (1.2 s, 105 MB) where the scan takes about 0.4 s and a third of the memory.
    """

    _ENTRY = re.compile(r"^    '([^']+)': (\[\[.*\]\]),$", re.M)
    _SYLLABLE = re.compile(r"\['([^']*)'")
    _CHARACTER = re.compile(r"\[('[^\]]*')\]")
    _QUOTED = re.compile(r"'([^']*)'")

    def __init__(self, polyphonic: set[str]):
        started = time.perf_counter()
        self._entries: dict[str, str] = {}
        self._votes: dict[str, list | None] = {}  # parsed on first use
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

    def votes(self, word: str) -> list[str | frozenset[str]] | None:
        """Per character, the phrase's reading — or the set of them where CC-CEDICT lists the
        word with several (便宜 bian4/pian2: its senses are sorted alphabetically, so the first
        is no more likely than the others); None if the phrase is not listed."""
        if word in self._votes:
            return self._votes[word]
        raw = self._entries.get(word)
        if raw is None:
            return None
        votes: list[str | frozenset[str]] = []
        for char_readings in self._CHARACTER.findall(raw):
            readings = [_tone3(s) for s in self._QUOTED.findall(char_readings)]
            votes.append(readings[0] if len(set(readings)) == 1 else frozenset(readings))
        result = votes if len(votes) == len(word) else None
        self._votes[word] = result  # racing threads store the same value
        return result


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
    reading each dictionary vote names (None where it has no phrase for the character, a set
    where the phrase is listed with several readings: the vote goes to each of them)."""

    __slots__ = ("position", "probabilities", "votes")

    def __init__(self, position: int, probabilities: dict[str, float],
                 votes: tuple[str | frozenset[str] | None, ...]):
        self.position = position
        self.probabilities = probabilities
        self.votes = votes

    def best(self, weights: tuple[float, ...]) -> str | None:
        """The reading with the highest floored log-probability plus weights of agreeing votes."""
        best, best_score = None, float("-inf")
        for reading, probability in self.probabilities.items():
            score = _log(probability) + sum(
                w for w, vote in zip(weights, self.votes) if agrees(vote, reading))
            if score > best_score:
                best, best_score = reading, score
        return best


def agrees(vote: str | frozenset[str] | None, reading: str) -> bool:
    """Whether a dictionary vote names ``reading`` (a set vote names each of its readings)."""
    return vote == reading if isinstance(vote, str) else vote is not None and reading in vote


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
            _longest_cover(text, position, cedict.votes, boundaries),
            *(_longest_cover(text, position, lookup, boundaries) for lookup in extra_phrases),
        )
        candidates.append(Candidate(position, candidate_probabilities, votes))
    return readings, candidates


@dataclass(frozen=True)
class Decision:
    """How one character's reading was decided (what ``huayin g2p --explain`` shows)."""

    reading: str | None
    """The citation reading (None for characters that are not Chinese or have none)."""
    source: str
    """``dictionary`` (one reading, or the character's default), ``word``, ``rule``, ``model``;
    later stages add ``lexicon`` and ``inline``."""
    detail: str = ""
    """Which word, rule or scores decided."""
    polyphonic: bool = False
    """Whether the character has several readings to choose from."""


def decide_readings(text: str, words: list[str],
                    context: tuple[str, str] | None = None) -> list[Decision]:
    """How each character of ``text`` reads, and which source decided (module docstring).

    ``words`` is the segmentation of ``text`` (their concatenation is ``text``). ``text`` is one
    clause; ``context`` = (text before, text after) in its sentence, which g2pM also reads (the
    whole sentence decides better than the clause alone: CPP dev 97.98 % vs 97.88 %).
    """
    readings, candidates = arbiter_inputs(text, words, context)
    decisions = [Decision(r, "dictionary") for r in readings]
    if not candidates:
        return decisions
    cedict = cedict_phrases()
    rules = PolyphoneRules(text, lambda phrase: _pypinyin_phrase(phrase) or cedict.get(phrase))
    starts = [0]
    word_of: list[tuple[int, str]] = []
    for word in words:
        word_of.extend([(starts[-1], word)] * len(word))
        starts.append(starts[-1] + len(word))
    boundaries = set(starts)
    function_words = {start for start, word in zip(starts, words)
                      if len(word) == 1 and tags(word)[0][1][:1] in FUNCTION_TAGS}
    for candidate in candidates:
        position = candidate.position
        word_start, word = word_of[position]

        def rule_reading(position=position) -> str | None:
            rule = rules.decide(position, _cedict_whole_words(
                text, position, boundaries, function_words, cedict))
            return rule.reading if rule is not None else None

        found = _whole_word_phrase(text, position, boundaries, function_words, cedict)
        if found is None and len(word) > 1 and not _proper_noun(word):
            votes = cedict.votes(word)
            if votes is not None and isinstance(votes[position - word_start], str):
                found = word, votes[position - word_start], "CC-CEDICT"
        if (found is not None and position in boundaries and position - 1 in boundaries
                and position > 0 and text[position - 1] == text[position]
                and (rule := rules.reduplication(position)) is not None):
            # 扇/扇风: the segmenter cut a reduplicated verb (扇扇) and joined its second
            # syllable to the object; the reduplication is the reading, not the word 扇风.
            decisions[position] = Decision(rule.reading, "rule", rule.rule, True)
            continue
        if found is not None:
            phrase, syllable, dictionary = found
            source = f"{phrase} ({dictionary})"
            decision = (_word_decision(candidate, syllable, source) if dictionary == OWN_TABLE
                        else _word_or_arbiter(candidate, syllable, source, phrase, rule_reading))
        elif len(word) > 2 and (rule := rules.reduplication(position)) is not None:
            decision = Decision(rule.reading, "rule", rule.rule)
        elif (position == word_start + len(word) - 1 and len(word) > 1
              and not rjieba.has_word(word) and cedict.get(word) is None
              and (rule := rules.place_name_ending(position)) is not None):
            decision = Decision(rule.reading, "rule", rule.rule)
        elif (inner := _known_word_inside(word, position - word_start)) is not None:
            source = f"{inner[1]} inside {word}"
            decision = (_word_decision(candidate, inner[0], source)
                        if inner[1] in EVERYDAY_READINGS  # huayin's table, as for whole words
                        else _word_or_arbiter(candidate, inner[0], source, inner[1], rule_reading))
        elif (rule := rules.decide(position, _cedict_whole_words(
                text, position, boundaries, function_words, cedict))) is not None:
            decision = Decision(rule.reading, "rule", rule.rule)
        else:
            decision = _arbitrate(candidate)
        decisions[position] = Decision(decision.reading, decision.source, decision.detail, True)
    return decisions


def _whole_word_phrase(text: str, position: int, boundaries: set[int],
                       function_words: set[int],
                       cedict: CedictPhrases) -> tuple[str, str, str] | None:
    """(phrase, reading at ``position``, dictionary) of the longest dictionary phrase covering
    ``position`` that starts and ends where the segmenter cut: the segmented word itself, or
    whole words the segmenter did not join (量/血压 → 量血压, 一行/人 → 一行人, 脏/了) unless one
    of them is a one-character function word (offsets in ``function_words``) that would open
    the phrase: 在/教 is not 在教 (in religion), and the adverb 都 cut off before 会 is not the
    noun 都会 (metropolis, du1) in 所有人都会变老.

    Where pypinyin's phrase gives the character a full tone but CC-CEDICT marks the same
    syllable neutral (隔扇 shan1 / shan5), the two agree on the syllable only: the reading comes
    back neutral, so that :func:`_word_decision` lets the model choose the citation tone."""
    for length in range(min(MAX_PHRASE_CHARS, len(text)), 1, -1):
        for start in range(max(0, position - length + 1), min(position, len(text) - length) + 1):
            if start not in boundaries or start + length not in boundaries:
                continue
            if start in function_words:
                continue  # a function word cut off by the segmenter opens no phrase
            phrase = text[start:start + length]
            found = word_reading(phrase)
            if found is not None:
                reading = found[0][position - start]
                if found[1] != OWN_TABLE and _neutral_in_cedict(
                        cedict, phrase, position - start, reading):
                    reading = reading[:-1] + "5"
                return phrase, reading, found[1]
    return None


def _neutral_in_cedict(cedict: CedictPhrases, phrase: str, offset: int, reading: str) -> bool:
    """Whether CC-CEDICT reads ``phrase``'s character at ``offset`` as ``reading``'s syllable in
    the neutral tone while ``reading`` has a full tone."""
    if reading.endswith("5"):
        return False
    votes = cedict.votes(phrase)
    return votes is not None and votes[offset] == reading[:-1] + "5"


def _proper_noun(word: str) -> bool:
    """Whether the segmenter tags the word as a name (nr, ns, nt, nz, ...): CC-CEDICT's readings of
    transliterated and place names (勃艮第, 阆中) are often not the ones in use."""
    tagged = tags(word)
    return len(tagged) != 1 or (tagged[0][1].startswith("n") and len(tagged[0][1]) > 1
                                and tagged[0][1] != "ng")


def _word_or_arbiter(candidate: Candidate, syllable: str, source: str, phrase: str,
                     rule_reading) -> Decision:
    """The word's reading, unless

    - it is a rare word (:func:`_model_knows_rare_word`) whose reading no syntax rule confirms
      (``rule_reading()``, asked only then: 量 liang2 before its object in 量尺寸): the nearly
      certain model's reading, even where the arbiter's dictionary votes side with the word —
      those votes copy the same dated phrase tables (胸闷 men1 in pypinyin, men4 in speech);
    - the arbiter prefers a reading that another dictionary phrase also names on its own (落差:
      pypinyin luo4 cha4, CC-CEDICT luo4 cha1): dictionaries that disagree are weighed with the
      model, but the model alone never overrules a dictionary word;
    - or CC-CEDICT lists the word with several readings, the arbiter's among them (当天 dang1 |
      dang4, 煞气 sha1 | sha4, 咱家 za2 | zan2): pypinyin's single reading is then one sense
      among several, and the arbiter chooses — except for names (朝阳 the morning sun or the
      district: which one a sentence means, the model cannot tell; the word keeps its common
      reading) and where a syntax rule confirms the word's reading (吃不了 liao3)."""
    word = _word_decision(candidate, syllable, source)
    model_reading = max(candidate.probabilities, key=candidate.probabilities.__getitem__)
    if (model_reading != word.reading
            and _model_knows_rare_word(candidate, phrase, source.endswith("(CC-CEDICT)"))
            and rule_reading() != word.reading):
        return Decision(model_reading, "model",
                        f"g2pM {candidate.probabilities[model_reading]:.4f}; "
                        f"{source} is a rare word")
    arbiter = _arbitrate(candidate)
    if arbiter.reading == word.reading:
        return word
    if any(vote == arbiter.reading for vote in candidate.votes[1:]):
        return Decision(arbiter.reading, "model", f"{arbiter.detail}; {source} disagrees")
    if (any(isinstance(vote, frozenset) and arbiter.reading in vote
            for vote in candidate.votes[1:])
            and not _proper_noun(phrase) and rule_reading() != word.reading):
        return Decision(arbiter.reading, "model",
                        f"{arbiter.detail}; CC-CEDICT lists several readings of {phrase}")
    return word


def _model_knows_rare_word(candidate: Candidate, phrase: str, only_in_cedict: bool) -> bool:
    """Whether g2pM is nearly certain (≥ :data:`RARE_WORD_MODEL_CONFIDENCE`) of its reading while
    ``phrase`` is a rare word: one of rjieba's dictionary with a frequency below
    :data:`RARE_WORD_FREQUENCY` there, or one that only CC-CEDICT lists (``only_in_cedict``: not
    in huayin's table nor pypinyin's phrases) and rjieba's dictionary lacks (受禅, 菜脯).

    The dictionaries' single reading is reliable for everyday words (便宜, 下载, 炸鸡 ...), which
    is why they outrank the model; for rare technical or literary words — chemistry (脯氨酸), trades
    (拖拽, 产仔), classical terms — the phrase tables are often dated, while g2pM saw such words in
    its encyclopedic training sentences. pypinyin phrases rjieba does not list (量血压, 一宿,
    吃不了: whole words joined, colloquial measure phrases) are not rare words but curated
    readings of syntax, and keep the dictionary reading."""
    confidence = max(candidate.probabilities.values())
    if confidence < RARE_WORD_MODEL_CONFIDENCE:
        return False
    if not rjieba.has_word(phrase):
        return only_in_cedict
    return rjieba.suggest_freq(phrase) < RARE_WORD_FREQUENCY


def _word_decision(candidate: Candidate, syllable: str, source: str) -> Decision:
    """The dictionary word's reading. Where the dictionary marks the syllable neutral (部分 bu4
    fen5) it fixes the syllable but not the citation tone that sandhi neutralizes later: the
    arbiter chooses among the character's readings of that syllable — unless the neutral syllable
    is itself one of the character's readings (the particle de5 of 长得, 变得: not de2)."""
    if not syllable.endswith("5") or syllable in candidate.probabilities:
        return Decision(syllable, "word", source)
    same = {r: p for r, p in candidate.probabilities.items() if r[:-1] == syllable[:-1]}
    if not same:
        return Decision(syllable, "word", source)
    narrowed = Candidate(candidate.position, same, candidate.votes)
    return Decision(narrowed.best(VOTE_WEIGHTS), "word", f"{source}, tone by the model")


def _cedict_whole_words(text: str, position: int, boundaries: set[int],
                        function_words: set[int], cedict: CedictPhrases) -> str | None:
    """The reading at ``position`` of the longest CC-CEDICT phrase made of whole segmented words
    that covers it (盛大, 量尺寸), "" where CC-CEDICT lists several (教学), or None."""
    for length in range(min(MAX_PHRASE_CHARS, len(text)), 1, -1):
        for start in range(max(0, position - length + 1), min(position, len(text) - length) + 1):
            if (start in boundaries and start + length in boundaries
                    and (start not in function_words or start == position)):
                votes = cedict.votes(text[start:start + length])
                if votes is not None:
                    vote = votes[position - start]
                    # Several readings (教学 jiao1|jiao4): no reading a rule could agree with.
                    return vote if isinstance(vote, str) else ""
    return None


def _arbitrate(candidate: Candidate) -> Decision:
    best = candidate.best(VOTE_WEIGHTS)
    detail = (f"g2pM {candidate.probabilities.get(best, 0.0):.2f}, votes (word/phrase/cedict) "
              + "/".join(_vote_text(vote) for vote in candidate.votes))
    return Decision(best, "model", detail)


def _vote_text(vote: str | frozenset[str] | None) -> str:
    if vote is None:
        return "-"
    return vote if isinstance(vote, str) else "|".join(sorted(vote))


def _known_word_inside(word: str, offset: int) -> tuple[str, str] | None:
    """(reading, sub-word) from the longest known word inside ``word`` that covers ``offset``."""
    for length in range(len(word) - 1, 1, -1):
        for start in range(max(0, offset - length + 1), min(offset, len(word) - length) + 1):
            if word[start] in NUMERAL_CHARS:
                continue  # 三行 inside 第三行: a numeral + measure word, for the rules to read
            readings = known_phrase(word[start:start + length])
            if readings is not None:
                return readings[offset - start], word[start:start + length]
    return None


def citation_readings(text: str, words: list[str],
                      context: tuple[str, str] | None = None) -> list[str | None]:
    """The citation reading of each character of ``text`` (None for non-Chinese characters);
    see :func:`decide_readings`."""
    return [d.reading for d in decide_readings(text, words, context)]


#: Part-of-speech tag initials of function words (prepositions, conjunctions, particles,
#: pronouns, adverbs, modal particles).
FUNCTION_TAGS = frozenset("pcurdy")
#: Probability floor. Outside its training domain g2pM can be confidently wrong (了解 alone →
#: le5 at 0.9999999); with this floor three agreeing dictionaries always overrule it. CPP dev
#: accuracy is the same for any floor from 1e-6 to 3e-3 and drops above 1e-2.
PROBABILITY_FLOOR = 1e-3


def _log(probability: float) -> float:
    return math.log(max(probability, PROBABILITY_FLOOR))
