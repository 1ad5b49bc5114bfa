"""``huayin worker``: a Celery worker on Redis that runs job items with the one task function.

One item at a time per worker process (solo pool, prefetch 1): voices load once and the cores
are not oversubscribed; start one worker per 1–2 cores, on as many hosts as you like. Items are
acknowledged late, so an item whose worker is killed stays in Redis's unacked set and is
redelivered after ``VISIBILITY_SECONDS`` (Celery's default with Redis is one hour). The item's
lease (:class:`huayin.service.redis_backend.ItemLease`) keeps a redelivered copy from running
while the first worker still lives.
"""

import logging
import logging.config
import os
import threading
import time
from dataclasses import replace
from functools import cache

from celery import Celery
from celery.signals import setup_logging

from huayin.errors import InvalidParameterError
from huayin.logs import log_config
from huayin.service.redis_backend import (
    LEASE_SECONDS,
    QUEUE,
    TASK_NAME,
    ItemLease,
    RedisJobStore,
    RedisResultStore,
    WorkerPresence,
    connect,
)
from huayin.service.settings import ServiceSettings
from huayin.service.task import WorkerContext, run_item

log = logging.getLogger("huayin.worker")

#: Seconds before an unacknowledged item (its worker died) goes back to the queue. Longer than
#: a lease, so a live worker's item is normally acknowledged first; a slower item is delivered
#: again but waits for the lease instead of running twice.
VISIBILITY_SECONDS = 2 * LEASE_SECONDS
#: Seconds between presence announcements.
ANNOUNCE_SECONDS = 3.0


@cache
def celery_app(redis_url: str) -> Celery:
    """The Celery app for a Redis URL (broker only: job state lives in the job store)."""
    app = Celery("huayin", broker=redis_url)
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, task_default_queue=QUEUE, worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True, worker_send_task_events=False,
        broker_transport_options={"visibility_timeout": VISIBILITY_SECONDS,
                                  "unacked_restore_interval": 1,
                                  "unacked_restore_throttle": 1},
    )
    app.task(name=TASK_NAME, bind=True, max_retries=None)(_run_job_item)
    return app


class _Worker:
    """This process's worker state: the context (voices stay loaded) and its presence."""

    context: WorkerContext | None = None
    name: str = ""
    running: int = 0


def _run_job_item(task, job_id: str, index: int) -> str:
    """The Celery task: take the item's lease, then run the one task function."""
    context = _Worker.context
    lease = ItemLease(context.jobs.redis, job_id, index, _Worker.name)
    if not lease.acquire():
        item = context.jobs.get(job_id)
        if item is None or item.items[index].status in ("succeeded", "failed"):
            return "skipped"
        # Another worker holds it: try again once its lease had time to lapse (if it died).
        raise task.retry(countdown=LEASE_SECONDS / 2)
    _Worker.running += 1
    try:
        return run_item(replace(context, between_clauses=lease.refresh), job_id, index)
    finally:
        _Worker.running -= 1
        lease.release()


def _keep_logging(**_) -> None:
    """Celery's setup_logging receiver: the worker's logging is already configured."""


def run_worker(name: str | None = None, threads: int | None = None) -> int:
    """Load the voices once, announce this worker, and consume job items until stopped."""
    from huayin.service.wiring import open_cache, open_lexicon_store
    from huayin.synth import Synthesizer

    settings = ServiceSettings()
    # The server's log format (HUAYIN_LOG_FORMAT) for the worker's lines too, each job item's
    # line under the id of the request that submitted the job; Celery's own chatter stays at
    # warnings.
    logging.config.dictConfig(log_config(os.environ.get("HUAYIN_LOG_FORMAT") or "text"))
    logging.getLogger("celery").setLevel(logging.WARNING)
    # A receiver of setup_logging tells Celery to leave logging as configured here (it would
    # otherwise set the root logger to its own --loglevel and format).
    setup_logging.connect(_keep_logging, weak=False)
    if not settings.redis_url:
        raise InvalidParameterError("huayin worker needs HUAYIN_REDIS_URL (redis://host:port/0); "
                                    "without it jobs run inside `huayin serve`")
    client = connect(settings.redis_url)
    open_lexicon_store(settings)  # synthesis reads the lexicon shared in Redis from now on
    _Worker.name = name or WorkerPresence.default_name()
    synthesizer = Synthesizer(threads=threads)
    _Worker.context = WorkerContext(synthesizer, RedisJobStore(client), RedisResultStore(client),
                                    open_cache(settings), settings.ttl_seconds)
    synthesizer.synthesize("你好。")  # load the default voice before taking work
    presence = WorkerPresence(client)
    since = time.time()

    def announce() -> None:
        while True:
            try:
                presence.announce(_Worker.name, _Worker.running, since)
            except Exception:  # Redis away for a moment: try again next round
                log.warning("cannot announce worker presence", exc_info=True)
            time.sleep(ANNOUNCE_SECONDS)

    threading.Thread(target=announce, name="huayin-presence", daemon=True).start()
    app = celery_app(settings.redis_url)
    app.worker_main(["worker", "--pool=solo", "--concurrency=1", "--prefetch-multiplier=1",
                     f"--queues={QUEUE}", f"--hostname={_Worker.name}", "--loglevel=WARNING",
                     "--without-gossip", "--without-mingle", "--without-heartbeat"])
    return 0


__all__ = ["VISIBILITY_SECONDS", "celery_app", "run_worker"]
