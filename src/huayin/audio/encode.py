"""Encode float samples into the output formats huayin writes.

WAV and raw PCM are written by hand (stdlib); MP3, Opus (in Ogg), AAC (ADTS) and FLAC by FFmpeg's
encoders through PyAV. :class:`StreamEncoder` turns a stream of sample blocks into a stream of
bytes so servers can send audio while the rest is still being synthesized.
"""

import io
import struct
import wave

import numpy as np

from huayin.errors import InvalidParameterError

#: Output formats: name → (MIME type, PyAV container, PyAV codec) — container None = hand-written.
_FORMATS: dict[str, tuple[str, str | None, str | None]] = {
    "wav": ("audio/wav", None, None),
    "pcm": ("audio/pcm", None, None),
    "mp3": ("audio/mpeg", "mp3", "libmp3lame"),
    "opus": ("audio/ogg", "ogg", "libopus"),
    "aac": ("audio/aac", "adts", "aac"),
    "flac": ("audio/flac", "flac", "flac"),
}
FORMATS = tuple(_FORMATS)
#: Formats whose bytes can be sent before the stream ends (FLAC rewrites its header at the end).
PROGRESSIVE_FORMATS = ("wav", "pcm", "mp3", "opus", "aac")
#: Opus only runs at these rates; other rates are encoded at 48 kHz (the player does not care).
_OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


def check_format(fmt: str) -> str:
    """Return ``fmt`` if huayin can write it, else raise a user error."""
    if fmt not in _FORMATS:
        raise InvalidParameterError(
            f"unsupported format {fmt!r}; choose one of {', '.join(FORMATS)}", code="invalid_format")
    return fmt


def mime_type(fmt: str) -> str:
    """The Content-Type for a format."""
    return _FORMATS[check_format(fmt)][0]


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


def streaming_wav_header(sample_rate: int) -> bytes:
    """A WAV header for a stream of unknown length (sizes set to the maximum, as players expect)."""
    unknown = 0xFFFFFFFF
    return (b"RIFF" + struct.pack("<I", unknown) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
            + b"data" + struct.pack("<I", unknown))


class _ForwardOnlySink:
    """A write-only file for the muxer: without seek() FFmpeg treats the output as a stream and
    never goes back to patch headers in bytes we have already sent."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class StreamEncoder:
    """Feed sample blocks with :meth:`write`, get encoded bytes back as they become available."""

    def __init__(self, fmt: str, sample_rate: int, streaming: bool = True, sink=None):
        """``streaming``: hand bytes back as they are made (else all at :meth:`close`).
        ``sink``: for the FFmpeg formats, a seekable binary file the container writes into
        itself (then :meth:`write` and :meth:`close` return no bytes, and FFmpeg seeks back to
        finish headers such as FLAC's sample count)."""
        self.format = check_format(fmt)
        self.sample_rate = sample_rate
        self._streaming = streaming
        self._sink = sink
        self._header_sent = False
        self._pending_wav: list[np.ndarray] = []
        self._container = None
        if _FORMATS[fmt][1] is not None:
            self._open_container()

    def _open_container(self) -> None:
        import av  # imported on first use: only servers and non-WAV output need FFmpeg

        _, container_format, codec = _FORMATS[self.format]
        if self._sink is not None:
            self._buffer = self._sink
        else:
            self._buffer = _ForwardOnlySink() if self._streaming else io.BytesIO()
        self._container = av.open(self._buffer, "w", format=container_format)
        rate = self.sample_rate
        if codec == "libopus" and rate not in _OPUS_RATES:
            rate = 48000
        self._stream = self._container.add_stream(codec, rate=rate)
        self._stream.layout = "mono"
        self._frame_type = av.AudioFrame
        self._samples_written = 0

    def write(self, samples: np.ndarray) -> bytes:
        """Encode a block of float samples; returns whatever bytes are ready (maybe none)."""
        if self.format == "pcm":
            return to_pcm16(samples)
        if self.format == "wav":
            if not self._streaming:
                self._pending_wav.append(samples)
                return b""
            header = b"" if self._header_sent else streaming_wav_header(self.sample_rate)
            self._header_sent = True
            return header + to_pcm16(samples)
        pcm = np.clip(samples, -1.0, 1.0)
        frame = self._frame_type.from_ndarray(
            np.round(pcm * 32767.0).astype(np.int16)[None, :], format="s16", layout="mono")
        frame.sample_rate = self.sample_rate
        frame.pts = self._samples_written
        self._samples_written += len(samples)
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        return self._buffer.take() if self._streaming and self._sink is None else b""

    def close(self) -> bytes:
        """Flush the encoder; returns the last bytes (for non-streaming use: the whole file)."""
        if self.format == "pcm":
            return b""
        if self.format == "wav":
            if self._streaming:
                return b"" if self._header_sent else streaming_wav_header(self.sample_rate)
            samples = np.concatenate(self._pending_wav) if self._pending_wav else np.zeros(0)
            return encode_wav(samples, self.sample_rate)
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        if self._sink is not None:
            return b""
        return self._buffer.take() if self._streaming else self._buffer.getvalue()


def encode(samples: np.ndarray, sample_rate: int, fmt: str) -> bytes:
    """A complete file in ``fmt`` (one of :data:`FORMATS`); ``pcm`` is raw 16-bit LE mono."""
    encoder = StreamEncoder(fmt, sample_rate, streaming=False)
    return encoder.write(samples) + encoder.close()
