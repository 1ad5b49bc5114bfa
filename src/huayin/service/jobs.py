"""The job service: what the HTTP routes and ``huayin batch --server`` talk to.

Submitting stores the job (durably) and hands it to a dispatcher — the server's own threads in
embedded mode, Celery in scale-out mode; status, cancel and results only read and write the
stores, so any API replica can answer for any job.
"""

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from huayin.errors import HuayinError
from huayin.logs import current_request_id
from huayin.service.archive import write_archive, write_joined_audio
from huayin.service.cache import AudioCache
from huayin.service.results import ResultStore
from huayin.service.settings import ServiceSettings
from huayin.service.spec import JobRequest
from huayin.service.store import ItemRecord, JobRecord, JobStore
from huayin.text.output_limits import OutputLimits


class JobNotFoundError(HuayinError):
    """No job with that id (never submitted, or expired)."""

    code = "not_found"


class JobNotFinishedError(HuayinError):
    """The result was asked for before the job finished."""

    code = "job_not_finished"


@dataclass
class Dispatcher:
    """How queued items reach a worker, and what the service can say about the workers."""

    submit: Callable[[JobRecord], None]
    """Hand a newly stored job's items to the workers."""
    workers: Callable[[], list[dict]]
    """Workers seen recently: ``[{"name", "running", "seen"}]``."""
    mode: str
    """"embedded" or "celery"."""
    slots: Callable[[], int] = lambda: 1
    """Item slots of the workers alive now (asked at each status, so an ETA follows workers
    that join or leave)."""
    sweep: Callable[[float], int] = lambda now: 0
    """Remove jobs expired at ``now`` with their results; returns how many (embedded mode: the
    runner's janitor also calls it every minute; Redis expires keys itself)."""

    @property
    def threads(self) -> int:
        """Item slots for the ETA (at least one: a job waiting for its first worker)."""
        return max(1, self.slots())


class JobService:
    """Submit, inspect, cancel and download batch jobs."""

    def __init__(self, jobs: JobStore, results: ResultStore, cache: AudioCache,
                 settings: ServiceSettings, dispatcher: Dispatcher, archive_dir: Path):
        self.jobs = jobs
        """Durable job state."""
        self.results = results
        """Item results."""
        self.cache = cache
        """The audio cache (also used by live routes)."""
        self.settings = settings
        """TTL, limits."""
        self.dispatcher = dispatcher
        """Embedded threads or Celery."""
        self.archive_dir = Path(archive_dir)
        """Where this process builds result zips (rebuilt on demand if missing)."""
        self.on_close: list[Callable[[], None]] = []
        """Called by :meth:`close` (stop threads, close connections)."""

    def submit(self, request: JobRequest, limits: OutputLimits | None = None) -> JobRecord:
        """Store a job and queue its items; raises a user error for a job that is too large or
        an item whose output is over one of ``limits``' caps."""
        items = request.expanded_items(self.settings.max_job_chars, limits)
        now = time.time()
        settings = {"format": request.format, "sample_rate": request.sample_rate,
                    "subtitles": request.subtitles, "concatenate": request.concatenate,
                    "pause_ms": request.pause_ms}
        if current_request_id.get() != "-":  # submitted over HTTP: its items log under that id
            settings["request_id"] = current_request_id.get()
        job = JobRecord(secrets.token_hex(10), settings, now, now, now + self.settings.ttl_seconds,
                        items=[ItemRecord(i, item.model_dump(exclude_none=True))
                               for i, item in enumerate(items)])
        self.jobs.create(job)
        self.dispatcher.submit(job)
        return job

    def get(self, job_id: str) -> JobRecord:
        """The job or a 404."""
        job = self.jobs.get(job_id) if _is_job_id(job_id) else None
        if job is None or job.expires < time.time():
            raise JobNotFoundError(f"no job {job_id!r} (unknown or expired)")
        return job

    def status(self, job_id: str) -> dict:
        """The status document of GET /api/jobs/{id}."""
        return self.get(job_id).public(self.dispatcher.threads)

    def recent(self, limit: int = 50) -> list[dict]:
        """Newest jobs first."""
        return [job.summary() for job in self.jobs.recent(limit)]

    def cancel(self, job_id: str) -> dict:
        """Cancel a job (running items stop at their next clause); returns its status."""
        self.get(job_id)
        self.jobs.cancel(job_id)
        return self.status(job_id)

    def _finished(self, job_id: str) -> JobRecord:
        job = self.get(job_id)
        if job.status in ("queued", "running"):
            raise JobNotFinishedError(f"job {job_id} is {job.status} "
                                      f"({sum(i.status in ('succeeded', 'failed') for i in job.items)}"
                                      f"/{len(job.items)} items done); poll GET /api/jobs/{job_id}")
        return job

    def archive(self, job_id: str) -> Path:
        """The finished job's zip (built once per process, then reused)."""
        job = self._finished(job_id)
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        target = self.archive_dir / f"{job.id}-{int(job.updated * 1000)}.zip"
        if not target.exists():
            write_archive(job, self.results, target)
        return target

    def joined_audio(self, job_id: str) -> tuple[Path, JobRecord]:
        """The finished job's items joined into one audio file in the job's format."""
        job = self._finished(job_id)
        if not job.settings.get("concatenate"):
            raise HuayinError("this job was not submitted with concatenate: download the zip "
                              "from /result", code="not_concatenated")
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        target = self.archive_dir / f"{job.id}-{int(job.updated * 1000)}.{job.settings['format']}"
        if not target.exists():
            partial = target.with_name(target.name + f".{os.getpid()}.part")
            write_joined_audio(job, self.results, partial)
            partial.replace(target)
        return target, job

    def sweep_archives(self, now: float | None = None) -> None:
        """Remove built archives older than the TTL."""
        limit = (now or time.time()) - self.settings.ttl_seconds
        for path in self.archive_dir.glob("*") if self.archive_dir.is_dir() else ():
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)

    def health(self) -> dict:
        """Queue depth, running items, workers seen recently, cache stats."""
        return {"mode": self.dispatcher.mode, **self.jobs.counts(),
                "workers": self.dispatcher.workers(), "cache": self.cache.stats().to_dict()}

    def close(self) -> None:
        """Stop what this service started."""
        for hook in self.on_close:
            hook()


def _is_job_id(job_id: str) -> bool:
    return 0 < len(job_id) <= 64 and all(c in "0123456789abcdef" for c in job_id)


__all__ = ["Dispatcher", "JobNotFinishedError", "JobNotFoundError", "JobService"]
