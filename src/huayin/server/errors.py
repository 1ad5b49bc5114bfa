"""Every error leaves the server as ``{"error": {"code", "message"}}`` with a fitting status."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from huayin.errors import HuayinError

#: HTTP status for error codes that are not plain 400s.
_STATUS_OF_CODE = {
    "voice_not_installed": 409,
    "unauthorized": 401,
    "not_found": 404,
    "payload_too_large": 413,
    "job_too_large": 413,
    "job_not_finished": 409,
    "not_concatenated": 409,
    "unsupported_media_type": 415,
    "busy": 503,
    "not_ready": 503,
    "lexicon_unavailable": 503,
    "timeout": 504,
    "too_long_for_timeout": 413,
    "output_too_long": 413,
    "client_gone": 499,
    "internal_error": 500,
}

#: Validation problems that mean "a value out of its allowed set", answered as
#: ``invalid_parameter`` like the engine's own range checks.
_PARAMETER_PROBLEMS = frozenset({
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number",
    "literal_error", "enum", "too_long", "string_too_long",
})

log = logging.getLogger("huayin.server")


class ServiceError(HuayinError):
    """An error raised by the HTTP layer itself (busy, timeout, auth, size...)."""

    def __init__(self, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message, code=code)
        self.headers = headers or {}


def error_body(code: str, message: str) -> dict:
    """The JSON error body."""
    return {"error": {"code": code, "message": message}}


def status_of(error: HuayinError) -> int:
    """HTTP status for a user error."""
    return _STATUS_OF_CODE.get(error.code, 400)


def _validation_message(error: RequestValidationError) -> tuple[str, str]:
    problems = error.errors()
    if any(p.get("type") == "json_invalid" for p in problems):
        return "malformed_json", "the request body is not valid JSON"
    code = "invalid_parameter" if all(
        p.get("type") in _PARAMETER_PROBLEMS for p in problems) else "invalid_request"
    parts = []
    for problem in problems[:5]:
        where = ".".join(str(x) for x in problem.get("loc", ()) if x != "body")
        parts.append(f"{where or 'body'}: {problem.get('msg', 'invalid')}")
    return code, "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    """Map user errors, validation errors and HTTP errors to the JSON error shape."""

    @app.exception_handler(HuayinError)
    async def _huayin(_: Request, error: HuayinError):
        headers = getattr(error, "headers", None)
        return JSONResponse(error_body(error.code, error.message), status_of(error), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError):
        code, message = _validation_message(error)
        return JSONResponse(error_body(code, message), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse(error_body(code, str(error.detail)), error.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception):
        # A bug, not bad input: still the JSON shape, one log line naming the route (Starlette
        # re-raises afterwards so the server logs the traceback once).
        log.error("internal error on %s %s: %s: %s", request.method, request.url.path,
                  type(error).__name__, error)
        return JSONResponse(error_body("internal_error", "internal server error"), 500)
