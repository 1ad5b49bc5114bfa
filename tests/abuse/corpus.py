"""A corpus of malformed HTTP requests against every route, as an attacker or a careless client
would send them: wrong types, out-of-range and non-finite numbers, booleans for numbers, huge
integers, lone surrogates, oversized and truncated bodies, foreign charsets, hostile SSML,
broken multipart uploads, path tricks.

Each case names what it expects: ``"4xx"`` (a JSON error, the default) or a documented 2xx
(:data:`DOCUMENTED_2XX` says why each one is fine).
"""

import io
import json
import struct
import wave
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    """One request of the corpus."""

    name: str
    """Readable id (also the pytest id)."""
    method: str
    """HTTP method."""
    path: str
    """Path with query string."""
    content: bytes | None = None
    """Raw body (sent as is)."""
    headers: dict = field(default_factory=dict)
    """Extra headers."""
    data: dict | None = None
    """Multipart form fields (with ``files``) or urlencoded fields."""
    files: dict | None = None
    """Multipart files: name → (filename, bytes, content type)."""
    expect: str = "4xx"
    """"4xx" (JSON error) or "2xx" (documented in :data:`DOCUMENTED_2XX`)."""
    code: str | None = None
    """The error code expected, when one is."""


JSON = {"Content-Type": "application/json"}
#: Lone surrogates, as JSON escapes (valid JSON, invalid text).
SURROGATES = ("\\ud800", "\\udfff", "a\\udc00b", "\\ud83d")

#: A valid body per JSON route; each field is then spoiled one at a time.
VALID = {
    "/api/tts": {"text": "你好。"},
    "/v1/audio/speech": {"model": "tts-1", "input": "你好。", "voice": "alloy",
                         "response_format": "wav"},
}
#: Number fields of each JSON route.
NUMBER_FIELDS = ("speed", "pitch", "volume", "intensity", "seed", "sample_rate")
#: Values no number field accepts (raw JSON tokens).
BAD_NUMBERS = ("NaN", "Infinity", "-Infinity", "true", "false", '"fast"', "[]", "{}",
               "1e400", "-1e400", str(10**40), str(-(10**40)), '"1e999"', '"NaN"')
#: Values out of range for each number field.
OUT_OF_RANGE = {"speed": ("0", "-1", "4.01", "1000"), "pitch": ("-6.5", "99"),
                "volume": ("-21", "11"), "intensity": ("-0.1", "2.5"),
                "seed": ("-1", str(2**63), str(2**64 + 1)), "sample_rate": ("0", "-8000", "12345",
                                                                           "96000", "7999")}
#: String fields of each JSON route.
STRING_FIELDS = {"/api/tts": ("text", "voice", "format", "emotion"),
                 "/v1/audio/speech": ("input", "voice", "response_format", "model", "emotion",
                                      "instructions")}
#: Values no string field accepts (raw JSON tokens).
BAD_STRINGS = ("123", "true", "[\"a\"]", "{\"a\": 1}", "1.5")


def _body(route: str, field_name: str, raw_value: str) -> bytes:
    """The route's valid body with one field replaced by a raw JSON token."""
    base = {k: v for k, v in VALID[route].items() if k != field_name}
    text = json.dumps(base, ensure_ascii=False)
    return (text[:-1] + f', "{field_name}": {raw_value}}}').encode("utf-8")


def _json_field_cases() -> list[Case]:
    cases = []
    for route in VALID:
        for name in NUMBER_FIELDS:
            for raw in BAD_NUMBERS + OUT_OF_RANGE[name]:
                cases.append(Case(f"{route}:{name}={raw}", "POST", route, _body(route, name, raw),
                                  JSON))
        for name in STRING_FIELDS[route]:
            for raw in BAD_STRINGS + tuple(f'"{s}"' for s in SURROGATES):
                cases.append(Case(f"{route}:{name}={raw}", "POST", route, _body(route, name, raw),
                                  JSON))
        cases.append(Case(f"{route}:null-text", "POST", route,
                          _body(route, "text" if route == "/api/tts" else "input", "null"), JSON))
    cases.append(Case("/api/tts:stream=1", "POST", "/api/tts", _body("/api/tts", "stream", "1"),
                      JSON))
    cases.append(Case("/api/tts:stream=yes", "POST", "/api/tts",
                      _body("/api/tts", "stream", '"yes"'), JSON))
    cases.append(Case("/v1:stream_format=ws", "POST", "/v1/audio/speech",
                      _body("/v1/audio/speech", "stream_format", '"ws"'), JSON))
    return cases


def _subtitle_cases() -> list[Case]:
    cases = []
    for kind in ("json", "srt", "vtt"):
        for surrogate in SURROGATES:
            body = f'{{"text": "你好{surrogate}你好。"}}'.encode()
            cases.append(Case(f"subtitles={kind}:text={surrogate}", "POST",
                              f"/api/tts?subtitles={kind}", body, JSON))
        cases.append(Case(f"subtitles={kind}:seed=-1", "POST", f"/api/tts?subtitles={kind}",
                          b'{"text": "\xe4\xbd\xa0\xe5\xa5\xbd", "seed": -1}', JSON))
    for kind in ("xml", "SRT", "", "%FF", "json%00", "a" * 5000):
        cases.append(Case(f"subtitles={kind[:12]}", "POST", f"/api/tts?subtitles={kind}",
                          b'{"text": "hi"}', JSON))
    return cases


def _body_cases() -> list[Case]:
    raw_bodies = {
        "empty": b"", "null": b"null", "array": b"[]", "string": b'"text"', "number": b"42",
        "truncated": b'{"text": "\xe4\xbd\xa0', "trailing-garbage": b'{"text": "a"} xyz',
        "single-quotes": b"{'text': 'a'}", "nan-body": b"NaN", "bom-garbage": b"\xef\xbb\xbf{",
        "invalid-utf8": b'{"text": "\xff\xfe\xfd"}', "latin1": '{"text": "café"}'.encode("latin-1"),
        "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
        "deep-object": b'{"text": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
        "utf32": '{"text": "你好"}'.encode("utf-32"),
        "nul-bytes": b'{"text": "a"}\x00\x00',
        "huge-number": b'{"text": "a", "speed": 1' + b"0" * 5000 + b"}",
        "many-keys": ("{" + ", ".join(f'"k{i}": {i}' for i in range(20_000)) + "}").encode(),
    }
    cases = []
    for route in VALID:
        for name, body in raw_bodies.items():
            cases.append(Case(f"{route}:body={name}", "POST", route, body, JSON))
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "",
                             "application/json; charset=utf-16", "application/json; charset=latin-1",
                             "application/xml", "multipart/form-data"):
            body = json.dumps(VALID[route]).encode("utf-16" if "16" in content_type else "utf-8")
            cases.append(Case(f"{route}:content-type={content_type or 'none'}", "POST", route,
                              body, {"Content-Type": content_type}))
        too_big = json.dumps({**VALID[route], "pad": "x" * (12 * 1024 * 1024)}).encode()
        cases.append(Case(f"{route}:12MB-body", "POST", route, too_big, JSON))
        long_text = {"/api/tts": "text", "/v1/audio/speech": "input"}[route]
        cases.append(Case(f"{route}:text-over-limit", "POST", route,
                          _body(route, long_text, json.dumps("好" * 100_000)), JSON))
        cases.append(Case(f"{route}:whitespace-text", "POST", route,
                          _body(route, long_text, '" \\n\\t "'), JSON))
        cases.append(Case(f"{route}:emoji-only", "POST", route,
                          _body(route, long_text, '"😀😀"'), JSON))
        cases.append(Case(f"{route}:control-only", "POST", route,
                          _body(route, long_text, '"\\u0000\\u0001\\u001f"'), JSON))
        for name, value in (("voice", "../../etc/passwd"), ("voice", "/etc/passwd"),
                            ("voice", "baker/../../x"), ("voice", "con"), ("voice", "a" * 65),
                            ("voice", ""), ("emotion", "sleepy"), ("emotion", "../x"),
                            ("format", "../../etc/passwd"), ("format", "WAV "), ("format", "")):
            field_name = {"format": "format" if route == "/api/tts" else "response_format"}.get(
                name, name)
            cases.append(Case(f"{route}:{field_name}={value[:16]}", "POST", route,
                              _body(route, field_name, json.dumps(value)), JSON))
    cases += [
        Case("/api/tts:extra-field", "POST", "/api/tts", b'{"text": "a", "evil": 1}', JSON),
        Case("/v1:model=dall-e", "POST", "/v1/audio/speech",
             _body("/v1/audio/speech", "model", '"dall-e-3"'), JSON),
        Case("/v1:missing-voice", "POST", "/v1/audio/speech",
             b'{"model": "tts-1", "input": "a"}', JSON),
        Case("/v1:missing-model", "POST", "/v1/audio/speech",
             b'{"voice": "alloy", "input": "a"}', JSON),
    ]
    return cases


def _ssml_cases() -> list[Case]:
    documents = {
        "billion-laughs": '<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY a "哈哈哈哈哈哈哈哈">'
                          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><speak>&c;</speak>',
        "xxe-file": '<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>',
        "xxe-http": '<!DOCTYPE speak [<!ENTITY x SYSTEM "http://127.0.0.1:1/">]><speak>&x;</speak>',
        "parameter-entity": '<!DOCTYPE speak [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
                            '<speak>你好</speak>',
        "unclosed": "<speak>你好<prosody rate='fast'>",
        "bad-tag": "<speak><script>alert(1)</script>你好</speak>",
        "bad-break": '<speak>你好<break time="forever"/></speak>',
        "negative-break": '<speak>你好<break time="-5s"/></speak>',
        "huge-break": '<speak>你好<break time="99999999999s"/></speak>',
        "nan-break": '<speak>你好<break time="NaNs"/></speak>',
        "bad-rate": '<speak><prosody rate="1e308">你好</prosody></speak>',
        "nan-pitch": '<speak><prosody pitch="NaN">你好</prosody></speak>',
        "bad-voice": '<speak><voice name="../../etc/passwd">你好</voice></speak>',
        "bad-emotion": '<speak><emotion category="sleepy">你好</emotion></speak>',
        "bad-phoneme": '<speak><phoneme alphabet="py" ph="zzz9">你</phoneme></speak>',
        "bad-say-as": '<speak><say-as interpret-as="nuclear">1</say-as></speak>',
        "cdata-only": "<speak><![CDATA[]]></speak>",
        "empty": "<speak></speak>",
        "deep-nesting": "<speak>" + "<s>" * 5000 + "你好" + "</s>" * 5000 + "</speak>",
        "null-char": "<speak>你好\u0000</speak>",
    }
    cases = []
    for name, document in documents.items():
        for route, key in (("/api/tts", "text"), ("/v1/audio/speech", "input")):
            body = json.dumps({**VALID[route], key: document}).encode()
            case_name = f"{route}:ssml={name}"
            expect = "2xx" if name in _SSML_SPOKEN_AS_TEXT else "4xx"
            cases.append(Case(case_name, "POST", route, body, JSON, expect=expect))
    return cases


#: Documents that are no SSML to huayin, so they are read aloud as plain text: SSML is text
#: that starts with ``<speak``, and a DTD (where entities live) must come before that.
_SSML_SPOKEN_AS_TEXT = ("billion-laughs", "xxe-file", "xxe-http", "parameter-entity")


def _wav(seconds: float, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.sin(np.arange(int(seconds * rate)) * 0.05) * 8000).astype("<i2")
                        .tobytes())
    return buffer.getvalue()


def _wav_claiming_hours() -> bytes:
    """A WAV header whose sizes claim ~3 hours, followed by one second of samples."""
    data = _wav(1.0)
    claimed = 16000 * 2 * 3600 * 3
    return (data[:4] + struct.pack("<I", claimed + 36) + data[8:40] + struct.pack("<I", claimed)
            + data[44:])


def _multipart_cases(max_upload_bytes: int) -> list[Case]:
    route = "/api/synthesize"
    text = {"text": "你好。"}
    clips = {
        "zero-bytes": b"", "not-audio": b"hello, this is not audio" * 40,
        "truncated-wav": _wav(4.0)[:100], "header-only": _wav(4.0)[:44],
        "claims-hours": _wav_claiming_hours(), "fake-mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00"
        + b"\xff\xfb" + b"\x00" * 500, "fake-ogg": b"OggS" + b"\x00" * 400,
        "fake-flac": b"fLaC" + b"\xff" * 400, "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 400,
        "too-long": _wav(31.0), "oversized": b"RIFF" + b"\x00" * (max_upload_bytes + 10),
        "silence": _wav(0.0) + b"\x00" * 64000,
    }
    cases = [Case(f"synthesize:clip={name}", "POST", route, data=dict(text),
                  files={"emotion_audio": ("clip.wav", clip, "audio/wav")})
             for name, clip in clips.items()]
    for name, value in (("seed", "-1"), ("seed", "1e3"), ("seed", str(2**64)), ("speed", "nan"),
                        ("speed", "inf"), ("speed", "-inf"), ("speed", "true"),
                        ("pitch", "1e400"), ("volume", "abc"), ("intensity", "NaN"),
                        ("sample_rate", "-1"), ("sample_rate", "1e9"), ("sample_rate", "12345"),
                        ("subtitles", "xml"), ("format", "exe"), ("speaker", "../../etc/passwd"),
                        ("speaker", "nobody"), ("emotion", "sleepy"), ("text", ""),
                        ("text", "好" * 100_000)):
        cases.append(Case(f"synthesize:{name}={value[:12]}", "POST", route,
                          data={**text, name: value}, files={"x": ("", b"", "text/plain")}))
    boundary_cases = {
        "no-boundary": (b"--x\r\n", {"Content-Type": "multipart/form-data"}),
        "truncated": (b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n\xe4\xbd',
                      {"Content-Type": "multipart/form-data; boundary=b"}),
        "garbage": (b"\x00\x01\x02" * 100, {"Content-Type": "multipart/form-data; boundary=b"}),
        "no-text": (b"--b--\r\n", {"Content-Type": "multipart/form-data; boundary=b"}),
        "urlencoded-empty": (b"", {"Content-Type": "application/x-www-form-urlencoded"}),
        "invalid-utf8-field": (b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
                               b"\xff\xfe\r\n--b\r\nContent-Disposition: form-data; name=\"seed\""
                               b"\r\n\r\n-5\r\n--b--\r\n",
                               {"Content-Type": "multipart/form-data; boundary=b"}),
    }
    for name, (body, headers) in boundary_cases.items():
        cases.append(Case(f"synthesize:multipart={name}", "POST", route, body, headers))
    return cases


def _route_cases() -> list[Case]:
    cases = [
        Case("GET /api/tts", "GET", "/api/tts"), Case("PUT /api/tts", "PUT", "/api/tts", b"{}"),
        Case("DELETE /v1/audio/speech", "DELETE", "/v1/audio/speech"),
        Case("GET /v1/audio/speech", "GET", "/v1/audio/speech"),
        Case("PATCH /api/voices", "PATCH", "/api/voices"),
        Case("POST /api/voices", "POST", "/api/voices", b"{}", JSON),
        Case("GET /api/synthesize", "GET", "/api/synthesize"),
        Case("unknown route", "GET", "/api/../../etc/passwd"),
        Case("encoded traversal", "GET", "/static/..%2f..%2f..%2fetc%2fpasswd"),
        Case("double-encoded traversal", "GET", "/static/%252e%252e/%252e%252e/etc/passwd"),
        Case("static traversal", "GET", "/static/../../../../etc/passwd"),
        Case("static missing", "GET", "/static/nope.js"),
        Case("long path", "GET", "/" + "a" * 8000),
        Case("jobs unknown", "GET", "/api/jobs/does-not-exist"),
        Case("jobs traversal", "GET", "/api/jobs/..%2f..%2fetc%2fpasswd"),
        Case("jobs result unknown", "GET", "/api/jobs/nope/result"),
        Case("jobs audio unknown", "GET", "/api/jobs/nope/audio"),
        Case("jobs delete unknown", "DELETE", "/api/jobs/nope"),
        Case("jobs limit=-1", "GET", "/api/jobs?limit=-1"),
        Case("jobs limit=abc", "GET", "/api/jobs?limit=abc"),
        Case("jobs limit=huge", "GET", f"/api/jobs?limit={10**30}"),
        Case("jobs body null", "POST", "/api/jobs", b"null", JSON),
        Case("jobs body empty object", "POST", "/api/jobs", b"{}", JSON),
        Case("jobs body bad json", "POST", "/api/jobs", b"{", JSON),
        Case("jobs seed -1", "POST", "/api/jobs", b'{"text": "a", "seed": -1}', JSON),
        Case("jobs surrogate", "POST", "/api/jobs", b'{"text": "\\ud800"}', JSON),
        Case("jobs items wrong type", "POST", "/api/jobs", b'{"items": "a"}', JSON),
        Case("jobs NaN speed", "POST", "/api/jobs", b'{"text": "a", "speed": NaN}', JSON),
        Case("voices traversal", "GET", "/api/voices?voice=../../etc/passwd", expect="2xx"),
        Case("health with junk query", "GET", "/health?x=%00%ff", expect="2xx"),
    ]
    return cases


def _other_route_cases(max_upload_bytes: int) -> list[Case]:
    """Sambert-shaped JSON routes, pronunciation look-ups and the lexicon (invalid edits only:
    nothing here may change the lexicon file), the reference clip measurement."""
    cases = []
    synthesize = {"text": "你好。"}
    for name in ("speed", "pitch", "volume", "intensity", "seed", "sample_rate"):
        for raw in ("NaN", "true", "-1e400", str(10**40), '"x"', "-1" if name == "seed" else "1e9"):
            body = (json.dumps(synthesize)[:-1] + f', "{name}": {raw}}}').encode()
            cases.append(Case(f"sambert synthesize:{name}={raw}", "POST", "/api/synthesize",
                              body, JSON))
    for name in ("text", "speaker", "voice", "emotion", "format", "subtitles", "emotion_audio"):
        for surrogate in SURROGATES[:2]:
            body = f'{{"text": "你好", "{name}": "{surrogate}"}}'.encode()
            cases.append(Case(f"sambert synthesize:{name}={surrogate}", "POST", "/api/synthesize",
                              body, JSON))
    for name, body in (
            ("emotion_audio not base64", {"text": "你好", "emotion_audio": "%%%"}),
            ("emotion_audio not audio", {"text": "你好", "emotion_audio": "aGVsbG8gd29ybGQ="}),
            ("both clips", {"text": "你好", "emotion_audio": "aGk=",
                            "emotion_audio_url": "http://127.0.0.1:1/x.wav"}),
            ("url not allowed", {"text": "你好", "emotion_audio_url": "file:///etc/passwd"}),
            ("url private host", {"text": "你好", "emotion_audio_url": "http://169.254.169.254/"}),
            ("text missing", {"speaker": "zhitian"}), ("text number", {"text": 5})):
        cases.append(Case(f"sambert synthesize:{name}", "POST", "/api/synthesize",
                          json.dumps(body).encode(), JSON))
    batch_bodies = {
        "not a list": {"items": "a"}, "empty": {"items": []}, "null": None,
        "too many": {"items": [{"text": "好"}] * 33},
        "seed -1": {"items": [{"text": "你好", "seed": -1}]},
        "speed NaN": b'{"items": [{"text": "a", "speed": NaN}]}',
        "surrogate": rb'{"items": [{"text": "\ud800"}]}',
        "boolean speed": {"items": [{"text": "你好", "speed": True}]},
        "sample_rate huge": {"items": [{"text": "你好"}], "sample_rate": 10**30},
        "item text missing": {"items": [{"speaker": "zhitian"}]},
        "unknown speaker": {"items": [{"text": "你好", "speaker": "../../etc"}]},
    }
    for name, body in batch_bodies.items():
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        cases.append(Case(f"tts_batch:{name}", "POST", "/api/tts_batch", raw, JSON))
    for name, query in (("missing", ""), ("empty", "?text="), ("too long", "?text=" + "好" * 2500)):
        cases.append(Case(f"g2p GET:{name}", "GET", f"/api/g2p{query}"))
    for name, query in (("surrogate-ish", "?text=%ED%A0%80"), ("nul", "?text=%00")):
        cases.append(Case(f"g2p GET:{name}", "GET", f"/api/g2p{query}", expect="2xx"))
    for name, raw in (("null", b"null"), ("number", b'{"text": 5}'),
                      ("surrogate", rb'{"text": "\ud800"}'), ("empty", b'{"text": ""}'),
                      ("bad ssml", b'{"text": "<speak><x>"}'),
                      ("too long", json.dumps({"text": "好" * 2500}).encode())):
        cases.append(Case(f"g2p POST:{name}", "POST", "/api/g2p", raw, JSON))
    for name, raw in (("null", b"null"), ("missing pinyin", rb'{"word": "\u94f6\u884c"}'),
                      ("bad pinyin", '{"word": "银行", "pinyin": "zz9 q"}'.encode()),
                      ("count mismatch", '{"word": "银行", "pinyin": "yin2"}'.encode()),
                      ("not chinese", b'{"word": "../../etc/passwd", "pinyin": "a1"}'),
                      ("surrogate", rb'{"word": "\ud800", "pinyin": "a1"}'),
                      ("empty", b'{"word": "", "pinyin": ""}'),
                      ("huge", json.dumps({"word": "好" * 10_000,
                                           "pinyin": " ".join(["hao3"] * 10_000)}).encode())):
        cases.append(Case(f"lexicon PUT:{name}", "PUT", "/api/lexicon", raw, JSON))
    cases.append(Case("lexicon DELETE:missing word", "DELETE", "/api/lexicon"))
    for name, clip in (("zero bytes", b""), ("not audio", b"nope" * 100),
                       ("oversized", b"RIFF" + b"\0" * (max_upload_bytes + 10)),
                       ("claims hours", _wav_claiming_hours()), ("too long", _wav(31.0))):
        cases.append(Case(f"reference:{name}", "POST", "/api/reference",
                          files={"clip": ("clip.wav", clip, "audio/wav")}))
    cases.append(Case("reference:no file", "POST", "/api/reference", data={"x": "1"},
                      files={"y": ("", b"", "text/plain")}))
    return cases


#: Texts that ask for far more audio than their size, each refused before synthesis by an output
#: cap (``output_too_long``), even where the text limit would let the text itself through.
_SENTENCE = "这是一段用来测试的比较长的文字，它会被分成很多个小句来合成。"
AMPLIFYING_TEXTS = {
    "break x520": "<speak>" + '<break time="10s"/>' * 520 + "</speak>",
    "10000 nested elements": "<speak>" + "<s>" * 10_000 + "好" + "</s>" * 10_000 + "</speak>",
    "10000 elements": "<speak>" + "<s>好</s>" * 10_000 + "</speak>",
    "alias bomb": "<speak>" + f'<sub alias="{"W" * 480}">x</sub>' * 19 + "</speak>",
    "x-slow long text": f'<speak><prosody rate="x-slow">{_SENTENCE * 300}</prosody></speak>',
}


def amplification_cases() -> list[Case]:
    """:data:`AMPLIFYING_TEXTS` on every synthesis route, streamed or not, and as job items."""
    cases = []
    for name, text in AMPLIFYING_TEXTS.items():
        for route, body in (
                ("/api/tts", {"text": text}),
                ("/api/tts stream", {"text": text, "stream": True, "format": "pcm"}),
                ("/v1/audio/speech", {**VALID["/v1/audio/speech"], "input": text}),
                ("/v1/audio/speech sse", {**VALID["/v1/audio/speech"], "input": text,
                                          "response_format": "pcm", "stream_format": "sse"}),
                ("/api/synthesize", {"text": text}),
                ("/api/jobs", {"items": [{"text": "你好。"}, {"text": text}]})):
            path = route.split()[0]
            cases.append(Case(f"{route}:amplify={name}", "POST", path,
                              json.dumps(body, ensure_ascii=False).encode(), JSON,
                              code="output_too_long"))
    slow = {"text": _SENTENCE * 150, "speed": 0.25}  # 4 500 characters, 4 times slower
    cases.append(Case("/api/tts:amplify=speed 0.25 long text", "POST", "/api/tts",
                      json.dumps(slow, ensure_ascii=False).encode(), JSON,
                      code="output_too_long"))
    return cases


def http_cases(max_upload_bytes: int) -> list[Case]:
    """The whole HTTP corpus (``max_upload_bytes``: the test server's upload limit)."""
    return (_json_field_cases() + _subtitle_cases() + _body_cases() + _ssml_cases()
            + _multipart_cases(max_upload_bytes) + _route_cases()
            + _other_route_cases(max_upload_bytes))


#: Why each documented 2xx of the corpus is right.
DOCUMENTED_2XX = {
    "voices traversal": "/api/voices takes no parameter; unknown query parameters are ignored, "
                        "and no request value ever reaches a filesystem path",
    "health with junk query": "health ignores query parameters",
    "g2p GET:surrogate-ish": "query strings are decoded as UTF-8 with replacement characters; "
                             "a look-up of text with no Chinese characters has an empty reading",
    "g2p GET:nul": "a look-up of text with no Chinese characters has an empty reading",
    **{f"{route}:ssml={name}": "not SSML (does not start with <speak): read as plain text, "
       "no entity is expanded, nothing fetched"
       for name in _SSML_SPOKEN_AS_TEXT for route in ("/api/tts", "/v1/audio/speech")},
}
