"""Caps on how much audio one request may ask for, measured on the text before any synthesis.

A few kilobytes of SSML can ask for hours of audio: ``<break time="10s"/>`` 520 times is 87
minutes of silence, nested ``<prosody rate="x-slow">`` slows speech down fourfold, spelled
letters say three syllables each. The front end measures every request once, after parsing and
normalizing and before the (costlier) pinyin conversion, in :func:`huayin.text.frontend.analyze`
(every route, the CLI and job items when they run) and :func:`huayin.text.frontend.check_output`
(job items at submit, no voice needed); over a cap is a :class:`OutputTooLongError` naming the
limit, the measured value and the cap.
"""

from dataclasses import dataclass

from huayin.config import env_float, env_int
from huayin.errors import HuayinError
from huayin.prosody.speed import MAX_SPEED, MIN_SPEED
from huayin.text.letters import LETTER_SYLLABLES
from huayin.text.punctuation import is_hanzi

#: Audio seconds per spoken syllable at speed 1, the punctuation's pauses included: measured on
#: the installed voices (0.18–0.22 over a 164-syllable text of plain sentences, numbers and
#: dates), the slowest taken so an estimate errs on the long side.
SECONDS_PER_SYLLABLE = 0.22
#: Defaults of the caps (see :class:`OutputLimits`).
DEFAULT_MAX_AUDIO_SECONDS = 3600.0
DEFAULT_MAX_BREAK_SECONDS = 600.0
DEFAULT_MAX_SSML_ELEMENTS = 2000


class OutputTooLongError(HuayinError):
    """The request asks for more output than a cap allows (HTTP 413)."""

    code = "output_too_long"


@dataclass(frozen=True)
class OutputLimits:
    """Per-request caps on the output, checked before synthesis."""

    max_audio_seconds: float = DEFAULT_MAX_AUDIO_SECONDS
    """Longest estimated audio, speech and pauses, slow-downs by ``speed`` and SSML
    ``<prosody rate>`` included (HUAYIN_MAX_AUDIO_SECONDS, default 3600: the longest accepted
    text, 10 000 characters, at normal speed is about 2 200 s)."""
    max_break_seconds: float = DEFAULT_MAX_BREAK_SECONDS
    """Total of all SSML ``<break>`` pauses (HUAYIN_MAX_BREAK_SECONDS, default 600; one break
    is at most 10 s)."""
    max_ssml_elements: int = DEFAULT_MAX_SSML_ELEMENTS
    """SSML elements in one document (HUAYIN_MAX_SSML_ELEMENTS, default 2000)."""
    max_spoken_chars: int | None = None
    """Characters to speak once ``<sub alias>`` replaced its element's text: an alias may not
    make a text longer than the text limit (the server sets it to HUAYIN_MAX_TEXT_CHARS;
    None = no cap)."""

    @classmethod
    def from_env(cls, max_spoken_chars: int | None = None) -> "OutputLimits":
        """The caps from the environment (defaults where unset); a value that is not a number,
        or below its minimum, stops with :class:`huayin.errors.SettingsError`."""
        return cls(env_float("HUAYIN_MAX_AUDIO_SECONDS", DEFAULT_MAX_AUDIO_SECONDS, minimum=1),
                   env_float("HUAYIN_MAX_BREAK_SECONDS", DEFAULT_MAX_BREAK_SECONDS),
                   env_int("HUAYIN_MAX_SSML_ELEMENTS", DEFAULT_MAX_SSML_ELEMENTS, minimum=1),
                   max_spoken_chars)

    def check_ssml(self, elements: int, spoken_chars: int, break_seconds: float) -> None:
        """Raise when a parsed SSML document is over a cap."""
        _check(elements, self.max_ssml_elements, "SSML elements", "HUAYIN_MAX_SSML_ELEMENTS")
        if self.max_spoken_chars is not None:
            _check(spoken_chars, self.max_spoken_chars,
                   "characters to speak after <sub alias> substitution", "HUAYIN_MAX_TEXT_CHARS")
        _check(break_seconds, self.max_break_seconds, "seconds of <break> in total",
               "HUAYIN_MAX_BREAK_SECONDS")

    def check_audio(self, audio_seconds: float) -> None:
        """Raise when the estimated audio is longer than the cap."""
        _check(audio_seconds, self.max_audio_seconds, "seconds of audio (estimated)",
               "HUAYIN_MAX_AUDIO_SECONDS",
               "; split the text into shorter requests (a batch job splits it for you)")


def _check(measured: float, cap: float, what: str, setting: str, hint: str = "") -> None:
    if measured > cap:
        raise OutputTooLongError(
            f"output too long: {measured:.0f} {what}, over the cap of {cap:g} ({setting}){hint}")


def spoken_syllables(normalized: str) -> int:
    """Syllables the voices say for a normalized text: one per Chinese character, a spelled
    Latin letter's own count (W: three), nothing for punctuation and spaces."""
    count = 0
    for char in normalized:
        if is_hanzi(char):
            count += 1
        else:
            count += len(LETTER_SYLLABLES.get(char.upper(), ()))
    return count


def speech_seconds(syllables: int, rate: float) -> float:
    """Estimated seconds to say ``syllables`` at ``rate`` (1 = normal, kept within the speed
    range as synthesis keeps it)."""
    return syllables * SECONDS_PER_SYLLABLE / min(MAX_SPEED, max(MIN_SPEED, rate))


__all__ = ["OutputLimits", "OutputTooLongError", "SECONDS_PER_SYLLABLE", "speech_seconds",
           "spoken_syllables"]
