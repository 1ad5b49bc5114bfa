"""``huayin voices import-sambert``: the committed random-weight ModelScope directories import
into a scratch store and speak through the whole engine; broken directories are clear errors."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from huayin.cli import main
from huayin.errors import VoiceInstallError
from huayin.synth import Synthesizer
from huayin.voices import VoiceStore, list_voices
from huayin.voices.sambert.pack import import_directory

FIXTURES = Path(__file__).parent / "fixtures"
VOICE = "sambert-zhitian_emo-zhitian_emo"


@pytest.fixture()
def store(tmp_path, monkeypatch) -> VoiceStore:
    monkeypatch.setenv("HUAYIN_HOME", str(tmp_path / "home"))
    return VoiceStore.default()


@pytest.fixture()
def imported(store) -> VoiceStore:
    import_directory(FIXTURES / "sambert_tiny", store)
    return store


def test_cli_imports_both_layouts_and_lists_every_speaker(store, capsys):
    assert main(["voices", "import-sambert", str(FIXTURES / "sambert_tiny")]) == 0
    assert main(["voices", "import-sambert", str(FIXTURES / "sambert_tiny_2022"),
                 "--name", "old"]) == 0
    out = capsys.readouterr().out
    assert VOICE in out and "sambert-old-f7" in out
    ids = {v.id for v in list_voices()}
    assert {VOICE, "sambert-zhitian_emo-f7", "sambert-old-zhitian_emo"} <= ids


def test_imported_voice_speaks_with_timings_emotion_and_speed(imported):
    synthesizer = Synthesizer(store=imported, threads=1)
    text = "今天天气真不错，我们出去走走吧！"
    plain = synthesizer.synthesize(text, voice=VOICE)
    assert plain.sample_rate == 16000 and plain.duration > 0.5
    assert np.isfinite(plain.samples).all() and np.abs(plain.samples).max() > 0.01
    starts = [t.start for t in plain.timings]
    assert starts == sorted(starts) and len(plain.timings) >= 14
    happy = synthesizer.synthesize(text, voice=VOICE, emotion="happy")
    assert not np.array_equal(happy.samples, plain.samples)
    slow = synthesizer.synthesize(text, voice=VOICE, speed=0.5)
    assert slow.duration > 1.5 * plain.duration
    again = synthesizer.synthesize(text, voice=VOICE)
    np.testing.assert_array_equal(again.samples, plain.samples)


def test_cli_say_end_to_end(imported, tmp_path):
    out = tmp_path / "out.wav"
    assert main(["say", "你好，世界。", "--voice", VOICE, "--emotion", "sad",
                 "-o", str(out)]) == 0
    assert out.stat().st_size > 1000


def _copy(tmp_path: Path, name: str = "sambert_tiny") -> Path:
    target = tmp_path / "model"
    shutil.copytree(FIXTURES / name, target)
    return target


def _voice(model: Path) -> Path:
    return model / "voices" / "zhitian_emo"


@pytest.mark.parametrize("breakage, message", [
    (lambda m: shutil.rmtree(m / "voices"), "not a ModelScope Sambert-HiFiGAN directory"),
    (lambda m: (_voice(m) / "am/ckpt/checkpoint_0.pth").unlink(), "no checkpoint_<N>.pth"),
    (lambda m: (_voice(m) / "voc/config.yaml").unlink(), "vocoder config"),
    (lambda m: (_voice(m) / "am/ckpt/checkpoint_0.pth").write_bytes(
        (FIXTURES / "sambert_tiny/voices/zhitian_emo/am/ckpt/checkpoint_0.pth").read_bytes()[:5000]),
     "truncated or damaged|not a torch zip"),
    (lambda m: (m / "voices/voices.json").write_text('{"voices": ["nobody"]}'), "nobody"),
])
def test_broken_directory_is_a_clear_cli_error(store, tmp_path, capsys, breakage, message):
    model = _copy(tmp_path)
    breakage(model)
    assert main(["voices", "import-sambert", str(model)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("huayin: error:") and "Traceback" not in err
    with pytest.raises(VoiceInstallError, match=message):
        import_directory(model, store)
    assert not list(store.root.glob("voices/sambert-*/manifest.json"))


def _edit_yaml(path: Path, edit) -> None:
    config = yaml.safe_load(path.read_text())
    edit(config)
    path.write_text(yaml.safe_dump(config))


@pytest.mark.parametrize("part, edit, message", [
    ("am", lambda c: c["Model"]["KanTtsSAMBERT"]["params"].update(SE=True), "SE"),
    ("am", lambda c: c["Model"]["KanTtsSAMBERT"]["params"].update(encoder_num_units=32),
     "text_encoder.ling_enc.fft.0.slf_attn.w_qkv.weight"),
    ("am", lambda c: c["linguistic_unit"].update(language="Sichuan"), "Sichuan"),
    ("voc", lambda c: c["Model"]["Generator"]["params"].update(channels=64),
     "conv_pre.conv1d.weight"),
])
def test_config_the_loader_cannot_run_is_named(store, tmp_path, part, edit, message):
    model = _copy(tmp_path)
    _edit_yaml(_voice(model) / part / "config.yaml", edit)
    with pytest.raises(VoiceInstallError, match=message):
        import_directory(model, store)


def test_stream_by_decoder_steps_joins_into_the_whole_clause(imported):
    from huayin.text.frontend import analyze
    from huayin.voices.registry import VoiceCache
    from huayin.prosody.request import ProsodyRequest

    voice = VoiceCache(imported, 1).get(VOICE)
    clause = analyze("欢迎使用华音语音合成系统，它完全离线运行。").clauses[0]
    prosody, rng = ProsodyRequest(emotion="angry"), np.random.default_rng(0)
    whole = voice.synthesize_clause(clause, prosody=prosody, rng=rng)
    parts = voice.synthesize_clause_in_parts(clause, prosody=prosody, rng=rng,
                                             first_part_seconds=0.2)
    np.testing.assert_array_equal(parts.token_starts, whole.token_starts)
    blocks = list(parts.blocks)
    assert len(blocks) >= 3 and [last for _, last in blocks] == [False] * (len(blocks) - 1) + [True]
    assert len(blocks[0][0]) == int(0.2 * 16000 / 200) * 200
    joined = np.concatenate([samples for samples, _ in blocks])
    assert joined.shape == whole.samples.shape
    np.testing.assert_allclose(joined, whole.samples, atol=1e-4)


def test_sambert_speaker_name_prefers_the_imported_voice(store):
    from huayin.voices import resolve_voice_id

    assert resolve_voice_id("zhitian_emo").startswith("mellotron-")  # stand-in until imported
    import_directory(FIXTURES / "sambert_tiny", store)
    assert resolve_voice_id("zhitian_emo") == VOICE
    assert resolve_voice_id("Zhitian") == VOICE
    assert resolve_voice_id("F7") == "sambert-zhitian_emo-f7"
    assert resolve_voice_id("zhizhe").startswith("mellotron-")


def test_imported_voice_over_http_and_ssml(imported):
    import httpx

    from huayin.server.settings import ServerSettings
    from server_fixture import running_server

    synthesizer = Synthesizer(store=imported, threads=1)
    settings = ServerSettings(preload_voices=(VOICE,), workers=1)
    with running_server(settings, synthesizer) as base:
        voices = httpx.get(f"{base}/api/voices", timeout=30).json()
        assert VOICE in {v["id"] for v in voices["voices"]}
        speech = httpx.post(f"{base}/v1/audio/speech", timeout=60, json={
            "model": "tts-1", "input": "你好，世界。", "voice": VOICE, "response_format": "wav",
            "emotion": "surprise"})
        assert speech.status_code == 200 and speech.content[:4] == b"RIFF"
        ssml = ('<speak>先说一句。<voice name="zhitian_emo"><emotion category="sad">'
                '再说一句。</emotion></voice></speak>')
        spoken = httpx.post(f"{base}/v1/audio/speech", timeout=60, json={
            "model": "tts-1", "input": ssml, "voice": VOICE, "response_format": "wav"})
        assert spoken.status_code == 200 and len(spoken.content) > len(speech.content) // 2


def test_mas_trained_voice_imports_like_any_other(store, tmp_path):
    model = _copy(tmp_path)
    _edit_yaml(_voice(model) / "am" / "config.yaml",
               lambda c: c["Model"]["KanTtsSAMBERT"]["params"].update(MAS=True))
    (imported_voice,) = import_directory(model, store)
    assert imported_voice.speakers == ("F7", "zhitian_emo")
