"""Editing the user lexicon: validated entries, written atomically, seen by every reader.

:class:`LexiconStore` is what the HTTP API edits through; :class:`FileLexiconStore` keeps the
entries in the lexicon file itself (``$HUAYIN_LEXICON``, the format of
:mod:`huayin.text.lexicon`). An edit rewrites the file into a temporary file next to it and
renames it over the old one, under an exclusive lock on a side file, so a reader never sees half a
file and two writers (workers, replicas sharing the file) never lose each other's edit. Every
process reloads the file at its next lookup because :func:`huayin.text.lexicon.user_lexicon`
checks its inode, size and mtime. Comments and unrelated lines are kept as they are.

With Redis configured, :class:`huayin.service.redis_lexicon.RedisLexiconStore` implements the
same three methods on one lexicon shared by every replica and worker (and is what the front end
reads); :func:`huayin.service.wiring.open_lexicon_store` chooses — the HTTP layer does not change.
"""

import fcntl
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from huayin.errors import InvalidParameterError
from huayin.text.inline import parse_syllable
from huayin.text.lexicon import Lexicon, lexicon_path
from huayin.text.punctuation import is_hanzi

#: Longest word an entry may have (the lexicon matches words, not sentences).
MAX_WORD_CHARS = 16


class LexiconEntryError(InvalidParameterError):
    """A word or pinyin that cannot go into the lexicon (HTTP 400)."""

    code = "invalid_lexicon_entry"


def validate_entry(word: str, pinyin: str | list[str]) -> tuple[str, tuple[str, ...]]:
    """``(word, syllables)`` normalized (``YIN2`` → ``yin2``, ``lǜ`` → ``lv4``), or
    :class:`LexiconEntryError` saying what is wrong."""
    word = (word or "").strip()
    if not word or len(word) > MAX_WORD_CHARS:
        raise LexiconEntryError(f"word must be 1-{MAX_WORD_CHARS} Chinese characters")
    if not all(is_hanzi(char) for char in word):
        raise LexiconEntryError(f"word {word!r} must be Chinese characters only")
    raw = pinyin.split() if isinstance(pinyin, str) else list(pinyin or [])
    if len(raw) != len(word):
        raise LexiconEntryError(
            f"{word!r} has {len(word)} character(s) but {len(raw)} syllable(s); "
            "write one syllable per character, e.g. 银行 yin2 hang2")
    syllables = []
    for syllable in raw:
        normalized = parse_syllable(str(syllable))
        if normalized is None:
            raise LexiconEntryError(f"{syllable!r} is not a pinyin syllable (e.g. hang2, lv4)")
        syllables.append(normalized)
    return word, tuple(syllables)


class LexiconStore(Protocol):
    """Where user lexicon entries live."""

    def entries(self) -> dict[str, tuple[str, ...]]:
        """Every word and its syllables."""

    def put(self, word: str, syllables: tuple[str, ...]) -> None:
        """Add or replace one (validated) entry."""

    def delete(self, word: str) -> bool:
        """Remove one entry; False if it was not there."""


class FileLexiconStore:
    """The lexicon file (module docstring); ``path`` defaults to the configured one."""

    def __init__(self, path: Path | None = None):
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The file edited (re-read from the environment unless given)."""
        return self._path or lexicon_path()

    def entries(self) -> dict[str, tuple[str, ...]]:
        return Lexicon.parse(self._read(), str(self.path)).entries

    def put(self, word: str, syllables: tuple[str, ...]) -> None:
        line = f"{word} {' '.join(syllables)}"
        with self._editing() as lines:
            for index, existing in enumerate(lines):
                if _word_of(existing) == word:
                    lines[index] = line
                    break
            else:
                lines.append(line)

    def delete(self, word: str) -> bool:
        with self._editing() as lines:
            kept = [line for line in lines if _word_of(line) != word]
            removed = len(kept) != len(lines)
            lines[:] = kept
        return removed

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    @contextmanager
    def _editing(self):
        """The file's lines to change in place, written back atomically under the locks."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(path.with_name(path.name + ".lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                lines = self._read().splitlines()
                yield lines
                self._write(path, "".join(line + "\n" for line in lines))
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    @staticmethod
    def _write(path: Path, text: str) -> None:
        descriptor, temporary = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _word_of(line: str) -> str | None:
    fields = line.split()
    return fields[0] if fields and not fields[0].startswith("#") else None
