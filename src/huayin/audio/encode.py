"""Encode float samples into the output formats huayin writes."""

import io
import wave

import numpy as np

from huayin.errors import InvalidParameterError

#: Formats this build can write (more arrive with the service).
FORMATS = ("wav", "pcm")


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float [-1, 1] → little-endian signed 16-bit PCM (clipped, not wrapped)."""
    clipped = np.clip(samples, -1.0, 1.0)
    return (np.round(clipped * 32767.0)).astype("<i2").tobytes()


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """A complete mono 16-bit PCM WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(to_pcm16(samples))
    return buffer.getvalue()


def encode(samples: np.ndarray, sample_rate: int, fmt: str) -> bytes:
    """Encode in ``fmt`` (one of :data:`FORMATS`); ``pcm`` is raw 16-bit little-endian mono."""
    if fmt == "wav":
        return encode_wav(samples, sample_rate)
    if fmt == "pcm":
        return to_pcm16(samples)
    raise InvalidParameterError(f"unsupported format {fmt!r}; choose one of {', '.join(FORMATS)}")
