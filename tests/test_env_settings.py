"""Environment settings are checked at start-up: a value that is not a number, or out of its
range, stops ``huayin serve`` (and every other command) with one line and exit 2, before the
server claims to be serving."""

import pytest

from huayin.cli import main
from huayin.config import env_float, env_int, requested_threads
from huayin.errors import SettingsError
from huayin.server.settings import ServerSettings
from huayin.service.settings import ServiceSettings
from huayin.text.output_limits import OutputLimits


@pytest.mark.parametrize(("name", "value", "says"), [
    ("HUAYIN_CACHE_MB", "abc", "HUAYIN_CACHE_MB must be a number, got 'abc'"),
    ("HUAYIN_CACHE_MB", "-1", "HUAYIN_CACHE_MB must be at least 0"),
    ("HUAYIN_JOB_THREADS", "1.5", "HUAYIN_JOB_THREADS must be a whole number"),
    ("HUAYIN_JOB_THREADS", "0", "HUAYIN_JOB_THREADS must be at least 1"),
    ("HUAYIN_JOB_TTL_HOURS", "inf", "HUAYIN_JOB_TTL_HOURS must be at least"),
])
def test_service_settings_name_the_bad_variable(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=says):
        ServiceSettings()


@pytest.mark.parametrize(("name", "value"), [
    ("HUAYIN_REQUEST_TIMEOUT", "-3"), ("HUAYIN_REQUEST_TIMEOUT", "0"),
    ("HUAYIN_STALL_TIMEOUT", "nan"), ("HUAYIN_MAX_QUEUE", "0"), ("HUAYIN_MAX_TEXT_CHARS", "1e3"),
    ("HUAYIN_WORKERS", "two"), ("HUAYIN_MAX_UPLOAD_BYTES", "-5"), ("HUAYIN_RATE_BURST", "-1"),
    ("HUAYIN_MAX_AUDIO_SECONDS", "0"), ("HUAYIN_MAX_BREAK_SECONDS", "-1"),
    ("HUAYIN_MAX_SSML_ELEMENTS", "1.5"),
])
def test_server_settings_refuse_nonsense(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        ServerSettings()
    if name.startswith(("HUAYIN_MAX_AUDIO", "HUAYIN_MAX_BREAK", "HUAYIN_MAX_SSML")):
        with pytest.raises(SettingsError, match=name):  # the CLI's and the job workers' caps
            OutputLimits.from_env()


def test_good_and_unset_values_still_work(monkeypatch):
    monkeypatch.setenv("HUAYIN_REQUEST_TIMEOUT", " 2.5 ")
    monkeypatch.setenv("HUAYIN_MAX_QUEUE", "3")
    monkeypatch.delenv("HUAYIN_STALL_TIMEOUT", raising=False)
    monkeypatch.setenv("HUAYIN_FIRST_AUDIO_TIMEOUT", "")
    settings = ServerSettings()
    assert (settings.request_timeout, settings.max_queue) == (2.5, 3)
    assert settings.stall_timeout == settings.first_audio_timeout == 30.0
    monkeypatch.setenv("HUAYIN_CACHE_MB", "0")  # 0 is "cache off", a valid choice
    assert ServiceSettings().cache_mb == 0
    assert env_int("HUAYIN_NOT_SET_ANYWHERE", 7) == 7 and env_float("HUAYIN_NOT_SET", 1.5) == 1.5


def test_threads_setting(monkeypatch):
    monkeypatch.setenv("HUAYIN_THREADS", "3")
    assert requested_threads() == 3
    monkeypatch.setenv("HUAYIN_THREADS", "0")
    with pytest.raises(SettingsError, match="HUAYIN_THREADS must be at least 1"):
        requested_threads()


def test_serve_stops_with_one_line_before_claiming_to_serve(monkeypatch, capsys):
    monkeypatch.setenv("HUAYIN_REQUEST_TIMEOUT", "-3")
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err == "huayin: error: HUAYIN_REQUEST_TIMEOUT must be at least 0.001, got '-3'\n"
