"""Request ids and the server's access lines, without request text by default (the line
formats themselves are :mod:`huayin.logs`).

Every HTTP request and WebSocket connection gets an id: the client's ``X-Request-Id`` when it is
a sane token, else a fresh one. The id is sent back in ``X-Request-Id``, is on the request's
access line and on every other log line written while the request runs (a context variable read
by :class:`RequestIdFilter`). Access lines replace uvicorn's, which print the query string (a
WebSocket's ``?api_key=`` included). What was to be spoken is logged only with
``HUAYIN_LOG_TEXT=1``: the ``text`` (or OpenAI's ``input``) field of JSON bodies and of
WebSocket messages.
"""

import json
import logging
import re
import time
import uuid
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from huayin.logs import current_request_id

access_log = logging.getLogger("huayin.access")

_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
#: Query parameters whose values never reach the log.
_SECRET_PARAMS = frozenset({"api_key"})
#: Request body bytes kept to find the text when HUAYIN_LOG_TEXT=1 (longer bodies: not logged).
_TEXT_BODY_LIMIT = 256 * 1024
#: Characters of text put on a log line.
_TEXT_LOG_CHARS = 500


def request_id_of(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's X-Request-Id if it is 1-128 characters of ``[A-Za-z0-9._:-]``, else a new
    one (so an id cannot inject log syntax or grow a line without bound)."""
    for name, value in headers:
        if name.lower() == b"x-request-id":
            text = value.decode("latin-1").strip()
            if _SANE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def loggable_query(query: bytes) -> str:
    """The query string with secret values replaced and long values cut."""
    if not query:
        return ""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, "***" if k in _SECRET_PARAMS else v[:64]) for k, v in pairs])


def spoken_text(body: bytes) -> str | None:
    """The ``text`` or ``input`` field of a JSON object body, cut for the log."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    text = data.get("text", data.get("input"))
    return text[:_TEXT_LOG_CHARS] if isinstance(text, str) else None


class RequestLogMiddleware:
    """ASGI middleware: request ids in and out, one access line per request or WebSocket
    connection (``huayin.access`` logger), text only when ``log_text``."""

    def __init__(self, app: ASGIApp, log_text: bool = False):
        self.app = app
        self.log_text = log_text

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope.get("headers", []))
        scope.setdefault("state", {})["request_id"] = request_id
        # Not reset at the end: each request runs in its own task (its own context), and
        # uvicorn's traceback line for a crashed request comes after this returns.
        current_request_id.set(request_id)
        started = time.perf_counter()
        outcome = {"status": None, "close_code": None, "bytes_out": 0, "messages": 0}
        body = bytearray()

        async def receive_logged() -> Message:
            message = await receive()
            if message["type"] == "http.request" and self.log_text:
                if len(body) <= _TEXT_BODY_LIMIT:
                    body.extend(message.get("body", b""))
            elif message["type"] == "websocket.receive" and message.get("text") is not None:
                outcome["messages"] += 1
                if self.log_text:
                    text = spoken_text(message["text"].encode("utf-8", "replace"))
                    access_log.info("websocket message", extra={
                        "request_id": request_id, "fields": {"path": scope["path"], "text": text}})
            return message

        async def send_with_id(message: Message) -> None:
            kind = message["type"]
            if kind in ("http.response.start", "websocket.http.response.start"):
                outcome["status"] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            elif kind == "websocket.accept":
                outcome["status"] = 101
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            elif kind == "websocket.close":
                outcome["close_code"] = message.get("code", 1000)
                if outcome["status"] is None:
                    outcome["status"] = 403  # closed before accepting: the handshake fails
            elif kind in ("http.response.body", "websocket.http.response.body"):
                outcome["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_logged, send_with_id)
        except BaseException:
            outcome["status"] = outcome["status"] or 500
            raise
        finally:
            self._log(scope, outcome, time.perf_counter() - started, bytes(body))

    def _log(self, scope: Scope, outcome: dict, seconds: float, body: bytes) -> None:
        websocket = scope["type"] == "websocket"
        method = "WEBSOCKET" if websocket else scope["method"]
        client = scope.get("client")
        fields = {
            "method": method, "path": scope["path"],
            "query": loggable_query(scope.get("query_string", b"")),
            "status": outcome["status"], "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
            "key": scope.get("state", {}).get("client_id"),
            "bytes_out": outcome["bytes_out"],
        }
        if websocket:
            fields["close_code"] = outcome["close_code"]
            fields["messages"] = outcome["messages"]
        if self.log_text and body:
            fields["text"] = spoken_text(body)
        access_log.info("%s %s %s", method, scope["path"], outcome["status"],
                        extra={"request_id": scope["state"]["request_id"], "fields": fields})
