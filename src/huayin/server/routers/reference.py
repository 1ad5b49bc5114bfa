"""``/api/reference``: measure a reference clip without synthesizing anything, so a page can
show what was heard in it (length, pitch level and range, speaking rate, loudness, pauses)
before the clip is used."""

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from huayin.audio.decode import decode_clip
from huayin.prosody.reference import analyze_reference
from huayin.server.errors import ServiceError
from huayin.server.routers.common import service_of

router = APIRouter()


async def read_reference_clip(request: Request, upload: UploadFile):
    """An uploaded clip as ``(samples, rate)``, within the server's size and length limits."""
    settings = service_of(request).settings
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ServiceError("payload_too_large", "the reference clip is larger than "
                           f"{settings.max_upload_bytes // (1024 * 1024)} MB")
    return decode_clip(data, settings.max_reference_seconds)


@router.post("/api/reference", tags=["native"])
async def measure_reference(request: Request, clip: UploadFile = File(...)):
    """What is measured in a 3–30 s speech clip (WAV/MP3/FLAC/OGG/WebM): ``duration``,
    ``f0_median_hz`` and ``f0_range_semitones`` (pitch level and range),
    ``syllables_per_second``, ``speech_level_dbfs``, ``pause_ratio``, and ``relative``: the
    same against neutral read Mandarin. No emotion is named (see
    :mod:`huayin.prosody.reference`)."""
    samples, rate = await read_reference_clip(request, clip)
    analysis = await run_in_threadpool(analyze_reference, samples, rate)
    return analysis.to_dict()
