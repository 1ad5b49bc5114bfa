"""The audio cache: encoded audio of a request, keyed by everything that changes its bytes.

A hit returns the identical bytes (and the timings needed for subtitles) without synthesis.
Three kinds, one interface (:class:`AudioCache`):

* :class:`DiskAudioCache` — embedded default: a bounded LRU of files under
  ``$HUAYIN_HOME/cache`` with a small in-memory layer in front, so hot clips cost a dict lookup.
* :class:`huayin.service.redis_backend.RedisAudioCache` — scale-out: one cache shared by every
  API replica and worker.
* :class:`NullCache` — ``HUAYIN_CACHE_MB=0``: caching off.
"""

import hashlib
import json
import os
import struct
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from huayin import __version__
from huayin.audio import CharTiming


@dataclass
class CachedAudio:
    """One cache entry: the encoded bytes and what a response needs besides them."""

    data: bytes
    """The encoded audio, exactly as first sent."""
    meta: dict = field(default_factory=dict)
    """sample_rate, duration, voice, timings (for subtitles), normalized text, warnings."""

    def timings(self) -> list[CharTiming]:
        """Per-character timings stored with the entry."""
        return timings_from_meta(self.meta.get("timings", []))

    def to_bytes(self) -> bytes:
        """One blob: 4-byte length of the JSON metadata, the metadata, the audio."""
        meta = json.dumps(self.meta, ensure_ascii=False, separators=(",", ":")).encode()
        return struct.pack(">I", len(meta)) + meta + self.data

    @classmethod
    def from_bytes(cls, blob: bytes) -> "CachedAudio":
        (length,) = struct.unpack(">I", blob[:4])
        return cls(blob[4 + length:], json.loads(blob[4:4 + length]))


def timings_meta(timings: list[CharTiming]) -> list[list]:
    """Timings in the compact form stored in cache entries and job results."""
    return [[t.text, round(t.start, 4), round(t.end, 4), t.span[0], t.span[1]] for t in timings]


def timings_from_meta(rows: list[list]) -> list[CharTiming]:
    """Timings back from their compact form."""
    return [CharTiming(r[0], r[1], r[2], (r[3], r[4])) for r in rows]


def cache_key(**parts) -> str:
    """SHA-256 over the parts of a request that change its bytes, plus huayin's version.

    Callers pass voice id and its pack's fingerprint, the text, every delivery setting, seed,
    format, sample rate, whether the bytes are a stream, and the reference clip's hash.
    """
    canonical = json.dumps({"huayin": __version__, **parts}, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class CacheStats:
    """Counters of one cache (since this process started, except bytes/entries: current)."""

    hits: int = 0
    """Lookups answered from the cache."""
    misses: int = 0
    """Lookups that found nothing."""
    evictions: int = 0
    """Entries removed to stay within the size limit."""
    bytes: int = 0
    """Bytes held now."""
    entries: int = 0
    """Entries held now."""
    max_bytes: int = 0
    """The size limit (HUAYIN_CACHE_MB)."""
    kind: str = "disk"
    """disk, redis or off."""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class AudioCache:
    """Interface of every cache: :meth:`get`, :meth:`put`, :meth:`stats`."""

    enabled = True

    def get(self, key: str) -> CachedAudio | None:
        """The entry for ``key``, or None (counted as a hit or a miss)."""
        raise NotImplementedError

    def put(self, key: str, entry: CachedAudio) -> None:
        """Store an entry (entries larger than a quarter of the cache are not kept)."""
        raise NotImplementedError

    def stats(self) -> CacheStats:
        """Current counters."""
        raise NotImplementedError


class NullCache(AudioCache):
    """Caching switched off (``HUAYIN_CACHE_MB=0``): every lookup misses, nothing is kept."""

    enabled = False

    def get(self, key: str) -> CachedAudio | None:
        return None

    def put(self, key: str, entry: CachedAudio) -> None:
        return None

    def stats(self) -> CacheStats:
        return CacheStats(kind="off")


class _MemoryLayer:
    """A small LRU of recent entries in RAM (bounded by bytes), in front of the disk."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedAudio] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> CachedAudio | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: CachedAudio) -> None:
        if len(entry.data) > self.max_bytes // 4:
            return
        if key in self._entries:
            self._bytes -= len(self._entries.pop(key).data)
        self._entries[key] = entry
        self._bytes += len(entry.data)
        while self._bytes > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self._bytes -= len(old.data)

    def discard(self, key: str) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.data)


class DiskAudioCache(AudioCache):
    """Bounded on-disk LRU (one file per entry, recency = file mtime) plus a RAM layer.

    Several processes may share the directory (files are written whole, then renamed); each
    keeps its own index, rebuilt from the directory at start, so the bound holds per process.
    """

    def __init__(self, root: Path, max_bytes: int, memory_bytes: int | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._memory = _MemoryLayer(memory_bytes or min(32 << 20, max_bytes // 4))
        self._index: OrderedDict[str, int] = OrderedDict()  # key → size, oldest first
        self._bytes = 0
        self._stats = CacheStats(max_bytes=max_bytes, kind="disk")
        self._scan()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.entry"

    def _scan(self) -> None:
        found = []
        for path in self.root.glob("*/*.entry") if self.root.is_dir() else ():
            try:
                status = path.stat()
            except OSError:
                continue
            found.append((status.st_mtime, path.stem, status.st_size))
        for _, key, size in sorted(found):
            self._index[key] = size
            self._bytes += size

    def get(self, key: str) -> CachedAudio | None:
        with self._lock:
            entry = self._memory.get(key)
            if entry is None and key in self._index:
                path = self._path(key)
                try:
                    entry = CachedAudio.from_bytes(path.read_bytes())
                    os.utime(path)
                except (OSError, ValueError, struct.error):
                    self._forget(key)
                    entry = None
                if entry is not None:
                    self._memory.put(key, entry)
            if entry is None:
                self._stats.misses += 1
                return None
            self._index.move_to_end(key)
            self._stats.hits += 1
            return entry

    def put(self, key: str, entry: CachedAudio) -> None:
        blob = entry.to_bytes()
        if len(blob) > self.max_bytes // 4:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        temporary.write_bytes(blob)
        os.replace(temporary, path)
        with self._lock:
            if key in self._index:
                self._bytes -= self._index.pop(key)
            self._index[key] = len(blob)
            self._bytes += len(blob)
            self._memory.put(key, entry)
            while self._bytes > self.max_bytes and self._index:
                oldest = next(iter(self._index))
                self._forget(oldest)
                self._path(oldest).unlink(missing_ok=True)
                self._stats.evictions += 1

    def _forget(self, key: str) -> None:
        self._bytes -= self._index.pop(key, 0)
        self._memory.discard(key)

    def stats(self) -> CacheStats:
        with self._lock:
            self._stats.bytes = self._bytes
            self._stats.entries = len(self._index)
            return CacheStats(**self._stats.to_dict())


__all__ = ["AudioCache", "CacheStats", "CachedAudio", "DiskAudioCache", "NullCache", "cache_key",
           "timings_from_meta", "timings_meta"]
