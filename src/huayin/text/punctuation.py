"""Which punctuation marks end a clause, and how long a break each one means."""

import re

from huayin.text.utterance import Break

#: A lone UTF-16 surrogate code point (U+D800–U+DFFF). Python strings can hold them (e.g.
#: undecodable bytes of a command line argument), but no encoder or segmenter takes them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: Characters that end a clause, mapped to the break they cause.
BREAK_OF_PUNCTUATION: dict[str, Break] = {
    **dict.fromkeys("。！？!?…", Break.SENTENCE),
    **dict.fromkeys("，,；;：:—", Break.CLAUSE),
    **dict.fromkeys("、", Break.PHRASE),
    **dict.fromkeys("\n", Break.PARAGRAPH),
}

#: Marks that are silent and cause no break (quotes, brackets). Spaces stay: they separate words.
SILENT_MARKS = set("“”‘’\"'《》〈〉（）()【】[]{}「」『』\r·~～")


def is_hanzi(char: str) -> bool:
    """True for a CJK unified ideograph (the characters the voices can read)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def is_latin_letter(char: str) -> bool:
    """True for A–Z / a–z (spelled out letter by letter)."""
    return char.isascii() and char.isalpha()


def is_surrogate(char: str) -> bool:
    """True for a lone surrogate code point (:data:`LONE_SURROGATE`)."""
    return LONE_SURROGATE.fullmatch(char) is not None
