"""Decode an uploaded audio clip (reference audio) safely into mono float samples.

Only a few container formats are accepted, the decode stops as soon as the clip is longer than
allowed, and any decoder error becomes a user error, never a crash.
"""

import io

import numpy as np

from huayin.errors import InvalidParameterError

#: FFmpeg demuxer names accepted for uploads (WAV, MP3, FLAC, Ogg; WebM/Matroska from browsers).
ALLOWED_CONTAINERS = {"wav", "mp3", "flac", "ogg", "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"}
DECODE_RATE = 16000
#: Largest clip the CLI reads (the server has its own, configurable limit).
MAX_CLIP_BYTES = 10 * 1024 * 1024


class InvalidAudioError(InvalidParameterError):
    """The uploaded audio cannot be used."""

    code = "invalid_audio"


def decode_clip(data: bytes, max_seconds: float) -> tuple[np.ndarray, int]:
    """Mono float32 samples at 16 kHz and that rate; raises :class:`InvalidAudioError`."""
    import av

    if not data:
        raise InvalidAudioError("the audio file is empty")

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError, OSError):
        raise InvalidAudioError("the audio file could not be decoded (use WAV, MP3, FLAC or OGG)") from None
    with container:
        if container.format.name not in ALLOWED_CONTAINERS or not container.streams.audio:
            raise InvalidAudioError(
                f"unsupported audio container {container.format.name!r}; use WAV, MP3, FLAC or OGG")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=DECODE_RATE)
        blocks: list[np.ndarray] = []
        total = 0
        limit = int(max_seconds * DECODE_RATE)
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    block = out.to_ndarray().reshape(-1)
                    blocks.append(block)
                    total += len(block)
                if total > limit:
                    raise InvalidAudioError(f"the audio clip is longer than {max_seconds:g} s")
        except av.error.FFmpegError:
            raise InvalidAudioError("the audio file is corrupt") from None
    if not blocks:
        raise InvalidAudioError("the audio file holds no samples")
    return np.concatenate(blocks).astype(np.float32), DECODE_RATE
