"""Well-known acronyms written in lower or mixed case: ufo → UFO, c e o → CEO.

Latin letters otherwise stay as written; a later stage spells them. Upper-casing marks these words
as letter-by-letter acronyms (what a listener expects for "nba" or "Atm"), so that stage never
takes them for English words. Only acronyms that are not also common English words are listed
(no "it", "us", "am", "ok", "who", "app").
"""

import re

from huayin.text.tn.rule import Piece, Rule

ACRONYMS = frozenset("""
AI API ATM BBC CBD CCTV CD CEO CFO CIA CNN COO CPI CPU CSS CT CTO DIY DJ DNA DVD EQ FBI GDP GPS GPU
HIV HR HTML ICU ID IP IQ KTV LCD LED MBA MP MRI MV MVP NBA NFC NGO PC PDF PK PPI PPT RNA SIM SOS
SUV TV UFO UI URL USB VIP VR WTO
""".split())

# Each acronym may be written with single spaces between its letters (c e o).
_ACRONYM = re.compile(
    r"(?<![A-Za-z])(?i:"
    + "|".join(" ?".join(word) for word in sorted(ACRONYMS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)


def _upper_case(match: re.Match) -> list[Piece]:
    """One piece per letter, so each letter keeps its own source position."""
    return [(char.upper(), match.start() + i, match.start() + i + 1)
            for i, char in enumerate(match.group(0)) if not char.isspace()]


RULES = [
    Rule("acronym", _ACRONYM, _upper_case, accepts=lambda m: not m.group(0).isupper()),
]
