"""Find the voices, configs and checkpoints of a ModelScope Sambert-HiFiGAN directory.

Current layout (``speech_sambert-hifigan_tts_zh-cn_16k`` and personal-TTS exports)::

    configuration.json
    voices/voices.json                      {"voices": ["zhitian_emo", ...]}
    voices/<v>/am/config.yaml, am/ckpt/checkpoint_<N>.pth     (state dict under "model")
    voices/<v>/voc/config.yaml, voc/ckpt/checkpoint_<N>.pth   (under ["model"]["generator"])

2022 layout: ``voices/<v>/am/pytorch_model.bin`` and ``voices/<v>/vocoder/pytorch_model.bin``
(``voc/`` and a top-level ``vocoder/`` shared by all voices are accepted too), each next to its
``config.yaml``. Like ModelScope, the highest-numbered checkpoint wins.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from huayin.errors import VoiceInstallError

_CHECKPOINT = re.compile(r"checkpoint_(\d+)\.pth$")


@dataclass(frozen=True)
class ModelFiles:
    """One network's config and checkpoint."""

    config: Path
    checkpoint: Path


@dataclass(frozen=True)
class SambertVoiceFiles:
    """The files of one voice of the directory."""

    name: str
    """The voice's directory name (``zhitian_emo``)."""
    acoustic: ModelFiles
    vocoder: ModelFiles
    layout: str
    """``current`` (``ckpt/checkpoint_N.pth``) or ``2022`` (``pytorch_model.bin``)."""


def _latest_checkpoint(ckpt_dir: Path) -> Path | None:
    found = [(int(m.group(1)), path) for path in ckpt_dir.glob("checkpoint_*.pth")
             if (m := _CHECKPOINT.search(path.name))]
    return max(found)[1] if found else None


def _model_files(candidates: list[Path], what: str, voice: str) -> tuple[ModelFiles, str]:
    for directory in candidates:
        config = directory / "config.yaml"
        if not directory.is_dir():
            continue
        if (directory / "ckpt").is_dir():
            checkpoint = _latest_checkpoint(directory / "ckpt")
            if checkpoint is None:
                raise VoiceInstallError(
                    f"voice {voice!r}: no checkpoint_<N>.pth in {directory / 'ckpt'}")
            layout = "current"
        elif (directory / "pytorch_model.bin").exists():
            checkpoint, layout = directory / "pytorch_model.bin", "2022"
        else:
            raise VoiceInstallError(f"voice {voice!r}: {directory} has neither ckpt/ nor "
                                    "pytorch_model.bin (missing checkpoint)")
        if not config.is_file():
            raise VoiceInstallError(f"voice {voice!r}: {what} config {config} is missing")
        return ModelFiles(config, checkpoint), layout
    raise VoiceInstallError(f"voice {voice!r}: no {what} directory (looked for "
                            f"{', '.join(str(c) for c in candidates)})")


def find_voices(directory: Path) -> list[SambertVoiceFiles]:
    """Every voice ``voices/voices.json`` lists, with its files; a :class:`VoiceInstallError`
    saying what is wrong when ``directory`` is not a Sambert-HiFiGAN directory."""
    directory = Path(directory).expanduser()
    if not directory.is_dir():
        raise VoiceInstallError(f"{directory} is not a directory")
    listing = directory / "voices" / "voices.json"
    if not listing.is_file():
        raise VoiceInstallError(
            f"{directory} is not a ModelScope Sambert-HiFiGAN directory (no voices/voices.json; "
            "point at the model directory, e.g. ~/.cache/modelscope/hub/damo/"
            "speech_sambert-hifigan_tts_zh-cn_16k)")
    try:
        names = json.loads(listing.read_text(encoding="utf-8"))["voices"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise VoiceInstallError(f"{listing} is not a {{\"voices\": [...]}} list") from None
    if not isinstance(names, list) or not names or not all(
            isinstance(n, str) and re.fullmatch(r"[A-Za-z0-9_.-]+", n) for n in names):
        raise VoiceInstallError(f"{listing} lists no usable voice names")
    voices = []
    for name in names:
        voice_dir = directory / "voices" / name
        if not voice_dir.is_dir():
            raise VoiceInstallError(f"voice {name!r} is listed but {voice_dir} is missing")
        acoustic, layout = _model_files([voice_dir / "am"], "acoustic-model", name)
        vocoder, _ = _model_files([voice_dir / "voc", voice_dir / "vocoder",
                                   directory / "vocoder"], "vocoder", name)
        voices.append(SambertVoiceFiles(name, acoustic, vocoder, layout))
    return voices
