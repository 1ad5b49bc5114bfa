"""Dates, years, times of day and ranges between them.

Years are read digit by digit (2020年 → 二零二零年), months and days as cardinals with 二 (二月,
二日). 号 stays 号: a TTS reads what was written, it does not rewrite 5号 into 5日. Times: 10:30 →
十点三十分, 08:05 → 八点五分 (no 零 before a one-digit minute, the NeMo convention), 8:00 → 八点.
"""

import re

from huayin.text.numbers import read_cardinal, read_digits
from huayin.text.tn.math import looks_like_score
from huayin.text.tn.rule import (
    Piece,
    Rule,
    counts_something,
    following_text,
    piece,
    preceding_text,
    read_cardinal_plain,
    read_count,
)

# Words around "N年" that make it a length of time (了10年, 近50年, 30年来) rather than a year.
_DURATION_BEFORE = re.compile(
    r"(?:了|过|近|约|满|每|有|达|超|逾|用|花|历|经|这|那|几|整|足|长|多|再|共|计|头|前后|连续|持续|长达|"
    r"超过|将近|大约|至少|最多|工作|生活|坚持)\s*$")
# After a two-digit number only: 10年前 is ten years ago, but 2008年后 is after the year 2008;
# 50年代 is the fifties, but 1990年代 is read 一九九零年代.
_DURATION_AFTER = re.compile(
    r"年\s*(?:代|来|间|前|后|内|里|之|多|左右|以|半|期|整|了|零|时间|历史|光阴|岁月|寿命|工龄|教龄|"
    r"刑期|徒刑|的时间|的历史|有期)")


_ERA_NAMES = {"ad": "公元", "bc": "公元前"}


def _read_year(match: re.Match) -> str:
    """A year, or a length of time in years when the words around say so."""
    year = match.group(0)
    if preceding_text(match, 1) == "第":  # 第10年: an ordinal count of years
        return read_cardinal_plain(year)
    after = match.string[match.end() :]
    is_duration = (
        not year.startswith("0")
        and not re.match(r"年\s*\d{1,2}\s*月", after)  # 86年8月 is a date
        and bool(_DURATION_BEFORE.search(preceding_text(match, 4))
                 or (len(year) == 2 and _DURATION_AFTER.match(after)))
    )
    if is_duration:
        return read_count(year, "年")
    return read_digits(year)


def _is_span_of_years(match: re.Match) -> bool:
    """1980-2020, 2022-2023赛季: increasing years with nothing counted after them.

    1000-2000人 counts people, so it stays a range of cardinals.
    """
    return (int(match.group("low")) < int(match.group("high"))
            and not counts_something(following_text(match)))


def _era_date(match: re.Match) -> list[Piece]:
    """2334bc → 公元前二三三四年; 1823年3月bc → 公元前一八二三年三月."""
    era = re.sub(r"[^a-z]", "", match.group("era").lower())
    era_span = (match.start("era"), match.end("era"))
    pieces = [(_ERA_NAMES[era], *era_span), piece(match, "year", read_digits(match.group("year")))]
    if match.group("nian"):
        pieces.append(piece(match, "nian", "年"))
    else:
        pieces.append(("年", *era_span))
    if match.group("month"):
        pieces.append(piece(match, "month", read_cardinal_plain(match.group("month")) + "月"))
    if match.group("day"):
        pieces.append(piece(match, "day", read_cardinal_plain(match.group("day")) + "日"))
    return pieces


def _numeric_date(match: re.Match) -> list[Piece]:
    """2023-10-01, 2023/10/01, 2023.10.01, 2019·2·10, 12/2/2 → 二零二三年十月一日."""
    return [
        piece(match, "year", read_digits(match.group("year"))),
        ("年", match.start("sep"), match.end("sep")),
        piece(match, "month", read_cardinal_plain(match.group("month")) + "月"),
        piece(match, "day", read_cardinal_plain(match.group("day")) + "日"),
    ]


def _year_month(match: re.Match) -> list[Piece]:
    """2023-12 → 二零二三年十二月 (2021/11月 → 二零二一年十一月: the 月 is already written)."""
    month_word = "" if following_text(match, 1) == "月" else "月"
    return [
        piece(match, "year", read_digits(match.group("year"))),
        ("年", match.start("sep"), match.end("sep")),
        piece(match, "month", read_cardinal_plain(match.group("month")) + month_word),
    ]


def _year_range(match: re.Match) -> list[Piece]:
    """1998-2008年 → 一九九八到二零零八年 (the 年 after it stays where it is)."""
    return [
        piece(match, "low", read_digits(match.group("low"))),
        ("到", match.end("low"), match.start("high")),
        piece(match, "high", read_digits(match.group("high"))),
    ]


def _clock(match: re.Match) -> list[Piece]:
    """10:30 → 十点三十分; 10:30:15 → 十点三十分十五秒; 8:00 → 八点; 00:00:00 → 零点零分零秒."""
    hour, minute, second = match.group("hour"), match.group("minute"), match.group("second")
    pieces = [piece(match, "hour", read_count(hour.lstrip("0") or "0", "点") + "点")]
    if second is not None or minute != "00":
        pieces.append(piece(match, "minute", read_cardinal(minute) + "分"))
    if second is not None:
        pieces.append(piece(match, "second", read_cardinal(second) + "秒"))
    return pieces


# Words that make a bare m/d a date rather than a fraction: 截止到3/15, 定于6/18晚, 11/11当天.
_DATE_BEFORE = re.compile(r"(?:截至|截止|截止到|定于|将于|已于|有效期至|有效期到|日期|日期为|日期是)\s*$")
_DATE_AFTER = re.compile(
    r"\s?(?:起|当天|当日|晚|早|上午|下午|中午|凌晨|零点|[(（]?(?:周|星期)[一二三四五六日天]|开始|举行|"
    r"开售|上线|发布|开幕|截止|\d{1,2}[:：点])")


def _month_day(match: re.Match) -> list[Piece]:
    """3/15 → 三月十五日 where the words around make it a date."""
    return [
        piece(match, "month", read_cardinal_plain(match.group("month")) + "月"),
        piece(match, "day", read_cardinal_plain(match.group("day")) + "日"),
    ]


def _is_month_day(match: re.Match) -> bool:
    return bool(_DATE_BEFORE.search(preceding_text(match, 6))
                or _DATE_AFTER.match(following_text(match)))


_YEAR_DIGITS = r"(?P<year>\d{4}|\d{2})"
_MONTH = r"(?P<month>0?[1-9]|1[0-2])"
_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])"

RULES = [
    Rule("era_date", re.compile(
        r"(?<![\d.])(?P<year>\d{1,4})(?:(?P<nian>年)(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?)?)?"
        r"\s?(?P<era>(?i:a\.d\.|ad|b\.c\.|bc))(?![A-Za-z])"), _era_date),
    # Three numbers joined by the same mark, the first a 2- or 4-digit year. Not after a letter,
    # where such a thing is a version (Chrome 12.2.3).
    Rule("numeric_date", re.compile(
        r"(?<![\d.A-Za-z])(?<![A-Za-z] )" + _YEAR_DIGITS + r"(?P<sep>[-/.·])" + _MONTH
        + r"(?P=sep)" + _DAY + r"(?!\d|[.\-/·]\d)"), _numeric_date),
    Rule("month_day", re.compile(
        r"(?<![\d/.])(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/.])"),
        _month_day, accepts=_is_month_day),
    # A season or fiscal year with a short second year: 2008-09赛季 → 二零零八到零九赛季.
    Rule("season", re.compile(
        r"(?<![\d.])(?P<low>(?:19|20)\d{2})\s*[-/—–]\s*(?P<high>\d{2})"
        r"(?=\s*(?:赛季|球季|年度|财年|学年|财政年度))"), _year_range),
    # Year and month: 2023-12, 2024/03 → 二零二三年十二月 (nothing counted after them).
    Rule("year_month", re.compile(
        r"(?<![\d.A-Za-z])(?P<year>(?:19|20)\d{2})(?P<sep>[-/])(?P<month>0?[1-9]|1[0-2])"
        r"(?![\d.\-/])"), _year_month, accepts=lambda m: not counts_something(following_text(m))),
    Rule("year_range", re.compile(
        r"(?<![\d.])(?P<low>[12]\d{3})\s*[-~～—–至到]\s*(?P<high>[12]\d{3})(?=\s*年)"),
        _year_range),
    Rule("year_span", re.compile(
        r"(?<![\d.])(?P<low>1[89]\d{2}|20\d{2})\s*[-~～—–]\s*"
        r"(?P<high>1[89]\d{2}|2[01]\d{2})(?![\d.])"),
        _year_range, accepts=_is_span_of_years),
    # A range mark right after a date or time word or between clock times: 1998年-2008年,
    # 8点~10点, 9:00-21:00 → 到.
    Rule("date_range_mark", re.compile(r"(?<=[年月日号点时分秒])\s*[-~～—–]\s*(?=\d)"),
         lambda m: "到"),
    Rule("clock_range_mark", re.compile(r"(?<=\d[:：]\d\d)\s*[-~～—–]\s*(?=\d{1,2}[:：]\d\d)"),
         lambda m: "到"),
    # After 公元/公元前/西元/纪元 any year is read digit by digit: 公元前202年 → 公元前二零二年.
    Rule("era_year", re.compile(r"(?:(?<=公元)|(?<=西元)|(?<=纪元)|(?<=公元前))\d{1,4}(?=\s*年)"),
         lambda m: read_digits(m.group(0))),
    Rule("year", re.compile(r"(?<![\d.])(?:\d{4}|\d{2})(?=\s*年)"), _read_year),
    # Generations: 80后 → 八零后, 00后 → 零零后 (not 后面, 后来).
    Rule("generation", re.compile(r"(?<![\d.])\d{2}(?=后(?![面来边头方续期]))"),
         lambda m: read_digits(m.group(0))),
    Rule("month", re.compile(r"(?<![\d.])(?:0?[1-9]|1[0-2])(?=\s*月)"),
         lambda m: read_cardinal_plain(m.group(0))),
    Rule("day", re.compile(r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])(?=\s*[日号])"),
         lambda m: read_cardinal_plain(m.group(0))),
    Rule("clock", re.compile(
        r"(?<!\d)(?<!\d[:：])(?P<hour>[01]?\d|2[0-4])[:：](?P<minute>[0-5]\d)(?:[:：](?P<second>[0-5]\d))?"
        r"(?![\d:：])"), _clock,
        # h:mm:ss is never a score; a:b is one where the words of its clause say so.
        accepts=lambda m: m.group("second") is not None or not looks_like_score(m)),
]
