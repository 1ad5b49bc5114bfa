"""Subtitles from per-character timings: sentence cues as SRT or WebVTT, or everything as JSON."""

from dataclasses import asdict, dataclass

from huayin.audio.chunk import CharTiming

SUBTITLE_FORMATS = ("srt", "vtt", "json")
_SENTENCE_END = set("。！？!?…；;\n")
#: Marks that belong to the end of the text before them (shown with it, not with the next).
_TRAILING_MARKS = _SENTENCE_END | set("，,、：:”’」』）)》】 \t")


def _end_of_trailing_marks(original: str, position: int) -> int:
    while position < len(original) and original[position] in _TRAILING_MARKS:
        position += 1
    return position


@dataclass(frozen=True)
class Cue:
    """One subtitle line: a sentence of the original text and when it is spoken."""

    text: str
    """The sentence as the user wrote it (original characters, punctuation included)."""
    start: float
    """Start time in seconds."""
    end: float
    """End time in seconds."""
    span: tuple[int, int] = (0, 0)
    """``[start, end)`` of the sentence in the original text."""


def sentence_cues(original: str, timings: list[CharTiming]) -> list[Cue]:
    """Group character timings into sentences of the original text (split after 。！？；…)."""
    cues: list[Cue] = []
    group: list[CharTiming] = []
    for index, timing in enumerate(timings):
        group.append(timing)
        is_last = index + 1 == len(timings)
        next_start = len(original) if is_last else timings[index + 1].span[0]
        if is_last or any(ch in _SENTENCE_END for ch in original[timing.span[1]:next_start]):
            end = _end_of_trailing_marks(original, timing.span[1])
            text = original[group[0].span[0]:end].strip()
            cues.append(Cue(text, group[0].start, group[-1].end, (group[0].span[0], end)))
            group = []
    return cues


def _clock(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_srt(cues: list[Cue]) -> str:
    """SubRip text."""
    blocks = [f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n"
              for i, c in enumerate(cues, 1)]
    return "\n".join(blocks)


def to_vtt(cues: list[Cue]) -> str:
    """WebVTT text."""
    blocks = [f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def to_json(original: str, timings: list[CharTiming]) -> dict:
    """Sentences and characters with times (seconds) and source spans."""
    return {
        "sentences": [asdict(c) for c in sentence_cues(original, timings)],
        "characters": [
            {"text": t.text, "start": round(t.start, 3), "end": round(t.end, 3), "span": list(t.span)}
            for t in timings
        ],
    }


def render(kind: str, original: str, timings: list[CharTiming]) -> str | dict:
    """Subtitles of ``kind`` (one of :data:`SUBTITLE_FORMATS`)."""
    if kind == "srt":
        return to_srt(sentence_cues(original, timings))
    if kind == "vtt":
        return to_vtt(sentence_cues(original, timings))
    if kind == "json":
        return to_json(original, timings)
    raise ValueError(kind)
