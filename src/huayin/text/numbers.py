"""Verbalizers for numbers: Arabic digits → Chinese characters.

Pure functions on strings; the rules that decide *which* verbalizer a span of text gets live in
:mod:`huayin.text.tn`.

两 or 二: written-out cardinals use 二 by default (二十, 二百, 一亿二千万: the reading form of
dictionaries and of the NeMo test set). With ``liang=True`` — what the normalizer uses for
quantities — a 2 in front of 千, 万 or 亿 becomes 两 (两千, 两万, 一万两千, 两亿), the way people
say amounts; 二百 and 二十 stay. A bare "2" before a measure word (两个) is decided by the rule
that sees the measure word, not here.
"""

DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿", "万亿")
#: Beyond 万亿 the unit system has no common names: longer strings are read digit by digit.
_MAX_CARDINAL_DIGITS = 16


def read_digits(digits: str) -> str:
    """Read a digit string one digit at a time: "2023" → "二零二三" (一, never 幺)."""
    return "".join(DIGITS[int(d)] for d in digits)


def _four_digits(group: int, liang: bool) -> str:
    """0 < group < 10000 → e.g. 1005 → 一千零五 (no leading 零)."""
    out = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = group // 10**power % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        name = "两" if liang and digit == 2 and power == 3 else DIGITS[digit]
        out.append(name + _SMALL_UNITS[power])
    return "".join(out)


def read_cardinal(number: str, *, liang: bool = False) -> str:
    """Read a non-negative integer as a cardinal: "10086" → "一万零八十六", "15" → "十五".

    ``liang`` reads a 2 before 千/万/亿 as 两 (see the module docstring). Numbers too long for
    the unit system (more than 16 digits) are read digit by digit.
    """
    number = number.lstrip("0") or "0"
    if len(number) > _MAX_CARDINAL_DIGITS:
        return read_digits(number)
    value = int(number)
    if value == 0:
        return DIGITS[0]
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(out)
            continue
        # A lower group below 1000 after a higher one needs 零: 1,0005 → 一万零五.
        if out and (need_zero or group < 1000):
            out.append("零")
        if liang and group == 2 and index > 0:
            out.append("两" + _BIG_UNITS[index])
        else:
            out.append(_four_digits(group, liang) + _BIG_UNITS[index])
        need_zero = False
    text = "".join(out)
    # 10–19 at the head are read 十X, not 一十X.
    if text.startswith("一十"):
        text = text[1:]
    return text


def read_decimal(number: str, *, liang: bool = False, drop_trailing_zeros: bool = False) -> str:
    """Read "3.14" → "三点一四"; the fractional part is read digit by digit.

    ``drop_trailing_zeros`` is for amounts written to a fixed precision (prices, percentages):
    "36.00" → "三十六", "14.60" → "十四点六". Plain decimals keep them ("5.0" → "五点零"),
    since there a trailing zero may be significant.
    """
    integer, _, fraction = number.partition(".")
    if drop_trailing_zeros:
        fraction = fraction.rstrip("0")
    text = read_cardinal(integer or "0", liang=liang)
    if fraction:
        text += "点" + read_digits(fraction)
    return text
