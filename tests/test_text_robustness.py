"""Property tests of the front end on hostile input: lone surrogates, emoji, control characters,
combining marks and right-to-left text mixed into Chinese. Plain text never raises (unspeakable
characters are skipped with a warning); SSML raises only :class:`SsmlError`; token spans always
point into the original text, in order."""

from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huayin.text.frontend import analyze
from huayin.text.punctuation import is_hanzi, is_latin_letter, is_surrogate
from huayin.text.ssml import SsmlError

_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_EMOJI = st.sampled_from(["😀", "👍🏽", "👨‍👩‍👧", "🇨🇳", "❤️", "\u200d", "\ufe0f", "🀄"])
_CONTROL = st.characters(categories=("Cc", "Cf"))
_COMBINING = st.characters(categories=("Mn", "Mc", "Me"))
_RTL = st.sampled_from(list("שלוםمرحبا٣") + ["\u202e", "\u202b", "\u200f", "\u061c"])
_CHINESE = st.sampled_from(["你好", "银行行长说", "2023年10月1日", "12.5%", "，", "。", "、",
                            "ABC", " ", "\n", "一点儿", "第3名", "-5℃", "研究表明每天坚持锻炼"])
_PIECES = st.one_of(_CHINESE, _CHINESE, _SURROGATES, _EMOJI, _CONTROL, _COMBINING, _RTL)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


def _assert_aligned(utterance) -> None:
    previous = 0
    for token in utterance.tokens:
        start, end = token.span
        assert 0 <= start < end <= len(utterance.original)
        assert start >= previous, "spans run backwards"
        previous = start
        assert is_hanzi(token.text) or is_latin_letter(token.text)
        assert not any(is_surrogate(c) for c in utterance.original[start:end])


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_plain_text_never_raises_and_stays_aligned(text):
    utterance = analyze(text)
    _assert_aligned(utterance)
    if any(is_surrogate(c) for c in text):
        assert any("surrogate" in w for w in utterance.warnings)
    for clause in utterance.clauses:
        assert clause.tokens


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_ssml_raises_only_ssml_errors_and_stays_aligned(text):
    source = f"<speak>{escape(text)}<break time=\"200ms\"/>好</speak>"
    try:
        utterance = analyze(source)
    except SsmlError as error:
        assert "line" in str(error)
        return
    assert not any(is_surrogate(c) for c in text), "a lone surrogate must be an SSML error"
    _assert_aligned(utterance)


def test_lone_surrogate_is_skipped_in_text_and_an_error_in_ssml():
    utterance = analyze("你好\ud800世界")
    assert [t.text for t in utterance.tokens] == ["你", "好", "世", "界"]
    assert [t.span for t in utterance.tokens] == [(0, 1), (1, 2), (3, 4), (4, 5)]
    assert utterance.warnings == ["skipped lone surrogate U+D800: not a character"]
    with pytest.raises(SsmlError, match=r"line 2, column 2: lone surrogate U\+DCFF"):
        analyze("<speak>你好\n好\udcff</speak>")
