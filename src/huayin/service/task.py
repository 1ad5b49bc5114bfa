"""The one task function: run one item of a job, in whichever process picked it up.

The server's job threads (embedded mode) and ``huayin worker`` (Celery on Redis) both call
:func:`run_item`; the item's state in the job store makes a repeated or redelivered call
harmless: a finished item is skipped, a cancelled job stops at the next clause, and a result
is committed whole before the item is marked done, so no item is ever missing or doubled.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from huayin.errors import HuayinError
from huayin.logs import current_request_id
from huayin.service.cache import AudioCache
from huayin.service.render import Cancelled, SynthesisRequest, render_to_file
from huayin.service.results import ItemTimings, ResultStore
from huayin.service.spec import JobItem
from huayin.service.store import ItemRecord, JobStore
from huayin.synth import Synthesizer

log = logging.getLogger("huayin.jobs")

#: Format items are rendered in when the job joins them into one file (encoded once at the end).
JOIN_FORMAT = "wav"


@dataclass
class WorkerContext:
    """What running an item needs; built once per process."""

    synthesizer: Synthesizer
    """The engine (voices load once per process and stay warm)."""
    jobs: JobStore
    """Job state."""
    results: ResultStore
    """Where item results go."""
    cache: AudioCache
    """Audio cache shared with live requests."""
    ttl_seconds: float
    """How long results are kept."""
    between_clauses: Callable[[], None] = field(default=lambda: None)
    """Called before each clause: the embedded runner waits here while live requests run."""
    stopping: Callable[[], bool] = field(default=lambda: False)
    """True when this process is shutting down (the item goes back to the queue)."""


def item_format(settings: dict) -> str:
    """The format an item is rendered in."""
    return JOIN_FORMAT if settings.get("concatenate") else settings["format"]


def run_item(context: WorkerContext, job_id: str, index: int,
             claimed: ItemRecord | None = None) -> str:
    """Synthesize one item into the result store; returns its final state (``succeeded``,
    ``failed``), ``skipped`` when it had nothing to do, or ``requeued``/``cancelled`` when it
    stopped early. ``claimed`` is the item when the caller already marked it running. Log lines
    written meanwhile carry the id of the request that submitted the job."""
    settings = context.jobs.settings(job_id)
    if settings is None:
        return "skipped"
    token = current_request_id.set(settings.get("request_id") or "-")
    started = time.perf_counter()
    try:
        outcome = _run_item(context, job_id, index, claimed, settings)
        if outcome != "skipped":
            log.info("job %s item %d %s", job_id, index, outcome, extra={"fields": {
                "job": job_id, "item": index, "outcome": outcome,
                "seconds": round(time.perf_counter() - started, 3)}})
    finally:
        current_request_id.reset(token)
    return outcome


def _run_item(context: WorkerContext, job_id: str, index: int, claimed: ItemRecord | None,
              settings: dict) -> str:
    item = claimed or context.jobs.start_item(job_id, index)
    if item is None:
        return "skipped"
    fmt = item_format(settings)
    spec = JobItem(**item.spec)
    request = SynthesisRequest(spec.text, spec.voice, fmt, settings.get("sample_rate"),
                               spec.synthesis_options(), mode="file")
    path = context.results.render_path(job_id, index, fmt)

    def should_stop() -> bool:
        context.between_clauses()
        return context.stopping() or context.jobs.is_cancelled(job_id)

    try:
        rendered = render_to_file(context.synthesizer, context.cache, request, path, should_stop)
    except Cancelled:
        # Not done: back to queued (a cancelled job never runs it; a stopping worker's
        # successor does).
        context.jobs.requeue_item(job_id, index)
        return "cancelled" if context.jobs.is_cancelled(job_id) else "requeued"
    except HuayinError as error:
        context.jobs.fail_item(job_id, index, error.code, error.message)
        return "failed"
    except Exception as error:  # a bug must fail the item, not the worker or the other items
        log.exception("job %s item %d failed", job_id, index)
        context.jobs.fail_item(job_id, index, "internal_error", f"{type(error).__name__}: {error}")
        return "failed"
    context.results.commit(job_id, index, fmt, path,
                           ItemTimings(rendered.spoken_text, rendered.timings),
                           context.ttl_seconds)
    context.jobs.finish_item(job_id, index, rendered.duration, rendered.sha256)
    return "succeeded"


__all__ = ["JOIN_FORMAT", "WorkerContext", "item_format", "run_item"]
