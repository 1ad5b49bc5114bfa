"""Measurements: a number (or a range) followed by a unit symbol, "per" slashes, temperatures.

Unit symbols (:mod:`.units`) are case-sensitive (g is 克, G is not a unit: 5G stays 五G) and only
read after a number or a "per" slash, never in running Latin text. A slash right after a quantity
and before a unit is 每 (33米/秒 → 三十三米每秒, 3.9mmol/L → 三点九毫摩尔每升). A tilde (or a
hyphen before a digit) between two values that carry units or scale words is 到 (-5℃~3℃ →
零下五摄氏度到三摄氏度, 1.5万-2万元 → 一点五万到两万元). Temperatures below zero
read 零下 (-5℃ → 零下五摄氏度), as weather reports say them; °C is 摄氏度.
"""

import re

from huayin.text.tn.rule import (
    NUMBER,
    RANGE_MARK,
    SCALE,
    Piece,
    Rule,
    piece,
    preceding_text,
    read_count,
)
from huayin.text.tn.units import (
    CJK_UNIT,
    PER_SYMBOL,
    SYMBOL,
    UNIT_LAST_CHARS,
    symbol_name,
)

_TEMPERATURE_NAMES = {"°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "℉": "华氏度", "°": "度"}

# A number not inside another number or a Latin word ("iPhone 5s" has no unit).
_QUANTITY_START = r"(?<![\d.A-Za-z])(?<![A-Za-z] )"


def _temperature(match: re.Match) -> list[Piece]:
    """38°C → 三十八摄氏度; -5℃ → 零下五摄氏度; 零下-5℃ → 零下五摄氏度 (no double 零下);
    +3℃ → 零上三摄氏度."""
    unit = _TEMPERATURE_NAMES[match.group("unit")]
    pieces: list[Piece] = []
    if match.group("minus") and not preceding_text(match, 2).endswith("零下"):
        pieces.append(piece(match, "minus", "零下"))
    if match.group("plus") and not preceding_text(match, 2).endswith("零上"):
        pieces.append(piece(match, "plus", "零上"))
    pieces.append(piece(match, "amount", read_count(match.group("amount"), unit)))
    if match.group("high"):
        pieces.append(("到", match.end("amount"), match.start("high_minus") if match.group(
            "high_minus") else match.start("high")))
        if match.group("high_minus"):
            pieces.append(piece(match, "high_minus", "零下"))
        pieces.append(piece(match, "high", read_count(match.group("high"), unit)))
    pieces.append(piece(match, "unit", unit))
    return pieces


def _measure(match: re.Match) -> list[Piece]:
    """25kg → 二十五千克; 2km → 两千米; 3~5kg → 三到五千克; 1.2万亿kWh → 一点二万亿千瓦时."""
    unit = symbol_name(match.group("unit"))
    scale = match.group("scale") or ""
    pieces = [piece(match, "amount", read_count(match.group("amount"), scale + unit))]
    if match.group("high"):
        pieces.append(("到", match.end("amount"), match.start("high")))
        pieces.append(piece(match, "high", read_count(match.group("high"), scale + unit)))
    if scale:
        pieces.append(piece(match, "scale", scale))
    pieces.append(piece(match, "unit", unit))
    return pieces


def _per(match: re.Match) -> list[Piece]:
    """/秒 → 每秒; /L → 每升; /500g → 每五百克 (the slash reads 每)."""
    pieces: list[Piece] = [piece(match, "slash", "每")]
    if match.group("count"):
        unit = match.group("symbol") or match.group("word")
        pieces.append(piece(match, "count", read_count(match.group("count"), unit)))
    if match.group("symbol"):
        pieces.append(piece(match, "symbol", symbol_name(match.group("symbol"))))
    else:
        pieces.append(piece(match, "word", match.group("word")))
    return pieces


def _follows_a_quantity(match: re.Match) -> bool:
    """The slash ends a quantity of this clause (5元/斤, 10^9/L), not words (男/女, 年/月/日).

    After a bare digit only a plain unit may follow (¥199/年): 3/4杯 is a fraction of a cup.
    """
    before = preceding_text(match, 12)
    if not re.search(r"\d[^，。；！？,;!?\s]*$", before):
        return False
    return not (before[-1:].isdigit() and match.group("count"))


RULES = [
    Rule("temperature", re.compile(
        r"(?:(?<![\dA-Za-z)）\]])(?P<minus>-)|(?<![\dA-Za-z)）\]+])(?P<plus>\+))?(?<![\d.])"
        r"(?P<amount>" + NUMBER + ")"
        rf"(?:{RANGE_MARK}(?P<high_minus>-)?(?P<high>{NUMBER}))?"
        r"\s?(?P<unit>°C|℃|°F|℉|°(?![CF]))"), _temperature),
    Rule("measure", re.compile(
        _QUANTITY_START + rf"(?P<amount>{NUMBER})(?:{RANGE_MARK}(?P<high>{NUMBER}))?"
        rf"(?P<scale>{SCALE})?\s?(?P<unit>{SYMBOL})(?![A-Za-z\d²³])"), _measure),
    Rule("per", re.compile(
        rf"(?<=[\dA-Za-z²³%{UNIT_LAST_CHARS}])(?P<slash>/)(?P<count>{NUMBER})?\s?"
        rf"(?:(?P<symbol>{PER_SYMBOL})(?![A-Za-z\d])|(?P<word>{CJK_UNIT}))"),
        _per, accepts=_follows_a_quantity),
    # A range mark between values with units or scale words: -5℃~3℃, 3kg～5kg, 50元~100元,
    # 1.5万-2万元 → 到 (a hyphen there is no minus sign).
    Rule("unit_range_mark", re.compile(
        rf"(?<=[%‰℃℉°²³A-Za-z{UNIT_LAST_CHARS}百千万亿])\s*(?:[~～]|[-–—](?=\d))\s*(?=[-+]?\d)"),
        lambda m: "到", accepts=lambda m: bool(re.search(r"\d\D{0,6}$", preceding_text(m, 8)))),
]
