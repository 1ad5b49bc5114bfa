"""``huayin voices import-sambert DIR``: a user's ModelScope Sambert-HiFiGAN voices → voice packs.

Each voice of the directory becomes the pack ``sambert-<name>`` in the store: the checked
acoustic-model and vocoder weights as ``.npz`` (weight norm folded), the configs and symbol tables
as ``config.json``. Nothing of modelscope, kantts or ttsfrd is needed, now or later.
"""

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from huayin.errors import VoiceInstallError
from huayin.voices.sambert.config import SambertConfig
from huayin.voices.sambert.hifigan import HifiganConfig
from huayin.voices.sambert.layout import find_voices
from huayin.voices.sambert.models import SambertWeights, read_voice, read_yaml
from huayin.voices.store import VoiceStore

PACK_PREFIX = "sambert-"
#: Layout version of the prepared files.
FORMAT = 1
ACOUSTIC_FILE = "acoustic.npz"
VOCODER_FILE = "vocoder.npz"
#: The same vocoder as an ONNX graph (what runs; absent where the graph builder does not cover
#: the config, and then the NumPy generator runs).
VOCODER_GRAPH_FILE = "vocoder.onnx"
CONFIG_FILE = "config.json"
DEFAULT_SAMPLE_RATE = 16000


@dataclass(frozen=True)
class ImportedVoice:
    """One pack written by :func:`import_directory`."""

    pack: str
    speakers: tuple[str, ...]
    directory: Path


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def pack_name(name: str) -> str:
    """``sambert-<name>`` with the name folded to lower-case letters, digits, ``_`` and ``-``."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")
    if not slug:
        raise VoiceInstallError(f"voice name {name!r} has no usable characters")
    return PACK_PREFIX + slug


def _sample_rate(model_dir: Path, voice_dir: Path) -> int:
    for path in (voice_dir / "audio_config.yaml", voice_dir / "am" / "audio_config.yaml"):
        if path.is_file():
            audio = read_yaml(path).get("audio_config", {})
            if "sampling_rate" in audio:
                return int(audio["sampling_rate"])
    configuration = model_dir / "configuration.json"
    if configuration.is_file():
        try:
            model = json.loads(configuration.read_text(encoding="utf-8")).get("model", {})
            return int(model.get("sample_rate", DEFAULT_SAMPLE_RATE))
        except (ValueError, TypeError, AttributeError):
            pass
    return DEFAULT_SAMPLE_RATE


def _pack_files(weights: SambertWeights, sample_rate: int, voice: str, source: Path) -> dict:
    hop = HifiganConfig.from_yaml(weights.voc_config).hop
    config = {
        "voice": voice, "source": str(source), "sample_rate": sample_rate, "hop": hop,
        "speakers": list(weights.vocabulary.speakers), "has_mask": weights.vocabulary.has_mask,
        "am": weights.am_config["Model"]["KanTtsSAMBERT"]["params"],
        "voc": weights.voc_config["Model"]["Generator"]["params"],
    }
    # onnx is only needed here, at import; listing voices must not pay for importing it.
    from huayin.voices.sambert.hifigan_graph import build_hifigan_onnx, graph_supported  # noqa: PLC0415

    files = {
        ACOUSTIC_FILE: _npz_bytes(weights.acoustic),
        VOCODER_FILE: _npz_bytes(weights.vocoder),
        CONFIG_FILE: json.dumps(config, indent=2, ensure_ascii=False, default=str).encode(),
    }
    vocoder_config = HifiganConfig.from_yaml(weights.voc_config)
    if graph_supported(vocoder_config):
        files[VOCODER_GRAPH_FILE] = build_hifigan_onnx(vocoder_config, weights.vocoder)
    return files


def import_directory(directory: Path, store: VoiceStore,
                     name: str | None = None) -> list[ImportedVoice]:
    """Import every voice of a ModelScope Sambert-HiFiGAN directory (all are read and checked
    before any pack is written); ``name`` names the pack of a one-voice directory, or prefixes
    the voice names of a multi-voice one."""
    directory = Path(directory).expanduser().resolve()
    voices = find_voices(directory)
    prepared = []
    for files in voices:
        weights = read_voice(files)
        SambertConfig.from_yaml(weights.am_config)  # checked again for the stored copy
        label = (name if len(voices) == 1 else f"{name}-{files.name}") if name else files.name
        rate = _sample_rate(directory, directory / "voices" / files.name)
        prepared.append((pack_name(label), weights, rate, files.name))
    imported = []
    for pack, weights, rate, voice in prepared:
        info = {"pack": pack, "source": f"imported from {directory}", "format": FORMAT,
                "license": "the imported model's own licence"}
        written = store.write_pack(pack, _pack_files(weights, rate, voice, directory), info)
        imported.append(ImportedVoice(pack, weights.vocabulary.speakers, written))
    return imported
