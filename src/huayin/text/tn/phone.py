"""Numbers that are names, not amounts: phone numbers, IDs, codes — read digit by digit.

Digits are read 一, not 幺: 幺 is a colloquial choice for phone numbers that both voices and the
public test sets do without. Separators inside a phone number are dropped (the digits carry the
rhythm); an extension after a hyphen is 转.
"""

import re
import unicodedata

from huayin.text.numbers import read_digits
from huayin.text.tn.rule import Piece, Rule, piece, preceding_text

# Words right before a number that make it an identifier: 电话10015, 编号：27149, 房间号301.
_ID_WORDS = re.compile(
    r"(?:电话|手机|号码|编号|尾号|工号|学号|账号|帐号|卡号|单号|订单|QQ|qq|微信|邮编|验证码|密码|房间|房号|"
    r"车次|航班|分机|热线|拨打|致电|代码|批号|序列号|型号|身份证|车牌|门牌|座机|传真|工单|邮政编码|"
    r"取件码|取货码|提货码|取餐码|运单|快递单)"
    r"(?:号码|号)?(?:是|为|：|:|\s)*$")


def _digits(match: re.Match) -> str:
    """The whole match, digit by digit."""
    return read_digits(match.group(0))


def _id_card(match: re.Match) -> str:
    """18-character ID: 17 digits and a check character that may be the letter X."""
    number = match.group(0)
    check = number[17].upper() if number[17] in "Xx" else read_digits(number[17])
    return read_digits(number[:17]) + check


def _digits_of(match: re.Match, group: str) -> Piece:
    """The digits of one group, separators and brackets dropped."""
    return piece(match, group, read_digits(re.sub(r"\D", "", match.group(group))))


def _mobile(match: re.Match) -> list[Piece]:
    """+86 13800138000 → 八六一三八零零一三八零零零 (the plus is formatting, not said)."""
    pieces = [_digits_of(match, "country")] if match.group("country") else []
    return pieces + [_digits_of(match, "number")]


def _landline(match: re.Match) -> list[Piece]:
    """0421-33441122 → 零四二一三三四四一一二二; (010)12345678-123 → ...转一二三."""
    area = "area" if match.group("area") else "area_plain"
    pieces = [_digits_of(match, area), _digits_of(match, "local")]
    if match.group("extension"):
        pieces.append(("转", match.start("extension") - 1, match.start("extension")))
        pieces.append(_digits_of(match, "extension"))
    return pieces


def _after_id_word(match: re.Match) -> bool:
    return bool(_ID_WORDS.search(preceding_text(match, 12)))


def _stands_alone(match: re.Match) -> bool:
    """A 7–8 digit number with nothing after it that it could count, and not a round amount.

    Such bare numbers are local phone numbers or codes far more often than quantities, which are
    followed by what they count (12345678人) or are round (10000000, 1000001: mostly zeros).
    """
    digits = match.group(0)
    if digits.endswith("000") or 2 * digits.count("0") >= len(digits):
        return False
    after = match.string[match.end() : match.end() + 1]
    return not after or after.isspace() or unicodedata.category(after)[0] == "P"


RULES = [
    Rule("id_card", re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),
         _id_card),
    Rule("mobile", re.compile(
        r"(?<![\d+])(?:(?P<country>\+?86)[\s-]?)?(?P<number>1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)"),
        _mobile),
    Rule("landline", re.compile(
        r"(?<![\d.])(?:(?P<area>\(0\d{2,3}\))\s?|(?P<area_plain>0\d{2,3})[\s-])"
        r"(?P<local>\d{7,8})(?:-(?P<extension>\d{1,5}))?(?!\d)"), _landline),
    Rule("service_number", re.compile(r"(?<![\d.])[48]00[\s-]?\d{3}[\s-]?\d{4}(?!\d)"),
         lambda m: read_digits(re.sub(r"\D", "", m.group(0)))),
    Rule("after_id_word", re.compile(r"(?<![\d.])\d{3,}(?![\d.])"),
         _digits, accepts=_after_id_word),
    # Codes in hyphenated groups after such a word: 取件码3-2-1508 → 三杠二杠一五零八.
    Rule("grouped_code", re.compile(r"(?<![\d.])\d+(?:-\d+)+(?![\d.])"),
         lambda m: "杠".join(read_digits(part) for part in m.group(0).split("-")),
         accepts=_after_id_word),
    # Long numbers labelled 号 are IDs: “26314”号, 1801号房. Not after 第 (第1001号 is a count).
    Rule("numbered", re.compile(r"(?<![\d.])\d{4,}(?=[”\"'’」』]?号)"),
         _digits, accepts=lambda m: preceding_text(m, 1) != "第"),
    Rule("bare_code", re.compile(r"(?<![\d.,\-+/:])[1-9]\d{6,7}(?![\d.,%/:])"),
         _digits, accepts=_stands_alone),
    # Model and standard numbers glued to letters: ISO9001, RTX4090, A380 (short ones such as
    # HDR10, MP3, iPhone15 stay cardinals).
    Rule("model_number", re.compile(r"(?<=[A-Za-z])\d{3,}(?![\d.])"), _digits),
    Rule("leading_zero", re.compile(r"(?<![\d.,])0\d+(?![\d.])"), _digits),
    Rule("long_digits", re.compile(r"(?<![\d.,])\d{13,}(?![\d.])"), _digits),
]
