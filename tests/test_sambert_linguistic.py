"""huayin's pinyin → KAN-TTS symbols against KAN-TTS's own conversion (recorded by
``scripts/sambert_linguistic_reference.py``): every ``py2phoneMap`` syllable with every tone, and
the clauses of 30 sentences as huayin's front end segments them."""

import json
from pathlib import Path

import pytest

from huayin.errors import InvalidParameterError
from huayin.text.frontend import analyze
from huayin.text.utterance import Break, Token
from huayin.voices.sambert.linguistic import clause_symbols, encode, syllable_phones
from huayin.voices.sambert.symbols import Vocabulary

REFERENCE = json.loads(
    (Path(__file__).parent / "fixtures" / "sambert_linguistic_reference.json").read_text())


def test_every_syllable_and_tone_matches_kantts():
    syllables = REFERENCE["syllables"]
    assert len(syllables) > 3000
    erhua = [s for s in syllables if s[:-1].endswith("r") and s[:-1] != "er"]
    zero_initial = [s for s in syllables if s[0] in "aoe"]
    neutral = [s for s in syllables if s.endswith("5")]
    assert len(erhua) == 1250 and len(zero_initial) == 60 and len(neutral) == 661
    for syllable, expected in syllables.items():
        phones = syllable_phones(syllable[:-1])
        assert f"{' '.join(phones)} tone{syllable[-1]}" == expected, syllable


@pytest.mark.parametrize("written, expected", [
    ("ju", ("j_c", "v_c")), ("yuan", ("y_c", "van_c")), ("lüe", ("l_c", "ve_c")),
    ("lue", ("l_c", "ve_c")), ("ng", ("ge", "en_c")), ("er", ("ge", "er_c")),
    ("ou", ("go", "ou_c")), ("quanr", ("q_c", "vanr_c")),
])
def test_standard_pinyin_spellings(written, expected):
    assert syllable_phones(written) == expected


@pytest.mark.parametrize("bad", ["i", "xyz", "hm", "zhv"])
def test_unsayable_syllable_is_a_user_error(bad):
    with pytest.raises(InvalidParameterError):
        syllable_phones(bad)


def _tokens(recorded: list[dict]) -> list[Token]:
    return [Token(text=t["text"], syllables=tuple(t["syllables"]), word=t["text"], span=(0, 1),
                  break_after=Break(t["break_after"])) for t in recorded]


@pytest.mark.parametrize("case", REFERENCE["clauses"], ids=lambda c: c["sentence"][:12])
def test_clause_symbols_match_kantts(case):
    symbols = clause_symbols(_tokens(case["tokens"]))
    assert " ".join(s.text() for s in symbols) == case["kantts"]


def test_symbols_point_at_their_tokens_and_encode():
    clause = analyze("我们一点儿都不去。").clauses[0]
    symbols = clause_symbols(clause.tokens)
    texts = [clause.tokens[s.token].text for s in symbols if not s.phone.startswith("#")]
    assert texts == ["我", "我", "们", "们", "一", "一", "点", "点", "都", "都", "不", "不",
                     "去", "去"]
    assert symbols[-1].phone == "#4"
    ids = encode(symbols, Vocabulary(("F7",), has_mask=True), "emotion_happy", "F7")
    assert len(ids.phone) == len(symbols) and set(ids.speaker) == {0}
    assert int(ids.phone.max()) < 144 and set(ids.emotion) == {5}


def test_unsayable_interjection_is_left_out_not_fatal():
    tokens = [Token("噷", ("hm5",), "噷", (0, 1), break_after=Break.WORD),
              Token("好", ("hao3",), "好", (1, 2), break_after=Break.SENTENCE)]
    symbols = clause_symbols(tokens)
    assert [s.phone for s in symbols] == ["h_c", "ao_c", "#4"]
    assert {s.token for s in symbols} == {1}
    assert clause_symbols(tokens[:1]) == []
