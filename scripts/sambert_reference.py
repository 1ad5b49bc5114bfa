"""NOT PRODUCT CODE — needs a throwaway venv with torch and a KAN-TTS source checkout.

Builds the reduced-size random-weight Sambert-HiFiGAN directory under
``tests/fixtures/sambert_tiny/`` (exact ModelScope layout) from KAN-TTS's own model classes, and
records their outputs in ``tests/fixtures/sambert_tiny_reference.npz`` so CI checks huayin's
torch-free NumPy port against them without torch::

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy pyyaml
    KANTTS_SRC=/path/to/KAN-TTS /tmp/torchvenv/bin/python scripts/sambert_reference.py

``--full DIR`` instead writes a full-size random-weight model (the published configs unchanged,
about 60 MB, not for committing) in the same layout, for ``bench/sambert_speed.py``.

KAN-TTS is imported from ``KANTTS_SRC`` at run time and never copied into this repository.
"""

import json
import os
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import torch
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TARGET = FIXTURES / "sambert_tiny"
TARGET_2022 = FIXTURES / "sambert_tiny_2022"  # older layout: pytorch_model.bin, bare state dicts
REFERENCE = FIXTURES / "sambert_tiny_reference.npz"
PUBLISHED = FIXTURES / "sambert_published_configs"
VOICE = "zhitian_emo"
SEED = 20261204


def _import_kantts(source: Path) -> None:
    """Import KAN-TTS model modules without its package __init__ (which pulls training deps)."""
    sys.path.insert(0, str(source))
    for name in ("kantts", "kantts.models", "kantts.utils", "kantts.utils.ling_unit"):
        path = source / name.replace(".", "/")
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package
    # Only the discriminators and training losses use these.
    wavelets = types.ModuleType("pytorch_wavelets")
    wavelets.DWT1DForward = None
    sys.modules["pytorch_wavelets"] = wavelets
    audio_torch = types.ModuleType("kantts.utils.audio_torch")
    audio_torch.stft = None
    sys.modules["kantts.utils.audio_torch"] = audio_torch
    alignment = types.ModuleType("kantts.models.sambert.alignment")  # MAS training only (numba)
    alignment.b_mas = None
    sys.modules["kantts.models.sambert.alignment"] = alignment


def _randomize(module: torch.nn.Module, generator: torch.Generator) -> None:
    """Weights of a trained-looking scale (KAN-TTS's own init gives near-silent outputs)."""
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.endswith("weight_g"):
                parameter.copy_(0.5 + torch.rand(parameter.shape, generator=generator))
            elif name.endswith("bias"):
                parameter.copy_(0.1 * torch.randn(parameter.shape, generator=generator))
            else:
                parameter.copy_(torch.randn(parameter.shape, generator=generator))


TINY_AM = {
    "max_len": 100, "embedding_dim": 32, "encoder_num_layers": 2, "encoder_num_heads": 2,
    "encoder_num_units": 16, "encoder_ffn_inner_dim": 32, "encoder_projection_units": 8,
    "speaker_units": 8, "emotion_units": 8, "predictor_fsmn_num_layers": 2,
    "predictor_num_memory_units": 16, "predictor_ffn_inner_dim": 16, "predictor_lstm_units": 8,
    "dur_pred_prenet_units": [8, 8], "dur_pred_lstm_units": 8, "decoder_prenet_units": [16, 16],
    "decoder_num_layers": 2, "decoder_num_heads": 2, "decoder_num_units": 16,
    "decoder_ffn_inner_dim": 32, "postnet_fsmn_num_layers": 2, "postnet_num_memory_units": 16,
    "postnet_ffn_inner_dim": 16, "postnet_lstm_units": 8,
}  # filter sizes (41), shifts (0 / 17), r = 3 and 80 mels stay as published
SPEAKERS = "F7,zhitian_emo"


def tiny_am_config(published: dict) -> dict:
    config = json.loads(json.dumps(published))
    config["Model"]["KanTtsSAMBERT"]["params"].update(TINY_AM)
    config["linguistic_unit"]["speaker_list"] = SPEAKERS
    return config


def build_am(config: dict, generator: torch.Generator):
    from kantts.models.sambert.kantts_sambert import KanTtsSAMBERT
    from kantts.utils.ling_unit.ling_unit import KanTtsLinguisticUnit

    params = dict(config["Model"]["KanTtsSAMBERT"]["params"])
    params.update(KanTtsLinguisticUnit(config).get_unit_size())
    model = KanTtsSAMBERT(params)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "position_enc" in name or "inv_timescales" in name:
                continue  # fixed tables, not learned
            if parameter.ndim >= 2:
                fan_in = int(np.prod(parameter.shape[1:]))
                scale = 1.0 if name.endswith(("_emb.weight", "tokenizer.weight")) else fan_in**-0.5
                parameter.copy_(scale * torch.randn(parameter.shape, generator=generator))
            elif "layer_norm.weight" in name or name.endswith("ln.weight"):
                parameter.copy_(1 + 0.1 * torch.randn(parameter.shape, generator=generator))
            else:
                parameter.copy_(0.1 * torch.randn(parameter.shape, generator=generator))
        # Durations of a few frames per token, as a trained model predicts.
        model.variance_adaptor.duration_predictor.fc.bias.fill_(float(np.log(7.0)))
        model.variance_adaptor.duration_predictor.fc.weight.mul_(0.3)
    return model.eval(), params


EMOTIONS = ("emotion_neutral", "emotion_happy", "emotion_sad", "emotion_angry", "emotion_fear",
            "emotion_surprise", "emotion_hate", "emotion_neutral", "emotion_happy", "emotion_sad")


def am_reference(model, config: dict, vocoder) -> dict:
    """KAN-TTS end to end on 10 clauses of real sentences: their KAN-TTS symbol strings (from
    ``sambert_linguistic_reference.json``, KAN-TTS's own text-to-symbol conversion) → ids by
    ``KanTtsLinguisticUnit`` → ``KanTtsSAMBERT`` → HiFi-GAN, as ModelScope's ``Voice`` runs them
    (the trailing ``~`` dropped)."""
    from kantts.utils.ling_unit.ling_unit import KanTtsLinguisticUnit

    unit = KanTtsLinguisticUnit(config)
    speakers = config["linguistic_unit"]["speaker_list"].split(",")
    clauses = json.loads((FIXTURES / "sambert_linguistic_reference.json").read_text())["clauses"]
    out = {}
    for i, emotion in enumerate(EMOTIONS):
        speaker = speakers[i % len(speakers)]
        symbols = " ".join(f"{s[:-1]}${emotion}${speaker}}}"
                           for s in clauses[i]["kantts"].split(" "))
        features = [torch.from_numpy(f[:-1]).long() for f in unit.encode_symbol_sequence(symbols)]
        ling = torch.stack(features[:4], dim=-1)[None]
        emotions, speaker_ids = features[4][None], features[5][None]
        count = ling.shape[1]
        with torch.no_grad():
            encoder, _, _ = model.text_encoder(ling)
            res = model(ling, emotions, speaker_ids, torch.tensor([count]))
            frames = int(res["LR_length_rounded"][0])
            mel = res["postnet_outputs"][0, :frames]
            audio = vocoder(mel.T[None]).view(-1)
        out[f"am_clause_{i}"] = np.array(i)
        out[f"am_emotion_{i}"] = np.array(emotion)
        out[f"am_speaker_{i}"] = np.array(speaker)
        out[f"am_tokens_{i}"] = torch.cat([ling[0], emotions[0, :, None],
                                           speaker_ids[0, :, None]], dim=1).numpy()
        out[f"am_encoder_{i}"] = encoder[0].numpy()
        out[f"am_log_durations_{i}"] = res["log_duration_predictions"][0].numpy()
        out[f"am_pitch_{i}"] = res["pitch_predictions"][0].numpy()
        out[f"am_mel_{i}"] = mel.numpy()
        out[f"am_audio_{i}"] = audio.numpy()
    return out


def tiny_vocoder_config(published: dict) -> dict:
    config = json.loads(json.dumps(published))
    config["Model"]["Generator"]["params"]["channels"] = 32  # 256 in the published config
    return config


def build_vocoder(config: dict, generator: torch.Generator):
    from kantts.models.hifigan.hifigan import Generator

    model = Generator(**config["Model"]["Generator"]["params"])
    _randomize(model, generator)
    return model.eval()


def vocoder_reference(model, generator: torch.Generator) -> dict[str, np.ndarray]:
    out = {}
    for i, frames in enumerate((7, 23, 41)):
        mel = (torch.randn((1, 80, frames), generator=generator) * 1.5 - 3.0)
        with torch.no_grad():
            audio = model(mel)
        out[f"voc_mel_{i}"] = mel[0].T.numpy()
        out[f"voc_audio_{i}"] = audio.view(-1).numpy()
    return out


def write_layout(vocoder, voc_config: dict, am, am_config: dict) -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    voice = TARGET / "voices" / VOICE
    (voice / "voc" / "ckpt").mkdir(parents=True)
    with open(voice / "voc" / "config.yaml", "w") as f:
        yaml.safe_dump(voc_config, f, sort_keys=False)
    torch.save({"model": {"generator": vocoder.state_dict()}, "steps": 0},
               voice / "voc" / "ckpt" / "checkpoint_0.pth")
    (voice / "am" / "ckpt").mkdir(parents=True)
    with open(voice / "am" / "config.yaml", "w") as f:
        yaml.safe_dump(am_config, f, sort_keys=False)
    torch.save({"model": am.state_dict(), "steps": 0}, voice / "am" / "ckpt" / "checkpoint_0.pth")
    (voice / "audio_config.yaml").write_text(yaml.safe_dump({"audio_config": {
        "sampling_rate": 16000, "hop_length": 200, "win_length": 1000, "n_fft": 2048,
        "n_mels": 80, "fmin": 0.0, "fmax": 8000.0}}))
    write_layout_2022(vocoder, voc_config, am, am_config)
    (TARGET / "voices" / "voices.json").write_text(json.dumps({"voices": [VOICE]}))
    (TARGET / "configuration.json").write_text(json.dumps({
        "framework": "pytorch", "task": "text-to-speech",
        "model": {"type": "sambert-hifigan", "lang_type": "zhcn", "sample_rate": 16000,
                  "am": {"linguistic_unit": {"has_mask": True}}},
        "pipeline": {"type": "sambert-hifigan-tts"}}, indent=2))


def write_layout_2022(vocoder, voc_config: dict, am, am_config: dict) -> None:
    if TARGET_2022.exists():
        shutil.rmtree(TARGET_2022)
    voice = TARGET_2022 / "voices" / VOICE
    for part, model, config in (("am", am, am_config), ("vocoder", vocoder, voc_config)):
        (voice / part).mkdir(parents=True)
        with open(voice / part / "config.yaml", "w") as f:
            yaml.safe_dump(config, f, sort_keys=False)
        torch.save(model.state_dict(), voice / part / "pytorch_model.bin")
    (TARGET_2022 / "voices" / "voices.json").write_text(json.dumps({"voices": [VOICE]}))
    (TARGET_2022 / "configuration.json").write_text(json.dumps({
        "framework": "pytorch", "task": "text-to-speech",
        "model": {"type": "sambert-hifigan", "lang_type": "zhcn", "sample_rate": 16000},
        "pipeline": {"type": "sambert-hifigan-tts"}}, indent=2))


def write_full_size(target: Path, source: Path) -> None:
    """The published configs at full size, random weights, current ModelScope layout."""
    generator = torch.Generator().manual_seed(SEED)
    with open(source / "kantts" / "configs" / "hifigan_v1_16k.yaml") as f:
        voc_config = yaml.safe_load(f)
    with open(source / "kantts" / "configs" / "sambert_16k.yaml") as f:
        am_config = yaml.safe_load(f)
    am_config["linguistic_unit"]["speaker_list"] = SPEAKERS
    vocoder = build_vocoder(voc_config, generator)
    with torch.no_grad():  # trained-like output level rather than saturated noise
        for name, parameter in vocoder.named_parameters():
            if name.endswith("weight_g"):
                parameter.mul_(0.3)
    am, _ = build_am(am_config, generator)
    voice = target / "voices" / VOICE
    for part, model, config, state in (("am", am, am_config, {"model": am.state_dict()}),
                                       ("voc", vocoder, voc_config,
                                        {"model": {"generator": vocoder.state_dict()}})):
        (voice / part / "ckpt").mkdir(parents=True, exist_ok=True)
        with open(voice / part / "config.yaml", "w") as f:
            yaml.safe_dump(config, f, sort_keys=False)
        torch.save(state, voice / part / "ckpt" / "checkpoint_1000000.pth")
    (target / "voices" / "voices.json").write_text(json.dumps({"voices": [VOICE]}))
    (target / "configuration.json").write_text(json.dumps(
        {"framework": "pytorch", "task": "text-to-speech",
         "model": {"type": "sambert-hifigan", "sample_rate": 16000}}))
    print(f"wrote full-size model to {target}")


def main() -> None:
    source = Path(os.environ.get("KANTTS_SRC", "/tmp/kantts_src"))
    _import_kantts(source)
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        write_full_size(Path(sys.argv[2]), source)
        return
    PUBLISHED.mkdir(parents=True, exist_ok=True)
    for name in ("sambert_16k.yaml", "hifigan_v1_16k.yaml"):
        shutil.copy(source / "kantts" / "configs" / name, PUBLISHED / name)
    with open(PUBLISHED / "hifigan_v1_16k.yaml") as f:
        voc_config = tiny_vocoder_config(yaml.safe_load(f))
    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    vocoder = build_vocoder(voc_config, generator)
    reference = vocoder_reference(vocoder, generator)
    with open(PUBLISHED / "sambert_16k.yaml") as f:
        am_config = tiny_am_config(yaml.safe_load(f))
    am, am_params = build_am(am_config, generator)
    reference.update(am_reference(am, am_config, vocoder))
    write_layout(vocoder, voc_config, am, am_config)
    np.savez_compressed(REFERENCE, **reference)
    print(f"wrote {TARGET} and {REFERENCE}")


if __name__ == "__main__":
    main()
