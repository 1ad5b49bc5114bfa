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
import onnxruntime
from threadpoolctl import threadpool_limits

from huayin.errors import InvalidParameterError
from huayin.prosody.emphasis import token_levels
from huayin.prosody.request import ProsodyRequest
from huayin.prosody.targets import ProsodyTargets
from huayin.text.utterance import Break, Clause
from huayin.voices.base import ClauseAudio, ClauseParts, Voice
from huayin.voices.sambert.catalog import SambertSpeaker
from huayin.voices.mellotron.delivery import deliver, needs_delivery
from huayin.voices.sambert import pack
from huayin.voices.sambert.acoustic import Prosody, SambertAcoustic
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
#: Earlier frames given to each vocoded range: the causal HiFi-GAN's receptive field is 34
#: frames (measured by perturbing one frame), so ranges join into the whole-utterance samples.
VOCODER_CONTEXT_FRAMES = 40
#: Frames after a postnet row that decide it (4 FSMN layers looking 3 frames ahead each).
POSTNET_LOOKAHEAD_FRAMES = 12
#: Longest block a stream vocodes at once (seconds, at 16 kHz / hop 200: 2 s = 160 frames).
MAX_BLOCK_SECONDS = 2.0
#: Vocoder (ONNX Runtime) threads when none are asked for; see the Mellotron voice's note.
DEFAULT_THREADS = 1


class SambertModels:
    """One imported pack's networks, loaded once for all its speakers (stateless, so safe to
    share between threads: ONNX Runtime sessions are thread-safe).

    Loading holds NumPy's BLAS to one thread for the whole process, as the Mellotron voices do
    (the decoder's products are small; BLAS threads only wait on each other). ``threads`` goes to
    the vocoder (ONNX Runtime)."""

    def __init__(self, pack_dir: Path, threads: int = DEFAULT_THREADS):
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
        self._session = None
        self._numpy_vocoder = None
        if (pack_dir / pack.VOCODER_GRAPH_FILE).is_file():
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.enable_mem_pattern = False  # chunks vary in length
            self._session = onnxruntime.InferenceSession(
                str(pack_dir / pack.VOCODER_GRAPH_FILE), options,
                providers=["CPUExecutionProvider"])
        else:
            with np.load(pack_dir / pack.VOCODER_FILE) as arrays:
                self._numpy_vocoder = Hifigan(HifiganConfig.from_yaml(
                    {"Model": {"Generator": {"params": self.config["voc"]}}}), dict(arrays))
        threadpool_limits(limits=1, user_api="blas")

    @property
    def vocoder_runtime(self) -> str:
        """``onnxruntime`` or ``numpy``: what vocodes this pack."""
        return "numpy" if self._session is None else "onnxruntime"

    def generate(self, mel: np.ndarray) -> np.ndarray:
        """One vocoder run: mel ``[frames, mels]`` → ``frames·hop`` samples."""
        if self._session is None:
            return self._numpy_vocoder.generate(mel)
        (audio,) = self._session.run(["audio"], {"mel": np.ascontiguousarray(mel.T[None],
                                                                              np.float32)})
        return audio[0]

    def vocode_range(self, mel: np.ndarray, start: int, end: int) -> np.ndarray:
        """The samples of frames ``[start, end)`` of ``mel`` (which may stop at ``end``): the
        vocoder is causal, so :data:`VOCODER_CONTEXT_FRAMES` earlier frames make them the same as
        in a whole-utterance run."""
        left = max(0, start - VOCODER_CONTEXT_FRAMES)
        return self.generate(mel[left:end])[(start - left) * self.hop:]


_shared: dict[str, SambertModels] = {}
_shared_lock = threading.Lock()


def shared_models(pack_dir: Path, threads: int = DEFAULT_THREADS) -> SambertModels:
    """One :class:`SambertModels` per pack directory and thread count."""
    key = f"{pack_dir}|{threads}"
    with _shared_lock:
        if key not in _shared:
            _shared[key] = SambertModels(pack_dir, threads)
        return _shared[key]


@dataclass
class _Plan:
    """What is decided about a clause before its decoder runs."""

    prosody: Prosody
    end_frame: int
    token_starts: np.ndarray
    targets: ProsodyTargets
    levels: np.ndarray
    sentence_final: bool


class SambertVoice(Voice):
    """One speaker of an imported Sambert-HiFiGAN model."""

    def __init__(self, models: SambertModels, speaker: SambertSpeaker):
        self.models = models
        self.speaker = speaker.speaker
        self.info = speaker.info()

    def max_clause_tokens(self, speed: float) -> int:
        return MAX_CLAUSE_TOKENS

    def _decide(self, clause: Clause, prosody: ProsodyRequest) -> _Plan:
        """Symbols, durations and token timings of a clause, before any decoding."""
        models = self.models
        symbols = clause_symbols(clause.tokens)
        if not symbols:
            raise InvalidParameterError(
                f"nothing this voice can say in {clause.text!r} (no Mandarin syllable)")
        tokens = encode(symbols, models.vocabulary, "emotion_neutral", self.speaker)
        emotions = models.vocabulary.tables["emotion"]
        emotion = models.acoustic.emotion_blend(
            emotions["emotion_neutral"], emotions[EMOTION_TYPES[prosody.emotion]],
            prosody.intensity)
        decided = models.acoustic.prosody(tokens, 1.0 / prosody.speed, emotion)
        spoken_frames = int(decided.durations[:-1].sum())  # up to the closing #4 pause
        end_frame = min(decided.frames, spoken_frames + KEEP_TRAILING_FRAMES)
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
        return _Plan(decided, end_frame, token_starts, targets, token_levels(clause.tokens),
                     clause.break_after >= Break.SENTENCE)

    def _delivered(self, plan: _Plan, samples: np.ndarray) -> np.ndarray:
        if not needs_delivery(plan.targets, plan.levels):
            return samples
        return deliver(samples, self.models.sample_rate, plan.token_starts, plan.targets,
                       plan.sentence_final, plan.levels)

    def synthesize_clause(self, clause: Clause, *, prosody: ProsodyRequest,
                          rng: np.random.Generator) -> ClauseAudio:
        plan = self._decide(clause, prosody)
        acoustic = self.models.acoustic
        decoded = np.concatenate(list(acoustic.decode_steps(plan.prosody)))
        mel = acoustic.postnet(decoded, plan.prosody.frames)
        samples = self.models.generate(mel[: plan.end_frame]).astype(np.float32)
        return ClauseAudio(self._delivered(plan, samples), plan.token_starts)

    def synthesize_clause_in_parts(self, clause: Clause, *, prosody: ProsodyRequest,
                                   rng: np.random.Generator,
                                   first_part_seconds: float) -> ClauseParts:
        """Streams by decoder steps: durations (so token timings) are known before decoding;
        each block is vocoded as soon as the postnet rows it needs are decided. A clause that
        needs WORLD delivery (pitch, emphasis) is resynthesized whole, so it comes as one
        block."""
        plan = self._decide(clause, prosody)
        if needs_delivery(plan.targets, plan.levels):
            audio = self.synthesize_clause(clause, prosody=prosody, rng=rng)
            return ClauseParts(iter([(audio.samples, True)]), audio.token_starts)
        return ClauseParts(self._blocks(plan, first_part_seconds), plan.token_starts)

    def _blocks(self, plan: _Plan, first_part_seconds: float):
        models, acoustic = self.models, self.models.acoustic
        frames_per_second = models.sample_rate / models.hop
        size = max(1, int(first_part_seconds * frames_per_second))
        largest = int(MAX_BLOCK_SECONDS * frames_per_second)
        start, end_frame, decoded = 0, plan.end_frame, []
        steps = acoustic.decode_steps(plan.prosody)
        done = False
        while start < end_frame:
            end = min(end_frame, start + size)
            while not done and len(decoded) < min(plan.prosody.frames,
                                                  end + POSTNET_LOOKAHEAD_FRAMES):
                step = next(steps, None)
                done = step is None
                if step is not None:
                    decoded.extend(step)
            have = len(decoded)
            mel = acoustic.postnet(np.asarray(decoded, np.float32),
                                   min(have, plan.prosody.frames))
            yield models.vocode_range(mel, start, end).astype(np.float32), end == end_frame
            start, size = end, min(largest, 2 * size)
