"""Text normalization for the first front end: width folding and plain numbers.

Every output character remembers the span of the original text it came from, so timestamps and
subtitles can point back at what the user wrote. The full normalizer (dates, money, units, ...)
replaces the rule list here without changing :func:`normalize`'s contract.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from huayin.text.numbers import read_cardinal, read_decimal, read_digits


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus, for each of its characters, the source span in the original."""

    text: str
    """The normalized text."""
    spans: tuple[tuple[int, int], ...]
    """``spans[i]`` is the ``[start, end)`` range of the original text behind ``text[i]``."""


# Punctuation that NFKC would turn into ASCII; the rest of the pipeline prefers the CJK forms.
_KEEP_AS_IS = set("，。！？：；、（）【】《》“”‘’—…·～")


def _fold_width(text: str) -> NormalizedText:
    """NFKC per character (full-width digits and letters → ASCII), keeping CJK punctuation."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        folded = char if char in _KEEP_AS_IS else unicodedata.normalize("NFKC", char)
        for out in folded:
            chars.append(out)
            spans.append((index, index + 1))
    return NormalizedText("".join(chars), tuple(spans))


Verbalizer = Callable[[re.Match], str]

# Ordered: the first rule that matches at a position wins.
_RULES: list[tuple[re.Pattern, Verbalizer]] = [
    # Years are read digit by digit: 2023年 → 二零二三年.
    (re.compile(r"(?<!\d)(\d{4})(?=年)"), lambda m: read_digits(m.group(1))),
    # Percentages: 12.5% → 百分之十二点五.
    (re.compile(r"(-?)(\d+(?:\.\d+)?)%"),
     lambda m: ("负" if m.group(1) else "") + "百分之" + read_decimal(m.group(2))),
    # Numbers with a leading zero or very long ones are codes/phone numbers: digit by digit.
    (re.compile(r"(?<![\d.])(0\d+|\d{11,})(?![\d.])"), lambda m: read_digits(m.group(1))),
    # Negative numbers: a minus sign not preceded by a digit or letter.
    (re.compile(r"(?<![0-9A-Za-z])-(\d+(?:\.\d+)?)"), lambda m: "负" + read_decimal(m.group(1))),
    # Thousands separators: 1,234,567.
    (re.compile(r"(?<!\d)(\d{1,3}(?:,\d{3})+)(\.\d+)?(?!\d)"),
     lambda m: read_decimal(m.group(1).replace(",", "") + (m.group(2) or ""))),
    # Decimals and integers.
    (re.compile(r"\d+\.\d+"), lambda m: read_decimal(m.group(0))),
    (re.compile(r"\d+"), lambda m: read_cardinal(m.group(0))),
]
_ANY_RULE = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _RULES))


def normalize(text: str) -> NormalizedText:
    """Fold widths and write numbers out in Chinese, tracking source spans."""
    folded = _fold_width(text)
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    source = folded.text
    while position < len(source):
        match = _ANY_RULE.search(source, position)
        if match is None:
            break
        # Which rule matched here: the first one that matches at this exact position.
        for pattern, verbalize in _RULES:
            rule_match = pattern.match(source, match.start())
            if rule_match and rule_match.end() > match.start():
                break
        else:  # pragma: no cover - the combined pattern guarantees one rule matches
            rule_match, verbalize = match, (lambda m: m.group(0))
        chars.extend(source[position : rule_match.start()])
        spans.extend(folded.spans[position : rule_match.start()])
        span = (folded.spans[rule_match.start()][0], folded.spans[rule_match.end() - 1][1])
        spoken = verbalize(rule_match)
        chars.extend(spoken)
        spans.extend([span] * len(spoken))
        position = rule_match.end()
    chars.extend(source[position:])
    spans.extend(folded.spans[position:])
    return NormalizedText("".join(chars), tuple(spans))
