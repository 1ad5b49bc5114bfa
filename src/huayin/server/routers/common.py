"""Pieces shared by the synthesis routes."""

import asyncio
import collections
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute
from starlette.background import BackgroundTask

from huayin.audio.encode import FORMATS, PROGRESSIVE_FORMATS, mime_type
from huayin.server.engine import Rendered, SpeechJob, SpeechService, Ticket
from huayin.errors import HuayinError
from huayin.logs import current_request_id
from huayin.server.errors import ServiceError, log
from huayin.server.schemas import ErrorBody
from huayin.synth import SpeechStream

_ERROR_STATUSES = {
    400: "bad input (code names the field or the problem)",
    401: "missing or wrong API key",
    409: "the voice is known but not installed",
    413: "body, upload or expected work too large (see the message for the way out)",
    415: "body not JSON in UTF-8",
    503: "busy or not ready; retry after Retry-After",
    504: "synthesis stopped making progress",
}


def documented_responses(*extra_media_types: str) -> dict:
    """OpenAPI ``responses`` of a synthesis route: audio in every format (plus
    ``extra_media_types``) on 200, the JSON error body on every error status."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {mime_type(fmt): binary for fmt in FORMATS}
    content.update({media: {} for media in extra_media_types})
    responses: dict = {200: {"description": "audio", "content": content}}
    for status, why in _ERROR_STATUSES.items():
        responses[status] = {"model": ErrorBody, "description": why}
    return responses


class Utf8JsonRoute(APIRoute):
    """A route whose JSON body must be UTF-8 (RFC 8259): a declared other charset, or bytes that
    are not UTF-8 (a UTF-16 or UTF-32 body that the JSON parser would silently decode), get 415
    instead of being read as something the client did not mean."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def utf8_only(request: Request) -> Response:
            media_type, _, parameters = request.headers.get("content-type", "").partition(";")
            if media_type.strip().lower() == "application/json":
                charset = _charset(parameters)
                if charset not in (None, "utf-8", "utf8"):
                    raise ServiceError("unsupported_media_type",
                                       f"send JSON in UTF-8, not {charset}")
                try:
                    (await request.body()).decode("utf-8")
                except UnicodeDecodeError:
                    raise ServiceError("unsupported_media_type",
                                       "the body is not UTF-8; send JSON in UTF-8") from None
            return await handler(request)

        return utf8_only


def _charset(parameters: str) -> str | None:
    """The ``charset`` of a Content-Type's parameters, lower case, or None."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


#: What the server logs when an application returns before its response is complete (it then
#: drops the connection, which is how an aborted stream must end).
_UNCOMPLETED = "ASGI callable returned without completing response."
#: Request ids of streams ended early on purpose, newest last (bounded: the server does not log
#: for a client that has already gone).
_aborted_requests: collections.deque[str] = collections.deque(maxlen=256)


class _QuietAbort(logging.Filter):
    """Keep the server's line about an incomplete response out of the log for a stream ended
    early on purpose (the stream's own warning line says why); any other keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != _UNCOMPLETED:
            return True
        request_id = current_request_id.get()
        if request_id in _aborted_requests:
            _aborted_requests.remove(request_id)
            return False
        return True


logging.getLogger("uvicorn.error").addFilter(_QuietAbort())


class AbortingStreamingResponse(StreamingResponse):
    """Chunked audio that, when it must end early (synthesis stalled or failed after the status
    line has left), ends the connection without the terminating chunk: clients then see an
    incomplete body (curl exits 18, httpx and the openai client raise) instead of taking
    truncated audio for the whole. One warning line says why; no traceback."""

    async def stream_response(self, send) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        sent = 0
        try:
            async for chunk in self.body_iterator:
                sent += len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except HuayinError as error:
            log.warning("stream aborted after %d bytes: %s: %s", sent, error.code, error.message)
            # No final empty chunk: the response stays incomplete and the server drops the
            # connection (every middleware is plain ASGI, none finishes the body for us).
            _aborted_requests.append(current_request_id.get())
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


@asynccontextmanager
async def client_watch(request: Request | None) -> AsyncIterator[Callable[[], Awaitable[bool]]]:
    """A ``gone()`` check for a whole answer: true once the client has closed the connection.
    A task waits for the server's disconnect message: it sees it whenever it comes, where
    asking now and then with a zero timeout (``Request.is_disconnected``) can miss it."""
    closed = asyncio.Event()

    async def listen() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass
        closed.set()

    async def gone() -> bool:
        return closed.is_set()

    listener = asyncio.create_task(listen()) if request is not None else None
    try:
        yield gone
    finally:
        if listener is not None:
            listener.cancel()


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
    body = service.encoded(stream, job, Rendered(), progressive=progressive, cache_key=cache_key,
                           streamed=True)
    headers = {"X-Voice": stream.voice.id}
    if cache_key is not None:
        headers["X-Cache"] = "MISS"
    return AbortingStreamingResponse(
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
