"""Output caps: the audio estimate, the SSML caps, and where they apply (synthesis, job submit)."""

import time

import pytest

from huayin.service.spec import JobRequest
from huayin.text.frontend import analyze, check_output
from huayin.text.output_limits import (
    SECONDS_PER_SYLLABLE,
    OutputLimits,
    OutputTooLongError,
    spoken_syllables,
)
from huayin.text.ssml import parse_ssml

SENTENCE = "今天天气很好，我们一起去公园散步。"  # 15 syllables
LONG_PLAIN = "这是一段用来测试的比较长的文字，它会被分成很多个小句来合成。" * 333  # 9 990 chars


def _seconds(text: str, rate: float = 1.0) -> float:
    """The estimate, read back from the smallest cap the text passes (to 0.01 s)."""
    low, high = 0.0, 100_000.0
    while high - low > 0.01:
        middle = (low + high) / 2
        try:
            check_output(text, OutputLimits(max_audio_seconds=middle), rate)
            high = middle
        except OutputTooLongError:
            low = middle
    return high


def test_syllables_count_characters_and_spelled_letters():
    assert spoken_syllables("你好，世界。") == 4
    assert spoken_syllables("ABC") == 3 and spoken_syllables("w") == 3  # W: da2 bu5 liu5
    assert spoken_syllables(" ,.!？…") == 0


def test_the_estimate_follows_speed_prosody_rate_breaks_and_normalization():
    base = _seconds(SENTENCE)
    assert base == pytest.approx(15 * SECONDS_PER_SYLLABLE, abs=0.02)
    assert _seconds(SENTENCE, rate=0.5) == pytest.approx(2 * base, abs=0.02)
    assert _seconds(SENTENCE, rate=2.0) == pytest.approx(base / 2, abs=0.02)
    assert _seconds(SENTENCE, rate=0.01) == pytest.approx(4 * base, abs=0.02)  # speed ≥ 0.25
    slow = f'<speak><prosody rate="x-slow">{SENTENCE}</prosody>{SENTENCE}</speak>'
    assert _seconds(slow) == pytest.approx(3 * base, abs=0.02)
    paused = f'<speak>{SENTENCE}<break time="10s"/>{SENTENCE}<break time="500ms"/></speak>'
    assert _seconds(paused) == pytest.approx(2 * base + 10.5, abs=0.02)
    # digits are counted as they are read: 2024年 → 二零二四年, five syllables
    assert _seconds("2024年") == pytest.approx(5 * SECONDS_PER_SYLLABLE, abs=0.02)
    # an alias is spoken instead of its element's text
    alias = '<speak><sub alias="世界卫生组织">WHO</sub></speak>'
    assert _seconds(alias) == pytest.approx(6 * SECONDS_PER_SYLLABLE, abs=0.02)


def test_the_estimate_is_close_to_the_audio_synthesized(synthesizer):
    text = f'<speak>{SENTENCE}<break time="2s"/><prosody rate="slow">{SENTENCE}</prosody></speak>'
    for speed in (1.0, 0.5, 1.5):
        audio = synthesizer.synthesize(text, speed=speed)
        estimate = _seconds(text, rate=speed)
        assert 0.8 < estimate / audio.duration < 1.4, (speed, estimate, audio.duration)


def test_ssml_caps_name_the_limit_the_value_and_the_cap():
    limits = OutputLimits(max_break_seconds=30, max_ssml_elements=50, max_spoken_chars=100)
    breaks = "<speak>" + '<break time="10s"/>' * 4 + "好</speak>"
    with pytest.raises(OutputTooLongError) as refused:
        parse_ssml(breaks, limits)
    assert refused.value.code == "output_too_long"
    assert "40 seconds of <break>" in refused.value.message
    assert "cap of 30 (HUAYIN_MAX_BREAK_SECONDS)" in refused.value.message
    many = "<speak>" + "<s>好</s>" * 50 + "</speak>"  # 51 with <speak>
    with pytest.raises(OutputTooLongError, match=r"51 SSML elements.*cap of 50"):
        parse_ssml(many, limits)
    alias = "<speak>" + f'<sub alias="{"好" * 30}">x</sub>' * 4 + "</speak>"
    with pytest.raises(OutputTooLongError, match=r"120 characters to speak after <sub alias>"):
        parse_ssml(alias, limits)
    assert len(parse_ssml(breaks, OutputLimits(max_break_seconds=40))) == 5  # at the cap: fine


def test_caps_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HUAYIN_MAX_AUDIO_SECONDS", "12.5")
    monkeypatch.setenv("HUAYIN_MAX_BREAK_SECONDS", "7")
    monkeypatch.setenv("HUAYIN_MAX_SSML_ELEMENTS", "9")
    assert OutputLimits.from_env(100) == OutputLimits(12.5, 7.0, 9, 100)
    monkeypatch.delenv("HUAYIN_MAX_AUDIO_SECONDS")
    assert OutputLimits.from_env().max_audio_seconds == 3600


def test_nothing_normal_is_refused_by_the_defaults():
    limits = OutputLimits.from_env(max_spoken_chars=10_000)
    check_output(LONG_PLAIN, limits)  # the longest text the server takes, at normal speed
    sentences = "".join(f'<s>{SENTENCE}</s><break time="1s"/>' for _ in range(300))
    check_output(f"<speak>{sentences}</speak>", limits)  # 601 elements, 300 s of breaks
    check_output(f'<speak><prosody rate="x-slow">{SENTENCE * 100}</prosody></speak>', limits)


@pytest.mark.parametrize(("document", "what"), [
    ("<speak>" + '<break time="10s"/>' * 520 + "</speak>", "5200 seconds of <break>"),
    ("<speak>" + '<prosody rate="x-slow">' * 10_000 + "好" + "</prosody>" * 10_000 + "</speak>",
     "10001 SSML elements"),
    ("<speak>" + f'<sub alias="{"W" * 480}">x</sub>' * 19 + "</speak>", "seconds of audio"),
    (f'<speak><prosody rate="x-slow">{LONG_PLAIN}</prosody></speak>', "seconds of audio"),
])
def test_amplification_is_refused_before_pinyin_conversion(document, what):
    started = time.perf_counter()
    with pytest.raises(OutputTooLongError, match=what):
        analyze(document, limits=OutputLimits.from_env(max_spoken_chars=100_000))
    # long before pinyin conversion of ~10 000 characters (about a second) would be done
    assert time.perf_counter() - started < 0.5


def test_synthesis_refuses_before_any_audio(synthesizer):
    with pytest.raises(OutputTooLongError, match="HUAYIN_MAX_AUDIO_SECONDS"):
        synthesizer.stream(SENTENCE * 4, speed=0.5, limits=OutputLimits(max_audio_seconds=20))
    assert len(synthesizer.stream(SENTENCE * 4, limits=OutputLimits(max_audio_seconds=20)).plans)


def test_a_job_item_over_a_cap_refuses_the_job_at_submit():
    limits = OutputLimits(max_break_seconds=5)
    items = [{"text": "你好。"}, {"text": '<speak>好<break time="6s"/></speak>'}]
    with pytest.raises(OutputTooLongError, match=r"^item 1: .*6 seconds of <break>"):
        JobRequest(items=items).expanded_items(10_000, limits)
    slow = JobRequest(items=[{"text": SENTENCE * 10, "speed": 0.25}])
    with pytest.raises(OutputTooLongError, match="item 0: .*132 seconds of audio"):
        slow.expanded_items(10_000, OutputLimits(max_audio_seconds=100))
    # other problems of an item's text are the item's own, found when it runs
    bad = JobRequest(items=[{"text": "<speak><x/></speak>"}, {"text": "好"}])
    assert len(bad.expanded_items(10_000, limits)) == 2
