"""The units people really meet in Chinese text, and how announcers read them.

Two tables:

- :data:`SYMBOLS`: Latin unit symbols → their Chinese names (SI and common non-SI units, medical,
  computing, energy, speed). Symbols are case-sensitive (g is 克; G is not a unit, so 5G stays
  五G) and only read after a number or after a slash that means "per". Byte units (GB, MB, TB)
  are left out on purpose: people say them as letters (二十GB), which a later stage spells.
- :data:`CJK_UNITS`: Chinese unit and measure words that may stand after a slash meaning "per"
  (元/斤, 次/分钟, 美元/盎司): the slash is read 每 and the word is kept.

A slash between a quantity and a unit is "per": 33米/秒 → 三十三米每秒, mmol/L → 毫摩尔每升,
29.9元/500g → 二十九点九元每五百克.
"""

import re

SYMBOLS = {
    # length, area, volume
    "km": "千米", "m": "米", "dm": "分米", "cm": "厘米", "mm": "毫米", "μm": "微米", "nm": "纳米",
    "km²": "平方千米", "m²": "平方米", "dm²": "平方分米", "cm²": "平方厘米", "mm²": "平方毫米",
    "m³": "立方米", "cm³": "立方厘米", "dm³": "立方分米",
    "ft": "英尺",
    "L": "升", "l": "升", "ml": "毫升", "mL": "毫升", "dL": "分升", "μL": "微升",
    # mass
    "kg": "千克", "g": "克", "mg": "毫克", "μg": "微克", "ng": "纳克", "pg": "皮克", "t": "吨",
    "lb": "磅", "lbs": "磅", "oz": "盎司",
    # amount of substance, medical units
    "mol": "摩尔", "mmol": "毫摩尔", "μmol": "微摩尔", "nmol": "纳摩尔",
    "IU": "国际单位", "mIU": "毫国际单位", "μIU": "微国际单位",
    "mmHg": "毫米汞柱", "cmH₂O": "厘米水柱", "bpm": "次每分钟",
    # time, frequency
    "h": "小时", "min": "分钟", "s": "秒", "ms": "毫秒", "μs": "微秒", "ns": "纳秒",
    "Hz": "赫兹", "kHz": "千赫兹", "MHz": "兆赫兹", "GHz": "吉赫兹",
    # power, energy, electricity, pressure, sound, radiation
    "W": "瓦", "kW": "千瓦", "MW": "兆瓦", "GW": "吉瓦", "Wh": "瓦时", "kWh": "千瓦时",
    "kW·h": "千瓦时", "V": "伏", "kV": "千伏", "mA": "毫安", "mAh": "毫安时",
    "J": "焦耳", "kJ": "千焦", "kcal": "千卡", "cal": "卡",
    "Pa": "帕", "hPa": "百帕", "kPa": "千帕", "MPa": "兆帕", "dB": "分贝",
    "Sv": "希沃特", "mSv": "毫希沃特", "μSv": "微希沃特",
    # data rates
    "bps": "比特每秒", "kbps": "千比特每秒", "Kbps": "千比特每秒", "Mbps": "兆比特每秒",
    "Gbps": "吉比特每秒",
}

#: Symbols that only read as units after a slash (per), never right after a number: "5s" in
#: "iPhone 5s" is a model, and a bare "B" is a byte only in KB/s-style rates.
PER_ONLY_SYMBOLS = {"s": "秒", "h": "小时", "d": "天", "B": "字节"}

#: Symbols that read as units only right before a "per" slash: U/L is 单位每升, but 2U (a rack
#: height) and U盘 are not units.
BEFORE_PER_ONLY_SYMBOLS = {"U": "单位"}

# Chinese unit and measure words that can follow a "per" slash; longest first when matched.
CJK_UNITS = tuple(sorted(
    """
    斤 公斤 千克 克 两 吨 盎司 磅 桶 米 公里 千米 厘米 毫米 平方米 平方公里 平方千米 平米 平 立方米 立方
    升 毫升 秒 分钟 分 小时 时 天 日 周 月 年 晚 夜 季度 人 人次 次 件 个 只 盒 瓶 袋 箱 串 份 台 辆
    间 套 张 位 亩 度 千瓦时 节 课时 株 头 包 罐 支 片 粒 剂 条 本 双 对 户 床 针 滴 公顷 英热单位
    百万英热单位 千瓦 瓦 平方英尺 英尺 英里 海里 毫升 千卡 卡 单位
    """.split(), key=len, reverse=True))

#: Last characters of the units a "per" slash may follow (元/斤: 元; 米/秒: 米). A lookbehind
#: can only test a fixed width, so the rule checks the last character and ``accepts`` the rest.
UNIT_LAST_CHARS = "".join(sorted({unit[-1] for unit in CJK_UNITS} | set("元币金镑")))


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first, escaped."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


SYMBOL = alternation(SYMBOLS) + "|" + "|".join(
    rf"{re.escape(symbol)}(?=/)" for symbol in BEFORE_PER_ONLY_SYMBOLS)
PER_SYMBOL = alternation({**SYMBOLS, **PER_ONLY_SYMBOLS})
CJK_UNIT = alternation(CJK_UNITS)


def symbol_name(symbol: str) -> str:
    """The Chinese name of a unit symbol (after a number or after a slash)."""
    return (SYMBOLS.get(symbol) or PER_ONLY_SYMBOLS.get(symbol)
            or BEFORE_PER_ONLY_SYMBOLS[symbol])
