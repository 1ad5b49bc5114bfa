"""The Sambert image's request shapes: JSON ``/api/synthesize`` and ``/api/tts_batch`` bodies,
their reference clip (base64 or URL), and rendering a batch item whole.

Clients written for the Sambert-HiFiGAN images send JSON where huayin's own route takes
multipart, name Sambert speakers (resolved by :mod:`huayin.voices.aliases`) and pass the
reference clip base64-encoded or as a URL (fetched under :mod:`huayin.server.reference_fetch`).
Bodies ignore fields they do not know, so such clients work unchanged.
"""

import asyncio
import base64
import binascii
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from huayin.audio.decode import InvalidAudioError, decode_clip
from huayin.errors import EmptyTextError, HuayinError, InvalidParameterError
from huayin.prosody.emotions import resolve_emotion
from huayin.server.engine import Rendered, SpeechJob, SpeechService
from huayin.server.errors import ServiceError
from huayin.server.reference_fetch import FetchPolicy, fetch_reference
from huayin.server.schemas import (
    Intensity,
    Pitch,
    SampleRate,
    Seed,
    Speed,
    Text,
    Volume,
    synthesis_options,
)
from huayin.server.settings import ServerSettings
from huayin.voices.registry import DEFAULT_VOICE, resolve_voice_id

#: Most items one ``/api/tts_batch`` request may hold; larger batches go to ``/api/jobs``.
MAX_BATCH_ITEMS = 32
_DATA_URL = re.compile(r"^data:[\w/+.-]*(;[\w=.-]+)*;base64,", re.IGNORECASE)


class SambertDelivery(BaseModel):
    """Speaker and delivery fields shared by the Sambert-shaped bodies."""

    model_config = ConfigDict(extra="ignore")

    speaker: Text | None = Field(None, description="huayin voice id or Sambert speaker "
                                "(zhitian, zhibei_emo, ...; see /api/voices); default voice if "
                                "neither this nor voice is given")
    voice: Text | None = Field(None, description="the same as speaker (huayin's name for it)")
    emotion: Text | None = Field(None, description="emotion (Sambert names: neutral, happy, angry, "
                                "sad, fear, hate, surprise, arousal; or huayin's)")
    intensity: Intensity = Field(1.0, description="emotion strength 0–2")
    speed: Speed = Field(1.0, description="0.25–4.0, > 1 faster")
    pitch: Pitch = Field(0.0, description="pitch shift in semitones, −6…+6")
    volume: Volume = Field(0.0, description="gain in dB, −20…+10")
    seed: Seed = Field(0, description="sampling seed: same seed, same audio")

    @property
    def voice_id(self) -> str:
        """The voice asked for (``speaker``, else ``voice``, else the default voice)."""
        return self.speaker or self.voice or DEFAULT_VOICE

    def options(self) -> dict:
        """Synthesizer options of these fields."""
        return synthesis_options(speed=self.speed, seed=self.seed, pitch=self.pitch,
                                 volume=self.volume, emotion=self.emotion,
                                 intensity=self.intensity)


class SynthesizeJsonRequest(SambertDelivery):
    """``POST /api/synthesize`` as JSON (the multipart form has the same fields)."""

    text: Text = Field(..., description="text to speak")
    format: Text = Field("wav", description="wav, mp3, opus, aac, flac or pcm")
    sample_rate: SampleRate | None = Field(None, description="output rate: 8000…48000, default native")
    subtitles: Text | None = Field(None, description="srt, vtt or json: answer JSON with base64 "
                                  "audio and subtitles")
    emotion_audio: Text | None = Field(None, description="reference clip, base64 (a data: URL "
                                      "too); its delivery is imitated")
    emotion_audio_url: Text | None = Field(None, description="reference clip by URL, fetched only "
                                          "from hosts in HUAYIN_FETCH_HOSTS")


class BatchItem(SambertDelivery):
    """One text of a ``/api/tts_batch`` request."""

    text: Text = Field(..., description="text to speak")


class TtsBatchRequest(BaseModel):
    """``POST /api/tts_batch``: up to :data:`MAX_BATCH_ITEMS` texts, answered in order."""

    model_config = ConfigDict(extra="ignore")

    items: list[BatchItem] = Field(..., description="texts with their speaker and emotion")
    sample_rate: SampleRate | None = Field(None, description="rate of every WAV: 8000…48000 (16000 as "
                                    "Sambert), default each voice's native rate")


def fetch_policy(settings: ServerSettings) -> FetchPolicy:
    """What ``emotion_audio_url`` may fetch on this server."""
    return FetchPolicy(hosts=settings.fetch_hosts, max_bytes=settings.max_upload_bytes,
                       timeout=settings.fetch_timeout, allow_private=settings.fetch_allow_private)


def decode_base64_clip(text: str, max_bytes: int) -> bytes:
    """The bytes of a base64 (or base64 data: URL) clip; raises a user error."""
    payload = re.sub(r"\s+", "", _DATA_URL.sub("", text.strip(), count=1))
    if len(payload) * 3 // 4 > max_bytes + 3:
        raise ServiceError("payload_too_large",
                           f"emotion_audio is larger than {max_bytes // (1024 * 1024)} MB")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidAudioError("emotion_audio is not valid base64") from None


async def load_reference(emotion_audio: Text | None, emotion_audio_url: Text | None,
                         settings: ServerSettings) -> tuple[np.ndarray, int] | None:
    """The decoded reference clip given as base64 text or a URL (JSON body or form field), or
    None without one."""
    if emotion_audio and emotion_audio_url:
        raise InvalidParameterError("send either emotion_audio or emotion_audio_url, not both",
                                    code="invalid_request")
    loop = asyncio.get_running_loop()
    if emotion_audio:
        data = decode_base64_clip(emotion_audio, settings.max_upload_bytes)
    elif emotion_audio_url:
        data = await loop.run_in_executor(
            None, fetch_reference, emotion_audio_url, fetch_policy(settings))
    else:
        return None
    return await loop.run_in_executor(None, decode_clip, data, settings.max_reference_seconds)


def check_batch(body: TtsBatchRequest, max_text_chars: int) -> None:
    """Refuse, before any work, empty batches, batches over :data:`MAX_BATCH_ITEMS` (413,
    pointing to jobs) and items with an empty or too long text, an unknown speaker or emotion
    (the message names the item)."""
    if not body.items:
        raise InvalidParameterError("items is empty", code="invalid_request")
    if len(body.items) > MAX_BATCH_ITEMS:
        raise ServiceError(
            "payload_too_large",
            f"/api/tts_batch takes at most {MAX_BATCH_ITEMS} items ({len(body.items)} sent); "
            "send larger batches to POST /api/jobs, which runs them in the background")
    for index, item in enumerate(body.items):
        with item_errors(index):
            if not item.text.strip():
                raise EmptyTextError("text is empty")
            if len(item.text) > max_text_chars:
                raise InvalidParameterError(f"text is longer than {max_text_chars} characters",
                                            code="text_too_long")
            resolve_voice_id(item.voice_id)
            resolve_emotion(item.emotion or "neutral")


@contextmanager
def item_errors(index: int) -> Iterator[None]:
    """Prefix a user error raised inside with the batch item it belongs to."""
    try:
        yield
    except HuayinError as error:
        error.args = (f"items[{index}]: {error.message}", *error.args[1:])
        raise


@dataclass
class RenderedItem:
    """One batch item, rendered whole."""

    audio: bytes
    """The encoded audio (WAV)."""
    duration: float
    """Seconds of audio."""
    inference_time: float
    """Seconds spent producing it (0 for a cache hit)."""
    voice: str
    """The huayin voice that spoke it."""

    def to_dict(self) -> dict:
        """The item's JSON answer."""
        return {"audio": base64.b64encode(self.audio).decode("ascii"),
                "duration": round(self.duration, 3),
                "inference_time": round(self.inference_time, 3), "voice": self.voice}


async def render_whole(service: SpeechService, job: SpeechJob) -> RenderedItem:
    """A job's complete audio (from the cache when an identical job was answered before)."""
    job.options["early_start"] = False  # answered whole: no need for an early first block
    key = service.cache_key(job, "whole")
    hit = await service.cached(key)
    if hit is not None:
        return RenderedItem(hit.data, hit.meta.get("duration", 0.0), 0.0,
                            hit.meta.get("voice", job.voice))
    started = time.perf_counter()
    ticket, speech = await service.start(job, whole=True)
    rendered = Rendered()
    data = await service.whole(ticket, speech, job, rendered, key)
    return RenderedItem(data, rendered.audio_seconds, time.perf_counter() - started,
                        speech.voice.id)
