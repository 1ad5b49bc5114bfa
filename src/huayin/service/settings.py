"""Settings of the job and cache service, read from the environment once."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from huayin.config import env_float, env_int, huayin_home


@dataclass
class ServiceSettings:
    """Jobs, cache and scale-out switches (environment variable in brackets)."""

    redis_url: str | None = field(default_factory=lambda: os.environ.get("HUAYIN_REDIS_URL") or None)
    """redis://host:port/db switches jobs to Celery workers on Redis and the cache to Redis
    (HUAYIN_REDIS_URL; unset = embedded: SQLite + disk + the server's own threads)."""
    cache_mb: float = field(default_factory=lambda: env_float("HUAYIN_CACHE_MB", 256))
    """Audio cache size in MB; 0 turns the cache off (HUAYIN_CACHE_MB, default 256)."""
    job_ttl_hours: float = field(
        default_factory=lambda: env_float("HUAYIN_JOB_TTL_HOURS", 24, minimum=0.001))
    """How long a job and its results are kept after submission (HUAYIN_JOB_TTL_HOURS, 24)."""
    job_threads: int = field(default_factory=lambda: env_int("HUAYIN_JOB_THREADS", 1, minimum=1))
    """Embedded mode: threads of the server that run job items (HUAYIN_JOB_THREADS, default 1)."""
    max_job_chars: int = field(
        default_factory=lambda: env_int("HUAYIN_MAX_JOB_CHARS", 200_000, minimum=1))
    """Largest job, in characters of text (HUAYIN_MAX_JOB_CHARS, default 200 000)."""
    live_priority_seconds: float = field(
        default_factory=lambda: env_float("HUAYIN_JOB_YIELD_SECONDS", 5.0))
    """Embedded mode: longest a job item waits before each clause while live requests run
    (HUAYIN_JOB_YIELD_SECONDS, default 5)."""
    home: Path = field(default_factory=huayin_home)
    """Where the embedded store, results and cache live ($HUAYIN_HOME)."""

    @property
    def ttl_seconds(self) -> float:
        return self.job_ttl_hours * 3600

    @property
    def cache_bytes(self) -> int:
        return int(self.cache_mb * 1024 * 1024)


__all__ = ["ServiceSettings"]
