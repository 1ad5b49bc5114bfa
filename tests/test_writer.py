"""Writing audio block by block: the same file as encoding it whole."""

import io
import struct

import numpy as np
import pytest

from huayin.audio.encode import encode
from huayin.audio.writer import AudioFileWriter


def _blocks(rate=24000):
    rng = np.random.default_rng(0)
    return [rng.uniform(-0.5, 0.5, n).astype(np.float32) for n in (rate // 3, 777, rate)]


class Pipe(io.BytesIO):
    """A file that cannot seek, like stdout into a pipe."""

    def seekable(self) -> bool:
        return False


@pytest.mark.parametrize("fmt", ["wav", "pcm"])
def test_seekable_file_gets_the_same_bytes_as_whole_encoding(fmt):
    target = io.BytesIO()
    writer = AudioFileWriter(target, fmt, 24000)
    for block in _blocks():
        writer.write(block)
    writer.close()
    assert target.getvalue() == encode(np.concatenate(_blocks()), 24000, fmt)


def test_pipe_gets_a_wav_header_of_unknown_length():
    target = Pipe()
    writer = AudioFileWriter(target, "wav", 24000)
    for block in _blocks():
        writer.write(block)
    writer.close()
    data = target.getvalue()
    assert struct.unpack("<I", data[40:44])[0] == 0xFFFFFFFF
    assert data[44:] == encode(np.concatenate(_blocks()), 24000, "pcm")


@pytest.mark.parametrize("fmt", ["flac", "mp3", "opus", "aac"])
def test_compressed_formats_decode_to_the_written_length(tmp_path, fmt):
    import av

    path = tmp_path / f"x.{fmt}"
    with open(path, "wb") as target:
        writer = AudioFileWriter(target, fmt, 24000)
        for block in _blocks():
            writer.write(block)
        writer.close()
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        decoded = sum(frame.samples for frame in container.decode(audio=0)) / stream.rate
    written = sum(len(b) for b in _blocks()) / 24000
    # ADTS AAC keeps its encoder delay and last-frame padding (up to 3 × 1024 samples): there
    # is no length field to trim them by.
    assert decoded == pytest.approx(written, abs=0.13 if fmt == "aac" else 0.03)
