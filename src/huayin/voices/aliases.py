"""Sambert speaker names accepted wherever a voice id is: each is mapped to the closest huayin voice.

Clients of the ModelScope Sambert-HiFiGAN models and of the Sambert images name speakers such as
``zhitian_emo`` or ``zhibei``. huayin has none of those voices, so each name stands for the huayin
voice closest to it by gender and register (pitch height). The Sambert side is described from the
vendor's published voice lists (sweet / standard / gentle female, child, male); the huayin side is
the measured median F0 of the sweep (``voices/mellotron/speakers.py``, ``docs/voices.md``):

- child voices → the highest exposed speakers (Xiaobei 329 Hz, Aitong 354 Hz);
- bright or sweet young women → 255–285 Hz (biaobei, Aiqi);
- standard, gentle and news-reading women → 200–250 Hz (Siyue, Xiaoxue, Aina);
- men → Aicheng (124 Hz), the one male speaker that passed the sweep.

ttskit's speakers carry the names of Alibaba Cloud voices (Aixia, Aiyu, ...). Each exposed one is
its own alias (``aixia`` → ``mellotron-aixia``); Aida, a male voice that failed the sweep, falls
back to Aicheng. Every Sambert name may carry the ``_emo`` suffix of the multi-emotion models
(``zhitian_emo``): the emotion itself comes from the request's ``emotion`` field.
"""

from dataclasses import dataclass

from huayin.voices.mellotron.speakers import exposed_speakers, voice_id


@dataclass(frozen=True)
class SambertAlias:
    """One Sambert speaker name and the huayin voice that stands in for it."""

    name: str
    """The Sambert speaker name, lower case, without ``_emo`` (``zhitian``)."""
    voice: str
    """The huayin voice id it resolves to."""
    description: str
    """The Sambert voice's gender and register, which decided the mapping."""

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        return {"name": self.name, "voice": self.voice, "description": self.description}


_MALE = "mellotron-aicheng"

#: Sambert's own speakers (ModelScope models and the Sambert voice list), by register.
_SAMBERT_SPEAKERS = (
    SambertAlias("zhitian", "mellotron-biaobei", "知甜: sweet young female (ModelScope default)"),
    SambertAlias("zhiyan", "mellotron-siyue", "知燕: standard female, mid-low register"),
    SambertAlias("zhibei", "mellotron-xiaobei", "知贝: child voice, high register"),
    SambertAlias("zhizhe", _MALE, "知哲: male"),
    SambertAlias("zhimei", "mellotron-aina", "standard female, mid register"),
    SambertAlias("zhimiao", "mellotron-aiqi", "知妙: bright, expressive female"),
    SambertAlias("zhiqi", "mellotron-xiaoxue", "知琪: gentle female, mid-low register"),
    SambertAlias("zhida", _MALE, "知达: standard male"),
    SambertAlias("zhiying", "mellotron-aitong", "知樱: child voice, highest register"),
    SambertAlias("zhiwei", "mellotron-aiwei", "知薇: girlish female, high register"),
    SambertAlias("zhijia", "mellotron-aina", "知佳: standard female"),
    SambertAlias("zhiru", "mellotron-siyue", "知茹: news-reading female"),
    SambertAlias("zhishuo", _MALE, "知硕: natural male"),
    SambertAlias("zhide", _MALE, "知德: news-reading male"),
    SambertAlias("zhinan", _MALE, "知楠: male"),
    SambertAlias("zhixiang", _MALE, "知祥: deep male"),
    SambertAlias("aida", _MALE, "艾达: standard male (ttskit's Aida failed the sweep)"),
)

#: Every alias: Sambert's speakers, then ttskit's exposed speakers under their bare names.
ALIASES: dict[str, SambertAlias] = {
    **{alias.name: alias for alias in _SAMBERT_SPEAKERS},
    **{speaker.lower(): SambertAlias(speaker.lower(), voice_id(speaker),
                                     f"{speaker}: the same ttskit speaker")
       for speaker in exposed_speakers()},
}

#: Suffixes of Sambert's multi-emotion models, accepted on every alias.
EMOTION_SUFFIXES = ("_emo", "-emo")


def resolve_alias(name: str) -> str | None:
    """The huayin voice id a Sambert speaker name stands for (case-insensitive, ``_emo``
    accepted), or None when ``name`` is no alias."""
    if not isinstance(name, str):
        return None
    key = name.strip().casefold()
    for suffix in EMOTION_SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    alias = ALIASES.get(key)
    return alias.voice if alias is not None else None


def list_aliases() -> list[SambertAlias]:
    """Every alias, Sambert's speakers first."""
    return list(ALIASES.values())


def aliases_of(voice: str) -> list[str]:
    """The alias names that resolve to a voice id."""
    return [alias.name for alias in ALIASES.values() if alias.voice == voice]
