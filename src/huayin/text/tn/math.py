"""Arithmetic between numbers (1+1=2 → 一加一等于二) and scores or ratios (3:2 → 三比二).

Operators are only read when they sit between numbers: a lone "=" or "<" in prose is left alone.
A hyphen or slash alone between two numbers is a range or a fraction (see :mod:`.num`); inside a
chain that also has another operator (5-3=2) the hyphen is 减.
"""

import re

from huayin.text.tn.rule import (
    NUMBER,
    Piece,
    Rule,
    piece,
    preceding_text,
    read_cardinal_plain,
    read_number,
)

_OPERATOR_WORDS = {
    "+": "加", "-": "减", "−": "减", "×": "乘", "*": "乘", "÷": "除以", "=": "等于",
    "<": "小于", ">": "大于", "≤": "小于等于", "≥": "大于等于", "≠": "不等于", "≈": "约等于",
}
# Bounded so that a long run like 1-1-1-...-1 (no real operator) is refused in linear time.
_MAX_TERMS = 12
_OPERATOR = r"[+\-−×*÷=<>≤≥≠≈]"
_OPERAND = rf"(?:\d+/\d+|-?{NUMBER}%?)"
_TOKEN = re.compile(rf"(?P<fraction>(?P<num>\d+)/(?P<den>\d+))|(?P<minus>-)?(?P<amount>{NUMBER})"
                    rf"(?P<percent>%)?|(?P<operator>{_OPERATOR})")

# Words before "a:b" that make it a score or a ratio, even when a:b would be a valid time.
_SCORE_WORDS = re.compile(
    r"比分|比赛|战胜|击败|打败|负于|战平|逆转|比例|赛果|领先|落后|获胜|胜出|取胜|险胜|大胜|惜败|告负|赢|输")


def looks_like_score(match: re.Match) -> bool:
    """Whether the words before a colon number (17:16) say it is a score, not a time."""
    return bool(_SCORE_WORDS.search(preceding_text(match, 12)))


def _read_operand(token: re.Match) -> str:
    if token.group("fraction"):
        denominator, numerator = token.group("den"), token.group("num")
        return read_cardinal_plain(denominator) + "分之" + read_cardinal_plain(numerator)
    spoken = read_number(token.group("amount"))
    if token.group("percent"):
        spoken = "百分之" + spoken
    return ("负" if token.group("minus") else "") + spoken


def _equation(match: re.Match) -> list[Piece]:
    pieces: list[Piece] = []
    after_operand = False
    for token in _TOKEN.finditer(match.group(0)):
        start, end = match.start() + token.start(), match.start() + token.end()
        if token.group("operator"):
            pieces.append((_OPERATOR_WORDS[token.group("operator")], start, end))
            after_operand = False
            continue
        if token.group("minus") and after_operand:  # 5-3: the hyphen is an operator here
            pieces.append(("减", start, start + 1))
            start += 1
            pieces.append((_read_operand(token).removeprefix("负"), start, end))
        else:
            pieces.append((_read_operand(token), start, end))
        after_operand = True
    return pieces


def _has_real_operator(match: re.Match) -> bool:
    """A chain of only hyphens or only slashes is a range or a date, not arithmetic."""
    return bool(re.search(r"[+×*÷=<>≤≥≠≈]", match.group(0)))


RULES = [
    Rule("equation", re.compile(
        rf"(?<![\d.A-Za-z]){_OPERAND}(?:\s?{_OPERATOR}\s?{_OPERAND}){{1,{_MAX_TERMS}}}(?![\d.])"),
        _equation, accepts=_has_real_operator),
]

# Scores come after clock times in the rule order: 3:2 and 37:16 can't be times, 17:16 can
# (the clock rule refuses it when looks_like_score says so).
SCORE_RULES = [
    Rule("score", re.compile(
        r"(?<!\d)(?<!\d[:：])(?P<home>\d+)(?P<colon>[:：])(?P<away>\d+)(?![\d:：])"),
         lambda m: [piece(m, "home", read_cardinal_plain(m.group("home"))),
                    piece(m, "colon", "比"),
                    piece(m, "away", read_cardinal_plain(m.group("away")))]),
]
