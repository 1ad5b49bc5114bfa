"""An imported Sambert speaker as a huayin voice: SAM-BERT + HiFi-GAN in NumPy.

Emotion is the model's own: the request's emotion picks the emotion embedding KAN-TTS trained
(:data:`EMOTION_TYPES`), and its intensity blends it with the neutral one. Speed scales the
predicted durations; pitch shift, effort and focus emphasis go through the same WORLD delivery
as the Mellotron voices; pauses and loudness are the engine's. Token timings (subtitles) come
from the predicted durations.
"""

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from huayin.prosody.emphasis import token_levels
from huayin.prosody.request import ProsodyRequest
from huayin.prosody.targets import ProsodyTargets
from huayin.text.utterance import Break, Clause
from huayin.voices.base import ClauseAudio, Voice, VoiceInfo
from huayin.voices.mellotron.delivery import deliver, needs_delivery
from huayin.voices.sambert import pack
from huayin.voices.sambert.acoustic import SambertAcoustic
from huayin.voices.sambert.config import SambertConfig
from huayin.voices.sambert.hifigan import Hifigan, HifiganConfig
from huayin.voices.sambert.linguistic import clause_symbols, encode
from huayin.voices.sambert.symbols import Vocabulary
from huayin.voices.store import require_pack_format

#: huayin emotion → KAN-TTS emotion type (the ModelScope ``*_emo`` voices were trained with
#: neutral, happy, angry, sad, fear, hate and surprise).
EMOTION_TYPES = {
    "neutral": "emotion_neutral", "happy": "emotion_happy", "sad": "emotion_sad",
    "angry": "emotion_angry", "fear": "emotion_fear", "surprise": "emotion_surprise",
    "disgust": "emotion_hate", "calm": "emotion_calm",
}
#: Longest clause given to the acoustic model in one call.
MAX_CLAUSE_TOKENS = 60
#: Frames of the final ``#4`` pause kept after the last syllable (the engine adds its pauses).
KEEP_TRAILING_FRAMES = 2


class SambertModels:
    """One imported pack's networks, loaded once for all its speakers (stateless, so safe to
    share between threads)."""

    def __init__(self, pack_dir: Path):
        require_pack_format(pack_dir, pack_dir.name, pack.FORMAT)
        self.config = json.loads((pack_dir / pack.CONFIG_FILE).read_text(encoding="utf-8"))
        self.sample_rate = int(self.config["sample_rate"])
        self.hop = int(self.config["hop"])
        self.vocabulary = Vocabulary(tuple(self.config["speakers"]),
                                     bool(self.config["has_mask"]))
        with np.load(pack_dir / pack.ACOUSTIC_FILE) as arrays:
            self.acoustic = SambertAcoustic(
                SambertConfig.from_yaml({"Model": {"KanTtsSAMBERT": {"params": self.config["am"]}}}),
                dict(arrays))
        with np.load(pack_dir / pack.VOCODER_FILE) as arrays:
            self.vocoder = Hifigan(
                HifiganConfig.from_yaml({"Model": {"Generator": {"params": self.config["voc"]}}}),
                dict(arrays))


_shared: dict[str, SambertModels] = {}
_shared_lock = threading.Lock()


def shared_models(pack_dir: Path) -> SambertModels:
    """One :class:`SambertModels` per pack directory."""
    with _shared_lock:
        if str(pack_dir) not in _shared:
            _shared[str(pack_dir)] = SambertModels(pack_dir)
        return _shared[str(pack_dir)]


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


class SambertVoice(Voice):
    """One speaker of an imported Sambert-HiFiGAN model."""

    def __init__(self, models: SambertModels, speaker: SambertSpeaker):
        self.models = models
        self.speaker = speaker.speaker
        self.info = speaker.info()

    def max_clause_tokens(self, speed: float) -> int:
        return MAX_CLAUSE_TOKENS

    def synthesize_clause(self, clause: Clause, *, prosody: ProsodyRequest,
                          rng: np.random.Generator) -> ClauseAudio:
        models = self.models
        symbols = clause_symbols(clause.tokens)
        tokens = encode(symbols, models.vocabulary, "emotion_neutral", self.speaker)
        emotions = models.vocabulary.tables["emotion"]
        emotion = models.acoustic.emotion_blend(
            emotions["emotion_neutral"], emotions[EMOTION_TYPES[prosody.emotion]],
            prosody.intensity)
        mel, decided = models.acoustic.mel(tokens, 1.0 / prosody.speed, emotion)
        spoken_frames = int(decided.durations[:-1].sum())  # up to the closing #4 pause
        end_frame = min(decided.frames, spoken_frames + KEEP_TRAILING_FRAMES)
        samples = models.vocoder.generate(mel[:end_frame]).astype(np.float32)
        starts = np.concatenate([[0], np.cumsum(decided.durations)])
        token_starts = np.empty(len(clause.tokens) + 1, np.int64)
        token_starts[-1] = spoken_frames * models.hop
        for index in range(len(clause.tokens) - 1, -1, -1):
            first = [i for i, s in enumerate(symbols) if s.token == index
                     and not s.phone.startswith("#")]
            token_starts[index] = (starts[first[0]] * models.hop if first
                                   else token_starts[index + 1])  # an erhua 儿
        token_starts = np.minimum.accumulate(token_starts[::-1])[::-1]
        # Pitch shift, effort and emphasis: the same waveform delivery as the other voices (the
        # emotion's own pitch and rate are the model's, not added again).
        targets = ProsodyTargets(pitch_shift=prosody.pitch)
        levels = token_levels(clause.tokens)
        if needs_delivery(targets, levels):
            samples = deliver(samples, models.sample_rate, token_starts, targets,
                              clause.break_after >= Break.SENTENCE, levels)
        return ClauseAudio(samples, token_starts)
