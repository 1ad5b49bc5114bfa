"""Sambert speaker and emotion names: every alias resolves to a fitting huayin voice, and the
Python API speaks with them as with the voice itself."""

import numpy as np
import pytest

from huayin.errors import UnknownVoiceError
from huayin.prosody.emotions import resolve_emotion
from huayin.voices import list_aliases, list_voices, resolve_voice_id, voice_info
from huayin.voices.aliases import ALIASES

#: The speakers named in issue 16 and what each must map to (gender of the huayin voice).
NAMED_IN_ISSUE = {
    "zhitian": "female", "zhiyan": "female", "zhibei": "female", "zhizhe": "male",
    "zhimei": "female", "zhimiao": "female", "zhiqi": "female", "zhida": "male",
    "aixia": "female", "aiyu": "female",
}
#: Sambert's emotion names (zhiyan_emo adds "arousal") → huayin's emotion.
SAMBERT_EMOTIONS = {
    "neutral": "neutral", "happy": "happy", "angry": "angry", "sad": "sad", "fear": "fear",
    "hate": "disgust", "surprise": "surprise", "arousal": "happy",
}


def test_issue_speakers_map_by_gender():
    for name, gender in NAMED_IN_ISSUE.items():
        assert voice_info(name).gender == gender, name
        assert voice_info(f"{name}_emo").id == voice_info(name).id


@pytest.mark.parametrize("alias", list_aliases(), ids=lambda alias: alias.name)
def test_every_alias_resolves_with_and_without_emo(alias):
    exposed = {info.id for info in list_voices()}
    assert alias.voice in exposed
    for spelling in (alias.name, alias.name.upper(), f"{alias.name}_emo", f" {alias.name}-emo "):
        assert resolve_voice_id(spelling) == alias.voice
    info = voice_info(alias.voice)
    described = alias.description.lower()
    # The table's own words decide the voice: male names → the male voice, child → high F0.
    expected_gender = "male" if " male" in f" {described}" and "female" not in described else "female"
    if "ttskit speaker" not in described:
        assert info.gender == expected_gender, alias.name
    if "child" in described:
        assert info.median_f0_hz >= 300, alias.name


def test_voice_ids_win_and_unknown_names_fail():
    for info in list_voices():
        assert resolve_voice_id(info.id) == info.id
    assert set(ALIASES).isdisjoint(info.id for info in list_voices())
    with pytest.raises(UnknownVoiceError, match="Sambert"):
        resolve_voice_id("zhinobody")
    with pytest.raises(UnknownVoiceError):
        voice_info("zhitian_emo_emo")


@pytest.mark.parametrize("name", sorted(SAMBERT_EMOTIONS))
def test_sambert_emotion_names(name):
    assert resolve_emotion(name) == SAMBERT_EMOTIONS[name]
    assert resolve_emotion(name.upper()) == SAMBERT_EMOTIONS[name]


def test_python_api_speaks_with_an_alias(synthesizer):
    """``Synthesizer().synthesize(text, voice="zhitian", emotion="happy")`` is the same speech as
    the voice it stands for."""
    text = "你好，我是来自未来的语音助手。"
    by_alias = synthesizer.synthesize(text, voice="zhitian", emotion="happy")
    by_id = synthesizer.synthesize(text, voice=resolve_voice_id("zhitian"), emotion="happy")
    assert by_alias.sample_rate == by_id.sample_rate
    np.testing.assert_array_equal(by_alias.samples, by_id.samples)
    hate = synthesizer.synthesize("好。", voice="zhiyan_emo", emotion="hate")
    assert hate.duration > 0.2


def test_ssml_voice_accepts_an_alias(synthesizer):
    male = synthesizer.stream('<speak><voice name="zhizhe_emo">你好。</voice></speak>')
    assert [plan.voice.info.id for plan in male.plans] == ["mellotron-aicheng"]
