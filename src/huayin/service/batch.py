"""``huayin batch``: a job run from the command line, locally or on a server.

Locally the job lives in ``OUT/.huayin-batch.sqlite`` and its items are written straight into
``OUT`` (``0001.wav``, ``0001.srt``, ``manifest.json``) by the same task function the server and
the Celery workers use; running the same command again resumes at the first unfinished item.
With ``--server`` the job is submitted to ``POST /api/jobs``, polled, and its zip unpacked into
``OUT``.
"""

import hashlib
import json
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from huayin.errors import InvalidParameterError
from huayin.service.archive import manifest_of, subtitle_text, write_joined_audio
from huayin.service.cache import AudioCache
from huayin.service.results import DiskResultStore, item_name
from huayin.service.spec import JobItem, JobRequest, split_into_items, split_into_sentences
from huayin.service.store import ItemRecord, JobRecord, SqliteJobStore
from huayin.service.task import WorkerContext, item_format, run_item
from huayin.synth import Synthesizer

STATE_FILE = ".huayin-batch.sqlite"


def read_items(path: Path, split: str, defaults: dict) -> list[JobItem]:
    """Items of a ``.txt`` (one per paragraph = non-empty line, or per sentence) or ``.jsonl``
    (one item object per line) file; raises a user error naming the bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidParameterError(f"cannot read {path}: {error}") from None
    if path.suffix.lower() == ".jsonl":
        items = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append(JobItem(**{**defaults, **json.loads(line)}))
            except (ValueError, TypeError, ValidationError) as error:
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                raise InvalidParameterError(f"{path}:{number}: not a valid item ({reason})") from None
        return items
    pieces = split_into_sentences(text) if split == "sentences" else split_into_items(text)
    return [JobItem(text=piece, **defaults) for piece in pieces]


class _OutputDirResults(DiskResultStore):
    """Results written straight into the output directory (one job per directory)."""

    def job_dir(self, job_id: str) -> Path:
        return self.root


def _job_id(items: list[JobItem], settings: dict) -> str:
    """The same input and settings give the same id, so a rerun resumes the same job."""
    blob = json.dumps([[i.model_dump() for i in items], settings], sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def run_local(items: list[JobItem], settings: dict, out_dir: Path, synthesizer: Synthesizer,
              cache: AudioCache, progress) -> JobRecord:
    """Run (or resume) a job in-process, writing into ``out_dir``; ``progress`` is a tqdm-like
    bar (``total``, ``update``, ``set_postfix_str``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = SqliteJobStore(out_dir / STATE_FILE)
    results = _OutputDirResults(out_dir)
    job_id = _job_id(items, settings)
    job = jobs.get(job_id)
    if job is None:
        now = time.time()
        job = JobRecord(job_id, settings, now, now, float("inf"),
                        items=[ItemRecord(i, item.model_dump(exclude_none=True))
                               for i, item in enumerate(items)])
        jobs.create(job)
    jobs.recover()
    context = WorkerContext(synthesizer, jobs, results, cache, float("inf"))
    done = [item for item in job.items if item.status in ("succeeded", "failed")]
    progress.reset(total=len(job.items))
    progress.update(len(done))
    audio = sum(item.duration for item in done)
    for item in job.items:
        if item.status in ("succeeded", "failed"):
            continue
        outcome = run_item(context, job_id, item.index)
        record = jobs.get(job_id).items[item.index]
        audio += record.duration
        progress.set_postfix_str(f"{audio:.0f} s audio" + (", item failed" if outcome == "failed"
                                                          else ""), refresh=False)
        progress.update(1)
    job = jobs.get(job_id)
    _write_outputs(job, results, out_dir)
    return job


def _write_outputs(job: JobRecord, results: DiskResultStore, out_dir: Path) -> None:
    """Subtitles per item (or joined), the joined file with --concat, manifest.json."""
    kind = job.settings.get("subtitles")
    files = {}
    fmt = item_format(job.settings)
    for item in job.items:
        if item.status != "succeeded":
            continue
        files[item.index] = item_name(item.index, fmt)
        if kind and not job.settings.get("concatenate"):
            (out_dir / item_name(item.index, kind)).write_text(
                subtitle_text(kind, results.timings(job.id, item.index)), encoding="utf-8")
    if job.settings.get("concatenate") and files:
        joined = out_dir / f"joined.{job.settings['format']}"
        subtitles = write_joined_audio(job, results, joined)
        if subtitles is not None:
            (out_dir / f"joined.{kind}").write_text(subtitles, encoding="utf-8")
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest_of(job, files), ensure_ascii=False, indent=1), encoding="utf-8")


def run_remote(items: Iterable[JobItem], settings: dict, out_dir: Path, server: str,
               progress, api_key: str | None = None, poll_seconds: float = 1.0) -> dict:
    """Submit the job to a huayin server, follow it, unpack its zip into ``out_dir``; a rerun
    with the same input follows the job it submitted before (its id is kept in ``out_dir``)."""
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    body = JobRequest(items=list(items), **settings).model_dump(exclude_none=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / ".huayin-job"
    base = server.rstrip("/")
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        job_id = None
        if marker.exists():
            known = json.loads(marker.read_text())
            if known.get("request") == _job_id(list(items), settings) and \
                    client.get(f"/api/jobs/{known['id']}").status_code == 200:
                job_id = known["id"]
        if job_id is None:
            answer = client.post("/api/jobs", json=body)
            if answer.status_code != 202:
                raise InvalidParameterError(f"the server refused the job: {_error_of(answer)}")
            job_id = answer.json()["id"]
            marker.write_text(json.dumps({"id": job_id, "server": base,
                                          "request": _job_id(list(items), settings)}))
        shown = 0
        while True:
            status = client.get(f"/api/jobs/{job_id}").json()
            done, total = status["progress"]["done"], status["progress"]["total"]
            if progress.total != total:
                progress.reset(total=total)
                shown = 0
            progress.update(done - shown)
            shown = done
            progress.set_postfix_str(f"{status['progress']['audio_seconds']:.0f} s audio",
                                     refresh=False)
            if status["status"] not in ("queued", "running"):
                break
            time.sleep(poll_seconds)
        if status["status"] == "cancelled":
            raise InvalidParameterError(f"job {job_id} was cancelled on the server")
        download = out_dir / ".huayin-result.zip.part"
        with client.stream("GET", f"/api/jobs/{job_id}/result") as archive:
            if archive.status_code != 200:
                archive.read()
                raise InvalidParameterError(f"cannot download the result: {_error_of(archive)}")
            with open(download, "wb") as handle:
                for block in archive.iter_bytes(1 << 20):
                    handle.write(block)
        with zipfile.ZipFile(download) as zipped:
            zipped.extractall(out_dir)
        download.unlink()
    return status


def _error_of(response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"


__all__ = ["read_items", "run_local", "run_remote"]
