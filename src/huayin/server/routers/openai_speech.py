"""``POST /v1/audio/speech`` — OpenAI-compatible speech, as audio or SSE."""

import base64
import json

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from huayin.errors import HuayinError
from huayin.prosody.instructions import emotion_from_instructions
from huayin.server.engine import Rendered, SpeechJob
from huayin.server.errors import error_body, log
from huayin.server.openai_compat import check_model, resolve_voice
from huayin.server.routers.common import (
    Utf8JsonRoute,
    audio_stream_response,
    cached_audio_response,
    documented_responses,
    released_after,
    service_of,
)
from huayin.server.schemas import OpenAISpeechRequest

router = APIRouter(route_class=Utf8JsonRoute)
OPENAI_SAMPLE_RATE = 24000


def job_of(body: OpenAISpeechRequest) -> SpeechJob:
    """Map OpenAI's fields (and huayin's extras) onto a SpeechJob; an explicit ``emotion``
    wins over one found in ``instructions``."""
    check_model(body.model)
    instructed = None if body.emotion else emotion_from_instructions(body.instructions)
    if instructed is None:
        options = body.options(body.speed)
    else:
        options = body.options(body.speed, instructed.emotion,
                               min(instructed.intensity * body.intensity, 2.0))
    # OpenAI clients assume 24 kHz (raw pcm has no header to say otherwise), whatever the voice.
    return SpeechJob(body.input, resolve_voice(body.voice), body.response_format,
                     body.sample_rate or OPENAI_SAMPLE_RATE, options)


@router.post("/v1/audio/speech", tags=["openai"],
             responses=documented_responses("text/event-stream"))
async def create_speech(body: OpenAISpeechRequest, request: Request):
    """Speak ``input``; the audio streams back as it is synthesized."""
    service = service_of(request)
    job = job_of(body)
    key = service.cache_key(job, "stream") if body.stream_format == "audio" else None
    hit = await cached_audio_response(service, job, key)
    if hit is not None:
        return hit
    ticket, stream = await service.start(job)
    if body.stream_format == "audio":
        return audio_stream_response(service, stream, job, ticket, key)
    return StreamingResponse(released_after(_sse_events(service, stream, job), ticket),
                             media_type="text/event-stream",
                             background=BackgroundTask(ticket.release))


async def _sse_events(service, stream, job):
    """OpenAI's speech SSE: ``speech.audio.delta`` events with base64 audio, then ``done``; a
    stream that must end early ends with an ``error`` event instead of ``done``."""
    rendered = Rendered()
    try:
        async for data in service.encoded(stream, job, rendered, streamed=True):
            event = {"type": "speech.audio.delta", "audio": base64.b64encode(data).decode("ascii")}
            yield f"data: {json.dumps(event)}\n\n"
    except HuayinError as error:
        log.warning("SSE stream ended early after %.1f s of audio: %s: %s",
                    rendered.audio_seconds, error.code, error.message)
        yield f"data: {json.dumps({'type': 'error', **error_body(error.code, error.message)})}\n\n"
        return
    characters = len(stream.utterance.tokens)
    done = {"type": "speech.audio.done",
            "usage": {"input_tokens": characters, "output_tokens": 0,
                      "total_tokens": characters},
            "audio_seconds": round(rendered.audio_seconds, 3)}
    yield f"data: {json.dumps(done)}\n\n"
