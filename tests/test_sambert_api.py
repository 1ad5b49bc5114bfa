"""Sambert clients over HTTP, unchanged: speaker names, emotion names, the alias listing."""

import httpx
import pytest
import requests

from huayin.server.settings import ServerSettings
from huayin.voices import list_aliases
from server_fixture import running_server


@pytest.fixture(scope="module")
def base(synthesizer):
    with running_server(ServerSettings(max_text_chars=500), synthesizer) as url:
        yield url


def test_voices_lists_the_aliases(base):
    body = httpx.get(f"{base}/api/voices").json()
    listed = {alias["name"]: alias["voice"] for alias in body["aliases"]}
    assert listed == {alias.name: alias.voice for alias in list_aliases()}
    voices = {voice["id"]: voice for voice in body["voices"]}
    for name, voice in listed.items():
        assert name in voices[voice]["aliases"]
    assert voices["mellotron-aicheng"]["gender"] == "male" and "zhizhe" in listed


@pytest.mark.parametrize("speaker", [a.name for a in list_aliases() if a.name.startswith("zhi")]
                         + ["aixia", "aiyu", "aida"])
def test_every_sambert_speaker_over_http(base, speaker):
    response = requests.post(f"{base}/api/synthesize", data={"text": "好。", "speaker": f"{speaker}_emo"},
                             timeout=60)
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"RIFF"
    expected = next(a.voice for a in list_aliases() if a.name == speaker)
    assert response.headers["X-Voice"] == expected
