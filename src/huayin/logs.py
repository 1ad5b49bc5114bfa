"""Log lines of every huayin process (server and workers), as text or JSON, with request ids.

The id of the request being served (or, in a worker, of the request that submitted the job whose
item runs) lives in a context variable; :class:`RequestIdFilter` and the formatters put it on
every line, so a job's lines in a worker can be found from the client's ``X-Request-Id``.
Choosing and checking the format (``HUAYIN_LOG_FORMAT``) is :func:`log_config`'s job.
"""

import contextvars
import json
import logging
from datetime import datetime, timezone

from huayin.errors import SettingsError

#: The id of the request being served in this context ("-" outside requests).
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id",
                                                                         default="-")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``record.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, the record's
    ``fields`` and, on errors, the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc)
                          .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname, "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger [request id] message key=value ...`` (key=value for the record's
    ``fields``)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            extra = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()
                             if v not in (None, "") and k not in ("method", "path", "status"))
            # the traceback (if any) stays last, on its own lines
            head, sep, tail = line.partition("\n")
            line = f"{head} {extra}{sep}{tail}"
        return line


def log_config(log_format: str, level: str = "info") -> dict:
    """A :func:`logging.config.dictConfig` for ``huayin serve`` and ``huayin worker`` (uvicorn's
    loggers included): one handler on stderr in the chosen format, request ids on every line."""
    if log_format not in ("text", "json"):
        raise SettingsError(f"HUAYIN_LOG_FORMAT {log_format!r}: use text or json")
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"huayin": {"()": formatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                "formatter": "huayin", "filters": ["request_id"]}},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own handlers are replaced, its access log by huayin.access
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
