"""Durable job state: jobs, their items and each item's progress.

:class:`JobStore` is the interface the job service, the task function and the runners use;
:class:`SqliteJobStore` is the embedded default (a SQLite file under ``$HUAYIN_HOME``, WAL
journal: a killed process loses nothing that was committed). The scale-out store lives in
:mod:`huayin.service.redis_backend`.
"""

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Item states; an item moves queued → running → succeeded | failed (or back to queued when the
#: process running it died).
ITEM_STATES = ("queued", "running", "succeeded", "failed")
#: Job states (derived from its items and its cancel flag).
JOB_STATES = ("queued", "running", "succeeded", "failed", "cancelled")


@dataclass
class ItemRecord:
    """One item of a job as stored."""

    index: int
    """Position in the job, from 0 (files are named by index + 1: ``0001.wav``)."""
    spec: dict
    """The item as submitted (text, voice and delivery settings)."""
    status: str = "queued"
    """queued, running, succeeded or failed."""
    error: dict | None = None
    """``{"code", "message"}`` when failed."""
    duration: float = 0.0
    """Seconds of audio once succeeded."""
    sha256: str | None = None
    """Checksum of the item's audio file once succeeded."""
    started: float | None = None
    """When a worker last started it (epoch seconds)."""
    finished: float | None = None
    """When it succeeded or failed."""
    attempts: int = 0
    """How many times a worker started it (> 1 after a crash and a redelivery)."""

    def public(self) -> dict:
        """The item as shown in the job status."""
        shown = {"index": self.index, "status": self.status}
        if self.spec.get("id") is not None:
            shown["id"] = self.spec["id"]
        if self.error:
            shown["error"] = self.error
        if self.status == "succeeded":
            shown["duration"] = round(self.duration, 3)
        if self.attempts > 1:
            shown["attempts"] = self.attempts  # started again after its worker was lost
        return shown


@dataclass
class JobRecord:
    """A job with its settings and items."""

    id: str
    """Job id (random, URL-safe)."""
    settings: dict
    """Output settings shared by the items: format, sample_rate, subtitles, concatenate, pause_ms;
    and ``request_id``, the id of the request that submitted the job (put on the log lines of its
    items, in whichever process runs them)."""
    created: float
    """Submit time (epoch seconds)."""
    updated: float
    """Last change of any item (epoch seconds)."""
    expires: float
    """When the job and its results are removed (epoch seconds)."""
    cancelled: bool = False
    """True once DELETE /api/jobs/{id} was called."""
    items: list[ItemRecord] = field(default_factory=list)
    """The items, by index."""

    @property
    def status(self) -> str:
        """queued, running, succeeded (≥ 1 item succeeded, maybe with failed items), failed
        (every item failed) or cancelled."""
        if self.cancelled:
            return "cancelled"
        states = [item.status for item in self.items]
        if all(state in ("succeeded", "failed") for state in states):
            return "succeeded" if "succeeded" in states else "failed"
        if all(state == "queued" for state in states):
            return "queued"
        return "running"

    @property
    def finished(self) -> bool:
        """No item will run any more."""
        return self.status in ("succeeded", "failed", "cancelled")

    def eta_seconds(self, workers: int = 1) -> float | None:
        """Remaining time at the pace of the items finished so far (None until one has)."""
        spent = [item.finished - item.started for item in self.items
                 if item.status == "succeeded" and item.started and item.finished]
        remaining = sum(item.status in ("queued", "running") for item in self.items)
        if not spent or self.finished:
            return None
        return round(sum(spent) / len(spent) * remaining / max(1, workers), 1)

    def public(self, workers: int = 1) -> dict:
        """The job's status document (GET /api/jobs/{id})."""
        done = [item for item in self.items if item.status in ("succeeded", "failed")]
        body = {
            "id": self.id, "status": self.status,
            "progress": {"done": len(done), "total": len(self.items),
                         "audio_seconds": round(sum(i.duration for i in self.items), 3)},
            "failed_items": sum(item.status == "failed" for item in self.items),
            "items": [item.public() for item in self.items],
            "created": self.created, "updated": self.updated, "expires": self.expires,
            **{k: self.settings.get(k) for k in ("format", "subtitles", "concatenate")},
        }
        if self.settings.get("request_id"):
            body["request_id"] = self.settings["request_id"]
        eta = self.eta_seconds(workers)
        if eta is not None:
            body["eta_seconds"] = eta
        return body

    def summary(self) -> dict:
        """A short line for GET /api/jobs."""
        done = sum(item.status in ("succeeded", "failed") for item in self.items)
        return {"id": self.id, "status": self.status, "created": self.created,
                "updated": self.updated, "progress": {"done": done, "total": len(self.items)}}


class JobStore:
    """Interface of a durable job store (embedded SQLite or shared Redis)."""

    def create(self, job: JobRecord) -> None:
        """Store a new job with all its items queued."""
        raise NotImplementedError

    def get(self, job_id: str) -> JobRecord | None:
        """The job, or None when unknown or expired."""
        raise NotImplementedError

    def recent(self, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first."""
        raise NotImplementedError

    def cancel(self, job_id: str) -> bool:
        """Mark a job cancelled (its running items stop at their next clause); False if unknown."""
        raise NotImplementedError

    def is_cancelled(self, job_id: str) -> bool:
        """True when the job was cancelled or no longer exists."""
        raise NotImplementedError

    def settings(self, job_id: str) -> dict | None:
        """The job's output settings (None when the job is gone)."""
        raise NotImplementedError

    def start_item(self, job_id: str, index: int) -> ItemRecord | None:
        """Mark an item running and return it; None when it must not run (job gone or
        cancelled, item already finished)."""
        raise NotImplementedError

    def finish_item(self, job_id: str, index: int, duration: float, sha256: str) -> None:
        """Mark an item succeeded."""
        raise NotImplementedError

    def fail_item(self, job_id: str, index: int, code: str, message: str) -> None:
        """Mark an item failed with its error."""
        raise NotImplementedError

    def requeue_item(self, job_id: str, index: int) -> None:
        """Put a running item back (its worker stopped before finishing)."""
        raise NotImplementedError

    def expired(self, now: float) -> list[str]:
        """Ids of jobs past their expiry."""
        raise NotImplementedError

    def delete(self, job_id: str) -> None:
        """Forget a job and its items."""
        raise NotImplementedError

    def counts(self) -> dict:
        """Queue figures: items queued and running, jobs queued and running."""
        raise NotImplementedError


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, settings TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL,
    expires REAL NOT NULL, cancelled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS items (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    spec TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'queued', error TEXT,
    duration REAL NOT NULL DEFAULT 0, sha256 TEXT, started REAL, finished REAL,
    attempts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (job_id, idx));
CREATE INDEX IF NOT EXISTS items_by_status ON items(status, job_id, idx);
CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs(created);
"""


class SqliteJobStore(JobStore):
    """Jobs in one SQLite file; safe for the threads of one process and for several processes
    sharing the file (every change is one transaction)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)

    def _transaction(self, statements):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = statements(self._db)
                self._db.execute("COMMIT")
                return result
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def create(self, job: JobRecord) -> None:
        def insert(db):
            db.execute("INSERT INTO jobs VALUES (?, ?, ?, ?, ?, 0)",
                       (job.id, json.dumps(job.settings), job.created, job.updated, job.expires))
            db.executemany("INSERT INTO items (job_id, idx, spec) VALUES (?, ?, ?)",
                           [(job.id, item.index, json.dumps(item.spec, ensure_ascii=False))
                            for item in job.items])
        self._transaction(insert)

    def _items(self, job_id: str) -> list[ItemRecord]:
        rows = self._db.execute(
            "SELECT idx, spec, status, error, duration, sha256, started, finished, attempts "
            "FROM items WHERE job_id = ? ORDER BY idx", (job_id,)).fetchall()
        return [ItemRecord(r[0], json.loads(r[1]), r[2], json.loads(r[3]) if r[3] else None,
                           r[4], r[5], r[6], r[7], r[8]) for r in rows]

    def _job(self, row) -> JobRecord:
        return JobRecord(row[0], json.loads(row[1]), row[2], row[3], row[4], bool(row[5]),
                         self._items(row[0]))

    def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
            return self._job(row) if row else None

    def recent(self, limit: int = 50) -> list[JobRecord]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM jobs ORDER BY created DESC LIMIT ?",
                                    (limit,)).fetchall()
            return [self._job(row) for row in rows]

    def cancel(self, job_id: str) -> bool:
        def mark(db):
            return db.execute("UPDATE jobs SET cancelled = 1, updated = ? WHERE id = ?",
                              (time.time(), job_id)).rowcount > 0
        return self._transaction(mark)

    def is_cancelled(self, job_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT cancelled FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row is None or bool(row[0])

    def settings(self, job_id: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT settings FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def next_queued(self) -> tuple[str, int] | None:
        """The oldest queued item of a job that is not cancelled (embedded runner's queue)."""
        with self._lock:
            row = self._db.execute(
                "SELECT i.job_id, i.idx FROM items i JOIN jobs j ON j.id = i.job_id "
                "WHERE i.status = 'queued' AND j.cancelled = 0 "
                "ORDER BY j.created, i.idx LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None

    def start_item(self, job_id: str, index: int) -> ItemRecord | None:
        def claim(db):
            changed = db.execute(
                "UPDATE items SET status = 'running', started = ?, attempts = attempts + 1 "
                "WHERE job_id = ? AND idx = ? AND status IN ('queued', 'running') AND "
                "job_id IN (SELECT id FROM jobs WHERE cancelled = 0)",
                (time.time(), job_id, index)).rowcount
            if not changed:
                return None
            row = db.execute(
                "SELECT idx, spec, status, error, duration, sha256, started, finished, attempts "
                "FROM items WHERE job_id = ? AND idx = ?", (job_id, index)).fetchone()
            return ItemRecord(row[0], json.loads(row[1]), row[2], None, row[4], row[5], row[6],
                              row[7], row[8])
        return self._transaction(claim)

    def _set(self, job_id: str, index: int, assignments: str, values: tuple) -> None:
        def update(db):
            now = time.time()
            db.execute(f"UPDATE items SET {assignments} WHERE job_id = ? AND idx = ?",
                       (*values, job_id, index))
            db.execute("UPDATE jobs SET updated = ? WHERE id = ?", (now, job_id))
        self._transaction(update)

    def finish_item(self, job_id: str, index: int, duration: float, sha256: str) -> None:
        self._set(job_id, index, "status = 'succeeded', duration = ?, sha256 = ?, finished = ?, "
                  "error = NULL", (duration, sha256, time.time()))

    def fail_item(self, job_id: str, index: int, code: str, message: str) -> None:
        self._set(job_id, index, "status = 'failed', error = ?, finished = ?",
                  (json.dumps({"code": code, "message": message}, ensure_ascii=False),
                   time.time()))

    def requeue_item(self, job_id: str, index: int) -> None:
        self._set(job_id, index, "status = 'queued'", ())

    def recover(self) -> int:
        """After a crash: items left running by a dead process go back to the queue."""
        return self._transaction(lambda db: db.execute(
            "UPDATE items SET status = 'queued' WHERE status = 'running'").rowcount)

    def expired(self, now: float) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute(
                "SELECT id FROM jobs WHERE expires < ?", (now,)).fetchall()]

    def delete(self, job_id: str) -> None:
        self._transaction(lambda db: db.execute("DELETE FROM jobs WHERE id = ?", (job_id,)))

    def counts(self) -> dict:
        with self._lock:
            items = dict(self._db.execute(
                "SELECT i.status, COUNT(*) FROM items i JOIN jobs j ON j.id = i.job_id "
                "WHERE j.cancelled = 0 GROUP BY i.status").fetchall())
            jobs = self._db.execute(
                "SELECT COUNT(DISTINCT i.job_id) FROM items i JOIN jobs j ON j.id = i.job_id "
                "WHERE j.cancelled = 0 AND i.status IN ('queued', 'running')").fetchone()[0]
        return {"items_queued": items.get("queued", 0), "items_running": items.get("running", 0),
                "jobs_active": jobs}


__all__ = ["ITEM_STATES", "JOB_STATES", "ItemRecord", "JobRecord", "JobStore", "SqliteJobStore"]
