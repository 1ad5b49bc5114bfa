"""Audio containers passed from the engine to the CLI and the server."""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class CharTiming:
    """When one spoken unit (character or spelled letter) is heard."""

    text: str
    """The character as spoken (after normalization)."""
    start: float
    """Start time in seconds from the beginning of the whole audio."""
    end: float
    """End time in seconds from the beginning of the whole audio."""
    span: tuple[int, int]
    """``[start, end)`` offsets of the source in the original text."""


@dataclass
class AudioChunk:
    """One streamed piece of speech: usually one clause followed by its pause."""

    samples: np.ndarray
    """Mono float32 samples in [-1, 1]."""
    sample_rate: int
    """Samples per second."""
    start_time: float
    """Time of the first sample, in seconds from the beginning of the stream."""
    timings: list[CharTiming] = field(default_factory=list)
    """Per-character times (absolute, i.e. already offset by ``start_time``)."""
    text: str = ""
    """The normalized text spoken in this chunk."""
    ends_sentence: bool = False
    """True when this chunk finishes a sentence or the text (a clause may come in several
    chunks), so a sentence's subtitles are complete once it has arrived."""
    ends_clause: bool = False
    """True on the last chunk of a clause (of :attr:`SpeechStream.plans`): progress counts
    these, since the first clause may come in several chunks."""

    @property
    def duration(self) -> float:
        """Length of the chunk in seconds."""
        return len(self.samples) / self.sample_rate


@dataclass
class Audio:
    """A whole synthesized text: the concatenation of its chunks."""

    samples: np.ndarray
    """Mono float32 samples in [-1, 1]."""
    sample_rate: int
    """Samples per second."""
    timings: list[CharTiming] = field(default_factory=list)
    """Per-character times in seconds, monotonic, covering the speech."""

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate

    @classmethod
    def from_chunks(cls, chunks: list[AudioChunk]) -> "Audio":
        """Join streamed chunks (all of one sample rate) into one buffer."""
        if not chunks:
            raise ValueError("no audio chunks")
        samples = np.concatenate([c.samples for c in chunks]).astype(np.float32, copy=False)
        timings = [t for c in chunks for t in c.timings]
        return cls(samples, chunks[0].sample_rate, timings)
