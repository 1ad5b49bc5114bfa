"""Race results: times and marks written the way sports pages write them.

- Hundredths after 秒 are read digit by digit: 9秒58 → 九秒五八, 1分44秒65 → 一分四十四秒六五
  (a commentator never says 九秒五十八). The same holds for centimetres after 米 in a mark:
  2米35 → 两米三五.
- m:ss.xx is always a race time (a clock has no decimals): 1:44.65 → 一分四十四秒六五.
- h:mm:ss and m:ss after words that announce a result or a length of time (成绩, 用时, 时长,
  片长, 配速, 倒计时, ...) are durations, not clock times: 2:08:15 → 两小时零八分十五秒, 时长3:45
  → 三分四十五秒. Zero-padded minutes and seconds keep their 零, as 2小时01分09秒 already does
  (两小时零一分零九秒).
"""

import re

from huayin.text.numbers import read_cardinal, read_digits
from huayin.text.tn.rule import (
    Piece,
    Rule,
    counts_something,
    following_text,
    piece,
    preceding_text,
    read_count,
)

# Words within the clause before a colon number that make it a duration: a result (成绩, 用时)
# or a length of time (时长, 片长, 配速, 倒计时).
_DURATION_WORDS = re.compile(
    r"(?:成绩|用时|耗时|跑出|游出|完赛|纪录|夺冠|时间差|净时间|完成|时长|片长|全长|配速|计时)"
    r"[^，。；！？,;!?]*$")


def _after_duration_word(match: re.Match) -> bool:
    return bool(_DURATION_WORDS.search(preceding_text(match, 12)))


def _padded(written: str) -> str:
    """Minutes or seconds as written: 08 → 零八, 15 → 十五, 00 and 0 → 零."""
    if len(written) == 2 and written.startswith("0") and written != "00":
        return "零" + read_digits(written[1])
    return read_cardinal(written)


def _fraction_digits(match: re.Match) -> bool:
    """Digits after 秒 or 米 are a fraction, not the start of a count (9秒58, not 30秒10个)."""
    return not counts_something(following_text(match))


def _minutes_seconds(match: re.Match) -> list[Piece]:
    """1:44.65 → 一分四十四秒六五."""
    return [
        piece(match, "minutes", read_count(match.group("minutes"), "分") + "分"),
        piece(match, "seconds", _padded(match.group("seconds")) + "秒"),
        piece(match, "hundredths", read_digits(match.group("hundredths"))),
    ]


def _plain_minutes_seconds(match: re.Match) -> list[Piece]:
    """时长3:45 → 三分四十五秒; 片长12:08 → 十二分零八秒."""
    return [
        piece(match, "minutes", read_count(match.group("minutes").lstrip("0") or "0", "分") + "分"),
        piece(match, "seconds", _padded(match.group("seconds")) + "秒"),
    ]


def _hours_minutes_seconds(match: re.Match) -> list[Piece]:
    """2:08:15 → 两小时零八分十五秒."""
    return [
        piece(match, "hours", read_count(match.group("hours"), "小时") + "小时"),
        piece(match, "minutes", _padded(match.group("minutes")) + "分"),
        piece(match, "seconds", _padded(match.group("seconds")) + "秒"),
    ]


RULES = [
    Rule("race_minutes_seconds", re.compile(
        r"(?<![\d.:：])(?P<minutes>\d{1,2})[:：](?P<seconds>[0-5]\d)\.(?P<hundredths>\d{1,3})"
        r"(?![\d:：])"), _minutes_seconds),
    Rule("race_duration", re.compile(
        r"(?<![\d.:：])(?P<hours>\d{1,2})[:：](?P<minutes>[0-5]\d)[:：](?P<seconds>[0-5]\d)"
        r"(?![\d:：.])"), _hours_minutes_seconds, accepts=_after_duration_word),
    Rule("duration_minutes_seconds", re.compile(
        r"(?<![\d.:：])(?P<minutes>\d{1,3})[:：](?P<seconds>[0-5]\d)(?![\d:：.])"),
        _plain_minutes_seconds, accepts=_after_duration_word),
    Rule("race_fraction", re.compile(r"(?<=\d[秒米])\d{1,2}(?![\d.%])"),
         lambda m: read_digits(m.group(0)), accepts=_fraction_digits),
]
