"""Where finished items' audio and timings live until the job expires.

:class:`ResultStore` is the interface; :class:`DiskResultStore` keeps files under
``$HUAYIN_HOME/jobs/<job id>/`` (embedded default; every process of the machine sees them).
The scale-out store (:class:`huayin.service.redis_backend.RedisResultStore`) keeps them in
Redis with the job's TTL, so any API replica on any host can serve any job's result.

Items are rendered into a local file first and committed whole, so a result is never half
written: an item killed mid-way leaves only a ``.part`` file that its rerun replaces.
"""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from huayin.audio import CharTiming
from huayin.service.cache import timings_from_meta, timings_meta


@dataclass
class ItemTimings:
    """What an item's subtitles are made from."""

    text: str
    """The text the spans point into: the item's text, or its SSML without the markup."""
    timings: list[CharTiming]
    """Per-character times within the item."""

    def to_json(self) -> str:
        return json.dumps({"text": self.text, "timings": timings_meta(self.timings)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> "ItemTimings":
        data = json.loads(raw)
        return cls(data["text"], timings_from_meta(data["timings"]))


def item_name(index: int, extension: str) -> str:
    """File name of an item in results and archives: ``0001.wav`` for index 0."""
    return f"{index + 1:04d}.{extension}"


class ResultStore:
    """Interface of a result store."""

    def render_path(self, job_id: str, index: int, fmt: str) -> Path:
        """A local path to render the item's audio into."""
        raise NotImplementedError

    def commit(self, job_id: str, index: int, fmt: str, path: Path,
               timings: ItemTimings, ttl_seconds: float) -> None:
        """Keep the rendered file at ``path`` and its timings as the item's result."""
        raise NotImplementedError

    def audio(self, job_id: str, index: int, fmt: str) -> bytes:
        """The item's audio bytes."""
        raise NotImplementedError

    def timings(self, job_id: str, index: int) -> ItemTimings:
        """The item's spoken text and per-character timings."""
        raise NotImplementedError

    def delete(self, job_id: str) -> None:
        """Remove every result of a job."""
        raise NotImplementedError


class DiskResultStore(ResultStore):
    """Results as files: ``<root>/<job id>/0001.wav`` and ``0001.timings.json``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def job_dir(self, job_id: str) -> Path:
        return self.root / job_id

    def render_path(self, job_id: str, index: int, fmt: str) -> Path:
        directory = self.job_dir(job_id)
        directory.mkdir(parents=True, exist_ok=True)
        return directory / item_name(index, fmt)

    def commit(self, job_id: str, index: int, fmt: str, path: Path,
               timings: ItemTimings, ttl_seconds: float) -> None:
        target = self.render_path(job_id, index, fmt)
        if path != target:
            shutil.move(path, target)
        partial = target.with_name(item_name(index, "timings.json.part"))
        partial.write_text(timings.to_json())
        partial.replace(target.with_name(item_name(index, "timings.json")))

    def audio(self, job_id: str, index: int, fmt: str) -> bytes:
        return (self.job_dir(job_id) / item_name(index, fmt)).read_bytes()

    def timings(self, job_id: str, index: int) -> ItemTimings:
        path = self.job_dir(job_id) / item_name(index, "timings.json")
        return ItemTimings.from_json(path.read_text())

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)


__all__ = ["DiskResultStore", "ItemTimings", "ResultStore", "item_name"]
