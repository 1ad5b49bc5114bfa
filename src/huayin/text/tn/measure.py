"""Measurements: a number (or a range) followed by a unit symbol, and temperatures.

Unit symbols are case-sensitive (g is 克, G is not a unit: 5G stays 五G) and only read after a
number, never in running Latin text. Temperatures below zero read 零下 (-5℃ → 零下五摄氏度), as
weather reports say them; °C is 摄氏度.
"""

import re

from huayin.text.tn.rule import (
    NUMBER,
    RANGE_MARK,
    Piece,
    Rule,
    piece,
    preceding_text,
    read_count,
)

UNIT_NAMES = {
    "km": "千米", "m": "米", "dm": "分米", "cm": "厘米", "mm": "毫米", "μm": "微米", "nm": "纳米",
    "km²": "平方千米", "m²": "平方米", "dm²": "平方分米", "cm²": "平方厘米", "mm²": "平方毫米",
    "m³": "立方米", "cm³": "立方厘米", "dm³": "立方分米",
    "kg": "千克", "g": "克", "mg": "毫克", "μg": "微克", "t": "吨", "lb": "磅", "lbs": "磅",
    "oz": "盎司", "ft": "英尺",
    "L": "升", "l": "升", "ml": "毫升", "mL": "毫升",
    "km/h": "千米每小时", "m/s": "米每秒",
    "h": "小时", "min": "分钟", "s": "秒", "ms": "毫秒", "μs": "微秒", "ns": "纳秒",
    "Hz": "赫兹", "kHz": "千赫兹", "MHz": "兆赫兹", "GHz": "吉赫兹",
    "kW": "千瓦", "kWh": "千瓦时", "kW·h": "千瓦时", "V": "伏", "kV": "千伏", "mA": "毫安",
    "mAh": "毫安时", "Pa": "帕", "kPa": "千帕", "MPa": "兆帕", "mmHg": "毫米汞柱", "dB": "分贝",
    "kcal": "千卡", "cal": "卡",
}
_UNIT = "|".join(re.escape(unit) for unit in sorted(UNIT_NAMES, key=len, reverse=True))
_TEMPERATURE_NAMES = {"°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "℉": "华氏度", "°": "度"}

# A number not inside another number or a Latin word ("iPhone 5s" has no unit).
_QUANTITY_START = r"(?<![\d.A-Za-z])(?<![A-Za-z] )"


def _temperature(match: re.Match) -> list[Piece]:
    """38°C → 三十八摄氏度; -5℃ → 零下五摄氏度; 零下-5℃ → 零下五摄氏度 (no double 零下)."""
    unit = _TEMPERATURE_NAMES[match.group("unit")]
    pieces: list[Piece] = []
    if match.group("minus") and not preceding_text(match, 2).endswith("零下"):
        pieces.append(piece(match, "minus", "零下"))
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
    """25kg → 二十五千克; 2km → 两千米; 3~5kg → 三到五千克; 120m² → 一百二十平方米."""
    unit = UNIT_NAMES[match.group("unit")]
    pieces = [piece(match, "amount", read_count(match.group("amount"), unit))]
    if match.group("high"):
        pieces.append(("到", match.end("amount"), match.start("high")))
        pieces.append(piece(match, "high", read_count(match.group("high"), unit)))
    pieces.append(piece(match, "unit", unit))
    return pieces


RULES = [
    Rule("temperature", re.compile(
        r"(?:(?<![\dA-Za-z)）\]])(?P<minus>-))?(?<![\d.])(?P<amount>" + NUMBER + ")"
        rf"(?:{RANGE_MARK}(?P<high_minus>-)?(?P<high>{NUMBER}))?"
        r"\s?(?P<unit>°C|℃|°F|℉|°(?![CF]))"), _temperature),
    Rule("measure", re.compile(
        _QUANTITY_START + rf"(?P<amount>{NUMBER})(?:{RANGE_MARK}(?P<high>{NUMBER}))?"
        rf"\s?(?P<unit>{_UNIT})(?![A-Za-z\d²³])"), _measure),
]
