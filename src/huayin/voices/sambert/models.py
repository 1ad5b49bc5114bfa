"""Read one Sambert voice's configs and checkpoints into checked NumPy weights (no torch)."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from huayin.errors import VoiceInstallError
from huayin.voices.sambert.acoustic import SambertAcoustic
from huayin.voices.sambert.checkpoint import read_checkpoint, state_dict_from
from huayin.voices.sambert.config import SambertConfig
from huayin.voices.sambert.hifigan import Hifigan, HifiganConfig, check_weights
from huayin.voices.sambert.layout import SambertVoiceFiles
from huayin.voices.sambert.symbols import Vocabulary


def read_yaml(path: Path) -> dict:
    """A config file as a dict; :class:`VoiceInstallError` when it is unreadable."""
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise VoiceInstallError(f"cannot read {path}: {error}") from None
    if not isinstance(config, dict):
        raise VoiceInstallError(f"{path} is not a YAML mapping")
    return config


def config_flag(am_config: dict, name: str) -> bool:
    """A boolean of ``Model.KanTtsSAMBERT.params`` (False when absent)."""
    return bool(am_config["Model"]["KanTtsSAMBERT"]["params"].get(name, False))


@dataclass
class SambertWeights:
    """Everything a voice pack stores for one Sambert voice, checked against its configs."""

    am_config: dict
    """The parsed ``am/config.yaml``."""
    voc_config: dict
    """The parsed vocoder ``config.yaml``."""
    acoustic: dict[str, np.ndarray]
    """Acoustic-model state dict, float32, exactly the keys the config implies."""
    vocoder: dict[str, np.ndarray]
    """HiFi-GAN generator state dict, weight norm folded."""
    vocabulary: Vocabulary

    def acoustic_model(self) -> SambertAcoustic:
        return SambertAcoustic(SambertConfig.from_yaml(self.am_config), self.acoustic)

    def vocoder_model(self) -> Hifigan:
        return Hifigan(HifiganConfig.from_yaml(self.voc_config), self.vocoder)


def read_voice(files: SambertVoiceFiles) -> SambertWeights:
    """Read and check one voice; every problem is a :class:`VoiceInstallError` naming it."""
    am_config = read_yaml(files.acoustic.config)
    voc_config = read_yaml(files.vocoder.config)
    config = SambertConfig.from_yaml(am_config)
    vocoder_config = HifiganConfig.from_yaml(voc_config)
    acoustic = state_dict_from(read_checkpoint(files.acoustic.checkpoint),
                               files.acoustic.checkpoint, "model")
    if config_flag(am_config, "MAS"):  # training-only aligner, never run at inference
        acoustic = {k: v for k, v in acoustic.items() if not k.startswith("align_attention.")}
    if "text_encoder.sy_emb.weight" not in acoustic:
        raise VoiceInstallError(f"{files.acoustic.checkpoint} lacks 'text_encoder.sy_emb.weight'"
                                " (not a SAM-BERT acoustic model)")
    vocabulary = Vocabulary.from_yaml(am_config, acoustic["text_encoder.sy_emb.weight"].shape[0])
    acoustic = check_weights(acoustic, config.expected_shapes(vocabulary.sizes()),
                             "acoustic-model")
    vocoder = state_dict_from(read_checkpoint(files.vocoder.checkpoint),
                              files.vocoder.checkpoint, "model", "generator")
    vocoder = check_weights(vocoder, vocoder_config.expected_shapes(), "vocoder")
    return SambertWeights(am_config, voc_config, acoustic, vocoder, vocabulary)
