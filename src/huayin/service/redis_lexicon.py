"""The user lexicon shared through Redis (scale-out mode): one lexicon for every API replica and
every worker, edited through any replica, used by all of them from their next segment.

Layout: the entries in one hash (``huayin:lexicon:entries``, word → ``"yin2 hang2"``) and a
version key (``huayin:lexicon:version``) set to a fresh random token by every edit, in the same
MULTI/EXEC as the change. A reader keeps the lexicon it loaded and the token it loaded it with,
and before each lookup reads only the token (one GET); a different token — any edit, or a Redis
that restarted and was seeded again — makes it reload hash and token together in one
transaction. A random token rather than a counter: a counter restarts at the same numbers after
Redis loses its data, and a reader could take a new lexicon for the one it already has.

Precedence: Redis holds the lexicon once the version key exists (even with no entries). While it
does not — the first start, or after a Redis without persistence restarted — the first process
that needs the lexicon seeds it from its own lexicon file (``$HUAYIN_LEXICON``); later edits go
to Redis only, never back to any file. With Redis unreachable, a reader keeps the last lexicon it
loaded (one warning per outage) and asks Redis again only after ``retry_seconds``, so a Redis
that does not answer at all costs synthesis one connect timeout, not one per segment; listing
and edits fail with :class:`LexiconUnavailableError` (HTTP 503).
"""

import logging
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis

from huayin.errors import HuayinError
from huayin.text.lexicon import Lexicon, lexicon_path

log = logging.getLogger(__name__)

ENTRIES_KEY = "huayin:lexicon:entries"
VERSION_KEY = "huayin:lexicon:version"
#: Seconds a reader that could not reach Redis keeps its lexicon before asking again.
RETRY_SECONDS = 5.0


class LexiconUnavailableError(HuayinError):
    """Redis, where the shared lexicon lives, cannot be reached (HTTP 503)."""

    code = "lexicon_unavailable"


@contextmanager
def _reaching_redis():
    try:
        yield
    except redis.RedisError as error:
        raise LexiconUnavailableError(
            f"the shared lexicon in Redis cannot be reached: {error}") from error


class _NotSeeded(Exception):
    """The version key vanished between seeding and an edit (Redis lost its data)."""


class RedisLexiconStore:
    """:class:`huayin.text.lexicon_store.LexiconStore` and
    :class:`huayin.text.lexicon.LexiconSource` on one Redis (module docstring)."""

    def __init__(self, client: redis.Redis, seed_path: Path | None = None,
                 retry_seconds: float = RETRY_SECONDS):
        self.redis = client
        self._seed_path = seed_path
        self.retry_seconds = retry_seconds
        """How long a reader that could not reach Redis keeps its lexicon before asking again."""
        self._lock = threading.Lock()
        self._token: bytes | None = None
        self._lexicon = Lexicon({})
        self._unreachable = False
        self._retry_at = 0.0

    @property
    def seed_path(self) -> Path:
        """The lexicon file that seeds an empty Redis (re-read from the environment unless given)."""
        return self._seed_path or lexicon_path()

    # -- LexiconStore --------------------------------------------------------------------------
    def entries(self) -> dict[str, tuple[str, ...]]:
        with _reaching_redis():
            self._seed()
            raw = self.redis.hgetall(ENTRIES_KEY)
        return {word.decode(): tuple(syllables.decode().split()) for word, syllables in raw.items()}

    def put(self, word: str, syllables: tuple[str, ...]) -> None:
        self._edit(lambda pipe: pipe.hset(ENTRIES_KEY, word, " ".join(syllables)))

    def delete(self, word: str) -> bool:
        return bool(self._edit(lambda pipe: pipe.hdel(ENTRIES_KEY, word)))

    # -- LexiconSource -------------------------------------------------------------------------
    def current(self) -> Lexicon:
        if self._unreachable and time.monotonic() < self._retry_at:
            return self._lexicon
        try:
            token = self.redis.get(VERSION_KEY)
            if token is None:
                self._seed()
                token = self.redis.get(VERSION_KEY)
            if token != self._token:
                with self._lock:
                    if token != self._token:
                        self._load()
            if self._unreachable:
                log.warning("user lexicon: Redis reachable again")
                self._unreachable = False
        except redis.RedisError as error:
            if not self._unreachable:
                log.warning("user lexicon: Redis unreachable (%s); keeping the last one loaded",
                            error)
                self._unreachable = True
            self._retry_at = time.monotonic() + self.retry_seconds
        return self._lexicon

    # -- inside --------------------------------------------------------------------------------
    def _load(self) -> None:
        """Entries and token read together (one MULTI), so they always belong to each other."""
        pipe = self.redis.pipeline(transaction=True)
        token, raw = pipe.get(VERSION_KEY).hgetall(ENTRIES_KEY).execute()
        self._lexicon = Lexicon({word.decode(): tuple(syllables.decode().split())
                                 for word, syllables in raw.items()})
        self._token = token

    def _seed(self) -> None:
        """Fill Redis from the lexicon file unless Redis already holds a lexicon; of several
        processes seeding at once, one wins (WATCH on the version key) and the others see it."""
        if self.redis.exists(VERSION_KEY):
            return
        path = self.seed_path
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as error:
            log.warning("user lexicon %s not read to seed Redis: %s", path, error)
            text = ""
        entries = Lexicon.parse(text, str(path)).entries

        def seed(pipe: redis.client.Pipeline) -> None:
            if pipe.exists(VERSION_KEY):
                return
            pipe.multi()
            pipe.delete(ENTRIES_KEY)
            if entries:
                pipe.hset(ENTRIES_KEY, mapping={w: " ".join(s) for w, s in entries.items()})
            pipe.set(VERSION_KEY, _new_token())

        if self.redis.transaction(seed, VERSION_KEY) and entries:  # [] if another seeded it
            log.info("user lexicon: seeded Redis with %d entries from %s", len(entries), path)

    def _edit(self, change) -> int:
        """Apply ``change`` (one pipeline command) and a new version token atomically, on a
        seeded lexicon; returns the command's result."""
        with _reaching_redis():
            return self._edit_seeded(change)

    def _edit_seeded(self, change) -> int:
        for _ in range(3):
            self._seed()

            def edit(pipe: redis.client.Pipeline) -> None:
                if not pipe.exists(VERSION_KEY):
                    raise _NotSeeded
                pipe.multi()
                change(pipe)
                pipe.set(VERSION_KEY, _new_token())

            try:
                return self.redis.transaction(edit, VERSION_KEY)[0]
            except _NotSeeded:
                continue
        raise redis.RedisError("the shared lexicon keeps disappearing from Redis")


def _new_token() -> str:
    return uuid.uuid4().hex


__all__ = ["ENTRIES_KEY", "VERSION_KEY", "LexiconUnavailableError", "RedisLexiconStore"]
