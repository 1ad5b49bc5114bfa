"""Pieces shared by the synthesis routes."""

from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from huayin.audio.encode import PROGRESSIVE_FORMATS, mime_type
from huayin.server.engine import Rendered, SpeechJob, SpeechService, Ticket
from huayin.synth import SpeechStream


def service_of(request: Request) -> SpeechService:
    """The app's SpeechService."""
    return request.app.state.service


async def released_after(body: AsyncIterator, ticket: Ticket) -> AsyncIterator:
    """Yield from ``body`` and free the admission ticket however it ends."""
    try:
        async for item in body:
            yield item
    finally:
        ticket.release()


def audio_stream_response(service: SpeechService, stream: SpeechStream, job: SpeechJob,
                          ticket: Ticket, cache_key: str | None = None) -> StreamingResponse:
    """Chunked audio: the first bytes leave as soon as the first clause is synthesized; with
    ``cache_key`` the whole stream is cached once complete."""
    progressive = job.format in PROGRESSIVE_FORMATS
    body = service.encoded(stream, job, Rendered(), progressive=progressive, cache_key=cache_key)
    headers = {"X-Voice": stream.voice.id}
    if cache_key is not None:
        headers["X-Cache"] = "MISS"
    return StreamingResponse(
        released_after(body, ticket), media_type=mime_type(job.format),
        headers=headers, background=BackgroundTask(ticket.release))


async def cached_audio_response(service: SpeechService, job: SpeechJob,
                                key: str | None) -> Response | None:
    """The cached bytes of an identical earlier request (``X-Cache: HIT``), or None."""
    hit = await service.cached(key)
    if hit is None:
        return None
    headers = {"X-Cache": "HIT", "X-Voice": hit.meta.get("voice", job.voice),
               "X-Audio-Duration": f"{hit.meta.get('duration', 0.0):.3f}",
               "X-Inference-Time": "0.000"}
    if hit.meta.get("reference_features"):
        headers["X-Reference-Features"] = hit.meta["reference_features"]
    return Response(hit.data, media_type=mime_type(job.format), headers=headers)
