"""Prosodic phrase breaks (#2) inside long clauses, from word boundaries and part-of-speech tags.

A clause of ten or more syllables is rarely said in one breath group: readers group it into
prosodic phrases (subject | predicate, before a conjunction or a preposition, after an aspect
particle). This module picks those places by rule:

1. only word boundaries with at least :data:`MIN_SIDE_SYLLABLES` syllables on each side are
   candidates (a phrase shorter than that sounds chopped);
2. some boundaries are never a break, because the words on both sides belong together: after a
   numeral or measure word (三|本), between an adjective and its noun (重要|问题), after a
   one-syllable verb or other one-syllable function word (患|心脏病, 每|一种), after a preposition,
   conjunction, adverb or demonstrative (在|三楼, 非常|重要, 这个|问题), and before a localizer
   (方位词, 公园|里) or a particle / suffix (走|了, 同学|们);
3. the others are scored by the tags on both sides, minus a penalty for an uneven split, and the
   best one wins; each half that is still long is split again the same way.

Rules only, no model: deterministic, and linear in the clause length per level of recursion.
Breaks never change pinyin: tone sandhi has already been applied to the tokens.
"""

from dataclasses import dataclass

from huayin.text.sandhi import TaggedWord
from huayin.text.utterance import Break, Token

#: A clause with fewer syllables than this is left in one piece.
MIN_PHRASED_SYLLABLES = 10
#: Each side of a phrase break holds at least this many syllables.
MIN_SIDE_SYLLABLES = 4
#: Score lost per unit of imbalance (|left - right| / total), so an evenly split clause wins
#: among boundaries of equal kind, and a strong boundary (before 和, after 了) may sit off-centre.
BALANCE_WEIGHT = 3.0

#: Personal pronouns: one syllable, but a subject that a phrase break may follow (她|...).
_PERSONAL_PRONOUNS = frozenset("我你他她它您")
#: First characters of demonstratives and quantifying pronouns (这个, 那些, 每天, 各位, 某种,
#: 哪里): they bind to what follows them.
_DEMONSTRATIVE_HEADS = frozenset("这那每各某哪")
#: Characters of numbers as the normalizer writes them out (digit strings, 二十五, 三点五).
_NUMERAL_CHARS = frozenset("零〇一二三四五六七八九十百千万亿两点幺")
#: Range markers: 周一|至|周五, 三|到|五天 stay in one phrase when numbers or dates surround them.
_RANGE_MARKERS = frozenset(("至", "到"))
#: Tags of words that never end a phrase: the word leans on the one after it.
_BINDS_RIGHT = ("m", "q", "p", "c", "d")
#: Tags of words that never start a phrase: the word leans on the one before it (localizers,
#: particles, modal particles, interjections used as suffixes, noun suffixes like 们).
_BINDS_LEFT = ("f", "u", "y", "e", "k")


@dataclass(frozen=True)
class PhrasingWord:
    """A segmented word as the phrasing rules see it."""

    text: str
    """The word's characters."""
    tag: str
    """Jieba part-of-speech tag."""
    last_token: int
    """Index of the word's last token in the clause (where a break would be written)."""
    syllables: int
    """Syllables the word is spoken with (erhua 儿 counts none, a spelled letter may count
    several)."""


def _is_noun(tag: str) -> bool:
    return tag.startswith("n") or tag in ("r", "t", "s", "vn", "l", "i", "j", "nz", "eng")


def _is_verb(tag: str) -> bool:
    return tag.startswith("v") and tag != "vn"


def _is_number_or_time(word: PhrasingWord) -> bool:
    return word.tag.startswith(("m", "q", "t"))


def _allowed(left: PhrasingWord, right: PhrasingWord) -> bool:
    """False where a break between ``left`` and ``right`` would split words that belong
    together."""
    if left.text[-1] in _NUMERAL_CHARS and right.text[0] in _NUMERAL_CHARS:
        return False  # inside a number the segmenter cut (四零零|八二零, 二零二|四年)
    if _is_number_or_time(left) and (_is_number_or_time(right) or right.text in _RANGE_MARKERS):
        return False  # dates, times and ranges: 十月|一日, 下午|三点, 周一|至周五
    if left.tag.startswith("f") and left.syllables == 1 and right.tag.startswith("m"):
        return False  # a localizer heading a number: 今年前|三个季度, 最后|两天
    if _is_noun(left.tag) and left.tag != "r" and right.tag.startswith("n"):
        return False  # noun compounds: 客服|电话, 黄色|安全线
    if left.tag.startswith(("m", "q")) and right.tag.startswith(("p", "c", "v")):
        return True  # a complete number phrase before a new phrase: 下午三点|在三楼
    if left.tag.startswith(_BINDS_RIGHT) or right.tag.startswith(_BINDS_LEFT):
        return False
    if left.tag.startswith("r") and left.text[0] in _DEMONSTRATIVE_HEADS:
        return False
    if left.tag.startswith(("a", "b")) and (_is_noun(right.tag) or right.tag.startswith("a")):
        return False  # 重要|问题, 大型|企业, and stacked adjectives
    if left.syllables <= 1:
        # One-syllable verbs and function words take what follows (患|心脏病, 去|公园); nouns,
        # localizers (情况下|), personal pronouns and particles (的, 了) may end a phrase.
        return (left.tag.startswith(("n", "f", "u", "y"))
                or left.text in _PERSONAL_PRONOUNS)
    return True


def _score(left: PhrasingWord, right: PhrasingWord) -> float:
    """How good a phrase break between the two words is, before the balance penalty."""
    if right.tag.startswith("c"):
        return 3.0  # before a conjunction: 小明|和他的同学们
    if right.tag.startswith("p"):
        return 2.5  # before a preposition phrase: 会议将于|... , 人口|在过去的十年里
    if left.tag in ("ul", "ug", "uz"):
        return 2.0  # after an aspect particle: 完成了|今年的目标
    if _is_noun(left.tag) and (right.tag.startswith("d") or _is_verb(right.tag)):
        # subject | predicate: 全体员工|终于完成了; a bare pronoun subject is too light to stand
        # alone (我们|都应该)
        return 1.0 if left.tag == "r" else 2.5
    if right.tag in ("r", "nr") and not _is_noun(left.tag):
        return 1.5  # a new subject: 经过共同努力|我们
    if left.tag.startswith(("t", "s", "f")):
        return 1.5  # after a time, place or localizer phrase: 情况下|我们, 以后|...
    if left.tag.startswith("uj"):
        return 1.0  # after a 的 phrase: 远处的|山峦
    if _is_verb(left.tag):
        return 1.0  # verb | object or verb | verb
    return 0.5


def _best_boundary(scores: list[float | None], prefix: list[int], start: int,
                   end: int) -> int | None:
    """Index ``i`` in ``[start, end - 1)`` of the best break after word ``i``, or None.

    ``scores[i]`` is the kind score of the boundary after word ``i`` (None = never a break),
    ``prefix[i]`` the syllables of the words before word ``i``.
    """
    total = prefix[end] - prefix[start]
    best, best_key = None, None
    for index in range(start, end - 1):
        score = scores[index]
        if score is None:
            continue
        left = prefix[index + 1] - prefix[start]
        right = total - left
        if left < MIN_SIDE_SYLLABLES or right < MIN_SIDE_SYLLABLES:
            continue
        imbalance = abs(left - right)
        # deterministic ties: the more central, then the leftmost
        key = (score - BALANCE_WEIGHT * imbalance / total, -imbalance, -index)
        if best_key is None or key > best_key:
            best, best_key = index, key
    return best


def phrase_break_words(words: list[PhrasingWord]) -> list[int]:
    """Indices of the words after which a phrase break goes, in order."""
    prefix = [0]
    for word in words:
        prefix.append(prefix[-1] + word.syllables)
    # Boundary kinds do not depend on where the phrase around them starts: score them once.
    scores = [_score(a, b) if _allowed(a, b) else None for a, b in zip(words, words[1:])]
    found: list[int] = []
    stack = [(0, len(words))]
    while stack:
        start, end = stack.pop()
        if prefix[end] - prefix[start] < MIN_PHRASED_SYLLABLES:
            continue
        index = _best_boundary(scores, prefix, start, end)
        if index is None:
            continue
        found.append(index)
        stack.extend([(start, index + 1), (index + 1, end)])
    return sorted(found)


def add_phrase_breaks(tokens: list[Token], words: list[tuple[TaggedWord, int]]) -> list[Token]:
    """``tokens`` with :attr:`Break.PHRASE` after the words chosen by the rules above.

    ``words`` are the clause's tagged words that produced tokens, each with the index of its last
    token; tokens of other words (skipped characters) simply do not take part.
    """
    phrasing: list[PhrasingWord] = []
    first = 0
    for word, last in words:
        tag = "m" if all(c in _NUMERAL_CHARS for c in word.text) else word.tag
        # An erhua 儿 (bare "r") is part of the syllable before it.
        syllables = sum(0 if t.syllables == ("r",) else len(t.syllables)
                        for t in tokens[first:last + 1])
        phrasing.append(PhrasingWord(word.text, tag, last, syllables))
        first = last + 1
    if sum(w.syllables for w in phrasing) < MIN_PHRASED_SYLLABLES:
        return tokens
    result = list(tokens)
    for index in phrase_break_words(phrasing):
        token = result[phrasing[index].last_token]
        result[phrasing[index].last_token] = Token(
            token.text, token.syllables, token.word, token.span, token.is_hanzi, Break.PHRASE)
    return result
