"""Embedded mode: the server's own job threads, behind live requests.

Live requests keep priority: every admitted live request enters :class:`LiveGate`, and before
each clause a job item waits until no live request is running (at most
``live_priority_seconds``, so a server that is never idle still finishes its jobs). A clause is
the unit of work (≈ 0.1–1 s of CPU), so a live request waits at most one clause for a core.
"""

import logging
from collections.abc import Callable
import threading
import time

from huayin.service.results import ResultStore
from huayin.service.store import ItemRecord, SqliteJobStore
from huayin.service.task import WorkerContext, run_item

log = logging.getLogger("huayin.jobs")

#: Seconds between sweeps that remove expired jobs and their results.
JANITOR_SECONDS = 60.0


class LiveGate:
    """Counts live requests in progress; job threads wait for it to be idle."""

    def __init__(self):
        self._condition = threading.Condition()
        self._live = 0

    def enter(self) -> None:
        with self._condition:
            self._live += 1

    def leave(self) -> None:
        with self._condition:
            self._live -= 1
            if self._live <= 0:
                self._condition.notify_all()

    @property
    def live(self) -> int:
        return self._live

    def wait_idle(self, timeout: float) -> None:
        """Block until no live request runs, or ``timeout`` seconds passed."""
        with self._condition:
            self._condition.wait_for(lambda: self._live <= 0, timeout)


class EmbeddedRunner:
    """Threads that take queued items from the SQLite store and run them, oldest job first."""

    def __init__(self, context: WorkerContext, jobs: SqliteJobStore, results: ResultStore,
                 threads: int = 1):
        self.context = context
        self.jobs = jobs
        self.results = results
        self.threads = threads
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []
        self._claim = threading.Lock()
        self.running = 0
        """Items being synthesized right now."""
        self.on_sweep: Callable[[float], None] = lambda now: None
        """Also called by each sweep (the job service removes its old archives)."""
        context.stopping = self._stop.is_set

    def start(self) -> None:
        """Requeue what a killed predecessor left running, then start the threads."""
        recovered = self.jobs.recover()
        if recovered:
            log.warning("resuming %d job item(s) left unfinished by a previous run", recovered)
        for number in range(self.threads):
            worker = threading.Thread(target=self._loop, name=f"huayin-job-{number}", daemon=True)
            worker.start()
            self._workers.append(worker)
        threading.Thread(target=self._janitor, name="huayin-job-janitor", daemon=True).start()

    def notify(self) -> None:
        """New work was queued."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current clause; unfinished items go back to the queue."""
        self._stop.set()
        self._wake.set()
        for worker in self._workers:
            worker.join(timeout)

    def _next(self) -> tuple[str, ItemRecord] | None:
        with self._claim:  # two threads must not pick the same item
            found = self.jobs.next_queued()
            item = self.jobs.start_item(*found) if found is not None else None
            return (found[0], item) if item is not None else None

    def _loop(self) -> None:
        while not self._stop.is_set():
            found = self._next()
            if found is None:
                self._wake.wait(1.0)
                self._wake.clear()
                continue
            job_id, item = found
            self.running += 1
            try:
                run_item(self.context, job_id, item.index, claimed=item)
            except Exception:  # keep the thread alive whatever happens to one item
                log.exception("job item %s/%d crashed its runner", job_id, item.index)
            finally:
                self.running -= 1

    def _janitor(self) -> None:
        while not self._stop.wait(JANITOR_SECONDS):
            self.sweep()

    def sweep(self, now: float | None = None) -> int:
        """Remove jobs past their TTL with their results; returns how many."""
        now = now or time.time()
        expired = self.jobs.expired(now)
        self.on_sweep(now)
        for job_id in expired:
            self.results.delete(job_id)
            self.jobs.delete(job_id)
        return len(expired)


__all__ = ["EmbeddedRunner", "LiveGate"]
