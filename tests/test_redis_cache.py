"""The audio cache shared through a real Redis: a bounded LRU whose byte total stays exact under
overwrites, evictions and several writers."""

import threading

from huayin.service.cache import CachedAudio
from huayin.service.redis_backend import RedisAudioCache, connect
from redis_fixture import needs_redis

pytestmark = needs_redis


def _entry(size: int, tag: str = "") -> CachedAudio:
    return CachedAudio(b"\x01" * size, {"voice": "v", "tag": tag})


def _held(cache: RedisAudioCache) -> int:
    """Bytes of the entries actually in Redis, summed the slow way."""
    return sum(len(cache.redis.get(cache._key(name.decode())) or b"")
               for name in cache.redis.zrange(cache._lru, 0, -1))


def test_lru_bound_and_exact_byte_total(redis_server):
    cache = RedisAudioCache(connect(redis_server.url), max_bytes=10_000)
    blob = len(_entry(2000).to_bytes())
    for n in range(4):
        cache.put(f"k{n}", _entry(2000))
    assert cache.get("k0") is not None  # k0 is now the most recently used
    cache.put("k0", _entry(2000, "again"))  # an overwrite replaces its size, never adds to it
    again = len(_entry(2000, "again").to_bytes())
    assert cache.stats().bytes == 3 * blob + again == _held(cache)
    cache.put("k4", _entry(2000))
    cache.put("k5", _entry(2000))  # over 10 000: the least recently used go
    stats = cache.stats()
    assert stats.bytes == _held(cache) <= 10_000
    assert stats.evictions >= 1 and cache.get("k1") is None
    assert cache.get("k0").meta["tag"] == "again" and cache.get("k5") is not None
    assert cache.put("huge", _entry(5000)) is None and cache.get("huge") is None  # > max/4


def test_replicas_share_entries_and_the_total(redis_server):
    first = RedisAudioCache(connect(redis_server.url), max_bytes=200_000)
    second = RedisAudioCache(connect(redis_server.url), max_bytes=200_000)

    def write(cache: RedisAudioCache, offset: int) -> None:
        for n in range(60):
            cache.put(f"key{(n + offset) % 90}", _entry(1000 + n))

    threads = [threading.Thread(target=write, args=(c, o)) for c, o in ((first, 0), (second, 30))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.stats().bytes == second.stats().bytes == _held(first) <= 200_000
    assert second.get("key5") is not None and first.stats().hits == second.stats().hits


def test_a_cache_written_before_the_counter_gets_one(redis_server):
    client = connect(redis_server.url)
    old = RedisAudioCache(client, max_bytes=100_000)
    old.put("a", _entry(500))
    old.put("b", _entry(700))
    client.delete(old._bytes)  # as a Redis filled by an older huayin has it
    assert RedisAudioCache(client, max_bytes=100_000).stats().bytes == _held(old)
