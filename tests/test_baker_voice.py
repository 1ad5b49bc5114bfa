"""The Baker FastSpeech2 voice end to end, with the real weights."""

import numpy as np
import pytest

from huayin.errors import EmptyTextError, InvalidParameterError, UnknownVoiceError
from huayin.text import analyze

VOICE = "baker"  # this module tests the Baker voice, whichever voice is the default
SENTENCE = "今天天气很好，我们一起去公园散步吧。你觉得怎么样？"


def _speech_frames(samples: np.ndarray, rate: int, frame_s: float = 0.02) -> np.ndarray:
    """Per 20 ms frame: True where there is speech (RMS above -40 dBFS)."""
    size = int(rate * frame_s)
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    return np.sqrt((frames**2).mean(axis=1)) > 0.01


def test_sample_rate_dtype_and_range(synthesizer):
    audio = synthesizer.synthesize(SENTENCE, voice=VOICE)
    assert audio.sample_rate == 24000
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert 0.05 < np.abs(audio.samples).max() <= 1.0


def test_duration_per_character_is_natural(synthesizer):
    text = "人工智能正在改变我们的工作方式和生活方式"
    audio = synthesizer.synthesize(text, voice=VOICE)
    per_char = audio.duration / len(text)
    assert 0.15 <= per_char <= 0.4


def test_timestamps_are_monotonic_and_cover_the_audio(synthesizer):
    audio = synthesizer.synthesize(SENTENCE, voice=VOICE)
    timings = audio.timings
    assert len(timings) == len(analyze(SENTENCE).tokens)
    assert timings[0].start < 0.1
    for previous, current in zip(timings, timings[1:]):
        assert previous.start < previous.end <= current.start
    # The last character ends where the model's closing silence starts; the syllable's decay
    # (up to ~0.2 s, down to the noise floor) follows it.
    assert audio.duration - 0.25 <= timings[-1].end <= audio.duration
    assert SENTENCE[timings[0].span[0]] == "今"


def test_pauses_at_comma_and_longer_at_full_stop(synthesizer):
    text = "今天天气很好，我们一起去公园散步吧。你觉得怎么样"
    audio = synthesizer.synthesize(text, voice=VOICE)
    speech = _speech_frames(audio.samples, audio.sample_rate)

    def silence_after(char_index: int) -> float:
        """Longest run of silent frames between this character's end and the next's start."""
        gap_start = audio.timings[char_index].end
        gap_end = audio.timings[char_index + 1].start
        window = speech[int(gap_start / 0.02): int(gap_end / 0.02) + 1]
        run = best = 0
        for is_speech in window:
            run = 0 if is_speech else run + 1
            best = max(best, run)
        return best * 0.02

    comma = silence_after(text.index("好"))
    full_stop = silence_after(text.index("吧") - 1)  # one character (，) before it is not spoken
    assert comma >= 0.15
    assert full_stop > comma + 0.1


def test_speed_scales_duration(synthesizer):
    normal = synthesizer.synthesize(SENTENCE, voice=VOICE).duration
    fast = synthesizer.synthesize(SENTENCE, voice=VOICE, speed=1.5).duration
    slow = synthesizer.synthesize(SENTENCE, voice=VOICE, speed=0.75).duration
    assert fast / normal == pytest.approx(1 / 1.5, rel=0.12)
    assert slow / normal == pytest.approx(1 / 0.75, rel=0.12)


def test_same_seed_same_samples_other_seed_differs(synthesizer):
    first = synthesizer.synthesize(SENTENCE, voice=VOICE, seed=7).samples
    again = synthesizer.synthesize(SENTENCE, voice=VOICE, seed=7).samples
    other = synthesizer.synthesize(SENTENCE, voice=VOICE, seed=8).samples
    assert np.array_equal(first, again)
    assert not (len(first) == len(other) and np.array_equal(first, other))


def test_stream_matches_whole_synthesis(synthesizer):
    chunks = list(synthesizer.stream(SENTENCE, voice=VOICE))
    # Three clauses; the first arrives as a short head (~0.4 s) and the rest, to start early.
    assert len(chunks) == 4
    assert 0.3 <= chunks[0].duration <= 0.5 and chunks[0].text == chunks[1].text
    assert all(c.sample_rate == 24000 and len(c.samples) for c in chunks)
    starts = [c.start_time for c in chunks]
    assert starts == sorted(starts) and starts[0] == 0.0
    joined = np.concatenate([c.samples for c in chunks])
    assert np.array_equal(joined, synthesizer.synthesize(SENTENCE, voice=VOICE).samples)


def test_long_text_is_never_truncated(synthesizer):
    text = ("春天来了，公园里的花都开了，红的像火，粉的像霞，白的像雪。"
            "孩子们在草地上奔跑老人们坐在长椅上聊天年轻人沿着湖边慢慢散步") * 4
    stream = synthesizer.stream(text, voice=VOICE)
    assert max(len(c.tokens) for c in stream.utterance.clauses) <= 50
    chunks = list(stream)
    spoken = sum(len(c.timings) for c in chunks)
    hanzi = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert spoken == hanzi
    duration = sum(c.duration for c in chunks)
    assert 0.15 * hanzi <= duration <= 0.45 * hanzi


def test_slow_speed_long_clause_stays_within_frame_limit(synthesizer):
    text = "人工智能正在改变我们的工作方式和生活方式" * 6
    audio = synthesizer.synthesize(text, voice=VOICE, speed=0.5)
    assert len(audio.timings) == len(text)


def test_letters_and_emoji_do_not_crash(synthesizer):
    stream = synthesizer.stream("我买了一台iPad和一部5G手机😀！", voice=VOICE)
    audio = [c for c in stream]
    assert audio and any("😀" in w for w in stream.warnings)


@pytest.mark.parametrize("text", ["", "   \n\t ", "😀🎉※"])
def test_unspeakable_text_is_a_user_error(synthesizer, text):
    with pytest.raises(EmptyTextError):
        synthesizer.stream(text, voice=VOICE)


def test_unknown_voice_and_bad_speed_are_user_errors(synthesizer):
    with pytest.raises(UnknownVoiceError):
        synthesizer.stream("你好", voice="nobody")
    for speed in (0, -1, 9, float("nan")):
        with pytest.raises(InvalidParameterError):
            synthesizer.stream("你好", voice=VOICE, speed=speed)
