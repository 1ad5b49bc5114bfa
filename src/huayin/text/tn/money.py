"""Amounts of money: ¥12.5, $3, €5, US$1.5万, 100 USD, 36.00元.

Amounts are written to a fixed precision, so trailing decimal zeros are not read (36.00元 →
三十六元). ¥ reads 元 (not 人民币): it is what a listener expects for a price. A currency sign
before the number is read after it, behind any scale word: $1.5万 → 一点五万美元.
"""

import re

from huayin.text.tn.rule import (
    NUMBER,
    NUMBER_START,
    RANGE_MARK,
    SCALE,
    Piece,
    Rule,
    following_text,
    piece,
    read_count,
)

_SIGN_NAMES = {
    "US$": "美元", "$": "美元", "HK$": "港元", "NT$": "新台币", "A$": "澳元", "C$": "加元",
    "S$": "新加坡元", "¥": "元", "€": "欧元", "£": "英镑", "₩": "韩元", "₽": "卢布", "₹": "卢比",
}
_CODE_NAMES = {
    "USD": "美元", "CNY": "元", "RMB": "人民币", "EUR": "欧元", "GBP": "英镑", "JPY": "日元",
    "HKD": "港元", "KRW": "韩元", "AUD": "澳元", "CAD": "加元", "TWD": "新台币",
}
_SIGN = "|".join(re.escape(sign) for sign in sorted(_SIGN_NAMES, key=len, reverse=True))
_CODE = "|".join(_CODE_NAMES)
_CURRENCY_WORDS = (r"元|块|圆|角|毛|美元|美金|欧元|英镑|日元|韩元|港元|港币|澳元|加元|台币|新台币|"
                   r"卢布|卢比|人民币|法郎|马克|比索")
_AMOUNT = rf"(?P<amount>{NUMBER})(?:{RANGE_MARK}(?P<high>{NUMBER}))?(?P<scale>\s?{SCALE})?"


def _read_amount(match: re.Match, currency: str) -> list[Piece]:
    """The amount (and the upper end of a range) as counted in ``currency``, then the scale."""
    after = (match.group("scale") or "").strip() + currency
    pieces = [piece(match, "amount", read_count(match.group("amount"), after,
                                                drop_trailing_zeros=True))]
    if match.group("high"):
        pieces.append(("到", match.end("amount"), match.start("high")))
        pieces.append(piece(match, "high", read_count(match.group("high"), after,
                                                      drop_trailing_zeros=True)))
    if match.group("scale"):
        pieces.append(piece(match, "scale", match.group("scale").strip()))
    return pieces


def _sign_first(match: re.Match) -> list[Piece]:
    return _read_amount(match, _SIGN_NAMES[match.group("sign")]) + [
        piece(match, "sign", _SIGN_NAMES[match.group("sign")])]


def _code_around(match: re.Match) -> list[Piece]:
    name = _CODE_NAMES[match.group("code").upper()]
    return _read_amount(match, name) + [piece(match, "code", name)]


RULES = [
    Rule("currency_sign", re.compile(rf"(?P<sign>{_SIGN})\s?{_AMOUNT}"), _sign_first),
    Rule("currency_code_before", re.compile(rf"(?<![A-Za-z])(?P<code>{_CODE})\s?{_AMOUNT}"),
         _code_around),
    Rule("currency_code_after", re.compile(
        NUMBER_START + _AMOUNT + rf"\s?(?P<code>{_CODE})(?![A-Za-z])"), _code_around),
    # A number before a currency word: only the amount changes (trailing zeros, 两元).
    Rule("amount", re.compile(
        NUMBER_START + rf"{NUMBER}(?=\s?(?:{SCALE})?\s?(?:{_CURRENCY_WORDS}))"),
        lambda m: read_count(m.group(0), following_text(m, 6), drop_trailing_zeros=True)),
]
