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
    following_text,
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
# Words right after a result that say it was a score: 2-1获胜, 1-0领先, 0-0战平.
_RESULT_AFTER = re.compile(
    r"\s?(?:获胜|战胜|击败|打败|取胜|胜出|险胜|小胜|大胜|完胜|力克|领先|落后|战平|逆转|不敌|负于|告负|"
    r"惜败|输给|赢|横扫|拿下|握手言和)")
# Words right around a:b that make it a clock time, whatever came earlier in the clause: 比赛将于
# 19:35开始, 比赛于凌晨3:30开始.
_TIME_BEFORE = re.compile(
    r"(?:于|从|自|凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚|明晚|夜里|夜间|时间为|时间是|时间)\s*$")
_TIME_AFTER = re.compile(
    r"\s?(?:开始|举行|开赛|开球|开幕|结束|起飞|出发|发车|到达|抵达|见面|集合|之前|以前|前|左右|起|截止|准时)")
_CLAUSE_MARKS = "，。；！？,;!?\n"


def clause_before(match: re.Match, length: int = 12) -> str:
    """The text before ``match`` back to the start of its clause (at most ``length`` chars)."""
    before = preceding_text(match, length)
    cut = max(before.rfind(mark) for mark in _CLAUSE_MARKS)
    return before[cut + 1 :]


def looks_like_score(match: re.Match) -> bool:
    """Whether the words around a colon number (17:16) say it is a score, not a time.

    Only the match's own clause counts (比分3:2，会议10:30开始: the second is a time), and
    words that place a time (于, 晚上, 开始) win over a score word earlier in the clause.
    """
    before = clause_before(match)
    if _TIME_BEFORE.search(before) or _TIME_AFTER.match(following_text(match)):
        return False
    return bool(_SCORE_WORDS.search(before) or before.endswith("以"))


def _blood_pressure(match: re.Match) -> bool:
    """120/80 is a blood pressure (一百二十比八十) after 血压 or before mmHg, not a fraction."""
    return bool(re.search(r"血压|收缩压|舒张压|高压|BP", clause_before(match))
                or bool(match.group("unit")))


def _hyphen_score(match: re.Match) -> bool:
    """2-1 is a score only where the words say so (以2-1获胜, 比分1-1); 3-4级 is a range."""
    return bool(_RESULT_AFTER.match(following_text(match))
                or re.search(r"比分(?:为|是)?\s*$", clause_before(match)))


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


def _power(match: re.Match) -> str:
    """10^9 → 十的九次方; 10^-3 → 十的负三次方."""
    exponent = match.group("exponent")
    sign = "负" if exponent.startswith("-") else ""
    return (read_number(match.group("base")) + "的" + sign
            + read_cardinal_plain(exponent.lstrip("-")) + "次方")


RULES = [
    Rule("power", re.compile(r"(?<![\d.])(?P<base>\d+)\^(?P<exponent>-?\d+)(?!\d)"), _power),
    Rule("equation", re.compile(
        rf"(?<![\d.A-Za-z]){_OPERAND}(?:\s?{_OPERATOR}\s?{_OPERAND}){{1,{_MAX_TERMS}}}(?![\d.^])"),
        _equation, accepts=_has_real_operator),
    # A comparison or times sign before a number that is not itself after a number: ≥140mmHg,
    # <6.1mmol/L, 250ml×24盒, 11.2×10^9/L (between two plain numbers "equation" reads them).
    Rule("sign_before_number", re.compile(r"(?P<sign>[≥≤≠≈<>×])\s?(?=[-+]?\.?\d)"),
         lambda m: _OPERATOR_WORDS[m.group("sign")]),
]

# Scores come after clock times in the rule order: 3:2 and 37:16 can't be times, 17:16 can
# (the clock rule refuses it when looks_like_score says so).
def _score(match: re.Match) -> list[Piece]:
    """3:2, 2-1 → 三比二, 二比一 (scores are read with 二, as 第二)."""
    return [piece(match, "home", read_cardinal_plain(match.group("home"))),
            piece(match, "colon", "比"),
            piece(match, "away", read_cardinal_plain(match.group("away")))]


SCORE_RULES = [
    Rule("score", re.compile(
        r"(?<!\d)(?<!\d[:：])(?P<home>\d+)(?P<colon>[:：])(?P<away>\d+)(?![\d:：])"), _score),
    Rule("hyphen_score", re.compile(
        r"(?<![\d.\-–—])(?P<home>\d{1,3})\s?(?P<colon>[-–—])\s?(?P<away>\d{1,3})(?![\d.\-–—%])"),
        _score, accepts=_hyphen_score),
    Rule("blood_pressure", re.compile(
        r"(?<![\d/.])(?P<home>\d{2,3})(?P<colon>/)(?P<away>\d{2,3})(?![\d/.])(?:\s?(?P<unit>mmHg))?"),
        lambda m: _score(m) + ([piece(m, "unit", "毫米汞柱")] if m.group("unit") else []),
        accepts=_blood_pressure),
]
