"""Request bodies of the HTTP API (pydantic), validated before any work starts.

Every field is checked here for what the JSON can get wrong on its own: numbers must be finite,
real numbers (``true`` is not 1), inside their documented range; integers fit their range (a seed
is not negative nor a 300-bit number); strings are valid Unicode (a lone surrogate such as
``"\\ud800"`` parses as JSON but cannot be encoded again, so it would fail deep inside the
engine). The ranges are the engine's own constants, so the OpenAPI schema states them too.
"""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from huayin.audio.resample import SUPPORTED_RATES
from huayin.prosody.request import (
    MAX_INTENSITY,
    MAX_PITCH,
    MAX_VOLUME,
    MIN_INTENSITY,
    MIN_PITCH,
    MIN_VOLUME,
)
from huayin.prosody.speed import MAX_SPEED, MIN_SPEED
from huayin.voices.registry import DEFAULT_VOICE

#: Largest accepted ``seed`` (fits a signed 64-bit integer, what most clients can send exactly).
MAX_SEED = 2**63 - 1


def _not_boolean(value):
    """JSON ``true`` would pass as 1 (or 1.0): a number field wants a number."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


def _valid_unicode(value: str) -> str:
    """Refuse lone surrogates (``\\ud800``): valid JSON, but no valid text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds a lone surrogate (not valid Unicode text)") from None
    return value


#: A string that is valid Unicode text.
Text = Annotated[str, AfterValidator(_valid_unicode)]
#: A finite real number (no NaN, no Infinity, no boolean).
Number = Annotated[float, BeforeValidator(_not_boolean), Field(allow_inf_nan=False)]
#: An integer that is not a boolean.
Integer = Annotated[int, BeforeValidator(_not_boolean)]
#: Speaking rate, > 1 faster.
Speed = Annotated[Number, Field(ge=MIN_SPEED, le=MAX_SPEED)]
#: Pitch shift in semitones.
Pitch = Annotated[Number, Field(ge=MIN_PITCH, le=MAX_PITCH)]
#: Gain in dB.
Volume = Annotated[Number, Field(ge=MIN_VOLUME, le=MAX_VOLUME)]
#: Emotion strength.
Intensity = Annotated[Number, Field(ge=MIN_INTENSITY, le=MAX_INTENSITY)]
#: Sampling seed.
Seed = Annotated[Integer, Field(ge=0, le=MAX_SEED)]
#: Output sample rate (the exact supported rates are checked with the voice).
SampleRate = Annotated[Integer, Field(ge=min(SUPPORTED_RATES), le=max(SUPPORTED_RATES))]


def synthesis_options(*, speed: float, seed: int, pitch: float, volume: float,
                      emotion: str | None, intensity: float) -> dict:
    """Keyword options for :meth:`huayin.synth.Synthesizer.stream` from any route's fields."""
    return {"speed": speed, "seed": seed, "pitch": pitch, "volume": volume,
            "emotion": emotion or "neutral", "intensity": intensity}


class _Delivery(BaseModel):
    """huayin's delivery fields, shared by every synthesis route."""

    emotion: Text | None = Field(None, max_length=64,
                                 description="emotion style (English or Chinese name)")
    intensity: Intensity = Field(1.0, description="emotion strength 0–2")
    pitch: Pitch = Field(0.0, description="pitch shift in semitones, −6…+6")
    volume: Volume = Field(0.0, description="gain in dB, −20…+10")
    sample_rate: SampleRate | None = Field(
        None, description=f"output rate, one of {', '.join(map(str, SUPPORTED_RATES))}; "
                          "default native")
    seed: Seed = Field(0, description="sampling seed: same seed, same audio")

    def options(self, speed: float, emotion: str | None = None,
                intensity: float | None = None) -> dict:
        """Synthesizer options; ``emotion``/``intensity`` override the body's own fields."""
        return synthesis_options(
            speed=speed, seed=self.seed, pitch=self.pitch, volume=self.volume,
            emotion=emotion or self.emotion,
            intensity=self.intensity if intensity is None else intensity)


class OpenAISpeechRequest(_Delivery):
    """``POST /v1/audio/speech`` — OpenAI's body, plus huayin's delivery fields."""

    model_config = ConfigDict(extra="ignore")

    model: Text = Field(..., max_length=64,
                        description="tts-1, tts-1-hd, gpt-4o-mini-tts, or huayin")
    input: Text = Field(..., description="text to speak")
    voice: Text = Field(..., max_length=64, description="huayin voice id or an OpenAI voice name")
    response_format: Text = Field("mp3", max_length=16,
                                  description="mp3, opus, aac, flac, wav or pcm")
    speed: Speed = Field(1.0, description="0.25–4.0, > 1 faster")
    instructions: Text | None = Field(None, max_length=4096,
                                      description="free text; emotion words are recognised")
    stream_format: Literal["audio", "sse"] = Field("audio", description="raw audio or SSE events")


class TtsRequest(_Delivery):
    """``POST /api/tts`` — huayin's native JSON body."""

    model_config = ConfigDict(extra="forbid")

    text: Text = Field(..., description="text to speak")
    voice: Text = Field(DEFAULT_VOICE, max_length=64, description="voice id (see /api/voices)")
    speed: Speed = Field(1.0, description="0.25–4.0, > 1 faster")
    format: Text = Field("wav", max_length=16, description="wav, mp3, opus, aac, flac or pcm")
    stream: bool = Field(False, strict=True, description="send audio while it is synthesized (chunked)")


class SynthesizeForm(_Delivery):
    """``POST /api/synthesize`` — the multipart form's fields (the clip comes as a file)."""

    model_config = ConfigDict(extra="ignore")

    text: Text = Field(..., description="text to speak")
    speaker: Text = Field(DEFAULT_VOICE, max_length=64, description="voice id (see /api/voices)")
    speed: Speed = Field(1.0, description="0.25–4.0, > 1 faster")
    format: Text = Field("wav", max_length=16, description="wav, mp3, opus, aac, flac or pcm")
    subtitles: Text | None = Field(None, max_length=8, description="srt, vtt or json")
    emotion_audio_url: Text | None = Field(None, max_length=2048,
                                           description="URL of a reference clip (instead of "
                                                       "uploading emotion_audio)")


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str = Field(..., description="stable identifier, e.g. invalid_parameter, busy")
    message: str = Field(..., description="human-readable explanation")


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail
