"""SAM-BERT in NumPy against outputs recorded from KAN-TTS's own torch classes (random weights,
reduced dimensions, the published configs otherwise), for the current and the 2022 layout, on 10
clauses of real sentences: huayin's front-end tokens → huayin's symbols and ids must equal what
KAN-TTS's own conversion and ``KanTtsLinguisticUnit`` fed the reference model."""

import json

from pathlib import Path

import numpy as np
import pytest
import yaml

from huayin.errors import VoiceInstallError
from huayin.text.utterance import Break, Token
from huayin.voices.sambert.acoustic import Tokens
from huayin.voices.sambert.config import SambertConfig
from huayin.voices.sambert.linguistic import clause_symbols, encode
from huayin.voices.sambert.layout import find_voices
from huayin.voices.sambert.models import read_voice

FIXTURES = Path(__file__).parent / "fixtures"
SENTENCES = range(10)


def _snr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    return float(10 * np.log10((reference**2).sum() / ((reference - estimate) ** 2).sum()))


@pytest.fixture(scope="module")
def reference():
    return np.load(FIXTURES / "sambert_tiny_reference.npz")


@pytest.fixture(scope="module", params=["sambert_tiny", "sambert_tiny_2022"])
def models(request):
    (files,) = find_voices(FIXTURES / request.param)
    assert files.layout == ("current" if request.param == "sambert_tiny" else "2022")
    weights = read_voice(files)
    return weights.acoustic_model(), weights.vocoder_model(), weights.vocabulary


def _recorded_tokens(reference, index: int) -> Tokens:
    table = reference[f"am_tokens_{index}"]
    return Tokens(*(table[:, column] for column in range(6)))


def _huayin_tokens(reference, index: int, vocabulary) -> Tokens:
    """huayin's own path from the clause's front-end tokens to model ids."""
    clauses = json.loads((FIXTURES / "sambert_linguistic_reference.json").read_text())["clauses"]
    recorded = clauses[int(reference[f"am_clause_{index}"])]["tokens"]
    tokens = [Token(text=t["text"], syllables=tuple(t["syllables"]), word=t["text"], span=(0, 1),
                    break_after=Break(t["break_after"])) for t in recorded]
    return encode(clause_symbols(tokens), vocabulary, str(reference[f"am_emotion_{index}"]),
                  str(reference[f"am_speaker_{index}"]))


@pytest.mark.parametrize("index", SENTENCES)
def test_huayin_ids_equal_kantts_ids(models, reference, index):
    ours, theirs = _huayin_tokens(reference, index, models[2]), _recorded_tokens(reference, index)
    for field in ("phone", "tone", "syllable_flag", "word_segment", "emotion", "speaker"):
        np.testing.assert_array_equal(getattr(ours, field), getattr(theirs, field), field)


@pytest.mark.parametrize("index", SENTENCES)
def test_encoder_durations_mel_and_waveform_match_kantts(models, reference, index):
    acoustic, vocoder, vocabulary = models
    tokens = _huayin_tokens(reference, index, vocabulary)
    encoder = acoustic.encode(tokens)
    assert np.abs(encoder - reference[f"am_encoder_{index}"]).max() < 1e-4
    mel, prosody = acoustic.mel(tokens)
    np.testing.assert_allclose(prosody.log_durations, reference[f"am_log_durations_{index}"],
                               atol=1e-4)
    np.testing.assert_allclose(prosody.pitch, reference[f"am_pitch_{index}"], atol=1e-4)
    expected_mel = reference[f"am_mel_{index}"]
    assert mel.shape == expected_mel.shape  # same rounded durations
    assert np.abs(mel - expected_mel).max() < 1e-3 and _snr_db(expected_mel, mel) > 80
    audio, expected_audio = vocoder.generate(mel), reference[f"am_audio_{index}"]
    assert np.abs(audio - expected_audio).max() < 1e-3 and _snr_db(expected_audio, audio) > 60


def test_decoder_steps_are_r_frames(models, reference):
    acoustic = models[0]
    prosody = acoustic.prosody(_recorded_tokens(reference, 3))
    steps = list(acoustic.decode_steps(prosody))
    assert all(step.shape == (3, 80) for step in steps)
    assert len(steps) * 3 >= prosody.frames > (len(steps) - 1) * 3
    assert prosody.frames == int(prosody.durations.sum())


def test_published_config_reads():
    published = yaml.safe_load(
        (FIXTURES / "sambert_published_configs" / "sambert_16k.yaml").read_text())
    config = SambertConfig.from_yaml(published)
    assert (config.encoder_num_layers, config.decoder_num_layers, config.outputs_per_step) == (
        8, 12, 3)


@pytest.mark.parametrize("flag", ["SE", "NSF", "FP", "using_byte"])
def test_unsupported_am_config_is_named(flag):
    published = yaml.safe_load(
        (FIXTURES / "sambert_published_configs" / "sambert_16k.yaml").read_text())
    published["Model"]["KanTtsSAMBERT"]["params"][flag] = True
    with pytest.raises(VoiceInstallError, match=flag):
        SambertConfig.from_yaml(published)
