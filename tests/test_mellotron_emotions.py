"""Emotions, pitch/volume/speed and focus emphasis on a Mellotron voice (mellotron-biaobei).

This voice has no prosody inputs: rate comes from stretching the mel, pitch from WORLD after
vocoding, effort from gain (:mod:`huayin.voices.mellotron.delivery`). Every setting is
synthesized once (module fixture) on the same short sentences and seed, and measured on the
audio with the same features as the Baker voice's emotion tests. The decoder's output depends
only on the clause and the rng, not on the delivery, so the measuring fixture decodes each
sentence once and replays it (with the rng state it leaves) for every setting; a test checks
that this gives the very samples of a fresh synthesis.
"""

import numpy as np
import pytest

from prosody_features import DIRECTIONS, FEATURES, features

from huayin.voices import install_pack

VOICE = "mellotron-biaobei"
SENTENCES = ("今天天气很好。", "我们一起去公园。", "请把门关上。", "火车马上就要开了。")
#: Emotions also synthesized at intensity 2 (sad and disgust narrow the range: the hardest).
TWICE = ("sad", "disgust", "surprise")
SETTINGS = {
    "neutral": {},
    **{emotion: {"emotion": emotion} for emotion in DIRECTIONS},
    **{f"{emotion}×2": {"emotion": emotion, "intensity": 2.0} for emotion in TWICE},
    "pitch+3": {"pitch": 3.0},
    "volume+6": {"volume": 6.0},
    "speed1.5": {"speed": 1.5},
}


@pytest.fixture(scope="module")
def mellotron(synthesizer, store):
    install_pack("mellotron", store)
    return lambda text, **options: synthesizer.synthesize(text, voice=VOICE, seed=1, **options)


def _replayed(decode):
    """``MellotronVoice.decode_clause`` that runs the decoder once per clause and rng state."""
    runs = {}

    def decode_clause(voice, clause, rng):
        key = (voice.info.id, tuple(t.syllables for t in clause.tokens), clause.break_after,
               repr(rng.bit_generator.state))
        if key not in runs:
            runs[key] = decode(voice, clause, rng), rng.bit_generator.state
        result, state_after = runs[key]
        rng.bit_generator.state = state_after
        return result

    return decode_clause


@pytest.fixture(scope="module")
def measured(mellotron) -> dict[str, np.ndarray]:
    """Mean features over the sentences, per setting (plus ``"happy samples"``: the first
    sentence's samples as synthesized with the decoder replayed)."""
    from huayin.voices.mellotron.voice import MellotronVoice

    table = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MellotronVoice, "decode_clause", _replayed(MellotronVoice.decode_clause))
        for name, options in SETTINGS.items():
            rows = []
            for text in SENTENCES:
                audio = mellotron(text, **options)
                rows.append(features(audio.samples, audio.sample_rate, len(audio.timings)))
                if name == "happy" and text == SENTENCES[0]:
                    table["happy samples"] = audio.samples
            table[name] = np.mean(rows, axis=0)
    return table


def test_replayed_decoder_gives_the_samples_of_a_fresh_synthesis(measured, mellotron):
    assert np.array_equal(mellotron(SENTENCES[0], emotion="happy").samples,
                          measured["happy samples"])


@pytest.mark.parametrize("emotion", sorted(DIRECTIONS))
def test_emotion_moves_each_feature_its_way(measured, emotion):
    change = measured[emotion] - measured["neutral"]
    for name, sign, moved in zip(FEATURES, DIRECTIONS[emotion], change):
        assert sign * moved > 0, f"{emotion}: {name} moved {moved:+.2f}"


@pytest.mark.parametrize("emotion", TWICE)
def test_intensity_2_moves_further_than_1(measured, emotion):
    once = measured[emotion] - measured["neutral"]
    twice = measured[f"{emotion}×2"] - measured["neutral"]
    for name, sign, change, stronger in zip(FEATURES, DIRECTIONS[emotion], once, twice):
        assert sign * stronger > sign * change, f"{emotion}: {name} {change:+.2f} → {stronger:+.2f}"


def test_intensity_zero_is_exactly_neutral(mellotron):
    text = "今天天气很好，我们一起去公园。"
    neutral = mellotron(text).samples
    for emotion in ("angry", "sad"):
        assert np.array_equal(mellotron(text, emotion=emotion, intensity=0.0).samples, neutral)


def test_pitch_volume_and_speed_do_what_they_say(measured):
    neutral = measured["neutral"]
    assert measured["pitch+3"][0] - neutral[0] == pytest.approx(3.0, abs=0.4)
    assert measured["volume+6"][3] - neutral[3] == pytest.approx(6.0, abs=0.3)
    fast = measured["speed1.5"]
    assert fast[2] / neutral[2] == pytest.approx(1.5, rel=0.15)
    assert abs(fast[0] - neutral[0]) < 0.5


def _word(audio, first: int, last: int) -> tuple[float, float, float]:
    """F0 median (semitones), level (dB) and length (s) of tokens first..last."""
    import parselmouth

    start, end = audio.timings[first].start, audio.timings[last].end
    rate = audio.sample_rate
    part = audio.samples[int(start * rate):int(end * rate)].astype(np.float64)
    f0 = parselmouth.Sound(part, rate).to_pitch(
        time_step=0.005, pitch_floor=75.0, pitch_ceiling=700.0).selected_array["frequency"]
    return 12 * np.log2(np.median(f0[f0 > 0])), 10 * np.log10((part**2).mean()), end - start


@pytest.mark.parametrize("voice", ["baker", VOICE])
def test_emphasized_word_is_higher_louder_and_longer(synthesizer, store, voice):
    install_pack("mellotron", store)
    plain = synthesizer.synthesize("<speak>我们明天去公园散步。</speak>", voice=voice, seed=1)
    strong = synthesizer.synthesize(
        '<speak>我们明天去<emphasis level="strong">公园</emphasis>散步。</speak>',
        voice=voice, seed=1)
    assert [t.text for t in strong.timings[5:7]] == ["公", "园"]
    pitch, level, length = np.subtract(_word(strong, 5, 6), _word(plain, 5, 6))
    assert pitch > 1.5 and level > 1.0 and length > 0.02, (pitch, level, length)
    # The words before it are untouched in pitch (same model run, same seed).
    assert abs(_word(strong, 0, 1)[0] - _word(plain, 0, 1)[0]) < 0.3
