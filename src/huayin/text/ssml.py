"""SSML (a subset compatible with Aliyun's) parsed into plain pieces of text with their settings.

Text is SSML only when it starts with ``<speak``. Supported: ``<speak>``, ``<break time>``,
``<s>``, ``<p>``, ``<sub alias>``, ``<phoneme alphabet="py" ph>``, ``<say-as interpret-as>``,
``<prosody rate pitch volume>``, ``<emotion category intensity>``, ``<voice name>``,
``<emphasis level>`` (strong, moderate — the default —, reduced, none). Invalid SSML
raises :class:`SsmlError` naming the line and column. Parsing uses expat directly (positions for
every element) and refuses DTDs and entities, so no document can expand or fetch anything; with
:class:`~huayin.text.output_limits.OutputLimits` a document with too many elements, breaks or
alias text is refused too.
"""

import math
import re
from dataclasses import dataclass, field, replace
from xml.parsers import expat

from huayin.errors import HuayinError
from huayin.prosody.emphasis import EMPHASIS_LEVELS
from huayin.text.output_limits import OutputLimits
from huayin.text.punctuation import LONE_SURROGATE
from huayin.text.utterance import Delivery

SAY_AS_KINDS = ("cardinal", "digits", "telephone", "date", "time", "currency", "measure",
                "characters", "name", "address", "id")
MAX_BREAK_SECONDS = 10.0
_BREAK_STRENGTH = {"none": 0.0, "x-weak": 0.1, "weak": 0.2, "medium": 0.4, "strong": 0.7,
                   "x-strong": 1.0}


class SsmlError(HuayinError):
    """The SSML is not well-formed or uses an unsupported element or value."""

    code = "invalid_ssml"


def is_ssml(text: str) -> bool:
    """Text is SSML exactly when it starts with ``<speak`` (leading whitespace ignored)."""
    return text.lstrip().startswith("<speak")


@dataclass
class Piece:
    """A run of text to speak with one set of settings, or a pause/boundary marker."""

    text: str = ""
    """Text to speak (``<sub>`` already replaced by its alias)."""
    delivery: Delivery = field(default_factory=Delivery)
    """Settings in force."""
    say_as: str | None = None
    """``interpret-as`` of an enclosing ``<say-as>``."""
    pinyin: tuple[str, ...] | None = None
    """Pronunciation from ``<phoneme alphabet="py">``, one syllable per Chinese character."""
    pause: float | None = None
    """For a marker: seconds of silence from ``<break>``."""
    sentence_end: bool = False
    """For a marker: a ``</s>`` or ``</p>`` boundary."""
    emphasis: float = 0.0
    """Level of an enclosing ``<emphasis>`` (:data:`EMPHASIS_LEVELS`), 0 for none."""


def _fail(message: str, parser) -> SsmlError:
    return SsmlError(f"invalid SSML at line {parser.CurrentLineNumber}, column "
                     f"{parser.CurrentColumnNumber + 1}: {message}")


def _seconds(value: str, parser) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", value or "")
    if not match:
        raise _fail(f"break time must look like 500ms or 1s, got {value!r}", parser)
    seconds = float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
    if seconds > MAX_BREAK_SECONDS:
        raise _fail(f"break time is longer than {MAX_BREAK_SECONDS:g} s", parser)
    return seconds


def _rate(value: str, parser) -> float:
    """"1.2", "120%", "+20%", keywords, or Aliyun's −500…500 (2^(x/500): −500 → 0.5×)."""
    words = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "fast": 1.25, "x-fast": 1.5}
    value = value.strip()
    if value in words:
        return words[value]
    if re.fullmatch(r"[+-]\d+(\.\d+)?%", value):
        return 1 + float(value[:-1]) / 100
    if re.fullmatch(r"\d+(\.\d+)?%", value):
        return float(value[:-1]) / 100
    if re.fullmatch(r"\d+\.\d+|[01]", value):
        return float(value)
    if re.fullmatch(r"[+-]?\d+", value) and -500 <= int(value) <= 500:
        return 2 ** (int(value) / 500)
    raise _fail(f"unsupported prosody rate {value!r}", parser)


def _pitch(value: str, parser) -> float:
    """"+2st", "-3st", "+10%", keywords, or Aliyun's −500…500 (→ −6…+6 semitones)."""
    words = {"x-low": -6.0, "low": -3.0, "medium": 0.0, "high": 3.0, "x-high": 6.0}
    value = value.strip()
    if value in words:
        return words[value]
    if re.fullmatch(r"[+-]?\d+(\.\d+)?st", value):
        return float(value[:-2])
    if re.fullmatch(r"[+-]?\d+(\.\d+)?%", value):
        return 12 * math.log2(max(0.01, 1 + float(value[:-1]) / 100))
    if re.fullmatch(r"[+-]?\d+", value) and -500 <= int(value) <= 500:
        return int(value) / 500 * 6
    raise _fail(f"unsupported prosody pitch {value!r}", parser)


def _volume(value: str, parser) -> float:
    """"+6dB", "-3dB", keywords, or Aliyun's 0…100 (50 = unchanged)."""
    words = {"silent": -20.0, "x-soft": -12.0, "soft": -6.0, "medium": 0.0, "loud": 6.0,
             "x-loud": 10.0}
    value = value.strip()
    if value in words:
        return words[value]
    if re.fullmatch(r"[+-]?\d+(\.\d+)?dB", value):
        return float(value[:-2])
    if re.fullmatch(r"\d+", value) and 0 <= int(value) <= 100:
        return max(-20.0, 20 * math.log10(max(int(value), 1) / 50))
    raise _fail(f"unsupported prosody volume {value!r}", parser)


class _Builder:
    """expat callbacks that turn elements into pieces, tracking nested settings."""

    def __init__(self, parser):
        self.parser = parser
        self.pieces: list[Piece] = []
        self.stack: list[tuple[str, Delivery, dict]] = []
        self.seen_root = False
        self.elements = 0

    def _top(self) -> tuple[Delivery, dict]:
        if not self.stack:
            return Delivery(), {}
        _, delivery, context = self.stack[-1]
        return delivery, context

    def start(self, name: str, attrs: dict) -> None:
        if not self.stack and (name != "speak" or self.seen_root):
            raise _fail("the document must be a single <speak> element", self.parser)
        self.seen_root = True
        self.elements += 1
        delivery, context = self._top()
        context = dict(context)
        if name in ("speak", "s", "p"):
            pass
        elif name == "break":
            pause = (_seconds(attrs["time"], self.parser) if "time" in attrs
                     else _BREAK_STRENGTH.get(attrs.get("strength", "medium")))
            if pause is None:
                raise _fail(f"unsupported break strength {attrs.get('strength')!r}", self.parser)
            self.pieces.append(Piece(delivery=delivery, pause=pause))
        elif name == "sub":
            if "alias" not in attrs:
                raise _fail("<sub> needs an alias attribute", self.parser)
            context["alias"] = attrs["alias"]
            context["alias_used"] = False
        elif name == "phoneme":
            if attrs.get("alphabet", "py") != "py" or "ph" not in attrs:
                raise _fail('<phoneme> needs alphabet="py" and a ph attribute', self.parser)
            syllables = tuple(attrs["ph"].split())
            if not syllables or not all(re.fullmatch(r"[a-zü:]+[1-5]", s) for s in syllables):
                raise _fail(f"ph must be pinyin with tone digits, got {attrs['ph']!r}", self.parser)
            context["pinyin"] = tuple(s.replace("ü", "v").replace("u:", "v") for s in syllables)
        elif name == "say-as":
            kind = attrs.get("interpret-as")
            if kind not in SAY_AS_KINDS:
                raise _fail(f"unsupported say-as interpret-as {kind!r}; use one of "
                            f"{', '.join(SAY_AS_KINDS)}", self.parser)
            context["say_as"] = kind
        elif name == "prosody":
            changes = {}
            if "rate" in attrs:
                changes["speed"] = _rate(attrs["rate"], self.parser)
            if "pitch" in attrs:
                changes["pitch"] = _pitch(attrs["pitch"], self.parser)
            if "volume" in attrs:
                changes["volume"] = _volume(attrs["volume"], self.parser)
            delivery = replace(delivery, **changes)
        elif name == "emotion":
            if "category" not in attrs:
                raise _fail("<emotion> needs a category attribute", self.parser)
            intensity = attrs.get("intensity")
            try:
                intensity = None if intensity is None else float(intensity)
            except ValueError:
                raise _fail(f"emotion intensity must be a number, got {intensity!r}",
                            self.parser) from None
            delivery = replace(delivery, emotion=attrs["category"], intensity=intensity)
        elif name == "emphasis":
            level = attrs.get("level", "moderate")
            if level not in EMPHASIS_LEVELS:
                raise _fail(f"unsupported emphasis level {level!r}; use one of "
                            f"{', '.join(EMPHASIS_LEVELS)}", self.parser)
            context["emphasis"] = EMPHASIS_LEVELS[level]
        elif name == "voice":
            if "name" not in attrs:
                raise _fail("<voice> needs a name attribute", self.parser)
            delivery = replace(delivery, voice=attrs["name"])
        else:
            raise _fail(f"unsupported element <{name}>", self.parser)
        self.stack.append((name, delivery, context))

    def end(self, name: str) -> None:
        _, delivery, context = self.stack.pop()
        if name == "sub" and not context.get("alias_used"):
            self.pieces.append(_spoken(context["alias"], delivery, context))
        if name in ("s", "p"):
            self.pieces.append(Piece(delivery=delivery, sentence_end=True))

    def text(self, data: str) -> None:
        if not self.stack:
            if data.strip():
                raise _fail("text outside <speak>", self.parser)
            return
        name, delivery, context = self.stack[-1]
        if name == "break":
            raise _fail("<break> must be empty", self.parser)
        if "alias" in context:
            if not context["alias_used"]:  # the alias is spoken instead of the element's text
                context["alias_used"] = True
                self.pieces.append(_spoken(context["alias"], delivery, context))
            return
        # Line breaks and indentation in markup are formatting, not paragraph breaks.
        data = re.sub(r"\s+", " ", data)
        self.pieces.append(_spoken(data, delivery, context, context.get("pinyin")))


def _spoken(text: str, delivery: Delivery, context: dict, pinyin=None) -> Piece:
    """A piece of spoken text with the enclosing elements' ``<say-as>`` and ``<emphasis>``."""
    return Piece(text, delivery, context.get("say_as"), pinyin,
                 emphasis=context.get("emphasis", 0.0))


def parse_ssml(source: str, limits: OutputLimits | None = None) -> list[Piece]:
    """Pieces of an SSML document in reading order; raises :class:`SsmlError`, and
    :class:`~huayin.text.output_limits.OutputTooLongError` when the document is over one of
    ``limits``' caps (elements, total break time, characters to speak)."""
    if re.search(r"<!(DOCTYPE|ENTITY)", source, re.IGNORECASE):
        raise SsmlError("invalid SSML: DTDs and entities are not allowed")
    source = source.strip()
    surrogate = LONE_SURROGATE.search(source)
    if surrogate is not None:
        # XML cannot hold one, and expat would fail while encoding the text: name the place.
        before = source[:surrogate.start()]
        line, column = before.count("\n") + 1, surrogate.start() - (before.rfind("\n") + 1) + 1
        raise SsmlError(f"invalid SSML at line {line}, column {column}: lone surrogate "
                        f"U+{ord(surrogate.group()):04X} is not a character")
    parser = expat.ParserCreate()
    builder = _Builder(parser)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    try:
        parser.Parse(source, True)
    except expat.ExpatError as error:
        raise SsmlError(f"invalid SSML at line {error.lineno}, column {error.offset + 1}: "
                        f"{expat.ErrorString(error.code)}") from None
    if limits is not None:
        limits.check_ssml(builder.elements, sum(len(piece.text) for piece in builder.pieces),
                          sum(piece.pause or 0.0 for piece in builder.pieces))
    return _merge_text(builder.pieces)


def _merge_text(pieces: list[Piece]) -> list[Piece]:
    """expat may split one text run into several callbacks: join neighbours with equal settings."""
    merged: list[Piece] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if (previous is not None and piece.text and previous.text
                and (previous.delivery, previous.say_as, previous.pinyin, previous.emphasis)
                == (piece.delivery, piece.say_as, piece.pinyin, piece.emphasis)
                and piece.pinyin is None):
            previous.text += piece.text
        else:
            merged.append(piece)
    return merged
