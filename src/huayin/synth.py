"""The Synthesizer: the one engine API the CLI and the server call for speech.

Data flows one way: text → :func:`huayin.text.analyze` → clauses → voice (acoustic model +
vocoder) → :class:`AudioChunk` per clause, each followed by the pause its punctuation asks for.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from huayin.audio import Audio, AudioChunk, CharTiming, room_tone
from huayin.audio.resample import resample
from huayin.config import requested_threads
from huayin.errors import EmptyTextError
from huayin.prosody import ProsodyRequest, apply_gain, pause_seconds
from huayin.prosody.reference import ReferenceAnalysis, analyze_reference
from huayin.text import Utterance, analyze
from huayin.text.output_limits import OutputLimits
from huayin.text.split import cut_break, split_long_clause
from huayin.text.utterance import Break, Clause
from huayin.voices import (
    DEFAULT_VOICE,
    ClauseParts,
    Voice,
    VoiceCache,
    VoiceInfo,
    VoiceStore,
    list_voices,
)

#: Longest text accepted in one request (characters); longer input should be split by the caller.
MAX_TEXT_CHARS = 100_000
#: Length of the first chunk of a stream: short, so the first audio leaves early.
FIRST_PART_SECONDS = 0.4


@dataclass(frozen=True)
class ClausePlan:
    """How one clause is spoken: by which voice, with which settings."""

    clause: Clause
    """The clause (tokens, break, explicit pause)."""
    voice: Voice
    """The loaded voice that speaks it (SSML ``<voice>`` may change it per clause)."""
    prosody: ProsodyRequest
    """The request's settings adjusted by SSML ``<prosody>``/``<emotion>`` for this clause."""


class SpeechStream:
    """An iterator of :class:`AudioChunk` for one request, with the front end's findings.

    Everything that can fail because of the input has already been checked when this object
    exists, so a server can send headers before the first chunk without risking a late 4xx.
    With ``early_start`` the first clause arrives in two chunks (a short head first) so
    playback starts early; the samples are the same either way.
    """

    def __init__(
        self, utterance: Utterance, plans: list[ClausePlan], prosody: ProsodyRequest, seed: int,
        reference: ReferenceAnalysis | None = None, early_start: bool = True,
    ):
        self.utterance = utterance
        """The analyzed text (clauses, tokens, normalized text)."""
        self.voice = plans[0].voice.info
        """Metadata of the (first) voice speaking; its rate is the stream's rate."""
        self.warnings = list(utterance.warnings)
        """Notes about skipped or spelled-out input."""
        self.prosody = prosody
        """The validated delivery settings of the request."""
        self.reference = reference
        """What was measured in the reference clip, if one was given."""
        self.plans = plans
        """Per clause: voice and settings."""
        self.early_start = early_start
        """Whether the first clause comes as a short head and the rest (earlier first audio, a
        little more vocoder work); the samples are the same either way."""
        self._seed = seed

    @property
    def sample_rate(self) -> int:
        """Sample rate of every chunk."""
        return self.voice.sample_rate

    def __iter__(self) -> Iterator[AudioChunk]:
        elapsed = 0.0
        for index, plan in enumerate(self.plans):
            # A generator per clause makes each clause's randomness independent of the others,
            # so a streamed and a whole-file synthesis of the same text are identical.
            rng = np.random.default_rng([self._seed, index])
            is_last = index == len(self.plans) - 1
            head_first = self.early_start and index == 0
            for chunk in self._speak(plan, rng, elapsed, head_first, is_last):
                elapsed += chunk.duration
                yield chunk

    def _speak(self, plan: ClausePlan, rng: np.random.Generator, start_time: float,
               head_first: bool, is_last: bool) -> Iterator[AudioChunk]:
        clause, voice, targets = plan.clause, plan.voice, plan.prosody.targets
        if head_first:
            parts = voice.synthesize_clause_in_parts(
                clause, prosody=plan.prosody, rng=rng, first_part_seconds=FIRST_PART_SECONDS)
        else:
            spoken = voice.synthesize_clause(clause, prosody=plan.prosody, rng=rng)
            parts = ClauseParts(iter([(spoken.samples, True)]), spoken.token_starts)
        if voice.info.sample_rate != self.sample_rate:
            # Another voice (SSML <voice>) at another rate: bring it to the stream's rate.
            whole = np.concatenate([samples for samples, _ in parts.blocks])
            parts = ClauseParts(
                iter([(resample(whole, voice.info.sample_rate, self.sample_rate), True)]),
                np.round(parts.token_starts * self.sample_rate
                         / voice.info.sample_rate).astype(np.int64))
        rate = self.sample_rate
        clause_start = start_time
        timings = None  # known once the voice has its token starts (maybe after the first block)
        if is_last:
            pause = 0.0
        elif clause.pause is not None:
            pause = clause.pause
        else:
            pause = pause_seconds(clause.break_after, targets.rate, targets.pause_scale)
        for block, is_last_block in parts.blocks:
            if timings is None and parts.token_starts is not None:
                bounds = parts.token_starts / rate + clause_start
                timings = [CharTiming(token.text, float(bounds[i]), float(bounds[i + 1]),
                                      token.span) for i, token in enumerate(clause.tokens)]
            # Each block leaves as soon as it is vocoded; the clause's pause follows its last.
            silence = np.zeros(int(round(pause * rate)) if is_last_block else 0, np.float32)
            # Gain before the room tone: the noise floor stays at its level whatever the volume.
            samples = np.concatenate([apply_gain(block, targets.loudness), silence])
            samples += room_tone(len(samples), rng)
            end = start_time + len(block) / rate
            known = timings or []
            heard = known if is_last_block else [t for t in known if t.start < end]
            ends_sentence = is_last_block and (is_last or clause.break_after >= Break.SENTENCE)
            yield AudioChunk(samples, rate, start_time, heard, clause.text, ends_sentence,
                             ends_clause=is_last_block)
            timings = None if timings is None else timings[len(heard):]
            start_time += len(samples) / rate


class Synthesizer:
    """Turns text into speech with any installed voice; voices load on first use and stay warm.

    Safe to share between threads: voices load once (under a lock) and guard their own models,
    so a server runs requests side by side, one per worker thread.
    """

    def __init__(self, store: VoiceStore | None = None, threads: int | None = None,
                 limits: OutputLimits | None = None):
        self.store = store or VoiceStore.default()
        """Where voice packs are installed."""
        self.threads = threads or requested_threads()
        """Intra-op threads for every model; None (neither given nor in HUAYIN_THREADS) lets each
        voice use its own measured default."""
        self.limits = limits or OutputLimits.from_env(max_spoken_chars=MAX_TEXT_CHARS)
        """Caps on each request's output (audio length, breaks, SSML size), checked before
        synthesis; default from the environment (HUAYIN_MAX_AUDIO_SECONDS & co.)."""
        self._voices = VoiceCache(self.store, self.threads)

    def voices(self) -> list[VoiceInfo]:
        """Every known voice (installed or not)."""
        return list_voices()

    def loaded_voices(self) -> list[str]:
        """Ids of the voices loaded so far (warm: no load time on their next request)."""
        return self._voices.loaded()

    def stream(
        self, text: str, voice: str = DEFAULT_VOICE, speed: float = 1.0, seed: int = 0, *,
        pitch: float = 0.0, volume: float = 0.0, emotion: str = "neutral", intensity: float = 1.0,
        reference: tuple[np.ndarray, int] | None = None, early_start: bool = True,
        limits: OutputLimits | None = None,
    ) -> SpeechStream:
        """Validate the request and return a stream of chunks, one per clause.

        ``speed`` > 1 is faster; ``seed`` fixes the model's sampling (same seed → same samples);
        ``pitch`` in semitones, ``volume`` in dB, ``emotion``/``intensity`` pick a style (see
        :class:`ProsodyRequest`); ``reference`` = ``(samples, sample_rate)`` of a 3–30 s mono
        clip whose delivery is imitated on top of the emotion (see
        :func:`huayin.prosody.reference.analyze_reference`); ``early_start`` sends the first
        clause as a short head and the rest (for streaming; costs a little vocoder work);
        ``limits`` replace :attr:`limits` for this request. Raises
        :class:`huayin.errors.HuayinError` subclasses for bad input, and
        :class:`~huayin.text.output_limits.OutputTooLongError` for a text whose output is over a
        cap (measured before any synthesis).
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
        utterance = analyze(text, max_clause_tokens=loaded.max_clause_tokens(prosody.targets.rate),
                            limits=limits or self.limits, rate=prosody.targets.rate)
        if not utterance.clauses:
            detail = "; ".join(utterance.warnings[:3])
            raise EmptyTextError(f"nothing speakable in the text ({detail or 'no words'})")
        plans = self._plan(utterance, loaded, prosody)
        return SpeechStream(utterance, plans, prosody, int(seed), analysis, early_start)

    def _plan(self, utterance: Utterance, voice: Voice, prosody: ProsodyRequest) -> list[ClausePlan]:
        """Voice and settings per clause (SSML may change both); clauses slowed down by SSML are
        cut again so no model call runs past its frame limit."""
        plans = []
        for clause in utterance.clauses:
            clause_voice, clause_prosody = voice, prosody
            if clause.delivery is not None:
                delivery = clause.delivery
                if delivery.voice:
                    clause_voice = self._voices.get(delivery.voice)
                clause_prosody = prosody.adjusted(delivery.speed, delivery.pitch, delivery.volume,
                                                  delivery.emotion, delivery.intensity)
            limit = clause_voice.max_clause_tokens(clause_prosody.targets.rate)
            pieces = split_long_clause(clause.tokens, limit)
            for piece in pieces[:-1]:
                part = Clause(piece, cut_break(piece), clause.delivery)
                plans.append(ClausePlan(part, clause_voice, clause_prosody))
            last = clause if len(pieces) == 1 else Clause(
                pieces[-1], clause.break_after, clause.delivery, clause.pause)
            plans.append(ClausePlan(last, clause_voice, clause_prosody))
        return plans

    def synthesize(self, text: str, voice: str = DEFAULT_VOICE, **options) -> Audio:
        """The whole text as one :class:`Audio` (same samples as joining :meth:`stream`);
        ``options`` are those of :meth:`stream`."""
        options.setdefault("early_start", False)  # nobody listens before the end
        return Audio.from_chunks(list(self.stream(text, voice=voice, **options)))


__all__ = ["ClausePlan", "SpeechStream", "Synthesizer"]
