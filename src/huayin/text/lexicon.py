"""User lexicon: pronunciations that win over every rule and model, reloaded when the file changes.

The file is UTF-8, one entry per line: a word, then one pinyin syllable per character, separated by
spaces (``银行 yin2 hang2``). Tones are digits 1–5 (5 or none = neutral); ``v``, ``ü`` and ``u:``
all mean ü; tone marks (``yín``) are accepted too. Blank lines and lines starting with ``#`` are
ignored; malformed lines are skipped with a logged warning naming the line.

Path: ``$HUAYIN_LEXICON``, else ``$HUAYIN_HOME/lexicon.txt``. The file's modification time and
size are checked on every lookup (one ``stat``), so a running server picks up edits without a
restart.

Where the lexicon is read from is a :class:`LexiconSource`: this file by default; a server or
worker in scale-out mode installs one that reads a lexicon shared through Redis
(:func:`use_lexicon_source`, called from :mod:`huayin.service.wiring` only).
"""

import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pypinyin.contrib.tone_convert import to_tone3

from huayin.config import huayin_home

log = logging.getLogger(__name__)

_SYLLABLE = re.compile(r"^[a-z]+[1-5]$")


def lexicon_path() -> Path:
    """Where the user lexicon is read from (it need not exist)."""
    configured = os.environ.get("HUAYIN_LEXICON")
    return Path(configured).expanduser() if configured else huayin_home() / "lexicon.txt"


def normalize_syllable(syllable: str) -> str | None:
    """``YIN2`` → ``yin2``, ``lü4``/``lu:4`` → ``lv4``, ``yín`` → ``yin2``, ``ma`` → ``ma5``;
    None if it is not a pinyin syllable."""
    syllable = syllable.strip().lower().replace("u:", "v")
    if any(c.isdigit() for c in syllable[:-1]):
        return None
    if not syllable[-1:].isdigit():
        syllable = to_tone3(syllable, neutral_tone_with_five=True)
    syllable = syllable.replace("ü", "v")
    return syllable if _SYLLABLE.match(syllable) else None


@dataclass(frozen=True)
class LexiconMatch:
    """A lexicon word found in a text."""

    start: int
    """Offset of the word's first character in the text."""
    syllables: tuple[str, ...]
    """The user's pinyin, one syllable per character of the word."""


class Lexicon:
    """Word → syllables, with longest-match lookup in a text."""

    def __init__(self, entries: dict[str, tuple[str, ...]]):
        self.entries = entries
        """Each word and its syllables (one per character)."""
        self._longest = max(map(len, entries), default=0)
        self.fingerprint = hashlib.sha256("\n".join(
            f"{word} {' '.join(syllables)}" for word, syllables in sorted(entries.items())
        ).encode()).hexdigest()[:16] if entries else ""
        """Short hash of the entries ("" when empty): part of audio cache keys, so cached
        audio made before an edit is not served after it."""

    @classmethod
    def parse(cls, text: str, source: str = "lexicon") -> "Lexicon":
        """Read the file format described in the module docstring."""
        entries: dict[str, tuple[str, ...]] = {}
        for number, line in enumerate(text.splitlines(), 1):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            word, syllables = fields[0], [normalize_syllable(s) for s in fields[1:]]
            if len(syllables) != len(word) or None in syllables:
                log.warning("%s:%d: skipped %r: want one pinyin syllable per character",
                            source, number, line.strip())
                continue
            entries[word] = tuple(syllables)
        return cls(entries)

    def matches(self, text: str) -> list[LexiconMatch]:
        """Lexicon words in ``text``, left to right, the longest one wherever several start."""
        found: list[LexiconMatch] = []
        if not self.entries:
            return found
        position = 0
        while position < len(text):
            for length in range(min(self._longest, len(text) - position), 0, -1):
                syllables = self.entries.get(text[position:position + length])
                if syllables is not None:
                    found.append(LexiconMatch(position, syllables))
                    position += length
                    break
            else:
                position += 1
        return found


class LexiconSource(Protocol):
    """Where the front end reads the user lexicon from."""

    def current(self) -> Lexicon:
        """The lexicon as it is now (cheap when nothing changed: called for every segment)."""


class FileLexiconSource:
    """The lexicon of the configured file, re-read when its path, inode, mtime or size changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._lexicon = Lexicon({})

    def current(self) -> Lexicon:
        path = lexicon_path()
        try:
            stat = path.stat()
            key: tuple = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            key = (str(path), None, None, None)
        if key != self._key:
            with self._lock:
                if key != self._key:
                    self._lexicon = self._load(path, key)
                    self._key = key
        return self._lexicon

    @staticmethod
    def _load(path: Path, key: tuple) -> Lexicon:
        if key[1] is None:
            return Lexicon({})
        try:
            return Lexicon.parse(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as error:
            log.warning("user lexicon %s not read: %s", path, error)
            return Lexicon({})


_file_source = FileLexiconSource()
_source: LexiconSource = _file_source


def use_lexicon_source(source: LexiconSource | None) -> None:
    """Read the user lexicon from ``source`` in this process from now on (None: the file)."""
    global _source
    _source = source or _file_source


def user_lexicon() -> Lexicon:
    """The user lexicon as it is now (the file's, or the shared one; empty when there is none)."""
    return _source.current()
