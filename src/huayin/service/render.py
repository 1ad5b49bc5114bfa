"""Render one synthesis request to a file, through the cache, as the audio is made.

This is the work inside every job item, whichever process runs it (the server's job thread or a
Celery worker): look the request up in the cache; on a miss synthesize clause by clause, encode
and append each chunk to the file (memory stays flat in text length), and stop at the next
clause when asked to.
"""

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from huayin.audio import CharTiming
from huayin.audio.encode import StreamEncoder
from huayin.audio.resample import StreamResampler, check_rate
from huayin.service.cache import AudioCache, CachedAudio, cache_key, timings_meta
from huayin.synth import Synthesizer
from huayin.text.lexicon import user_lexicon
from huayin.voices import VoiceStore, resolve_voice_id, voice_info


class Cancelled(Exception):
    """The item's job was cancelled (or its client left) while it was being synthesized."""


@dataclass
class SynthesisRequest:
    """Everything that decides the bytes of one piece of synthesized audio."""

    text: str
    """Text or SSML."""
    voice: str
    """huayin voice id."""
    format: str
    """Output format (wav, mp3, opus, aac, flac, pcm)."""
    sample_rate: int | None = None
    """Output rate; None = the voice's own."""
    options: dict = field(default_factory=dict)
    """Options of :meth:`Synthesizer.stream` (speed, seed, pitch, volume, emotion, intensity)."""
    mode: str = "file"
    """How the bytes are laid out: "whole" (one response), "stream" (chunked, WAV header with
    open sizes) or "file" (a job item). Part of the key: the same audio, other bytes."""
    reference: tuple[np.ndarray, int] | None = None
    """A reference clip (samples, rate) whose delivery is imitated."""

    def key(self, store: VoiceStore) -> str:
        """The cache key: voice + its pack's fingerprint + huayin version + text + every
        setting + format, rate, layout, the reference clip's hash and the user lexicon's
        fingerprint (audio cached before a lexicon edit may read a word the old way)."""
        options = {k: v for k, v in self.options.items() if k not in ("reference", "early_start")}
        reference = None
        if self.reference is not None:
            samples, rate = self.reference
            reference = hashlib.sha256(np.ascontiguousarray(samples).tobytes()
                                       + str(rate).encode()).hexdigest()
        voice = _canonical_voice(self.voice)
        return cache_key(voice=voice, pack=pack_fingerprint(store, voice),
                         text=self.text, options=options, format=self.format,
                         sample_rate=self.sample_rate, mode=self.mode, reference=reference,
                         lexicon=user_lexicon().fingerprint)


def _canonical_voice(name: str) -> str:
    """The voice id a name stands for (aliases such as ``zhitian`` share the voice's entries)."""
    try:
        return resolve_voice_id(name)
    except Exception:  # an unknown voice: the request fails later with the proper error
        return name


_fingerprints: dict[tuple[str, float], str] = {}


def pack_fingerprint(store: VoiceStore, voice: str) -> str:
    """SHA-256 of the voice's installed pack manifest (its files' checksums): a reinstalled or
    changed pack gives new keys. Unknown or missing voices give a fixed marker (they fail anyway)."""
    try:
        pack = voice_info(voice).pack
    except Exception:  # an unknown voice: the request fails later with the proper error
        return "unknown"
    path = store.pack_dir(pack) / "manifest.json"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "missing"
    known = _fingerprints.get((str(path), stamp))
    if known is None:
        known = hashlib.sha256(path.read_bytes()).hexdigest()
        _fingerprints[(str(path), stamp)] = known
    return known


@dataclass
class RenderedFile:
    """What rendering one request produced."""

    path: Path
    """The audio file."""
    duration: float
    """Seconds of audio."""
    sample_rate: int
    """Rate of the file."""
    timings: list[CharTiming]
    """Per-character times (for subtitles)."""
    spoken_text: str
    """The text the timings' spans point into (SSML without its markup)."""
    sha256: str
    """Checksum of the file's bytes."""
    cache_hit: bool
    """True when the bytes came from the cache."""
    voice: str
    """Voice that spoke (the first clause's)."""


def patch_wav_sizes(path: Path) -> None:
    """Replace a streamed WAV header's open sizes by the real ones."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(4)
        handle.write(struct.pack("<I", size - 8))
        handle.seek(40)
        handle.write(struct.pack("<I", size - 44))


def render_to_file(synthesizer: Synthesizer, cache: AudioCache, request: SynthesisRequest,
                   path: Path, should_stop: Callable[[], bool] = lambda: False) -> RenderedFile:
    """Write the request's audio to ``path`` (via a ``.part`` file, renamed when complete).

    Raises :class:`Cancelled` when ``should_stop()`` turns true between clauses, and
    :class:`huayin.errors.HuayinError` for bad input.
    """
    key = request.key(synthesizer.store)
    partial = path.with_name(path.name + ".part")
    hit = cache.get(key)
    if hit is not None:
        partial.write_bytes(hit.data)
        partial.replace(path)
        return RenderedFile(path, hit.meta["duration"], hit.meta["sample_rate"], hit.timings(),
                            hit.meta.get("original", request.text), hashlib.sha256(hit.data).hexdigest(), True, hit.meta["voice"])
    stream = synthesizer.stream(request.text, voice=request.voice, reference=request.reference,
                                **{"early_start": False, **request.options})
    rate = check_rate(request.sample_rate, stream.sample_rate)
    resampler = StreamResampler(stream.sample_rate, rate)
    encoder = StreamEncoder(request.format, rate, streaming=True)
    timings: list[CharTiming] = []
    duration = 0.0
    with open(partial, "wb") as output:
        for chunk in stream:
            output.write(encoder.write(resampler.process(chunk.samples)))
            timings.extend(chunk.timings)
            duration += chunk.duration
            if should_stop():
                raise Cancelled()
        tail = resampler.process(np.zeros(0, np.float32), last=True)
        output.write((encoder.write(tail) if len(tail) else b"") + encoder.close())
    if request.format == "wav":
        patch_wav_sizes(partial)
    data = partial.read_bytes() if cache.enabled else None
    digest = hashlib.sha256(data if data is not None else partial.read_bytes()).hexdigest()
    partial.replace(path)
    if data is not None:
        cache.put(key, CachedAudio(data, {
            "duration": duration, "sample_rate": rate, "voice": stream.voice.id,
            "timings": timings_meta(timings), "normalized": stream.utterance.normalized,
            "original": stream.utterance.original}))
    return RenderedFile(path, duration, rate, timings, stream.utterance.original, digest, False,
                        stream.voice.id)


__all__ = ["Cancelled", "RenderedFile", "SynthesisRequest", "pack_fingerprint", "patch_wav_sizes",
           "render_to_file"]
