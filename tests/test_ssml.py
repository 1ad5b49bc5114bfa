"""SSML: parsing, errors with positions, and what each element does to the utterance."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huayin.errors import HuayinError
from huayin.text import analyze
from huayin.text.ssml import SsmlError, is_ssml, parse_ssml
from huayin.text.utterance import Break


def test_only_text_starting_with_speak_is_ssml():
    assert is_ssml("  <speak>你好</speak>")
    assert not is_ssml("你好<speak>")
    assert analyze("a<b>c").normalized  # plain text with angle brackets is not parsed


def test_break_sub_phoneme_say_as():
    utterance = analyze(
        '<speak>你好<break time="500ms"/>我在<sub alias="世界卫生组织">WHO</sub>工作，'
        '电话<say-as interpret-as="telephone">13800138000</say-as>，'
        '编号<say-as interpret-as="digits">2023</say-as>，'
        '<say-as interpret-as="cardinal">2023</say-as>人，'
        '去<phoneme alphabet="py" ph="xing2">行</phoneme>走。</speak>')
    first, second = utterance.clauses[:2]
    assert first.text == "你好" and first.pause == 0.5 and first.break_after == Break.WORD
    assert second.text == "我在世界卫生组织工作"
    assert "电话一三八零零一三八零零零" in utterance.normalized
    assert "编号二零二三" in utterance.normalized
    assert "两千零二十三人" in utterance.normalized
    assert [t.syllables[0] for t in utterance.tokens if t.text == "行"] == ["xing2"]
    assert "WHO" not in utterance.original and "<" not in utterance.original


def test_prosody_emotion_voice_apply_to_their_clauses():
    utterance = analyze('<speak>平常的话。<prosody rate="+20%" pitch="+2st" volume="+6dB">快一点'
                        '</prosody><emotion category="happy" intensity="1.5">开心</emotion>'
                        '<voice name="baker">换个声音</voice></speak>')
    plain, fast, happy, voiced = utterance.clauses
    assert plain.delivery is None
    assert (fast.delivery.speed, fast.delivery.pitch, fast.delivery.volume) == (1.2, 2.0, 6.0)
    assert (happy.delivery.emotion, happy.delivery.intensity) == ("happy", 1.5)
    assert voiced.delivery.voice == "baker"
    assert fast.break_after == Break.WORD  # a settings change mid-sentence is no pause


def test_emphasis_marks_its_tokens_without_splitting_the_clause():
    utterance = analyze('<speak>我们<emphasis level="strong">明天</emphasis>去<emphasis>公园'
                        '</emphasis>，<emphasis level="reduced"><sub alias="世卫">WHO</sub>'
                        '</emphasis>说<emphasis level="none">好</emphasis>。</speak>')
    assert [c.text for c in utterance.clauses] == ["我们明天去公园", "世卫说好"]
    assert all(c.delivery is None for c in utterance.clauses)
    assert [(t.text, t.emphasis) for t in utterance.tokens] == [
        ("我", 0), ("们", 0), ("明", 2), ("天", 2), ("去", 0), ("公", 1), ("园", 1),
        ("世", -1), ("卫", -1), ("说", 0), ("好", 0)]
    assert utterance.clauses[0].tokens[-1].break_after == Break.CLAUSE  # kept through the break


def test_sentence_element_ends_a_sentence():
    utterance = analyze("<speak><s>第一句</s><s>第二句</s></speak>")
    assert [c.break_after for c in utterance.clauses] == [Break.SENTENCE, Break.SENTENCE]


@pytest.mark.parametrize(("source", "where"), [
    ("<speak>你好", "line 1, column"),
    ("<speak>\n  <foo>x</foo></speak>", "line 2, column 3"),
    ('<speak><break time="5x"/></speak>', "break time"),
    ('<speak><say-as interpret-as="bogus">1</say-as></speak>', "interpret-as"),
    ('<speak><phoneme alphabet="ipa" ph="a">啊</phoneme></speak>', "phoneme"),
    ('<speak><prosody rate="warp">快</prosody></speak>', "rate"),
    ('<speak><emphasis level="loud">快</emphasis></speak>', "emphasis level"),
    ('<!DOCTYPE speak [<!ENTITY a "b">]><speak>&a;</speak>', "DTD"),
    ("<speak>a</speak><speak/>", "junk"),
])
def test_invalid_ssml_names_the_place(source, where):
    with pytest.raises(SsmlError, match=where):
        parse_ssml(source)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_aligned_tokens_or_a_user_error(text):
    try:
        utterance = analyze(text)
    except HuayinError:
        return
    for token in utterance.tokens:
        start, end = token.span
        assert 0 <= start < end <= len(utterance.original)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["<speak>", "</speak>", "<s>", "</s>", "<break/>", "你好",
                                 '<prosody rate="fast">', "</prosody>", "<sub alias='x'>",
                                 "</sub>", "&amp;", "<", "12", "😀"]), max_size=12))
def test_malformed_ssml_only_raises_ssml_errors(parts):
    text = "<speak>" + "".join(parts)
    try:
        analyze(text)
    except SsmlError:
        pass


def test_hundred_thousand_characters_stay_aligned():
    text = "今天是2023年10月1日，气温25℃，我们去银行取了1,234.5元。" * 2800  # ~100k chars
    utterance = analyze(text)
    assert len(utterance.original) == len(text) >= 100_000
    assert max(len(c.tokens) for c in utterance.clauses) <= 50
    spans = [t.span for t in utterance.tokens]
    assert spans == sorted(spans) and spans[-1][1] <= len(text)


def _gap_after(audio, index):
    return audio.timings[index + 1].start - audio.timings[index].end


def test_ssml_break_rate_and_errors_reach_the_audio(synthesizer):
    plain = synthesizer.synthesize("<speak>你好<break time=\"800ms\"/>世界</speak>")
    assert _gap_after(plain, 1) >= 0.8
    normal = synthesizer.synthesize("<speak>我们一起去公园散步吧</speak>").duration
    slow = synthesizer.synthesize(
        '<speak><prosody rate="0.5">我们一起去公园散步吧</prosody></speak>').duration
    assert slow / normal == pytest.approx(2.0, rel=0.15)
    louder = synthesizer.synthesize('<speak><prosody volume="+6dB">我们一起去公园散步吧'
                                    "</prosody></speak>").samples
    quiet = synthesizer.synthesize("<speak>我们一起去公园散步吧</speak>").samples
    ratio_db = 20 * np.log10(np.sqrt(np.mean(louder**2)) / np.sqrt(np.mean(quiet**2)))
    assert ratio_db == pytest.approx(6.0, abs=1.0)
    with pytest.raises(HuayinError):
        synthesizer.stream('<speak><voice name="nobody">你好</voice></speak>')
    with pytest.raises(HuayinError):
        synthesizer.stream('<speak><emotion category="sleepy">你好</emotion></speak>')
    with pytest.raises(SsmlError):
        synthesizer.stream("<speak>你好")
