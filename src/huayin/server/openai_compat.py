"""How OpenAI's speech API names map onto huayin."""

from huayin.errors import HuayinError
from huayin.voices.registry import DEFAULT_VOICE

#: Model names accepted on /v1/audio/speech (they all run huayin's voices).
MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "huayin")

#: OpenAI voice name → huayin voice id: OpenAI's lower, male-sounding voices map to the one male
#: speaker that passed our sweep, the others to the default voice (a female one; tested).
OPENAI_VOICES = {
    **{name: DEFAULT_VOICE for name in ("alloy", "ballad", "coral", "nova", "sage", "shimmer", "verse")},
    **{name: "mellotron-aicheng" for name in ("ash", "echo", "fable", "onyx")},
}


class UnknownModelError(HuayinError):
    """The ``model`` field names no model this server offers."""

    code = "unknown_model"


def check_model(model: str) -> str:
    """Return the model name or raise a 400."""
    if model not in MODELS:
        raise UnknownModelError(f"unknown model {model!r}; use one of {', '.join(MODELS)}")
    return model


def resolve_voice(voice: str) -> str:
    """An OpenAI voice name becomes its huayin voice; anything else is taken as a huayin id."""
    return OPENAI_VOICES.get(voice.lower(), voice)
