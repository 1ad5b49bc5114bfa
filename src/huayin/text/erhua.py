"""Erhua: a suffix 儿 read as an r-colouring of the syllable before it (一点儿 yi4 dianr3).

The 儿 keeps its own token (one token per character, so spans and subtitles stay aligned) and
reads as a bare ``r``; the syllable before carries the ``r`` before its tone digit, which is how
the voices' symbol tables spell erhua (``dianr3`` → d ian3 er5).

儿 is a suffix when it ends a word of two or more characters (哪儿, 玩儿, 小孩儿), or when the
polyphone arbiter already read it ``r5``. It is a full syllable er2 when it starts a word (儿子,
儿童) or follows a morpheme that makes it mean "child" (女儿, 婴儿, 孤儿, 健儿).
"""

from huayin.text.sandhi import TaggedWord

#: Characters before 儿 that make it the noun "child, son", read er2: 女儿, 婴儿, 幼儿, 孤儿, ...
CHILD_MORPHEMES = frozenset("女婴幼孤胎健男患宠少孙侄弃产育乳犬")
#: What the 儿 token reads after merging.
ERHUA_SUFFIX = "r"


#: 儿 segmented as a word of its own after these is the noun "son" (我的儿), not a suffix.
_NOT_BEFORE_SUFFIX = CHILD_MORPHEMES | set("的之")


def _is_suffix(word: str, offset: int, reading: str | None, char_before: str) -> bool:
    if reading == "r5":
        return True  # the arbiter read it as a suffix
    if len(word) == 1:
        return char_before not in _NOT_BEFORE_SUFFIX  # 儿 segmented on its own: 玩/儿
    return offset == len(word) - 1 and char_before not in CHILD_MORPHEMES


def merge_erhua(words: list[TaggedWord], readings: list[str | None]) -> list[str | None]:
    """Readings with every suffix 儿 merged into the syllable before it (``r`` for the 儿)."""
    text = "".join(w.text for w in words)
    result = list(readings)
    start = 0
    for word in words:
        for offset, char in enumerate(word.text):
            position = start + offset
            if char != "儿" or position == 0 or (offset == 0 and len(word.text) > 1):
                continue  # 儿子, 儿童: the word starts with it
            before = result[position - 1]
            if not before or before == ERHUA_SUFFIX or before[:-1].endswith("r"):
                continue  # nothing to merge into (not Chinese, or already r-coloured: 二儿)
            if _is_suffix(word.text, offset, result[position], text[position - 1]):
                result[position - 1] = before[:-1] + "r" + before[-1]
                result[position] = ERHUA_SUFFIX
        start += len(word.text)
    return result
