"""Pieces shared by the synthesis routes."""

from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.responses import StreamingResponse
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
                          ticket: Ticket) -> StreamingResponse:
    """Chunked audio: the first bytes leave as soon as the first clause is synthesized."""
    progressive = job.format in PROGRESSIVE_FORMATS
    body = service.encoded(stream, job, Rendered(), progressive=progressive)
    return StreamingResponse(
        released_after(body, ticket), media_type=mime_type(job.format),
        headers={"X-Voice": stream.voice.id}, background=BackgroundTask(ticket.release))
