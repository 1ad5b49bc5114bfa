"""NOT PRODUCT CODE — needs a throwaway venv with torch and a KAN-TTS source checkout.

Builds the reduced-size random-weight Sambert-HiFiGAN directory under
``tests/fixtures/sambert_tiny/`` (exact ModelScope layout) from KAN-TTS's own model classes, and
records their outputs in ``tests/fixtures/sambert_tiny_reference.npz`` so CI checks huayin's
torch-free NumPy port against them without torch::

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy pyyaml
    KANTTS_SRC=/path/to/KAN-TTS /tmp/torchvenv/bin/python scripts/sambert_reference.py

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
REFERENCE = FIXTURES / "sambert_tiny_reference.npz"
PUBLISHED = FIXTURES / "sambert_published_configs"
VOICE = "zhitian_emo"
SEED = 20261204


def _import_kantts(source: Path) -> None:
    """Import KAN-TTS model modules without its package __init__ (which pulls training deps)."""
    sys.path.insert(0, str(source))
    for name, path in (("kantts", source / "kantts"), ("kantts.models", source / "kantts/models")):
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


def write_layout(vocoder, voc_config: dict) -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    voice = TARGET / "voices" / VOICE
    (voice / "voc" / "ckpt").mkdir(parents=True)
    with open(voice / "voc" / "config.yaml", "w") as f:
        yaml.safe_dump(voc_config, f, sort_keys=False)
    torch.save({"model": {"generator": vocoder.state_dict()}, "steps": 0},
               voice / "voc" / "ckpt" / "checkpoint_0.pth")
    (TARGET / "voices" / "voices.json").write_text(json.dumps({"voices": [VOICE]}))
    (TARGET / "configuration.json").write_text(json.dumps({
        "framework": "pytorch", "task": "text-to-speech",
        "model": {"type": "sambert-hifigan", "lang_type": "zhcn", "sample_rate": 16000,
                  "am": {"linguistic_unit": {"has_mask": True}}},
        "pipeline": {"type": "sambert-hifigan-tts"}}, indent=2))


def main() -> None:
    source = Path(os.environ.get("KANTTS_SRC", "/tmp/kantts_src"))
    _import_kantts(source)
    PUBLISHED.mkdir(parents=True, exist_ok=True)
    for name in ("sambert_16k.yaml", "hifigan_v1_16k.yaml"):
        shutil.copy(source / "kantts" / "configs" / name, PUBLISHED / name)
    with open(PUBLISHED / "hifigan_v1_16k.yaml") as f:
        voc_config = tiny_vocoder_config(yaml.safe_load(f))
    generator = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    vocoder = build_vocoder(voc_config, generator)
    reference = vocoder_reference(vocoder, generator)
    write_layout(vocoder, voc_config)
    np.savez_compressed(REFERENCE, **reference)
    print(f"wrote {TARGET} and {REFERENCE}")


if __name__ == "__main__":
    main()
