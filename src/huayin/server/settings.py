"""Server settings, read from the environment once at start-up."""

import os
from dataclasses import dataclass, field, replace

from huayin.config import env_float, env_int
from huayin.text.output_limits import OutputLimits
from huayin.voices.registry import DEFAULT_VOICE

# Every number below is refused when negative (or not a number) at start-up; limits that make
# no sense at zero (a zero timeout would refuse every request) ask for at least 1 or a positive
# value.


@dataclass
class ServerSettings:
    """Limits and switches of ``huayin serve`` (environment variable in brackets)."""

    max_text_chars: int = field(
        default_factory=lambda: env_int("HUAYIN_MAX_TEXT_CHARS", 10_000, minimum=1))
    """Longest accepted text per request (HUAYIN_MAX_TEXT_CHARS, default 10 000)."""
    limits: OutputLimits = field(default_factory=OutputLimits.from_env)
    """Output caps of every synthesis request, checked before synthesis (413
    ``output_too_long``): HUAYIN_MAX_AUDIO_SECONDS (3600), HUAYIN_MAX_BREAK_SECONDS (600),
    HUAYIN_MAX_SSML_ELEMENTS (2000); read by :meth:`OutputLimits.from_env`, as the CLI reads
    them."""
    max_queue: int = field(default_factory=lambda: env_int("HUAYIN_MAX_QUEUE", 16, minimum=1))
    """Requests admitted at once, running or waiting; beyond it 503 + Retry-After
    (HUAYIN_MAX_QUEUE, default 16)."""
    request_timeout: float = field(
        default_factory=lambda: env_float("HUAYIN_REQUEST_TIMEOUT", 60.0, minimum=0.001))
    """Seconds a whole (not streamed) answer may take before 504; longer texts are refused up
    front with 413 when the measured pace says so (HUAYIN_REQUEST_TIMEOUT, default 60)."""
    first_audio_timeout: float = field(
        default_factory=lambda: env_float("HUAYIN_FIRST_AUDIO_TIMEOUT", 30.0, minimum=0.001))
    """Seconds a streamed answer may take to its first audio (HUAYIN_FIRST_AUDIO_TIMEOUT)."""
    stall_timeout: float = field(
        default_factory=lambda: env_float("HUAYIN_STALL_TIMEOUT", 30.0, minimum=0.001))
    """Longest gap between two audio chunks of a streamed answer; streams have no total limit
    (HUAYIN_STALL_TIMEOUT, default 30)."""
    workers: int = field(
        default_factory=lambda: env_int("HUAYIN_WORKERS", os.cpu_count() or 1, minimum=1))
    """Synthesis worker threads (HUAYIN_WORKERS, default: number of cores)."""
    api_key: str | None = field(default_factory=lambda: os.environ.get("HUAYIN_API_KEY") or None)
    """When set, API routes need ``Authorization: Bearer <key>``; several keys comma-separated
    (HUAYIN_API_KEY). See :mod:`huayin.server.security`."""
    api_key_file: str | None = field(
        default_factory=lambda: os.environ.get("HUAYIN_API_KEY_FILE") or None)
    """File of accepted keys, one per line, plain or ``sha256:<hex>`` (HUAYIN_API_KEY_FILE)."""
    rate_limit: str | None = field(
        default_factory=lambda: os.environ.get("HUAYIN_RATE_LIMIT") or None)
    """Per-client token bucket, ``N/s``, ``N/min`` or ``N/h``; clients are keys, or addresses
    when no key is set (HUAYIN_RATE_LIMIT; unset = no limit)."""
    rate_burst: int | None = field(
        default_factory=lambda: env_int("HUAYIN_RATE_BURST", 0) or None)
    """Requests a client may make at once after idling (HUAYIN_RATE_BURST; default one
    second's worth of the rate, at least 1)."""
    public_metrics: bool = field(
        default_factory=lambda: os.environ.get("HUAYIN_PUBLIC_METRICS", "") == "1")
    """Keep ``/metrics`` open when keys are set (HUAYIN_PUBLIC_METRICS=1)."""
    public_docs: bool = field(
        default_factory=lambda: os.environ.get("HUAYIN_PUBLIC_DOCS", "") == "1")
    """Keep ``/docs`` (and its assets) and ``/openapi.json`` open when keys are set
    (HUAYIN_PUBLIC_DOCS=1)."""
    log_format: str = field(default_factory=lambda: os.environ.get("HUAYIN_LOG_FORMAT") or "text")
    """``text`` or ``json`` (one JSON object per line) for the server's log (HUAYIN_LOG_FORMAT)."""
    log_text: bool = field(default_factory=lambda: os.environ.get("HUAYIN_LOG_TEXT", "") == "1")
    """Put the text of each request into its log line (HUAYIN_LOG_TEXT=1; off for privacy)."""
    cors_origins: list[str] = field(default_factory=lambda: [
        o.strip() for o in os.environ.get("HUAYIN_CORS_ORIGINS", "").split(",") if o.strip()])
    """Origins allowed by CORS, comma-separated (HUAYIN_CORS_ORIGINS; empty = same origin only)."""
    max_upload_bytes: int = field(
        default_factory=lambda: env_int("HUAYIN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1))
    """Largest accepted reference clip upload (HUAYIN_MAX_UPLOAD_BYTES, default 10 MB)."""
    fetch_hosts: frozenset[str] = field(default_factory=lambda: frozenset(
        h.strip().lower() for h in os.environ.get("HUAYIN_FETCH_HOSTS", "").split(",") if h.strip()))
    """Hosts ``emotion_audio_url`` may fetch a reference clip from, comma-separated
    (HUAYIN_FETCH_HOSTS; empty = URLs refused, clips must be sent)."""
    fetch_timeout: float = field(
        default_factory=lambda: env_float("HUAYIN_FETCH_TIMEOUT", 10.0, minimum=0.001))
    """Seconds one ``emotion_audio_url`` fetch may take (HUAYIN_FETCH_TIMEOUT, default 10)."""
    fetch_allow_private: bool = field(
        default_factory=lambda: os.environ.get("HUAYIN_FETCH_ALLOW_PRIVATE", "") == "1")
    """Let listed hosts resolve to private, loopback or link-local addresses, for a clip server
    on the same machine or LAN (HUAYIN_FETCH_ALLOW_PRIVATE=1; off by default)."""
    max_reference_seconds: float = 30.0
    """Longest accepted reference clip."""
    preload_voices: tuple[str, ...] = (DEFAULT_VOICE,)
    """Voices loaded at start-up (the default voice); /health/ready reports ready once they are."""

    def output_limits(self) -> OutputLimits:
        """The output caps of every synthesis request (``<sub alias>`` text may not make a
        text longer than :attr:`max_text_chars`)."""
        return replace(self.limits, max_spoken_chars=self.max_text_chars)
