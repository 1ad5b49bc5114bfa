"""What a normalization rule is, and the pieces of pattern and reading that rules share.

A rule is a compiled regex plus a verbalizer. The verbalizer returns either a string (every
spoken character then points at the whole match) or a list of :data:`Piece` s, each saying which
part of the source it reads, so that e.g. the 年 of "2023-10-01" points at the first hyphen and the
month at "10": subtitles and timestamps stay precise inside long matches.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from huayin.text.numbers import read_cardinal, read_decimal

Piece = tuple[str, int, int]
"""(spoken text, start, end): the text read for ``source[start:end]`` (positions in the source)."""

Spoken = str | list[Piece]
Verbalizer = Callable[[re.Match], Spoken]


@dataclass(frozen=True)
class Rule:
    """One kind of non-standard word: where it is (``pattern``) and how it is read."""

    name: str
    """Short name, for debugging and tests."""
    pattern: re.Pattern
    """Where the rule applies; a match must not be empty."""
    verbalize: Verbalizer
    """The reading of a match."""
    accepts: Callable[[re.Match], bool] | None = None
    """Optional check of the surrounding text (``match.string``) that regexes can't express."""


# --- shared pattern pieces -------------------------------------------------------------------

#: A number as written: 1,234,567.89 or 1234.5 or 12 (the comma form needs exact 3-digit groups).
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
#: Not inside a longer number (no digit, decimal point or thousands comma right before).
NUMBER_START = r"(?<![\d.])(?<!\d,)"
#: Not followed by more of a number.
NUMBER_END = r"(?![\d])(?!\.\d)"
#: Range marks between two numbers: 3~5, 3～5, 3-5, 3–5, 3—5.
RANGE_MARK = r"\s*[~～\-–—]\s*"
#: Scale words written after a number: 1.5万, 3亿.
SCALE = r"(?:万亿|千万|百万|万|亿)"


def piece(match: re.Match, group: int | str, text: str) -> Piece:
    """The reading ``text`` for one group of ``match``."""
    return (text, match.start(group), match.end(group))


def read_number(written: str, *, liang: bool = True, drop_trailing_zeros: bool = False) -> str:
    """Read a written number (commas allowed, decimal or integer) as a quantity."""
    return read_decimal(written.replace(",", ""), liang=liang,
                        drop_trailing_zeros=drop_trailing_zeros)


# Measure words (and unit names) before which a lone 2 is 两: 两个, 两点, 两公里. Dates (二月,
# 二日, 二号), ordinals (第二) and fractions (二分之一) never get here or are excluded by
# their rules. Left out on purpose: 两 the weight (2两 is 二两) and 层 (2层: the second floor).
_TAKES_LIANG = re.compile(
    r"\s?(?:个|只|件|条|张|本|位|名|次|遍|回|届|天|年|岁|周|星期|礼拜|小时|钟头|分钟|分(?!之)|秒|点|刻|"
    r"斤|公斤|千克|克|吨|米|公里|千米|厘米|毫米|里|升|毫升|亩|公顷|平方|立方|"
    r"种|类|样|家|台|部|辆|架|艘|双|对|份|杯|瓶|碗|盘|块|元|角|毛|美元|欧元|英镑|"
    r"场|批|组|套|项|句|页|篇|首|幅|所|座|栋|间|把|根|支|枝|头|匹|棵|颗|粒|片|包|盒|箱|"
    r"袋|口|节|堂|门|笔|顿|声|下|步|招|圈|轮|倍|成|人|万|千|亿|百万|千万|"
    r"剂|针|粒|盒|罐|串|桶|折|球|户|套|室|厅|卫|毫克|微克|克|毫安|瓦|千瓦|伏|兆|吨|英寸|英尺|磅|盎司)(?!分之)"
)


def counts_something(following: str) -> bool:
    """Whether the text after a number starts with a measure word or unit (个, 元, kg, %)."""
    return bool(_TAKES_LIANG.match(following)
                or re.match(r"\s?(?:[A-Za-z%‰°℃]|美元|欧元)", following))


def read_count(written: str, following: str, *, liang: bool = True,
               drop_trailing_zeros: bool = False) -> str:
    """Read a number that may count something: a lone 2 before a measure word is 两 (两个)."""
    if written == "2" and liang and _TAKES_LIANG.match(following):
        return "两"
    return read_number(written, liang=liang, drop_trailing_zeros=drop_trailing_zeros)


def following_text(match: re.Match, length: int = 4) -> str:
    """The few characters after a match (what a measure-word check looks at)."""
    return match.string[match.end() : match.end() + length]


def preceding_text(match: re.Match, length: int = 8) -> str:
    """The few characters before a match (what a context check looks at)."""
    return match.string[max(0, match.start() - length) : match.start()]


def read_cardinal_plain(written: str) -> str:
    """Cardinal with 二 everywhere (ordinals: 第二千, not 第两千)."""
    return read_cardinal(written.replace(",", ""))
