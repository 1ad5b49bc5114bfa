"""Schemathesis against the live ``/openapi.json``: generated valid and invalid requests for
every operation (bounded, derandomized so CI is repeatable) never get a 5xx, and on the speech
routes every answer matches what the schema documents (status, content type, JSON shape)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from huayin.server.settings import ServerSettings
from server_fixture import running_server

#: Examples per operation and generation mode (valid, invalid): enough to hit every field with
#: wrong types, bounds and odd strings, few enough for CI on two cores.
EXAMPLES = 40
#: Operations whose every response must match the documented schema.
SPEECH_ROUTES = ("/v1/audio/speech", "/api/tts", "/api/synthesize", "/api/voices")
#: Fields a valid request must get right before its numbers matter at all: random text is
#: rarely speakable and random names no voice, so valid requests get these from real values.
SPEAKABLE = {"text": ["你好。", "今天是2024年5月1日。"], "input": ["你好。"],
             "voice": ["baker", "alloy"], "speaker": ["baker"], "model": ["tts-1"],
             "format": ["wav", "mp3", "pcm"], "response_format": ["wav", "opus", "pcm"]}
#: Operations sent only invalid requests (valid ones would queue work or write files).
NO_VALID_EXAMPLES = {("POST", "/api/jobs"), ("PUT", "/api/lexicon")}
#: Operations left out: an "invalid" DELETE may still name a real word of the user's lexicon.
SKIPPED = {("DELETE", "/api/lexicon")}
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance,
               response_schema_conformance]


@pytest.fixture(scope="module")
def schema(synthesizer):
    # Short texts only: a generated text that happens to be speakable is synthesized for real.
    with running_server(ServerSettings(max_text_chars=40, max_upload_bytes=64 * 1024),
                        synthesizer) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json"), url


def _speakable(strategy):
    """Valid cases with real text, voice and format (the numbers stay generated)."""
    def fix(pair):
        case, picks = pair
        if isinstance(case.body, dict):
            for key, value in picks.items():
                if key in case.body:
                    case.body[key] = value
        return case
    picks = st.fixed_dictionaries({key: st.sampled_from(values)
                                   for key, values in SPEAKABLE.items()})
    return st.tuples(strategy, picks).map(fix)


def _operations(loaded) -> list:
    return [result.ok() for result in loaded.get_all_operations()]


def test_generated_requests_never_get_a_5xx(schema):
    loaded, url = schema
    operations = _operations(loaded)
    assert {op.path for op in operations} >= set(SPEECH_ROUTES)
    tried = 0
    for operation in operations:
        checks = CONFORMANCE if operation.path in SPEECH_ROUTES else [not_a_server_error]
        key = (operation.method.upper(), operation.path)
        if key in SKIPPED:
            continue
        # A valid batch job would queue real work in the background, a valid lexicon edit would
        # change the user's lexicon file: only invalid ones here.
        modes = ([GenerationMode.NEGATIVE] if key in NO_VALID_EXAMPLES
                 else [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE and operation.path in SPEECH_ROUTES:
                strategy = _speakable(strategy)

            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def exercise(case):
                nonlocal tried
                tried += 1
                case.call_and_validate(base_url=url, checks=checks, timeout=60)

            try:
                exercise()
            except Unsatisfiable:
                # Only free-form strings to spoil (GET /health, a job id): no invalid request.
                assert mode is GenerationMode.NEGATIVE and not operation.body
    print(f"\nschemathesis: {len(operations)} operations, {tried} requests, no failure")
