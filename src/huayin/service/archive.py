"""A finished job's result as one download: a zip of per-item files, or one joined file.

Per item: ``0001.<fmt>`` and, with subtitles, ``0001.srt|vtt|json``. With ``concatenate`` the
items (rendered as WAV) are joined with ``pause_ms`` of silence into ``job.<fmt>`` plus
``job.<subtitles>`` for the whole job. Either way ``manifest.json`` maps each item to its text,
voice, duration and checksum. Items are read one at a time and audio is encoded as it is
joined, so memory stays flat however long the job is.
"""

import io
import json
import os
import threading
import wave
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from huayin.audio.encode import StreamEncoder, mime_type
from huayin.audio.resample import StreamResampler
from huayin.audio.subtitles import Cue, render, sentence_cues, to_srt, to_vtt
from huayin.service.render import patch_wav_sizes
from huayin.service.results import ItemTimings, ResultStore, item_name
from huayin.service.store import JobRecord
from huayin.service.task import JOIN_FORMAT, item_format

#: Samples read from a joined item at a time.
_BLOCK = 1 << 16


def manifest_of(job: JobRecord, files: dict[int, str]) -> dict:
    """``manifest.json``: per item its text, voice, state, duration, checksum and file."""
    return {
        "job": job.id, "status": job.status, "format": job.settings["format"],
        "subtitles": job.settings.get("subtitles"),
        "concatenate": job.settings.get("concatenate", False),
        "items": [{
            "index": item.index, "id": item.spec.get("id"), "file": files.get(item.index),
            "text": item.spec["text"], "voice": item.spec.get("voice"), "status": item.status,
            "duration": round(item.duration, 3), "sha256": item.sha256, "error": item.error,
        } for item in job.items],
    }


def write_archive(job: JobRecord, results: ResultStore, target: Path) -> Path:
    """Write the job's zip to ``target`` (via a temporary file) and return it."""
    # Unique names: two downloads of the same job may build it at once.
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        if job.settings.get("concatenate"):
            files = _write_joined(job, results, archive, partial.with_suffix(".audio"))
        else:
            files = _write_items(job, results, archive)
        archive.writestr("manifest.json", json.dumps(manifest_of(job, files), ensure_ascii=False,
                                                     indent=1))
    partial.replace(target)
    return target


def subtitle_text(kind: str, spoken: ItemTimings) -> str:
    """An item's subtitles as file text (SRT, WebVTT or JSON)."""
    rendered = render(kind, spoken.text, spoken.timings)
    return rendered if isinstance(rendered, str) else json.dumps(rendered, ensure_ascii=False)


def _write_items(job: JobRecord, results: ResultStore, archive: zipfile.ZipFile) -> dict[int, str]:
    fmt = item_format(job.settings)
    kind = job.settings.get("subtitles")
    files = {}
    for item in job.items:
        if item.status != "succeeded":
            continue
        name = item_name(item.index, fmt)
        archive.writestr(name, results.audio(job.id, item.index, fmt))
        files[item.index] = name
        if kind:
            archive.writestr(item_name(item.index, kind),
                             subtitle_text(kind, results.timings(job.id, item.index)))
    return files


def _wav_blocks(data: bytes):
    """(rate, float blocks) of a mono 16-bit WAV item."""
    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
        blocks = []
        while frames := reader.readframes(_BLOCK):
            blocks.append(np.frombuffer(frames, "<i2").astype(np.float32) / 32767.0)
    return rate, blocks


def joined_rate(job: JobRecord, results: ResultStore) -> int | None:
    """The joined file's rate: the job's ``sample_rate``, else the first item's."""
    if job.settings.get("sample_rate"):
        return job.settings["sample_rate"]
    for item in job.items:
        if item.status == "succeeded":
            with wave.open(io.BytesIO(results.audio(job.id, item.index, JOIN_FORMAT))) as reader:
                return reader.getframerate()
    return None


def _write_joined(job: JobRecord, results: ResultStore, archive: zipfile.ZipFile,
                  work_path: Path) -> dict[int, str]:
    fmt, kind = job.settings["format"], job.settings.get("subtitles")
    subtitles = write_joined_audio(job, results, work_path)
    name = f"job.{fmt}"
    archive.write(work_path, name)
    work_path.unlink()
    if kind:
        archive.writestr(f"job.{kind}", subtitles)
    return {item.index: name for item in job.items if item.status == "succeeded"}


def write_joined_audio(job: JobRecord, results: ResultStore, path: Path) -> str | None:
    """Join the job's succeeded items (with ``pause_ms`` of silence between them) into one file
    in the job's format at ``path``; returns the whole job's subtitles, if asked for."""
    fmt, kind = job.settings["format"], job.settings.get("subtitles")
    rate = joined_rate(job, results) or 16000
    pause = np.zeros(int(rate * job.settings.get("pause_ms", 500) / 1000), np.float32)
    cues: list[Cue] = []
    json_items = []
    offset = 0.0
    encoder = StreamEncoder(fmt, rate, streaming=True)
    with open(path, "wb") as output:
        first = True
        for item in job.items:
            if item.status != "succeeded":
                continue
            if not first:
                output.write(encoder.write(pause))
                offset += len(pause) / rate
            first = False
            item_rate, blocks = _wav_blocks(results.audio(job.id, item.index, JOIN_FORMAT))
            resampler = StreamResampler(item_rate, rate)
            length = 0
            for number, block in enumerate(blocks):
                out = resampler.process(block, last=number == len(blocks) - 1)
                length += len(out)
                output.write(encoder.write(out))
            if kind:
                spoken = results.timings(job.id, item.index)
                timings = [replace(t, start=t.start + offset, end=t.end + offset)
                           for t in spoken.timings]
                text = spoken.text
                cues.extend(sentence_cues(text, timings))
                json_items.append({"index": item.index, "offset": round(offset, 3),
                                   **render("json", text, timings)})
            offset += length / rate
        output.write(encoder.close())
    if fmt == "wav":
        patch_wav_sizes(path)
    if kind == "srt":
        return to_srt(cues)
    if kind == "vtt":
        return to_vtt(cues)
    if kind == "json":
        return json.dumps({"items": json_items}, ensure_ascii=False)
    return None


def media_type(job: JobRecord) -> str:
    """Content-Type of the joined file."""
    return mime_type(job.settings["format"])


__all__ = ["joined_rate", "manifest_of", "media_type", "subtitle_text", "write_archive",
           "write_joined_audio"]
