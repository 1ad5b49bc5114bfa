"""The work behind the routes: admission control, synthesis off the event loop, encoding.

Routes never touch a model: they hand a :class:`SpeechJob` to :class:`SpeechService`, which
admits it (or answers 503), runs the Synthesizer clause by clause in a thread pool under a
worker thread (each voice guards its own models, so requests run side by side, one per worker),
and encodes chunks as they arrive.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from huayin.audio import AudioChunk, CharTiming
from huayin.audio.encode import StreamEncoder, check_format
from huayin.audio.resample import StreamResampler, check_rate
from huayin.errors import InvalidParameterError
from huayin.server.errors import ServiceError
from huayin.service.cache import AudioCache, CachedAudio, NullCache, timings_meta
from huayin.service.render import SynthesisRequest
from huayin.service.runner import LiveGate
from huayin.server.metrics import ServiceMetrics
from huayin.server.pace import MIN_TOKENS_MEASURED, SynthesisPace, speech_tokens
from huayin.server.settings import ServerSettings
from huayin.synth import SpeechStream, Synthesizer
from huayin.voices import voice_info


@dataclass
class SpeechJob:
    """One synthesis request, already mapped from whichever API it came through."""

    text: str
    """Text to speak."""
    voice: str
    """huayin voice id."""
    format: str = "wav"
    """Output format (see :data:`huayin.audio.encode.FORMATS`)."""
    sample_rate: int | None = None
    """Output rate; None = the voice's native rate."""
    options: dict = field(default_factory=dict)
    """Keyword options for :meth:`Synthesizer.stream` (speed, seed, pitch, volume, emotion, ...)."""


@dataclass
class Ticket:
    """An admitted request's place in the service; release exactly once (idempotent)."""

    service: "SpeechService"
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.service.leave()


@dataclass
class Rendered:
    """What a finished (or streaming) job produced so far."""

    timings: list[CharTiming] = field(default_factory=list)
    """Per-character times, in seconds."""
    audio_seconds: float = 0.0
    """Seconds of audio produced."""
    synthesis_seconds: float = 0.0
    """Seconds spent synthesizing (wall time in the worker)."""
    first_chunk_seconds: float | None = None
    """Seconds from the start of the job to its first audio chunk."""


class SpeechService:
    """Owns the Synthesizer, the worker pool and the admission counter."""

    def __init__(self, synthesizer: Synthesizer, settings: ServerSettings,
                 metrics: ServiceMetrics, cache: AudioCache | None = None):
        self.synthesizer = synthesizer
        self.settings = settings
        self.metrics = metrics
        self.cache = cache or NullCache()
        """Audio cache: a request seen before is answered with the same bytes, unsynthesized."""
        self.live = LiveGate()
        """Live requests in progress; batch jobs wait for it between clauses."""
        self.ready = False
        self.limits = settings.output_limits()
        """Caps on each request's output (audio length, breaks, SSML size)."""
        self.pace = SynthesisPace()
        """Measured synthesis seconds per token and voice (for the up-front timeout check)."""
        self._pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="huayin-synth")
        self._admitted = 0

    # -- lifecycle -----------------------------------------------------------------------------
    async def preload(self) -> None:
        """Load the start-up voices off the event loop; then the service is ready."""
        loop = asyncio.get_running_loop()
        for voice in self.settings.preload_voices:
            if self.synthesizer.store.is_installed(voice_info(voice).pack):
                await loop.run_in_executor(self._pool, self._warm, voice)
        self.ready = True

    def _warm(self, voice: str) -> None:
        self.synthesizer.synthesize("你好。", voice=voice)

    def shutdown(self) -> None:
        """Finish running work, then stop the workers."""
        self._pool.shutdown(wait=True)

    # -- admission -----------------------------------------------------------------------------
    def admit(self) -> Ticket:
        """Take a place or raise 503 busy when the queue is full."""
        if self._admitted >= self.settings.max_queue:
            self.metrics.errors.labels("busy").inc()
            raise ServiceError("busy", "the server is busy; retry shortly", {"Retry-After": "2"})
        self._admitted += 1
        self.live.enter()
        self.metrics.queue.inc()
        return Ticket(self)

    @property
    def in_flight(self) -> int:
        """Requests admitted and not yet finished."""
        return self._admitted

    def leave(self) -> None:
        """Free one admitted place (called by :meth:`Ticket.release`)."""
        self._admitted -= 1
        self.live.leave()
        self.metrics.queue.dec()

    # -- synthesis -----------------------------------------------------------------------------
    async def start(self, job: SpeechJob, whole: bool = False) -> tuple[Ticket, SpeechStream]:
        """Admit and open a job; the caller releases the ticket when the response is done.
        A ``whole`` answer (not streamed) that cannot finish within the request timeout at the
        measured pace is refused here, before any synthesis (413 ``too_long_for_timeout``)."""
        ticket = self.admit()
        try:
            stream = await self.open(job)
            if whole:
                self.check_feasible(stream)
            return ticket, stream
        except BaseException:
            ticket.release()
            raise

    def check_feasible(self, stream: SpeechStream) -> None:
        """Raise 413 when the stream's estimated synthesis time exceeds the request timeout (a
        slow ``speed`` takes longer to say, and to synthesize)."""
        tokens = speech_tokens(stream.plans)
        sharing = self.in_flight / max(1, self.settings.workers)
        estimate = self.pace.estimate(stream.voice.id, tokens, sharing)
        if estimate > self.settings.request_timeout:
            self.metrics.errors.labels("too_long_for_timeout").inc()
            raise ServiceError(
                "too_long_for_timeout",
                f"this text would take about {estimate:.0f} s to synthesize here, longer than the "
                f"{self.settings.request_timeout:g} s request timeout: stream it (/api/tts with "
                '"stream": true, /v1/audio/speech, /ws/tts) or submit it to /api/jobs')

    async def open(self, job: SpeechJob) -> SpeechStream:
        """Validate the job and prepare its stream (raises user errors before any audio)."""
        check_format(job.format)
        if not isinstance(job.text, str) or len(job.text) > self.settings.max_text_chars:
            raise InvalidParameterError(
                f"text is longer than {self.settings.max_text_chars} characters",
                code="text_too_long")
        loop = asyncio.get_running_loop()
        stream = await loop.run_in_executor(self._pool, lambda: self.synthesizer.stream(
            job.text, voice=job.voice, limits=self.limits, **job.options))
        check_rate(job.sample_rate, stream.sample_rate)
        return stream

    # -- cache ---------------------------------------------------------------------------------
    def cache_key(self, job: SpeechJob, mode: str) -> str | None:
        """The job's cache key (``mode``: "whole" or "stream" bytes), None with caching off."""
        if not self.cache.enabled:
            return None
        options = dict(job.options)
        reference = options.pop("reference", None)
        return SynthesisRequest(job.text, job.voice, job.format, job.sample_rate, options, mode,
                                reference).key(self.synthesizer.store)

    async def cached(self, key: str | None) -> CachedAudio | None:
        """The cached answer for ``key``, if any (looked up off the event loop)."""
        if key is None:
            return None
        return await asyncio.get_running_loop().run_in_executor(None, self.cache.get, key)

    async def remember(self, key: str | None, data: bytes, stream: SpeechStream,
                       rendered: "Rendered", rate: int) -> None:
        """Keep a complete answer in the cache."""
        if key is None:
            return
        entry = CachedAudio(data, {
            "duration": rendered.audio_seconds, "sample_rate": rate, "voice": stream.voice.id,
            "timings": timings_meta(rendered.timings), "normalized": stream.utterance.normalized,
            "warnings": stream.warnings,
            "reference_features": stream.reference.summary() if stream.reference else None})
        await asyncio.get_running_loop().run_in_executor(None, self.cache.put, key, entry)

    @staticmethod
    def _next_chunk(iterator) -> tuple[AudioChunk | None, float]:
        started = time.perf_counter()
        chunk = next(iterator, None)
        return chunk, time.perf_counter() - started

    async def chunks(self, stream: SpeechStream, rendered: Rendered, streamed: bool = False,
                     gone: Callable[[], Awaitable[bool]] | None = None,
                     ) -> AsyncIterator[AudioChunk]:
        """The stream's chunks, each synthesized in the pool. A whole answer must finish within
        the request timeout; a ``streamed`` one is limited by progress instead: its first audio
        within ``first_audio_timeout``, then no gap longer than ``stall_timeout``, however long
        the text. ``gone`` (the client has left) is asked before each clause: work for nobody
        stops there (the clause under way finishes, no new one starts)."""
        settings = self.settings
        loop = asyncio.get_running_loop()
        iterator = iter(stream)
        started = time.perf_counter()
        deadline = started + settings.request_timeout
        while True:
            if gone is not None and await gone():
                self.metrics.errors.labels("client_gone").inc()
                raise ServiceError("client_gone", "the client closed the connection")
            if not streamed:
                limit = deadline - time.perf_counter()
                problem = "synthesis took longer than the request timeout"
            elif rendered.first_chunk_seconds is None:
                limit = settings.first_audio_timeout
                problem = f"no audio within {settings.first_audio_timeout:g} s"
            else:
                limit = settings.stall_timeout
                problem = f"synthesis stalled: no audio for {settings.stall_timeout:g} s"
            if limit <= 0:
                raise ServiceError("timeout", problem)
            future = loop.run_in_executor(self._pool, self._next_chunk, iterator)
            try:
                chunk, spent = await asyncio.wait_for(future, limit)
            except TimeoutError:
                self.metrics.errors.labels("timeout").inc()
                # What was done in the time is a pace too (an upper bound on the speed), so a
                # text like this one is refused up front next time.
                done = len(rendered.timings) * speech_tokens(stream.plans) / max(
                    1, len(stream.utterance.tokens))
                self.pace.record(stream.voice.id, max(done, MIN_TOKENS_MEASURED),
                                 time.perf_counter() - started)
                raise ServiceError("timeout", problem) from None
            if chunk is None:
                break
            if rendered.first_chunk_seconds is None:
                rendered.first_chunk_seconds = time.perf_counter() - started
                self.metrics.first_chunk.observe(rendered.first_chunk_seconds)
            rendered.synthesis_seconds += spent
            rendered.audio_seconds += chunk.duration
            rendered.timings.extend(chunk.timings)
            yield chunk
        # Worker time, not wall time: a slow reader of a stream must not look like slow synthesis.
        self.pace.record(stream.voice.id, speech_tokens(stream.plans), rendered.synthesis_seconds)
        self.metrics.audio_seconds.labels(stream.voice.id).inc(rendered.audio_seconds)
        if rendered.audio_seconds:
            self.metrics.rtf.observe(rendered.synthesis_seconds / rendered.audio_seconds)

    async def whole(self, ticket: Ticket, stream: SpeechStream, job: SpeechJob,
                    rendered: Rendered, cache_key: str | None = None,
                    gone: Callable[[], Awaitable[bool]] | None = None) -> bytes:
        """The job's complete encoded audio (one answer, not a stream); frees ``ticket``
        however it ends."""
        try:
            return b"".join([part async for part in self.encoded(
                stream, job, rendered, progressive=False, cache_key=cache_key, gone=gone)])
        finally:
            ticket.release()

    async def encoded(self, stream: SpeechStream, job: SpeechJob, rendered: Rendered,
                      progressive: bool = True, cache_key: str | None = None,
                      streamed: bool = False,
                      gone: Callable[[], Awaitable[bool]] | None = None,
                      ) -> AsyncIterator[bytes]:
        """Encoded bytes of the job's audio, chunk by chunk (or all at the end if not
        ``progressive``), resampled to the requested rate; with ``cache_key`` the complete
        bytes are kept in the cache once the last chunk has left; ``streamed`` and ``gone`` as
        in :meth:`chunks`."""
        rate = check_rate(job.sample_rate, stream.sample_rate)
        resampler = StreamResampler(stream.sample_rate, rate)
        encoder = StreamEncoder(job.format, rate, streaming=progressive)
        kept: list[bytes] | None = [] if cache_key is not None else None
        async for chunk in self.chunks(stream, rendered, streamed, gone):
            data = encoder.write(resampler.process(chunk.samples))
            if data:
                if kept is not None:
                    kept.append(data)
                yield data
        tail = resampler.process(np.zeros(0, np.float32), last=True)
        data = (encoder.write(tail) if len(tail) else b"") + encoder.close()
        if kept is not None:
            await self.remember(cache_key, b"".join(kept) + data, stream, rendered, rate)
        if data:
            yield data
