"""Numbers in addresses, tickets and market data: codes read digit by digit, house numbers not.

People read a number digit by digit when it names something (a room, a flat, a stock, a plate, a
train) and as a cardinal where they count along a street:

- stock codes in brackets after a company name: 贵州茅台（600519） → 六零零五一九;
- rooms and flats: 1502室, 402会议室, 3栋502, 2单元1201 → 一五零二, 四零二, 五零二, 一二零一;
- licence plates: 京A·12345 → 京A一二三四五 (the dot is not read), 沪A·8K123 → 沪A八K一二三;
- train numbers: K21次 → K二一次, G7次 → G七次;
- the 2 of a building number is 二 even before 栋 (2栋3楼, 2幢301): it names, it does not count;
- but house numbers along a road stay cardinals: 建国路88号 → 八十八号, 深南大道6001号 →
  六千零一号 (phone.numbered would otherwise read a 4-digit number before 号 as an ID).
"""

import re

from huayin.text.numbers import read_digits
from huayin.text.tn.rule import Piece, Rule, counts_something, following_text, piece, read_count

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳使领警学挂"
# What a flat number follows: 3栋502, 5号楼3单元201, A座1808.
_BUILDING_PARTS = ("栋", "幢", "座", "单元", "号楼", "楼")
# What a house number follows: 建国路88号, 高新南七道18号, 红星路三段1号.
_STREETS = ("路", "街", "道", "巷", "弄", "段", "胡同", "大道", "公路")


def _after_any(words: tuple[str, ...]) -> str:
    """A lookbehind that is true right after any of ``words`` (each of fixed width)."""
    return "(?:" + "|".join(f"(?<={re.escape(word)})" for word in words) + ")"


def _digits(match: re.Match) -> str:
    return read_digits(match.group(0))


def _plate(match: re.Match) -> list[Piece]:
    """京A·12345 → A一二三四五; letters inside the number stay letters (8K123 → 八K一二三)."""
    rest = "".join(read_digits(c) if c.isdigit() else c for c in match.group("rest"))
    return [piece(match, "letter", match.group("letter")), piece(match, "rest", rest)]


RULES = [
    Rule("stock_code", re.compile(
        r"(?<=[（(])(?:\d{6}(?=(?:\.[A-Za-z]{2})?[）)])|\d{5}(?=\.HK[）)]))"), _digits),
    Rule("room_number", re.compile(
        r"(?<![\d.])\d{3,4}(?=室|房间|号房|会议室|病房|教室|宿舍)"), _digits),
    Rule("flat_number", re.compile(_after_any(_BUILDING_PARTS) + r"\d{3,4}(?![\d.])"), _digits,
         accepts=lambda m: not counts_something(following_text(m))),
    Rule("house_number", re.compile(_after_any(_STREETS) + r"\d+(?=号)"),
         lambda m: read_count(m.group(0), "号")),
    Rule("licence_plate", re.compile(
        rf"(?<=[{_PROVINCES}])(?P<letter>[A-Z])[·•・.\s]?(?P<rest>[A-Z\d]{{5,6}})(?![A-Za-z\d])"),
        _plate, accepts=lambda m: any(c.isdigit() for c in m.group("rest"))),
    # 92#汽油, 3#楼: a # after a number is 号.
    Rule("number_sign", re.compile(r"(?<=\d)#"), lambda m: "号"),
    # Video resolutions are names: 1080P → 一零八零P, 720p → 七二零p.
    Rule("video_resolution", re.compile(
        r"(?<![\d.])(?:480|576|720|1080|1440|2160|4320)(?=[pPi](?![A-Za-z]))"), _digits),
    # Clothing sizes height/chest+build: 170/88A → 一百七十/八十八A, not a fraction.
    Rule("clothing_size", re.compile(
        r"(?<![\d/.])(?P<height>1\d{2})(?P<slash>/)(?P<chest>\d{2,3})(?=[ABCY](?![A-Za-z]))"),
        lambda m: [piece(m, "height", read_count(m.group("height"), "")),
                   piece(m, "slash", "/"),
                   piece(m, "chest", read_count(m.group("chest"), ""))]),
    Rule("building_two", re.compile(r"(?<![\d.])2(?=[栋幢座]\s?\d)"), lambda m: "二"),
    Rule("train_number", re.compile(r"(?<=(?<![A-Za-z])[GDCZTKYLS])\d{1,4}(?=次)"), _digits),
]
