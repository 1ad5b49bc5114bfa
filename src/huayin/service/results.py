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
from pathlib import Path

from huayin.audio import CharTiming
from huayin.service.cache import timings_meta


def item_name(index: int, extension: str) -> str:
    """File name of an item in results and archives: ``0001.wav`` for index 0."""
    return f"{index + 1:04d}.{extension}"


class ResultStore:
    """Interface of a result store."""

    def render_path(self, job_id: str, index: int, fmt: str) -> Path:
        """A local path to render the item's audio into."""
        raise NotImplementedError

    def commit(self, job_id: str, index: int, fmt: str, path: Path,
               timings: list[CharTiming], ttl_seconds: float) -> None:
        """Keep the rendered file at ``path`` and its timings as the item's result."""
        raise NotImplementedError

    def audio(self, job_id: str, index: int, fmt: str) -> bytes:
        """The item's audio bytes."""
        raise NotImplementedError

    def timings(self, job_id: str, index: int) -> list[CharTiming]:
        """The item's per-character timings."""
        raise NotImplementedError

    def delete(self, job_id: str) -> None:
        """Remove every result of a job."""
        raise NotImplementedError


def timings_from_meta(rows: list[list]) -> list[CharTiming]:
    """Timings back from their stored compact form."""
    return [CharTiming(r[0], r[1], r[2], (r[3], r[4])) for r in rows]


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
               timings: list[CharTiming], ttl_seconds: float) -> None:
        target = self.render_path(job_id, index, fmt)
        if path != target:
            shutil.move(path, target)
        partial = target.with_name(item_name(index, "timings.json.part"))
        partial.write_text(json.dumps(timings_meta(timings), ensure_ascii=False))
        partial.replace(target.with_name(item_name(index, "timings.json")))

    def audio(self, job_id: str, index: int, fmt: str) -> bytes:
        return (self.job_dir(job_id) / item_name(index, fmt)).read_bytes()

    def timings(self, job_id: str, index: int) -> list[CharTiming]:
        path = self.job_dir(job_id) / item_name(index, "timings.json")
        return timings_from_meta(json.loads(path.read_text()))

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.job_dir(job_id), ignore_errors=True)


__all__ = ["DiskResultStore", "ResultStore", "item_name", "timings_from_meta"]
