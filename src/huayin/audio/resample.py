"""Sample-rate conversion with soxr (whole buffers and streams of chunks)."""

import numpy as np

from huayin.errors import InvalidParameterError

#: Output rates offered by the API.
SUPPORTED_RATES = (8000, 16000, 22050, 24000, 44100, 48000)


def check_rate(rate: int | None, native: int) -> int:
    """The output rate for a request: ``native`` when None, else one of :data:`SUPPORTED_RATES`."""
    if rate is None:
        return native
    if rate not in SUPPORTED_RATES:
        allowed = ", ".join(str(r) for r in SUPPORTED_RATES)
        raise InvalidParameterError(f"sample_rate must be one of {allowed}, got {rate}")
    return int(rate)


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """A whole buffer at another rate."""
    if source_rate == target_rate:
        return samples
    import soxr

    return soxr.resample(samples.astype(np.float32, copy=False), source_rate, target_rate)


class StreamResampler:
    """Resamples a stream of chunks without seams between them (identity when rates match)."""

    def __init__(self, source_rate: int, target_rate: int):
        self.source_rate = source_rate
        self.target_rate = target_rate
        self._stream = None
        if source_rate != target_rate:
            import soxr

            self._stream = soxr.ResampleStream(source_rate, target_rate, 1, dtype="float32")

    def process(self, samples: np.ndarray, last: bool = False) -> np.ndarray:
        """Resample one chunk; pass ``last=True`` with the final chunk to flush the filter."""
        if self._stream is None:
            return samples
        return self._stream.resample_chunk(samples.astype(np.float32, copy=False), last=last)
