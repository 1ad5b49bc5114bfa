"""Write audio to a file (or a pipe) block by block, as it is synthesized.

Memory stays flat in the length of the text: nothing but the current block is held. WAV goes
out with a header of unknown length that is patched once the length is known (when the file can
seek; a pipe keeps the "unknown" sizes players accept); the FFmpeg formats go through
:class:`~huayin.audio.encode.StreamEncoder`, writing straight into a seekable file so FLAC and
MP3 get their final headers.
"""

import struct
from typing import BinaryIO

import numpy as np

from huayin.audio.encode import StreamEncoder, check_format, streaming_wav_header, to_pcm16

#: Offsets of the two size fields of the 44-byte header written by ``streaming_wav_header``.
_RIFF_SIZE_OFFSET, _DATA_SIZE_OFFSET, _WAV_HEADER_BYTES = 4, 40, 44
#: Largest size a WAV header can state.
_MAX_WAV_SIZE = 0xFFFFFFFF


def _seekable(target: BinaryIO) -> bool:
    try:
        return target.seekable()
    except (AttributeError, OSError, ValueError):
        return False


class AudioFileWriter:
    """Writes mono float blocks into ``target`` in ``fmt``; call :meth:`close` once at the end
    (also after an interruption: the audio written so far stays a playable file)."""

    def __init__(self, target: BinaryIO, fmt: str, sample_rate: int):
        self.format = check_format(fmt)
        self.sample_rate = sample_rate
        self.samples_written = 0
        """Samples written so far."""
        self._target = target
        self._seekable = _seekable(target)
        self._encoder = None
        if self.format == "wav":
            self._start = target.tell() if self._seekable else 0
            target.write(streaming_wav_header(sample_rate))
        elif self.format != "pcm":
            self._encoder = StreamEncoder(self.format, sample_rate, streaming=True,
                                          sink=target if self._seekable else None)

    def write(self, samples: np.ndarray) -> None:
        """Encode and write one block."""
        self.samples_written += len(samples)
        if self._encoder is None:
            self._target.write(to_pcm16(samples))
        else:
            self._target.write(self._encoder.write(samples))

    def close(self) -> None:
        """Finish the file: flush the encoder, or patch the WAV header's sizes."""
        if self._encoder is not None:
            self._target.write(self._encoder.close())
        elif self.format == "wav" and self._seekable:
            data_bytes = self.samples_written * 2
            end = self._target.tell()
            self._target.seek(self._start + _RIFF_SIZE_OFFSET)
            self._target.write(struct.pack(
                "<I", min(_MAX_WAV_SIZE, data_bytes + _WAV_HEADER_BYTES - 8)))
            self._target.seek(self._start + _DATA_SIZE_OFFSET)
            self._target.write(struct.pack("<I", min(_MAX_WAV_SIZE, data_bytes)))
            self._target.seek(end)
        self._target.flush()
