"""Batch jobs and the audio cache: the service layer between the engine and its front doors.

Embedded by default (SQLite + files under ``$HUAYIN_HOME`` + the server's own threads); with
``HUAYIN_REDIS_URL`` jobs run on Celery workers and the cache and the user lexicon are shared in
Redis. The HTTP
routes, ``huayin batch`` and ``huayin worker`` all go through here; the one task function is
:func:`huayin.service.task.run_item`.
"""

from huayin.service.cache import AudioCache, CachedAudio, DiskAudioCache, NullCache
from huayin.service.jobs import JobNotFinishedError, JobNotFoundError, JobService
from huayin.service.render import SynthesisRequest, render_to_file
from huayin.service.runner import LiveGate
from huayin.service.settings import ServiceSettings
from huayin.service.spec import JobItem, JobRequest
from huayin.service.wiring import open_cache, open_job_service, open_lexicon_store

__all__ = ["AudioCache", "CachedAudio", "DiskAudioCache", "JobItem", "JobNotFinishedError",
           "JobNotFoundError", "JobRequest", "JobService", "LiveGate", "NullCache",
           "ServiceSettings", "SynthesisRequest", "open_cache", "open_job_service",
           "open_lexicon_store", "render_to_file"]
