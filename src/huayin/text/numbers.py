"""Verbalizers for numbers: Arabic digits → Chinese characters.

Pure functions on strings; the rules that decide *which* verbalizer a span of text gets live in
:mod:`huayin.text.normalize`.
"""

DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿", "万亿")


def read_digits(digits: str) -> str:
    """Read a digit string one digit at a time: "2023" → "二零二三"."""
    return "".join(DIGITS[int(d)] for d in digits)


def _four_digits(group: int) -> str:
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
        out.append(DIGITS[digit] + _SMALL_UNITS[power])
    return "".join(out)


def read_cardinal(number: str) -> str:
    """Read a non-negative integer as a cardinal: "10086" → "一万零八十六", "15" → "十五".

    Numbers too long for the unit system (more than 16 digits) are read digit by digit.
    """
    number = number.lstrip("0") or "0"
    if len(number) > 16:
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
        out.append(_four_digits(group) + _BIG_UNITS[index])
        need_zero = False
    text = "".join(out)
    # 10–19 at the head are read 十X, not 一十X.
    if text.startswith("一十"):
        text = text[1:]
    return text


def read_decimal(number: str) -> str:
    """Read "3.14" → "三点一四"; the fractional part is read digit by digit."""
    integer, _, fraction = number.partition(".")
    text = read_cardinal(integer or "0")
    if fraction:
        text += "点" + read_digits(fraction)
    return text
