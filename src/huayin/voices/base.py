"""What every voice offers the engine, and the metadata users see."""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np

from huayin.prosody.request import ProsodyRequest
from huayin.text.utterance import Clause


@dataclass(frozen=True)
class VoiceInfo:
    """A voice as listed by ``huayin voices``."""

    id: str
    """Stable identifier used in ``--voice`` and the API, e.g. ``baker``."""
    display_name: str
    """Human-readable name."""
    gender: str
    """``female`` or ``male``."""
    sample_rate: int
    """Native output rate in Hz."""
    engine: str
    """Inference runtime and model family, e.g. ``litert/fastspeech2+mb-melgan``."""
    source: str
    """Where the weights come from (a PyPI wheel read as data)."""
    license: str
    """Licence of the source package."""
    pack: str
    """Name of the voice pack that holds the weights (``huayin voices install PACK``)."""
    language: str = "zh-CN"
    """BCP-47 language tag."""

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        return asdict(self)


@dataclass
class ClauseAudio:
    """The voice's output for one clause."""

    samples: np.ndarray
    """Mono float32 samples, edge silence already trimmed to a few milliseconds."""
    token_starts: np.ndarray
    """Sample offset where each token starts, plus one final entry where speech ends; int64,
    non-decreasing, length = number of tokens + 1."""


@dataclass
class ClauseParts:
    """A clause's audio as consecutive blocks, for a stream that starts before the clause is
    done (:meth:`Voice.synthesize_clause_in_parts`)."""

    blocks: Iterator[tuple[np.ndarray, bool]]
    """``(samples, is_last)`` per block, computed lazily; joined, the clause's samples."""
    token_starts: np.ndarray | None = None
    """As :attr:`ClauseAudio.token_starts`. A voice that sends the first block while it is still
    decoding leaves this None until the decoder is done, and sets it before it yields the
    second block."""


class Voice(ABC):
    """A loaded, ready-to-run voice."""

    info: VoiceInfo

    @abstractmethod
    def max_clause_tokens(self, speed: float) -> int:
        """Longest clause (in tokens) one model call can take at this speed."""

    @abstractmethod
    def synthesize_clause(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator
    ) -> ClauseAudio:
        """Speak one clause with the requested delivery. ``rng`` feeds any sampling in the model
        (same rng → same audio)."""

    def synthesize_clause_in_parts(
        self, clause: Clause, *, prosody: ProsodyRequest, rng: np.random.Generator,
        first_part_seconds: float,
    ) -> ClauseParts:
        """Like :meth:`synthesize_clause`, but the audio comes as consecutive blocks, the first
        about ``first_part_seconds`` long, so a stream can start before the clause is done;
        joined, the blocks equal the whole clause's samples (up to float rounding where a voice
        says so). Voices that cannot split their output return it as one block."""
        audio = self.synthesize_clause(clause, prosody=prosody, rng=rng)
        return ClauseParts(iter([(audio.samples, True)]), audio.token_starts)
