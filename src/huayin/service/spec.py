"""What a batch job asks for: its items and shared output settings, validated at submit time.

A body that is malformed (wrong types, unknown fields, nothing to say, too large, an item whose
output is over a cap of :class:`~huayin.text.output_limits.OutputLimits`) is rejected as a whole
before anything is stored; an item whose *content* is bad (unknown voice, speed out of
range, nothing speakable) is accepted here and fails alone when it runs, with its error kept in
the job's status.
"""

import re
from dataclasses import replace
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic import StrictStr as _AnyStrictStr

from huayin.errors import HuayinError, InvalidParameterError
from huayin.text.frontend import check_output
from huayin.text.output_limits import OutputLimits, OutputTooLongError
from huayin.text.punctuation import LONE_SURROGATE
from huayin.voices.registry import DEFAULT_VOICE

#: Longest item the server cuts a long text into (characters): a paragraph or a few sentences,
#: short enough that one item's audio stays small and a cancelled or lost item is cheap to redo.
ITEM_CHARS = 600
#: Sentence ends a long paragraph may be cut after.
_SENTENCE_END = re.compile(r"(?<=[。！？!?…；;])")
#: Most items one job may hold.
MAX_ITEMS = 10_000

#: A JSON number (not a boolean, not NaN or ±Infinity): a malformed number refuses the whole job.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)] | StrictInt


def _valid_unicode(value: str) -> str:
    """A lone surrogate (JSON ``"\\ud800"``) parses but can never be stored or encoded."""
    if LONE_SURROGATE.search(value):
        raise ValueError("holds a lone surrogate (not valid Unicode text)")
    return value


#: A strict string that is valid Unicode text.
StrictStr = Annotated[_AnyStrictStr, AfterValidator(_valid_unicode)]


class JobItem(BaseModel):
    """One piece of text to speak, with its own delivery settings (defaults: the job's)."""

    model_config = ConfigDict(extra="forbid")

    text: StrictStr = Field(..., description="text or SSML to speak")
    id: StrictStr | None = Field(None, description="your own name for the item (kept in the manifest)")
    voice: StrictStr = Field(DEFAULT_VOICE, description="voice id (see /api/voices)")
    emotion: StrictStr | None = Field(None, description="emotion style")
    intensity: Number = Field(1.0, description="emotion strength 0–2")
    speed: Number = Field(1.0, description="0.25–4.0, > 1 faster")
    pitch: Number = Field(0.0, description="semitones, −6…+6")
    volume: Number = Field(0.0, description="dB, −20…+10")
    seed: StrictInt = Field(0, ge=0, lt=2**63, description="sampling seed")

    def synthesis_options(self) -> dict:
        """Keyword options for :meth:`huayin.synth.Synthesizer.stream`."""
        return {"speed": float(self.speed), "seed": int(self.seed), "pitch": float(self.pitch),
                "volume": float(self.volume), "emotion": self.emotion or "neutral",
                "intensity": float(self.intensity), "early_start": False}


class JobRequest(BaseModel):
    """``POST /api/jobs``: explicit ``items``, or one long ``text`` the server splits into items
    at paragraph and sentence boundaries (then ``voice`` & co. apply to every item)."""

    model_config = ConfigDict(extra="forbid")

    items: list[JobItem] | None = Field(None, description="the items, in order")
    text: StrictStr | None = Field(None, description="one long text, split by the server")
    voice: StrictStr | None = Field(None, description="voice of every item (with text)")
    emotion: StrictStr | None = Field(None, description="emotion of every item (with text)")
    intensity: Number | None = Field(None, description="emotion strength of every item (with text)")
    speed: Number | None = Field(None, description="speed of every item (with text)")
    pitch: Number | None = Field(None, description="pitch of every item (with text)")
    volume: Number | None = Field(None, description="volume of every item (with text)")
    seed: StrictInt | None = Field(None, ge=0, lt=2**63, description="seed of every item (with text)")
    format: Literal["wav", "mp3", "opus", "aac", "flac", "pcm"] = Field("wav")
    sample_rate: StrictInt | None = Field(None, ge=8000, le=48000,
                                          description="output rate; default the voice's")
    subtitles: Literal["srt", "vtt", "json"] | None = Field(None, description="subtitles per item")
    concatenate: bool = Field(False, description="one audio file for the whole job")
    pause_ms: StrictInt = Field(500, ge=0, le=10_000, description="silence between joined items")

    @model_validator(mode="after")
    def _items_or_text(self) -> "JobRequest":
        if (self.items is None) == (self.text is None):
            raise ValueError("give either items (a list) or text (one string), not both")
        if self.items is not None and not self.items:
            raise ValueError("items is empty")
        if self.text is not None and not self.text.strip():
            raise ValueError("text is empty")
        return self

    def expanded_items(self, max_chars: int, limits: OutputLimits | None = None) -> list[JobItem]:
        """The job's items; a long ``text`` becomes one item per paragraph piece. Raises a user
        error when the job is larger than ``max_chars`` or :data:`MAX_ITEMS`, or when an item's
        output is over one of ``limits``' caps (measured as synthesis measures it)."""
        size = len(self.text) if self.text is not None else sum(len(i.text) for i in self.items)
        if size > max_chars:
            raise InvalidParameterError(f"the job holds {size} characters; at most {max_chars} "
                                        "are accepted per job (HUAYIN_MAX_JOB_CHARS)",
                                        code="job_too_large")
        if self.items is not None:
            items = list(self.items)
        else:
            shared = {name: value for name in ("voice", "emotion", "intensity", "speed", "pitch",
                                               "volume", "seed")
                      if (value := getattr(self, name)) is not None}
            items = [JobItem(text=piece, **shared) for piece in split_into_items(self.text)]
        if not items:
            raise InvalidParameterError("nothing to say: the text holds only blank lines",
                                        code="empty_text")
        if len(items) > MAX_ITEMS:
            raise InvalidParameterError(f"the job holds {len(items)} items; at most {MAX_ITEMS}",
                                        code="job_too_large")
        if limits is not None:
            _check_outputs(items, replace(limits, max_spoken_chars=max_chars))
        return items


def _check_outputs(items: list[JobItem], limits: OutputLimits) -> None:
    """Refuse the job when an item asks for more output than a cap allows. Other problems of an
    item's text (invalid SSML, ...) are left for the item to fail alone when it runs."""
    for index, item in enumerate(items):
        try:
            check_output(item.text, limits, float(item.speed))
        except OutputTooLongError as error:
            raise OutputTooLongError(f"item {index}: {error.message}") from None
        except HuayinError:
            pass


def split_into_items(text: str, max_chars: int = ITEM_CHARS) -> list[str]:
    """Cut a long text into items: one per paragraph (blank-line or line separated); a paragraph
    longer than ``max_chars`` is cut after sentence ends, and a sentence longer still is cut
    where it must (the engine cuts it again at clause and word boundaries)."""
    items: list[str] = []
    for paragraph in (line.strip() for line in text.splitlines()):
        if not paragraph:
            continue
        piece = ""
        for sentence in filter(None, _SENTENCE_END.split(paragraph)):
            if piece and len(piece) + len(sentence) > max_chars:
                items.append(piece)
                piece = ""
            while len(sentence) > max_chars:
                items.append(sentence[:max_chars])
                sentence = sentence[max_chars:]
            piece += sentence
        if piece.strip():
            items.append(piece)
    return items


def split_into_sentences(text: str) -> list[str]:
    """One piece per sentence (cut after 。！？!?…；;) of every non-empty line."""
    return [sentence.strip() for line in text.splitlines()
            for sentence in _SENTENCE_END.split(line) if sentence.strip()]


__all__ = ["ITEM_CHARS", "MAX_ITEMS", "JobItem", "JobRequest", "split_into_items",
           "split_into_sentences"]
