"""Build the service for the configured mode: embedded (nothing running) or Redis + Celery."""

import time

from huayin.service.cache import AudioCache, DiskAudioCache, NullCache
from huayin.service.jobs import Dispatcher, JobService
from huayin.service.results import DiskResultStore
from huayin.service.runner import EmbeddedRunner, LiveGate
from huayin.service.settings import ServiceSettings
from huayin.service.store import SqliteJobStore
from huayin.service.task import WorkerContext
from huayin.synth import Synthesizer
from huayin.text.lexicon import use_lexicon_source
from huayin.text.lexicon_store import FileLexiconStore, LexiconStore


def open_cache(settings: ServiceSettings) -> AudioCache:
    """The audio cache: off (HUAYIN_CACHE_MB=0), shared in Redis, or on local disk."""
    if settings.cache_bytes <= 0:
        return NullCache()
    if settings.redis_url:
        from huayin.service.redis_backend import RedisAudioCache, connect

        return RedisAudioCache(connect(settings.redis_url), settings.cache_bytes)
    return DiskAudioCache(settings.home / "cache", settings.cache_bytes)


def open_lexicon_store(settings: ServiceSettings) -> LexiconStore:
    """The user lexicon of this process — what the HTTP API edits and what synthesis reads from
    now on: the lexicon file ($HUAYIN_LEXICON), or with HUAYIN_REDIS_URL one lexicon shared by
    every replica and worker, seeded once from the file (:mod:`huayin.service.redis_lexicon`)."""
    if settings.redis_url:
        from huayin.service.redis_backend import connect
        from huayin.service.redis_lexicon import RedisLexiconStore

        store = RedisLexiconStore(connect(settings.redis_url))
        use_lexicon_source(store)
        return store
    use_lexicon_source(None)
    return FileLexiconStore()


def open_job_service(synthesizer: Synthesizer, settings: ServiceSettings | None = None,
                     live: LiveGate | None = None, cache: AudioCache | None = None) -> JobService:
    """The job service of an API process. Embedded: SQLite + result files + job threads that
    yield to ``live`` requests. With HUAYIN_REDIS_URL: Redis state + Celery dispatch (the
    items run in ``huayin worker`` processes)."""
    settings = settings or ServiceSettings()
    cache = cache or open_cache(settings)
    if settings.redis_url:
        from huayin.service.redis_backend import open_redis_job_service

        return open_redis_job_service(settings, cache)
    jobs = SqliteJobStore(settings.home / "jobs.sqlite")
    results = DiskResultStore(settings.home / "jobs")
    gate = live or LiveGate()
    context = WorkerContext(synthesizer, jobs, results, cache, settings.ttl_seconds,
                            between_clauses=lambda: gate.wait_idle(settings.live_priority_seconds))
    runner = EmbeddedRunner(context, jobs, results, settings.job_threads)
    started = time.time()

    def workers() -> list[dict]:
        return [{"name": f"embedded-{number}", "running": runner.running, "seen": time.time(),
                 "since": started} for number in range(runner.threads)]

    dispatcher = Dispatcher(lambda job: runner.notify(), workers, "embedded",
                            lambda: runner.threads, runner.sweep)
    service = JobService(jobs, results, cache, settings, dispatcher,
                         settings.home / "archives")
    runner.on_sweep = service.sweep_archives
    runner.start()
    service.on_close.append(runner.stop)
    return service


__all__ = ["open_cache", "open_job_service", "open_lexicon_store"]
