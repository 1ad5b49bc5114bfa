"""The imported Sambert packs of a voice store and their speakers, read without loading any model
(listing voices must stay cheap: no NumPy weights, no ONNX Runtime)."""

import json
from dataclasses import dataclass
from pathlib import Path

from huayin.voices.base import VoiceInfo
from huayin.voices.sambert import pack


@dataclass(frozen=True)
class SambertSpeaker:
    """One speaker of an imported pack, as listed before anything is loaded."""

    pack: str
    speaker: str
    voice_id: str
    sample_rate: int
    source: str

    def info(self) -> VoiceInfo:
        return VoiceInfo(
            id=self.voice_id, display_name=f"Sambert {self.pack[len(pack.PACK_PREFIX):]} "
                                           f"({self.speaker})",
            gender="unknown", sample_rate=self.sample_rate,
            engine="numpy/sambert+hifigan (imported)", source=self.source,
            license="the imported model's own licence", pack=self.pack)


def installed_speakers(voices_dir: Path) -> list[SambertSpeaker]:
    """Every speaker of every imported pack under the store's ``voices/`` directory (a pack
    with one speaker is one voice named like the pack)."""
    speakers = []
    for pack_dir in sorted(voices_dir.glob(pack.PACK_PREFIX + "*")):
        try:
            config = json.loads((pack_dir / pack.CONFIG_FILE).read_text(encoding="utf-8"))
            names = [str(s) for s in config["speakers"]]
            rate = int(config["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # half-written or foreign: not listed
        for name in names:
            voice_id = pack_dir.name if len(names) == 1 else (
                f"{pack_dir.name}-{pack.pack_name(name)[len(pack.PACK_PREFIX):]}")
            speakers.append(SambertSpeaker(pack_dir.name, name, voice_id, rate,
                                           str(config.get("source", ""))))
    return speakers


def imported_voice_named(name: str, voices_dir: Path) -> str | None:
    """The imported voice a Sambert speaker name stands for (``zhitian_emo``, ``zhitian``: the
    speaker or the imported directory's voice name, case-insensitive, ``_emo`` optional), so a
    real imported voice wins over the stand-in alias; None when none matches."""
    key = name.lower().removesuffix("_emo")
    speakers = installed_speakers(voices_dir)
    for speaker in speakers:  # a speaker's own name first, then the directory's voice name
        if speaker.speaker.lower().removesuffix("_emo") == key:
            return speaker.voice_id
    for speaker in speakers:
        if speaker.pack[len(pack.PACK_PREFIX):].removesuffix("_emo") == key:
            return speaker.voice_id
    return None
