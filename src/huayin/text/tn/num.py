"""Plain numbers: cardinals, decimals, negatives, percentages, ‰, fractions, ordinals, ranges.

These are the fallbacks: the more specific modules (dates, money, units, phone numbers) come first
in the rule order, so a number that reaches these rules has no better reading.
"""

import re

from huayin.text.numbers import read_digits
from huayin.text.tn.rule import (
    NUMBER,
    NUMBER_END,
    NUMBER_START,
    RANGE_MARK,
    Rule,
    following_text,
    piece,
    read_cardinal_plain,
    read_count,
    read_number,
)

_PERCENT_SIGNS = {"%": "百分之", "‰": "千分之"}


def _percent(match: re.Match) -> list:
    """12.5% → 百分之十二点五; 0.70% → 百分之零点七 (written to fixed precision)."""
    prefix = _PERCENT_SIGNS[match.group("sign")]
    amount = read_number(match.group("amount"), drop_trailing_zeros=True)
    return [(prefix, match.start("sign"), match.end("sign")), piece(match, "amount", amount)]


def _percent_range(match: re.Match) -> list:
    """10%~20% and 10~20% → 百分之十到百分之二十 (both ends said in full, as announcers do)."""
    prefix = _PERCENT_SIGNS[match.group("sign")]
    sign_span = (match.start("sign"), match.end("sign"))
    return [
        (prefix, *sign_span),
        piece(match, "low", read_number(match.group("low"), drop_trailing_zeros=True)),
        ("到", match.end("low"), match.start("high")),
        (prefix, *sign_span),
        piece(match, "high", read_number(match.group("high"), drop_trailing_zeros=True)),
    ]


def _fraction(match: re.Match) -> list:
    """3/4 → 四分之三 (the denominator is read first; 1/2 is 二分之一, never 两分之一)."""
    return [
        piece(match, "denominator", read_cardinal_plain(match.group("denominator"))),
        ("分之", match.start("slash"), match.end("slash")),
        piece(match, "numerator", read_cardinal_plain(match.group("numerator"))),
    ]


def _range(match: re.Match) -> list:
    """3~5 → 三到五; a measure word after the range applies to both ends (2~3个 → 两到三个)."""
    after = following_text(match)
    return [
        piece(match, "low", read_count(match.group("low"), after)),
        ("到", match.end("low"), match.start("high")),
        piece(match, "high", read_count(match.group("high"), after)),
    ]


def _dotted(match: re.Match) -> str:
    """Version-like numbers with several dots: 3.10.2 → 三点十点二."""
    return "点".join(read_cardinal_plain(part) for part in match.group(0).split("."))


# Ordinals are read with 二 and always as cardinals, however long: 第2名 → 第二名, 第1000100 →
# 第一百万零一百. They go before the phone-number rules, which would read long ones digit by digit.
def _ordinal(match: re.Match) -> list:
    """第2 → 第二; 第1-3名 → 第一到三名 (a range of places)."""
    pieces = [piece(match, "low", read_cardinal_plain(match.group("low")))]
    if match.group("high"):
        pieces.append(("到", match.end("low"), match.start("high")))
        pieces.append(piece(match, "high", read_cardinal_plain(match.group("high"))))
    return pieces


ORDINAL_RULES = [
    Rule("ordinal", re.compile(
        r"(?<=第)\s?(?P<low>\d+)(?:\s*[-~～—–]\s*(?P<high>\d+))?(?![\d.])"), _ordinal),
]

# What follows a plus sign that makes it the sign of a change: a percentage or a decimal.
_SIGNED_CHANGE = re.compile(rf"(?:{NUMBER})\s?[%‰]|\d*\.\d")

RULES = [
    # A minus sign before a number or a percentage reads 负; the number is read by its own rule
    # (so -1/3 → 负三分之一, -98% → 负百分之九十八). Not after a digit or letter: 1998-2008, A-1.
    Rule("minus", re.compile(r"(?<![\dA-Za-z)）\]])-(?=\.?\d|百分之|千分之|[$¥€£₩])"),
         lambda m: "负"),
    Rule("plus_minus", re.compile(r"±(?=\.?\d)"), lambda m: "正负"),
    # A plus sign before a number (not after a digit: 3+5 is arithmetic) is a sign: a signed
    # change (+5.2%, +0.35) reads 正, as market and statistics reports say it; a bare +N
    # (点赞 +1) reads 加.
    Rule("plus", re.compile(r"(?<![\dA-Za-z)）\]+])\+(?=\.?\d)"),
         lambda m: "正" if _SIGNED_CHANGE.match(m.string, m.end()) else "加"),
    Rule("percent_range", re.compile(
        NUMBER_START + rf"(?P<low>{NUMBER})%?{RANGE_MARK}(?P<high>{NUMBER})(?P<sign>[%‰])"),
        _percent_range),
    Rule("percent", re.compile(NUMBER_START + rf"(?P<amount>{NUMBER})\s?(?P<sign>[%‰])"), _percent),
    Rule("fraction", re.compile(
        r"(?<![\d/.])(?P<numerator>\d+)(?P<slash>/)(?P<denominator>\d+)(?![\d/])"), _fraction),
    Rule("range", re.compile(
        NUMBER_START + rf"(?P<low>{NUMBER}){RANGE_MARK}(?P<high>{NUMBER})" + NUMBER_END), _range),
    Rule("dotted", re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}(?![.\d])"), _dotted),
    # .22口径 → 零点二二.
    Rule("bare_decimal", re.compile(r"(?<![A-Za-z\d.])\.\d+(?![.\d])"),
         lambda m: "零点" + read_digits(m.group(0)[1:])),
    Rule("number", re.compile(NUMBER_START + rf"{NUMBER}" + NUMBER_END),
         lambda m: read_count(m.group(0), following_text(m))),
    # Whatever digits are left (odd punctuation around them: "3,5", "b.7") are still read.
    Rule("any_digits", re.compile(r"\d+"), lambda m: read_count(m.group(0), following_text(m))),
]
