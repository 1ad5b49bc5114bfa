"""Scale-out state in one Redis: job store, result store, shared audio cache, worker presence.

Why results live in Redis (with the job's TTL) and not on a shared directory: API replicas and
workers then need nothing in common but the Redis URL — no NFS mount to provision and keep
consistent across hosts, expiry is Redis's own, and a result written by a worker on host C is
served by a replica on host B at once. The cost is Redis memory: a job's audio stays there for
its TTL, so scale-out jobs should prefer compressed formats (mp3/opus) and Redis's
``maxmemory`` should leave room for them (see docs/deploy.md).
"""

import json
import os
import socket
import tempfile
import time
from pathlib import Path

import redis

from huayin.service.cache import AudioCache, CachedAudio, CacheStats
from huayin.service.results import ItemTimings, ResultStore
from huayin.service.settings import ServiceSettings
from huayin.service.store import ItemRecord, JobRecord, JobStore

PREFIX = "huayin"
#: A worker counts as alive while its presence key exists (refreshed every few seconds).
WORKER_PRESENCE_SECONDS = 15
#: An item's lease: held by the worker synthesizing it, refreshed between clauses; a worker
#: killed mid-item frees it after this long, and the item's redelivered task then runs it.
LEASE_SECONDS = 10


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (raw bytes; short timeouts so a lost Redis shows quickly)."""
    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5,
                                health_check_interval=30)


# Entry writes and evictions as scripts: the byte total (a counter, not a sum over every entry)
# changes in the same atomic step as the entries it counts, whoever writes at the same time.
_PUT_SCRIPT = """
local old = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
return redis.call('INCRBY', KEYS[4], tonumber(ARGV[4]) - old)
"""
_EVICT_SCRIPT = """
local size = redis.call('HGET', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if size then
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HINCRBY', KEYS[5], 'evictions', 1)
  return redis.call('DECRBY', KEYS[4], tonumber(size))
end
return tonumber(redis.call('GET', KEYS[4]) or '0')
"""


class RedisAudioCache(AudioCache):
    """One cache for every replica and worker: entries as Redis strings, an LRU index as a
    sorted set (score = last use), entry sizes in a hash with their running byte total, and
    hit/miss counters, all shared. Bounded by ``max_bytes``: the least recently used entries
    are deleted on overflow."""

    def __init__(self, client: redis.Redis, max_bytes: int):
        self.redis = client
        self.max_bytes = max_bytes
        self._lru = f"{PREFIX}:cache:lru"
        self._sizes = f"{PREFIX}:cache:sizes"
        self._bytes = f"{PREFIX}:cache:bytes"
        self._counters = f"{PREFIX}:cache:stats"
        self._put = client.register_script(_PUT_SCRIPT)
        self._evict_one = client.register_script(_EVICT_SCRIPT)
        if not client.exists(self._bytes):  # a cache written before the counter existed
            client.set(self._bytes, sum(int(size) for size in client.hvals(self._sizes)), nx=True)

    def _key(self, key: str) -> str:
        return f"{PREFIX}:cache:entry:{key}"

    def get(self, key: str) -> CachedAudio | None:
        blob = self.redis.get(self._key(key))
        pipe = self.redis.pipeline(transaction=False)
        if blob is None:
            pipe.hincrby(self._counters, "misses", 1).execute()
            return None
        pipe.zadd(self._lru, {key: time.time()}).hincrby(self._counters, "hits", 1).execute()
        return CachedAudio.from_bytes(blob)

    def put(self, key: str, entry: CachedAudio) -> None:
        blob = entry.to_bytes()
        if len(blob) > self.max_bytes // 4:
            return
        total = self._put(keys=[self._key(key), self._lru, self._sizes, self._bytes],
                          args=[key, blob, time.time(), len(blob)])
        self._evict(int(total))

    def _evict(self, total: int) -> None:
        while total > self.max_bytes:
            oldest = self.redis.zrange(self._lru, 0, 7)
            if not oldest:
                break
            for name in oldest:
                key = name.decode()
                total = int(self._evict_one(
                    keys=[self._key(key), self._lru, self._sizes, self._bytes, self._counters],
                    args=[key]))
                if total <= self.max_bytes:
                    break

    def stats(self) -> CacheStats:
        counters = {k.decode(): int(v) for k, v in self.redis.hgetall(self._counters).items()}
        return CacheStats(hits=counters.get("hits", 0), misses=counters.get("misses", 0),
                          evictions=counters.get("evictions", 0),
                          bytes=int(self.redis.get(self._bytes) or 0),
                          entries=self.redis.zcard(self._lru), max_bytes=self.max_bytes,
                          kind="redis")


class RedisJobStore(JobStore):
    """Jobs as Redis hashes (settings + one JSON field per item), expiring with their TTL; a
    sorted set indexes them by submit time for listing."""

    def __init__(self, client: redis.Redis):
        self.redis = client
        self._index = f"{PREFIX}:jobs"

    def _job(self, job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}"

    def _items(self, job_id: str) -> str:
        return f"{PREFIX}:job:{job_id}:items"

    def create(self, job: JobRecord) -> None:
        ttl = max(1, int(job.expires - time.time()))
        pipe = self.redis.pipeline()
        pipe.hset(self._job(job.id), mapping={
            "settings": json.dumps(job.settings), "created": job.created, "updated": job.updated,
            "expires": job.expires, "cancelled": 0})
        pipe.hset(self._items(job.id), mapping={
            str(item.index): json.dumps(_item_dict(item), ensure_ascii=False)
            for item in job.items})
        pipe.expire(self._job(job.id), ttl).expire(self._items(job.id), ttl)
        pipe.zadd(self._index, {job.id: job.created})
        pipe.execute()

    def get(self, job_id: str) -> JobRecord | None:
        pipe = self.redis.pipeline(transaction=False)
        head, items = pipe.hgetall(self._job(job_id)).hgetall(self._items(job_id)).execute()
        if not head:
            return None
        head = {k.decode(): v.decode() for k, v in head.items()}
        records = sorted((_item_record(json.loads(v)) for v in items.values()),
                         key=lambda item: item.index)
        return JobRecord(job_id, json.loads(head["settings"]), float(head["created"]),
                         float(head["updated"]), float(head["expires"]),
                         head["cancelled"] == "1", records)

    def recent(self, limit: int = 50) -> list[JobRecord]:
        found = []
        for raw in self.redis.zrevrange(self._index, 0, limit * 2):
            job = self.get(raw.decode())
            if job is None:
                self.redis.zrem(self._index, raw)  # expired: drop it from the index too
            elif len(found) < limit:
                found.append(job)
        return found

    def cancel(self, job_id: str) -> bool:
        if not self.redis.exists(self._job(job_id)):
            return False
        self.redis.hset(self._job(job_id), mapping={"cancelled": 1, "updated": time.time()})
        return True

    def is_cancelled(self, job_id: str) -> bool:
        flag = self.redis.hget(self._job(job_id), "cancelled")
        return flag is None or flag == b"1"

    def settings(self, job_id: str) -> dict | None:
        raw = self.redis.hget(self._job(job_id), "settings")
        return json.loads(raw) if raw else None

    def _item(self, job_id: str, index: int) -> ItemRecord | None:
        raw = self.redis.hget(self._items(job_id), str(index))
        return _item_record(json.loads(raw)) if raw else None

    def _save(self, job_id: str, item: ItemRecord) -> None:
        pipe = self.redis.pipeline()
        pipe.hset(self._items(job_id), str(item.index), json.dumps(_item_dict(item),
                                                                   ensure_ascii=False))
        pipe.hset(self._job(job_id), "updated", time.time())
        pipe.execute()

    def start_item(self, job_id: str, index: int) -> ItemRecord | None:
        # Only the lease holder gets here (see celery_worker), so read-modify-write is safe.
        item = self._item(job_id, index)
        if item is None or self.is_cancelled(job_id) or item.status in ("succeeded", "failed"):
            return None
        item.status, item.started, item.attempts = "running", time.time(), item.attempts + 1
        self._save(job_id, item)
        return item

    def _update(self, job_id: str, index: int, **changes) -> None:
        item = self._item(job_id, index)
        if item is None:
            return
        for name, value in changes.items():
            setattr(item, name, value)
        self._save(job_id, item)

    def finish_item(self, job_id: str, index: int, duration: float, sha256: str) -> None:
        self._update(job_id, index, status="succeeded", duration=duration, sha256=sha256,
                     finished=time.time(), error=None)

    def fail_item(self, job_id: str, index: int, code: str, message: str) -> None:
        self._update(job_id, index, status="failed", finished=time.time(),
                     error={"code": code, "message": message})

    def requeue_item(self, job_id: str, index: int) -> None:
        self._update(job_id, index, status="queued")

    def expired(self, now: float) -> list[str]:
        return []  # Redis expires jobs itself

    def delete(self, job_id: str) -> None:
        self.redis.delete(self._job(job_id), self._items(job_id))
        self.redis.zrem(self._index, job_id)

    def counts(self) -> dict:
        queued = running = active = 0
        horizon = time.time() - 7 * 86400
        for raw in self.redis.zrangebyscore(self._index, horizon, "+inf"):
            job_id = raw.decode()
            if self.is_cancelled(job_id):
                continue
            states = [json.loads(v)["status"] for v in self.redis.hvals(self._items(job_id))]
            queued += states.count("queued")
            running += states.count("running")
            active += bool(states.count("queued") + states.count("running"))
        return {"items_queued": queued, "items_running": running, "jobs_active": active,
                "broker_queue": self.redis.llen(QUEUE)}


def _item_dict(item: ItemRecord) -> dict:
    return dict(item.__dict__)


def _item_record(data: dict) -> ItemRecord:
    return ItemRecord(**data)


class RedisResultStore(ResultStore):
    """Item audio and timings as Redis strings that expire with the job."""

    def __init__(self, client: redis.Redis, scratch: Path | None = None):
        self.redis = client
        self.scratch = scratch or Path(tempfile.mkdtemp(prefix="huayin-render-"))

    def _key(self, job_id: str, index: int, part: str) -> str:
        return f"{PREFIX}:result:{job_id}:{index}:{part}"

    def render_path(self, job_id: str, index: int, fmt: str) -> Path:
        return self.scratch / f"{job_id}-{index}-{os.getpid()}.{fmt}"

    def commit(self, job_id: str, index: int, fmt: str, path: Path,
               timings: ItemTimings, ttl_seconds: float) -> None:
        ttl = max(1, int(ttl_seconds))
        pipe = self.redis.pipeline()
        pipe.set(self._key(job_id, index, "audio"), path.read_bytes(), ex=ttl)
        pipe.set(self._key(job_id, index, "timings"), timings.to_json(), ex=ttl)
        pipe.execute()
        path.unlink(missing_ok=True)

    def audio(self, job_id: str, index: int, fmt: str) -> bytes:
        data = self.redis.get(self._key(job_id, index, "audio"))
        if data is None:
            raise FileNotFoundError(f"result {job_id}/{index} expired")
        return data

    def timings(self, job_id: str, index: int) -> ItemTimings:
        raw = self.redis.get(self._key(job_id, index, "timings"))
        return ItemTimings.from_json(raw) if raw else ItemTimings("", [])

    def delete(self, job_id: str) -> None:
        keys = list(self.redis.scan_iter(f"{PREFIX}:result:{job_id}:*"))
        if keys:
            self.redis.delete(*keys)


class WorkerPresence:
    """Workers announce themselves (name, items running, last seen) under keys with a TTL."""

    def __init__(self, client: redis.Redis):
        self.redis = client

    @staticmethod
    def default_name() -> str:
        return f"huayin@{socket.gethostname()}-{os.getpid()}"

    def announce(self, name: str, running: int, since: float) -> None:
        self.redis.set(f"{PREFIX}:worker:{name}", json.dumps(
            {"name": name, "running": running, "seen": time.time(), "since": since}),
            ex=WORKER_PRESENCE_SECONDS)

    def seen(self) -> list[dict]:
        workers = []
        for key in self.redis.scan_iter(f"{PREFIX}:worker:*"):
            raw = self.redis.get(key)
            if raw:
                workers.append(json.loads(raw))
        return sorted(workers, key=lambda w: w["name"])


class ItemLease:
    """Who synthesizes an item right now: SET NX with a short TTL, refreshed between clauses.
    A redelivered task finds the lease held while its first worker lives, and free once that
    worker died — so an item never runs twice at once and never waits an hour."""

    def __init__(self, client: redis.Redis, job_id: str, index: int, owner: str):
        self.redis = client
        self.key = f"{PREFIX}:lease:{job_id}:{index}"
        self.owner = owner.encode()

    def acquire(self) -> bool:
        return bool(self.redis.set(self.key, self.owner, nx=True, ex=LEASE_SECONDS))

    def refresh(self) -> None:
        if self.redis.get(self.key) == self.owner:
            self.redis.expire(self.key, LEASE_SECONDS)

    def release(self) -> None:
        if self.redis.get(self.key) == self.owner:
            self.redis.delete(self.key)


#: The Celery queue job items travel on.
QUEUE = "huayin.jobs"
#: Registered name of the one task.
TASK_NAME = "huayin.run_job_item"


def open_redis_job_service(settings: ServiceSettings, cache: AudioCache):
    """An API replica's job service: state in Redis, items sent to Celery workers."""
    from huayin.service.celery_worker import celery_app
    from huayin.service.jobs import Dispatcher, JobService

    client = connect(settings.redis_url)
    app = celery_app(settings.redis_url)
    presence = WorkerPresence(client)

    def submit(job: JobRecord) -> None:
        for item in job.items:
            app.send_task(TASK_NAME, args=[job.id, item.index], queue=QUEUE)

    def workers() -> list[dict]:
        return presence.seen()

    dispatcher = Dispatcher(submit, workers, "celery", lambda: len(presence.seen()))
    service = JobService(RedisJobStore(client), RedisResultStore(client), cache, settings,
                         dispatcher, settings.home / "archives")
    service.on_close.append(client.close)
    return service


__all__ = ["ItemLease", "LEASE_SECONDS", "QUEUE", "RedisAudioCache", "RedisJobStore",
           "RedisResultStore", "TASK_NAME", "WorkerPresence", "connect",
           "open_redis_job_service"]
