"""Free-text style instructions ("speak happily", "用悲伤的语气") → an emotion and intensity.

OpenAI's ``instructions`` field is prose; we look for emotion words (English and Chinese), skip
negated ones ("don't sound angry", "不要生气"), and read degree words near them ("very", "有点").
"""

import re
from dataclasses import dataclass

#: Emotion → words that ask for it. English entries are word starts (``happ`` → happy, happily).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "neutral": ("neutral", "plain", "flat", "monoton", "matter-of-fact", "中性", "平淡", "正常的语气",
                "平铺直叙"),
    "happy": ("happ", "cheerful", "joy", "glad", "excited", "delight", "upbeat", "merr", "开心",
              "高兴", "快乐", "愉快", "兴奋", "欢快", "喜悦", "欢乐"),
    "sad": ("sad", "sorrow", "melanchol", "gloom", "depress", "mournful", "unhappy", "grief",
            "tearful", "悲伤", "伤心", "难过", "沮丧", "哀伤", "忧伤", "悲痛", "悲哀"),
    "angry": ("angr", "anger", "furious", "irritat", "annoyed", "rage", "mad", "enraged", "生气",
              "愤怒", "恼火", "气愤", "发火", "暴怒", "恼怒"),
    "fear": ("fear", "afraid", "scared", "frighten", "terrif", "nervous", "anxious", "panic",
             "害怕", "恐惧", "惊恐", "紧张", "担心", "惊慌"),
    "surprise": ("surpris", "amaz", "astonish", "shock", "惊讶", "吃惊", "震惊", "惊奇", "诧异"),
    "disgust": ("disgust", "hate", "hatred", "contempt", "disdain", "repuls", "厌恶", "讨厌", "嫌弃",
                "恶心", "鄙视", "反感"),
    "calm": ("calm", "gentle", "sooth", "relax", "peaceful", "tender", "serene", "平静", "冷静",
             "温柔", "舒缓", "放松", "柔和", "安详"),
}
_NEGATIONS = re.compile(r"(\b(?:not|no|don'?t|never|without|avoid)\b[\w\s]{0,12}$)|(不要|别|不|没有|勿|避免)$")
_STRONGER = re.compile(r"(\b(?:very|really|extremely|super|so|highly|deeply|intensely|totally)\b"
                       r"|非常|特别|极其|十分|很|超级|极度|无比|相当)")
_WEAKER = re.compile(r"(\b(?:slightly|a bit|a little|somewhat|mildly|gently|kind of|a touch)\b"
                     r"|有点|有些|稍微|略微|略带|一点|微微)")
#: Degree words count when they are this close before (or, in English, just after) the keyword.
_DEGREE_WINDOW = 12
STRONGER_INTENSITY, WEAKER_INTENSITY = 1.5, 0.5


@dataclass(frozen=True)
class InstructedEmotion:
    """The emotion asked for by an instruction text."""

    emotion: str
    """Canonical emotion id."""
    intensity: float
    """1.0, or 1.5 / 0.5 when a degree word ("very", "有点") goes with it."""


def _pattern(word: str) -> str:
    if word.isascii():
        # Short words only take derivational endings, so "mad" never matches "made".
        return r"\b" + re.escape(word) + (r"(?:ly|ness|der)?\b" if len(word) <= 3 else r"\w*")
    return re.escape(word)


_MATCHERS = [(emotion, re.compile(_pattern(word), re.IGNORECASE))
             for emotion, words in _KEYWORDS.items() for word in sorted(words, key=len, reverse=True)]


def emotion_from_instructions(text: str | None) -> InstructedEmotion | None:
    """The first emotion the text asks for (negated mentions skipped), or None."""
    if not text:
        return None
    found: list[tuple[int, int, str]] = []
    for emotion, matcher in _MATCHERS:
        for match in matcher.finditer(text):
            if not _NEGATIONS.search(text[max(0, match.start() - 16):match.start()]):
                found.append((match.start(), -(match.end() - match.start()), emotion))
    if not found:
        return None
    start, negative_length, emotion = min(found)  # earliest, then longest (惊恐 before 惊)
    around = text[max(0, start - _DEGREE_WINDOW):start - negative_length + _DEGREE_WINDOW]
    if _WEAKER.search(around):
        return InstructedEmotion(emotion, WEAKER_INTENSITY)
    if _STRONGER.search(around):
        return InstructedEmotion(emotion, STRONGER_INTENSITY)
    return InstructedEmotion(emotion, 1.0)
