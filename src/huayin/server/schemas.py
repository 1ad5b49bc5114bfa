"""Request bodies of the HTTP API (pydantic), validated before any work starts."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from huayin.voices.registry import DEFAULT_VOICE


def synthesis_options(*, speed: float, seed: int, pitch: float, volume: float,
                      emotion: str | None, intensity: float) -> dict:
    """Keyword options for :meth:`huayin.synth.Synthesizer.stream` from any route's fields."""
    return {"speed": speed, "seed": seed, "pitch": pitch, "volume": volume,
            "emotion": emotion or "neutral", "intensity": intensity}


class _Delivery(BaseModel):
    """huayin's delivery fields, shared by every synthesis route."""

    emotion: str | None = Field(None, description="emotion style (English or Chinese name)")
    intensity: float = Field(1.0, description="emotion strength 0–2")
    pitch: float = Field(0.0, description="pitch shift in semitones, −6…+6")
    volume: float = Field(0.0, description="gain in dB, −20…+10")
    sample_rate: int | None = Field(None, description="output rate: 8000…48000, default native")
    seed: int = Field(0, description="sampling seed: same seed, same audio")

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

    model: str = Field(..., description="tts-1, tts-1-hd, gpt-4o-mini-tts, or huayin")
    input: str = Field(..., description="text to speak")
    voice: str = Field(..., description="huayin voice id or an OpenAI voice name")
    response_format: str = Field("mp3", description="mp3, opus, aac, flac, wav or pcm")
    speed: float = Field(1.0, description="0.25–4.0, > 1 faster")
    instructions: str | None = Field(None, description="free text; emotion words are recognised")
    stream_format: Literal["audio", "sse"] = Field("audio", description="raw audio or SSE events")


class TtsRequest(_Delivery):
    """``POST /api/tts`` — huayin's native JSON body."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., description="text to speak")
    voice: str = Field(DEFAULT_VOICE, description="voice id (see /api/voices)")
    speed: float = Field(1.0, description="0.25–4.0, > 1 faster")
    format: str = Field("wav", description="wav, mp3, opus, aac, flac or pcm")
    stream: bool = Field(False, description="send audio while it is synthesized (chunked)")
