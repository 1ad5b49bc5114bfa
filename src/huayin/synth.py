"""The Synthesizer: the one engine API the CLI and the server call for speech.

Data flows one way: text → :func:`huayin.text.analyze` → clauses → voice (acoustic model +
vocoder) → :class:`AudioChunk` per clause, each followed by the pause its punctuation asks for.
"""

from collections.abc import Iterator

import numpy as np

from huayin.audio import Audio, AudioChunk, CharTiming, room_tone
from huayin.config import default_threads
from huayin.errors import EmptyTextError
from huayin.prosody import ProsodyRequest, apply_gain, pause_seconds
from huayin.prosody.reference import ReferenceAnalysis, analyze_reference
from huayin.text import Utterance, analyze
from huayin.text.utterance import Clause
from huayin.voices import DEFAULT_VOICE, Voice, VoiceCache, VoiceInfo, VoiceStore, list_voices

#: Longest text accepted in one request (characters); longer input should be split by the caller.
MAX_TEXT_CHARS = 100_000


class SpeechStream:
    """An iterator of :class:`AudioChunk` for one request, with the front end's findings.

    Everything that can fail because of the input has already been checked when this object
    exists, so a server can send headers before the first chunk without risking a late 4xx.
    """

    def __init__(
        self, utterance: Utterance, voice: Voice, prosody: ProsodyRequest, seed: int,
        reference: ReferenceAnalysis | None = None,
    ):
        self.utterance = utterance
        """The analyzed text (clauses, tokens, normalized text)."""
        self.voice = voice.info
        """Metadata of the voice speaking."""
        self.warnings = list(utterance.warnings)
        """Notes about skipped or spelled-out input."""
        self.prosody = prosody
        """The validated delivery settings."""
        self.reference = reference
        """What was measured in the reference clip (incl. the nearest emotion), if one was given."""
        self._targets = prosody.targets
        self._voice = voice
        self._seed = seed

    @property
    def sample_rate(self) -> int:
        """Sample rate of every chunk."""
        return self._voice.info.sample_rate

    def __iter__(self) -> Iterator[AudioChunk]:
        elapsed = 0.0
        clauses = self.utterance.clauses
        for index, clause in enumerate(clauses):
            # A generator per clause makes each clause's randomness independent of the others,
            # so a streamed and a whole-file synthesis of the same text are identical.
            rng = np.random.default_rng([self._seed, index])
            chunk = self._speak(clause, rng, elapsed, is_last=index == len(clauses) - 1)
            elapsed += chunk.duration
            yield chunk

    def _speak(
        self, clause: Clause, rng: np.random.Generator, start_time: float, is_last: bool
    ) -> AudioChunk:
        rate = self.sample_rate
        spoken = self._voice.synthesize_clause(clause, prosody=self.prosody, rng=rng)
        bounds = spoken.token_starts / rate + start_time
        timings = [
            CharTiming(token.text, float(bounds[i]), float(bounds[i + 1]), token.span)
            for i, token in enumerate(clause.tokens)
        ]
        targets = self._targets
        pause = 0.0 if is_last else pause_seconds(
            clause.break_after, targets.rate, targets.pause_scale)
        silence = np.zeros(int(round(pause * rate)), np.float32)
        # Gain before the room tone: the noise floor stays at its level whatever the volume.
        samples = np.concatenate([apply_gain(spoken.samples, targets.loudness), silence])
        samples += room_tone(len(samples), rng)
        return AudioChunk(samples, rate, start_time, timings, clause.text)


class Synthesizer:
    """Turns text into speech with any installed voice; voices load on first use and stay warm.

    Not thread-safe: a server should run one synthesis at a time per Synthesizer (or per voice).
    """

    def __init__(self, store: VoiceStore | None = None, threads: int | None = None):
        self.store = store or VoiceStore.default()
        """Where voice packs are installed."""
        self.threads = threads or default_threads()
        """Intra-op threads used by every model."""
        self._voices = VoiceCache(self.store, self.threads)

    def voices(self) -> list[VoiceInfo]:
        """Every known voice (installed or not)."""
        return list_voices()

    def stream(
        self, text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0, seed: int = 0, *,
        pitch: float = 0.0, volume: float = 0.0, emotion: str = "neutral", intensity: float = 1.0,
        reference: tuple[np.ndarray, int] | None = None,
    ) -> SpeechStream:
        """Validate the request and return a stream of chunks, one per clause.

        ``speed`` > 1 is faster; ``seed`` fixes the model's sampling (same seed → same samples);
        ``pitch`` in semitones, ``volume`` in dB, ``emotion``/``intensity`` pick a style (see
        :class:`ProsodyRequest`); ``reference`` = ``(samples, sample_rate)`` of a 3–30 s mono
        clip whose delivery is imitated on top of the emotion (see
        :func:`huayin.prosody.reference.analyze_reference`). Raises
        :class:`huayin.errors.HuayinError` subclasses for bad input.
        """
        if not isinstance(text, str) or not text.strip():
            raise EmptyTextError("text is empty")
        if len(text) > MAX_TEXT_CHARS:
            raise EmptyTextError(f"text is longer than {MAX_TEXT_CHARS} characters")
        analysis = analyze_reference(*reference) if reference is not None else None
        prosody = ProsodyRequest(
            speed=speed, pitch=pitch, volume=volume, emotion=emotion, intensity=intensity,
            reference=analysis.targets if analysis else None)
        loaded = self._voices.get(voice)
        utterance = analyze(text, max_clause_tokens=loaded.max_clause_tokens(prosody.targets.rate))
        if not utterance.clauses:
            detail = "; ".join(utterance.warnings[:3])
            raise EmptyTextError(f"nothing speakable in the text ({detail or 'no words'})")
        return SpeechStream(utterance, loaded, prosody, int(seed), analysis)

    def synthesize(self, text: str, voice: str = DEFAULT_VOICE, **options) -> Audio:
        """The whole text as one :class:`Audio` (same samples as joining :meth:`stream`);
        ``options`` are those of :meth:`stream`."""
        return Audio.from_chunks(list(self.stream(text, voice=voice, **options)))


__all__ = ["SpeechStream", "Synthesizer"]
