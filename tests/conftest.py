"""Shared fixtures: the real Baker voice pack and the default voice's pack (installed on first
use), a warm Synthesizer, and a throwaway redis-server (``redis_server``, tests/redis_fixture.py)."""

import pytest

from huayin.synth import Synthesizer
from huayin.voices import DEFAULT_VOICE, VoiceStore, install_pack, voice_info
from redis_fixture import redis_server  # noqa: F401  (a fixture, shared by the Redis tests)


@pytest.fixture(scope="session")
def store() -> VoiceStore:
    """The default voice store with the Baker pack and the default voice's pack installed
    (idempotent)."""
    store = VoiceStore.default()
    install_pack("baker", store)
    install_pack(voice_info(DEFAULT_VOICE).pack, store)
    return store


@pytest.fixture(scope="session")
def synthesizer(store: VoiceStore) -> Synthesizer:
    """One warm Synthesizer for the whole session (voices stay loaded)."""
    return Synthesizer(store=store, threads=2)
