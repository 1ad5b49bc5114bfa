"""How fast this server really synthesizes, per voice, to refuse up front a whole-answer request
that cannot finish within the request timeout (instead of burning the CPU for it and answering
504 with nothing).

The pace is synthesis wall time per text token at normal speed, measured on finished requests
(so it includes whatever else the host is doing) and smoothed; a token said at speed 0.5 lasts
twice as long, so it costs about twice the work and counts twice (:func:`speech_tokens`); until a voice has been measured a deliberately
optimistic prior is used, so a cold server refuses only what is hopeless even for the fastest
voice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

#: Seconds per token assumed before a voice has been measured: about the fast voice on two idle
#: cores (RTF ≈ 0.04 × ≈ 0.22 s of audio per character).
PRIOR_SECONDS_PER_TOKEN = 0.008
#: Weight of the newest measurement in the running average.
SMOOTHING = 0.3
#: Requests shorter than this say little about the pace (fixed costs dominate).
MIN_TOKENS_MEASURED = 8


def speech_tokens(plans: Iterable) -> float:
    """Tokens of a request's clause plans (:class:`huayin.synth.ClausePlan`), each weighted by
    how long it is said: ``speed`` and SSML ``<prosody rate>`` 0.5 count twice, 1.5 two thirds
    (vocoding, the larger part of the work, grows with the audio's length)."""
    return sum(len(plan.clause.tokens) / plan.prosody.targets.rate for plan in plans)


@dataclass
class SynthesisPace:
    """Seconds of synthesis per token at normal speed, per voice."""

    seconds_per_token: dict[str, float] = field(default_factory=dict)
    """Smoothed measurement per voice id."""

    def record(self, voice: str, tokens: float, synthesis_seconds: float) -> None:
        """Take in a finished request's figures (``tokens`` weighted by :func:`speech_tokens`)."""
        if tokens < MIN_TOKENS_MEASURED or synthesis_seconds <= 0:
            return
        measured = synthesis_seconds / tokens
        previous = self.seconds_per_token.get(voice)
        self.seconds_per_token[voice] = measured if previous is None else (
            SMOOTHING * measured + (1 - SMOOTHING) * previous)

    def estimate(self, voice: str, tokens: float, sharing: float = 1.0) -> float:
        """Expected seconds to synthesize ``tokens`` tokens (weighted by :func:`speech_tokens`)
        with ``voice`` when each worker is shared by ``sharing`` requests (≥ 1)."""
        pace = self.seconds_per_token.get(voice, PRIOR_SECONDS_PER_TOKEN)
        return tokens * pace * max(1.0, sharing)
