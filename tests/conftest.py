"""Shared fixtures: the real Baker voice pack (installed on first use) and a warm Synthesizer."""

import pytest

from huayin.synth import Synthesizer
from huayin.voices import VoiceStore, install_pack


@pytest.fixture(scope="session")
def store() -> VoiceStore:
    """The default voice store with the Baker pack installed (idempotent)."""
    store = VoiceStore.default()
    install_pack("baker", store)
    return store


@pytest.fixture(scope="session")
def synthesizer(store: VoiceStore) -> Synthesizer:
    """One warm Synthesizer for the whole session (voices stay loaded)."""
    return Synthesizer(store=store, threads=2)
