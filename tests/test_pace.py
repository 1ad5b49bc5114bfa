"""The pace estimate behind the up-front 413 ``too_long_for_timeout`` honours the speed."""

import pytest

from huayin.server.engine import SpeechService
from huayin.server.errors import ServiceError
from huayin.server.metrics import ServiceMetrics
from huayin.server.pace import SynthesisPace, speech_tokens
from huayin.server.settings import ServerSettings
from huayin.voices import DEFAULT_VOICE

TEXT = "今天天气很好，我们一起去公园散步。" * 3


def test_slow_speech_counts_more_tokens(synthesizer):
    normal = synthesizer.stream(TEXT)
    tokens = len(normal.utterance.tokens)
    assert speech_tokens(normal.plans) == pytest.approx(tokens)
    assert speech_tokens(synthesizer.stream(TEXT, speed=0.5).plans) == pytest.approx(2 * tokens)
    assert speech_tokens(synthesizer.stream(TEXT, speed=1.5).plans) == pytest.approx(tokens / 1.5)
    slow_half = f'<speak><prosody rate="x-slow">{TEXT}</prosody>{TEXT}</speak>'
    assert speech_tokens(synthesizer.stream(slow_half).plans) == pytest.approx(3 * tokens)


def test_a_pace_measured_at_one_speed_predicts_another():
    pace = SynthesisPace()
    pace.record("v", 200, 4.0)  # 200 tokens at speed 0.5 (100 spoken) took 4 s
    assert pace.estimate("v", 100) == pytest.approx(2.0)  # the same 100 at normal speed: 2 s
    assert pace.estimate("v", 100 / 1.5, sharing=2) == pytest.approx(2.0 / 1.5 * 2)


def test_the_timeout_refusal_follows_the_speed(synthesizer):
    service = SpeechService(synthesizer, ServerSettings(request_timeout=10, workers=1),
                            ServiceMetrics())
    try:
        normal = synthesizer.stream(TEXT)
        # measured: this text takes 7 s at normal speed
        service.pace.seconds_per_token[DEFAULT_VOICE] = 7 / len(normal.utterance.tokens)
        service.check_feasible(normal)
        service.check_feasible(synthesizer.stream(TEXT, speed=1.5))
        with pytest.raises(ServiceError) as refused:  # about 14 s at speed 0.5
            service.check_feasible(synthesizer.stream(TEXT, speed=0.5))
        assert refused.value.code == "too_long_for_timeout"
        assert "about 14 s" in refused.value.message
    finally:
        service.shutdown()
