"""SSML ``<say-as interpret-as>``: which normalization rules read the element's text."""

import re

from huayin.text.numbers import read_digits
from huayin.text.tn import RULES, chronology, measure, money, num, phone
from huayin.text.tn.rule import Rule

#: Every digit on its own: 2023 → 二零二三 (codes, IDs, "characters").
_EACH_DIGIT = Rule("say-as digits", re.compile(r"\d+"), lambda m: read_digits(m.group(0)))

#: interpret-as → the rules that apply inside the element, most specific first.
SAY_AS_RULES: dict[str, tuple[Rule, ...]] = {
    "cardinal": (*num.RULES,),
    "digits": (_EACH_DIGIT,),
    "id": (_EACH_DIGIT,),
    "characters": (_EACH_DIGIT,),
    "telephone": (*phone.RULES, _EACH_DIGIT),
    "date": (*chronology.RULES, *num.RULES),
    "time": (*chronology.RULES, *num.RULES),
    "currency": (*money.RULES, *num.RULES),
    "measure": (*measure.RULES, *num.RULES),
    "name": (),
    "address": RULES,
}
