"""Rule-based text normalization (TN): non-standard words → the Chinese characters a reader says.

One module per kind of non-standard word, each a list of :class:`~.rule.Rule` (regex +
verbalizer), in the PaddleSpeech layout:

- :mod:`.web`: URLs, e-mail addresses, file paths, IP addresses (点, 斜杠, 艾特; digits one by one)
- :mod:`.letters`: well-known acronyms in lower case (ufo → UFO)
- :mod:`.racetime`: race times and marks (9秒58, 1:44.65, 2米35)
- :mod:`.chronology`: dates, years, times, ranges of them
- :mod:`.math`: scores and ratios (3:2 → 三比二), arithmetic (1+1=2)
- :mod:`.codes`: stock codes, rooms, flats, plates, trains (digit by digit), house numbers
- :mod:`.phone`: phone numbers, IDs and codes, digit by digit
- :mod:`.money`: currency signs, codes and words
- :mod:`.measure`: units (table in :mod:`.units`), "per" slashes, temperatures
- :mod:`.num`: cardinals, decimals, negatives, percentages, fractions, ordinals, ranges

:data:`RULES` is the priority order: at one position the first rule that matches wins; across
positions the leftmost match wins (see :func:`huayin.text.normalize.normalize`). Specific rules
come before general ones, so a number reaches :mod:`.num` only when nothing more specific applies.
"""

from huayin.text.tn import (
    chronology,
    codes,
    letters,
    math,
    measure,
    money,
    num,
    phone,
    racetime,
    web,
)
from huayin.text.tn.rule import Rule

RULES: tuple[Rule, ...] = (
    *web.RULES,
    *letters.RULES,
    *racetime.RULES,
    *chronology.RULES,
    *math.SCORE_RULES,
    *num.ORDINAL_RULES,
    *codes.RULES,
    *phone.RULES,
    *money.RULES,
    *measure.RULES,
    *math.RULES,
    *num.RULES,
)

__all__ = ["RULES", "Rule"]
