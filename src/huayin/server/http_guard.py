"""Plain ASGI middleware around every HTTP request: early refusals that need no route (body too
large, wrong content type) and the request metrics.

Plain ASGI (not ``@app.middleware("http")``) so that nothing between a route and the server
rewrites a response: a stream that must end early just stops sending, and the server drops the
connection without the terminating chunk (see
:class:`huayin.server.routers.common.AbortingStreamingResponse`).
"""

import time

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from huayin.server.errors import error_body
from huayin.server.metrics import ServiceMetrics
from huayin.server.settings import ServerSettings

#: Slack above the upload limit for multipart framing and form fields.
BODY_SLACK = 256 * 1024
#: Routes whose body must be JSON.
_JSON_ROUTES = ("/v1/audio/speech", "/api/tts")


class BodyGuardMiddleware:
    """Refuse an oversized body (413, by its Content-Length) or a synthesis request that is not
    JSON (415) before any route reads it. Keys and rate limits:
    :class:`huayin.server.security.AccessMiddleware`."""

    def __init__(self, app: ASGIApp, settings: ServerSettings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = self._refusal(scope) if scope["type"] == "http" else None
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    def _refusal(self, scope: Scope) -> JSONResponse | None:
        headers = Headers(scope=scope)
        path = scope["path"]
        length = headers.get("content-length")
        limit = self.settings.max_upload_bytes
        if path == "/api/synthesize":  # a clip may come base64-encoded in JSON: 4 bytes for 3
            limit = limit * 4 // 3
        if length and length.isdigit() and int(length) > limit + BODY_SLACK:
            return JSONResponse(error_body("payload_too_large", "request body too large"), 413)
        if scope["method"] == "POST" and path in _JSON_ROUTES:
            if not headers.get("content-type", "").startswith("application/json"):
                return JSONResponse(error_body("unsupported_media_type",
                                               "send the body as application/json"), 415)
        return None


class MetricsMiddleware:
    """Count every HTTP request by route and status, its latency (to the last byte sent) and
    its error statuses; a response that never started counts as 500."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def send_measured(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_measured)
        finally:
            # The router leaves the matched route in the scope.
            label = getattr(scope.get("route"), "path", "unmatched")
            code = str(status[0] if status else 500)
            self.metrics.requests.labels(label, code).inc()
            self.metrics.latency.labels(label).observe(time.perf_counter() - started)
            if int(code) >= 400:
                self.metrics.errors.labels(code).inc()
