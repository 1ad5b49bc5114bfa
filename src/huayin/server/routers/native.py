"""huayin's own API: ``/api/tts`` (JSON), ``/api/synthesize`` (multipart with a reference
clip) and ``/api/voices``."""

import base64
import time
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile as UploadedFile

from huayin.audio.encode import mime_type
from huayin.audio.subtitles import SUBTITLE_FORMATS, render
from huayin.errors import InvalidParameterError
from huayin.server.engine import Rendered, SpeechJob, SpeechService
from huayin.server.openai_compat import OPENAI_VOICES
from huayin.server.routers.common import (
    Utf8JsonRoute,
    audio_stream_response,
    cached_audio_response,
    client_watch,
    documented_responses,
    service_of,
)
from huayin.server.routers.reference import read_reference_clip
from huayin.server.sambert import load_reference
from huayin.server.schemas import SynthesizeForm, TtsRequest
from huayin.voices import DEFAULT_VOICE, aliases_of, list_aliases, list_voices

router = APIRouter(route_class=Utf8JsonRoute)


def _check_subtitles(kind: str | None) -> None:
    if kind is not None and kind not in SUBTITLE_FORMATS:
        raise InvalidParameterError(
            f"subtitles must be one of {', '.join(SUBTITLE_FORMATS)}", code="invalid_subtitles")


async def respond(service: SpeechService, job: SpeechJob, subtitles: str | None, stream: bool,
                  request: Request | None = None):
    """Run a job and answer with audio bytes, streamed audio, or JSON with audio + subtitles
    (shared with the Sambert-shaped routes). A whole answer too long for the request timeout is
    refused before synthesis; with ``request``, one whose client has gone stops at the next
    clause."""
    _check_subtitles(subtitles)
    if not stream or subtitles is not None:
        job.options["early_start"] = False  # answered whole: no need for an early first block
    # Answers with subtitles are built around the audio; only plain audio answers are cached.
    key = service.cache_key(job, "stream" if stream else "whole") if subtitles is None else None
    hit = await cached_audio_response(service, job, key)
    if hit is not None:
        return hit
    whole = not stream or subtitles is not None
    ticket, speech = await service.start(job, whole=whole)
    if not whole:
        return audio_stream_response(service, speech, job, ticket, key)
    started = time.perf_counter()
    rendered = Rendered()
    try:
        async with client_watch(request) as gone:
            data = await service.whole(ticket, speech, job, rendered, key, gone)
    finally:
        ticket.release()  # idempotent: also when the watch itself fails
    elapsed = time.perf_counter() - started
    headers = {"X-Inference-Time": f"{elapsed:.3f}", "X-Audio-Duration": f"{rendered.audio_seconds:.3f}",
               "X-Voice": speech.voice.id}
    if speech.reference is not None:
        headers["X-Reference-Features"] = speech.reference.summary()
    if key is not None:
        headers["X-Cache"] = "MISS"
    if subtitles is None:
        return Response(data, media_type=mime_type(job.format), headers=headers)
    body = {
        "audio": base64.b64encode(data).decode("ascii"), "format": job.format,
        "sample_rate": job.sample_rate or speech.sample_rate,
        "duration": round(rendered.audio_seconds, 3), "text": speech.utterance.original,
        "normalized_text": speech.utterance.normalized,
        "subtitles": render(subtitles, speech.utterance.original, rendered.timings),
        "warnings": speech.warnings,
        "reference": speech.reference.to_dict() if speech.reference is not None else None,
    }
    return JSONResponse(body, headers=headers)


@router.post("/api/tts", tags=["native"],
             responses=documented_responses("application/json"))
async def tts(body: TtsRequest, request: Request,
              subtitles: str | None = Query(None, description="srt, vtt or json: answer JSON with "
                                            "base64 audio and subtitles")):
    """Speak ``text``; returns audio (``X-Inference-Time`` header), streamed if ``stream``."""
    job = SpeechJob(body.text, body.voice, body.format, body.sample_rate, body.options(body.speed))
    return await respond(service_of(request), job, subtitles, body.stream, request)


@router.post("/api/synthesize", tags=["native"],
             responses=documented_responses("application/json"))
async def synthesize(
    request: Request, form: Annotated[SynthesizeForm, Form()],
    emotion_audio: UploadFile | str | None = File(None),
):
    """Multipart synthesis; an optional ``emotion_audio`` clip (WAV/MP3/FLAC/OGG, ≤ 10 MB,
    ≤ 30 s) sets the delivery ("speak like this"); it may also come base64-encoded in the same
    field or by URL in ``emotion_audio_url``. The same fields are accepted as a JSON body (see
    :mod:`huayin.server.routers.sambert`)."""
    service = service_of(request)
    options = form.options(form.speed)
    # Starlette's class: with a union type FastAPI hands over Starlette's upload object.
    if isinstance(emotion_audio, UploadedFile) and emotion_audio.filename:
        if form.emotion_audio_url:
            raise InvalidParameterError("send either emotion_audio or emotion_audio_url, not both")
        options["reference"] = await read_reference_clip(request, emotion_audio)
    elif isinstance(emotion_audio, str) or form.emotion_audio_url:  # base64 text or a URL
        options["reference"] = await load_reference(
            emotion_audio if isinstance(emotion_audio, str) else None, form.emotion_audio_url,
            service.settings)
    job = SpeechJob(form.text, form.speaker, form.format, form.sample_rate, options)
    return await respond(service, job, form.subtitles, stream=False, request=request)


@router.get("/api/voices", tags=["native"])
async def voices(request: Request):
    """Every voice with its metadata and whether it is installed; the default voice's id; and
    the OpenAI voice aliases and the Sambert speaker aliases (each with the voice it maps to)."""
    store = service_of(request).synthesizer.store
    return {
        "voices": [{**v.to_dict(), "installed": store.is_installed(v.pack),
                    "aliases": aliases_of(v.id)} for v in list_voices()],
        "default": DEFAULT_VOICE,
        "openai_aliases": OPENAI_VOICES,
        "aliases": [alias.to_dict() for alias in list_aliases()],
    }
