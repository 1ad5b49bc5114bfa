"""KAN-TTS HiFi-GAN in NumPy: parity with outputs recorded from KAN-TTS's own torch class, and
the torch-free checkpoint reader's errors."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from huayin.errors import VoiceInstallError
from huayin.voices.sambert.checkpoint import fold_weight_norm, read_checkpoint, state_dict_from
from huayin.voices.sambert.hifigan import Hifigan, HifiganConfig

FIXTURES = Path(__file__).parent / "fixtures"
VOC_DIR = FIXTURES / "sambert_tiny" / "voices" / "zhitian_emo" / "voc"
CHECKPOINT = VOC_DIR / "ckpt" / "checkpoint_0.pth"


def _snr_db(reference: np.ndarray, estimate: np.ndarray) -> float:
    return float(10 * np.log10((reference**2).sum() / ((reference - estimate) ** 2).sum()))


@pytest.fixture(scope="module")
def vocoder() -> Hifigan:
    config = HifiganConfig.from_yaml(yaml.safe_load((VOC_DIR / "config.yaml").read_text()))
    weights = state_dict_from(read_checkpoint(CHECKPOINT), CHECKPOINT, "model", "generator")
    return Hifigan(config, weights)


def test_published_config_is_causal_hop_200():
    published = yaml.safe_load(
        (FIXTURES / "sambert_published_configs" / "hifigan_v1_16k.yaml").read_text())
    config = HifiganConfig.from_yaml(published)
    assert config.causal and config.hop == 200 and config.channels == 256


@pytest.mark.parametrize("index", [0, 1, 2])
def test_waveform_matches_kantts(vocoder, index):
    reference = np.load(FIXTURES / "sambert_tiny_reference.npz")
    mel, expected = reference[f"voc_mel_{index}"], reference[f"voc_audio_{index}"]
    audio = vocoder.generate(mel)
    assert audio.shape == expected.shape == (mel.shape[0] * 200,)
    assert np.abs(audio - expected).max() < 1e-3
    assert _snr_db(expected, audio) > 60


def test_causal_prefix_does_not_depend_on_later_frames(vocoder):
    reference = np.load(FIXTURES / "sambert_tiny_reference.npz")
    mel = reference["voc_mel_2"]
    whole, head = vocoder.generate(mel), vocoder.generate(mel[:20])
    np.testing.assert_allclose(head, whole[: 20 * 200], atol=1e-5)


def test_weight_norm_is_folded_per_output_channel():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(4, 3, 5)).astype(np.float32)
    g = rng.uniform(0.5, 1.5, size=(4, 1, 1)).astype(np.float32)
    folded = fold_weight_norm({"c.weight_g": g, "c.weight_v": v, "c.bias": np.zeros(4)})
    assert set(folded) == {"c.weight", "c.bias"}
    norms = np.sqrt((folded["c.weight"] ** 2).sum(axis=(1, 2)))
    np.testing.assert_allclose(norms, g[:, 0, 0], rtol=1e-5)


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(VoiceInstallError, match="missing"):
        read_checkpoint(tmp_path / "checkpoint_9.pth")


def test_truncated_checkpoint_is_a_clear_error(tmp_path):
    cut = tmp_path / "checkpoint_0.pth"
    cut.write_bytes(CHECKPOINT.read_bytes()[: CHECKPOINT.stat().st_size // 2])
    with pytest.raises(VoiceInstallError, match="truncated or damaged|not a torch zip"):
        read_checkpoint(cut)


def test_damaged_storage_is_a_clear_error(tmp_path):
    damaged = tmp_path / "checkpoint_0.pth"
    with zipfile.ZipFile(CHECKPOINT) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            keep = len(data) // 8 * 4  # whole float32 items: only the bounds check catches it
            target.writestr(item, data[:keep] if "/data/" in item.filename else data)
    with pytest.raises(VoiceInstallError, match="storage holds"):
        Hifigan(HifiganConfig.from_yaml(yaml.safe_load((VOC_DIR / "config.yaml").read_text())),
                state_dict_from(read_checkpoint(damaged), damaged, "model", "generator"))


def test_shape_mismatch_names_the_key():
    config = HifiganConfig.from_yaml(yaml.safe_load((VOC_DIR / "config.yaml").read_text()))
    weights = state_dict_from(read_checkpoint(CHECKPOINT), CHECKPOINT, "model", "generator")
    weights["conv_post.conv1d.weight"] = weights["conv_post.conv1d.weight"][:, :, :3]
    with pytest.raises(VoiceInstallError, match="conv_post.conv1d.weight"):
        Hifigan(config, weights)
    del weights["conv_post.conv1d.weight"]
    weights["extra.layer.weight"] = np.zeros(1)
    with pytest.raises(VoiceInstallError, match="conv_post.conv1d.weight"):
        Hifigan(config, weights)


def test_unknown_key_is_named():
    config = HifiganConfig.from_yaml(yaml.safe_load((VOC_DIR / "config.yaml").read_text()))
    weights = state_dict_from(read_checkpoint(CHECKPOINT), CHECKPOINT, "model", "generator")
    weights["source_module.ffn.0.weight"] = np.zeros((1, 9, 1), np.float32)
    with pytest.raises(VoiceInstallError, match="source_module.ffn.0.weight"):
        Hifigan(config, weights)


@pytest.mark.parametrize("change, message", [
    ({"nsf_params": {"nb_harmonics": 7}}, "NSF"),
    ({"out_channels": 4}, "PQMF"),
    ({"nonlinear_activation": "ELU"}, "ELU"),
])
def test_unsupported_config_is_named(change, message):
    config = yaml.safe_load((VOC_DIR / "config.yaml").read_text())
    config["Model"]["Generator"]["params"].update(change)
    with pytest.raises(VoiceInstallError, match=message):
        HifiganConfig.from_yaml(config)


def test_onnx_graph_matches_numpy_generator(vocoder):
    import onnxruntime

    from huayin.voices.sambert.hifigan_graph import build_hifigan_onnx, graph_supported

    assert graph_supported(vocoder.config)
    weights = state_dict_from(read_checkpoint(CHECKPOINT), CHECKPOINT, "model", "generator")
    session = onnxruntime.InferenceSession(build_hifigan_onnx(vocoder.config, weights),
                                           providers=["CPUExecutionProvider"])
    reference = np.load(FIXTURES / "sambert_tiny_reference.npz")
    for index in range(3):
        mel, expected = reference[f"voc_mel_{index}"], reference[f"voc_audio_{index}"]
        (audio,) = session.run(["audio"], {"mel": np.ascontiguousarray(mel.T[None])})
        assert audio.shape == (1, len(expected))
        assert np.abs(audio[0] - expected).max() < 1e-3 and _snr_db(expected, audio[0]) > 60


def test_distributed_prefix_is_dropped_and_bare_state_dicts_read(tmp_path):
    weight = np.ones((2, 3), np.float32)
    assert set(state_dict_from({"model": {"module.fc.weight": weight}}, tmp_path, "model")) == {
        "fc.weight"}
    assert set(state_dict_from({"fc.weight": weight}, tmp_path, "model", "generator")) == {
        "fc.weight"}
    with pytest.raises(VoiceInstallError, match="model/generator"):
        state_dict_from({"model": {"discriminator": {}}}, tmp_path, "model", "generator")
