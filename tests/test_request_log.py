"""Request ids and access lines against a real server; the text and JSON formats; nothing a
client said (text, keys) in the log unless HUAYIN_LOG_TEXT=1."""

import asyncio
import hashlib
import json
import logging
import re
import sys

import httpx
import pytest
import websockets

from huayin.errors import SettingsError
from huayin.logs import JsonFormatter, RequestIdFilter, TextFormatter, current_request_id, log_config
from huayin.server.request_log import RequestLogMiddleware, loggable_query, request_id_of
from huayin.server.settings import ServerSettings
from server_fixture import running_server

SECRET_TEXT = "我的银行卡密码是六六八八。"


@pytest.fixture
def access(caplog):
    caplog.set_level(logging.INFO, logger="huayin.access")
    return caplog


def lines_of(caplog) -> list[dict]:
    """Access records as dicts: message + fields."""
    return [{"message": r.getMessage(), "request_id": getattr(r, "request_id", None),
             **getattr(r, "fields", {})} for r in caplog.records if r.name == "huayin.access"]


async def _speak_over_socket(url: str, text: str) -> str:
    async with websockets.connect(url) as socket:
        request_id = socket.response.headers["x-request-id"]
        await socket.send(json.dumps({"text": text}))
        while True:
            message = await socket.recv()
            if isinstance(message, str) and json.loads(message)["type"] in ("end", "error"):
                return request_id


def test_request_ids_in_and_out():
    assert request_id_of([(b"X-Request-Id", b"trace-42.a:b")]) == "trace-42.a:b"
    for bad in (b"", b"has space", b"new\nline", b"x" * 129, "汉字".encode()):
        generated = request_id_of([(b"x-request-id", bad)])
        assert re.fullmatch(r"[0-9a-f]{32}", generated), bad
    assert request_id_of([]) != request_id_of([])
    assert loggable_query(b"api_key=topsecret&subtitles=srt") == "api_key=%2A%2A%2A&subtitles=srt"


def test_access_lines_have_ids_and_no_text_or_keys(synthesizer, access):
    settings = ServerSettings(api_key="topsecret-key")
    with running_server(settings, synthesizer) as url:
        auth = {"Authorization": "Bearer topsecret-key"}
        given = httpx.post(f"{url}/api/tts", json={"text": SECRET_TEXT},
                           headers={**auth, "X-Request-Id": "client-trace-1"}, timeout=60)
        assert given.status_code == 200 and given.headers["x-request-id"] == "client-trace-1"
        fresh = httpx.post(f"{url}/v1/audio/speech", headers=auth, timeout=60,
                           json={"model": "tts-1", "input": SECRET_TEXT, "voice": "alloy",
                                 "response_format": "wav"})
        fresh_id = fresh.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", fresh_id)
        refused = httpx.get(f"{url}/api/voices", headers={"X-Request-Id": "bad id\" {}"})
        assert refused.status_code == 401 and refused.headers["x-request-id"] != "bad id"
        socket_id = asyncio.run(_speak_over_socket(
            url.replace("http", "ws") + "/ws/tts?api_key=topsecret-key", SECRET_TEXT))
    lines = lines_of(access)
    by_id = {line["request_id"]: line for line in lines}
    tts = by_id["client-trace-1"]
    assert (tts["method"], tts["path"], tts["status"]) == ("POST", "/api/tts", 200)
    assert tts["key"] == "key-" + hashlib.sha256(b"topsecret-key").hexdigest()[:8]
    assert tts["duration_ms"] > 0 and tts["bytes_out"] == len(given.content)
    assert by_id[fresh_id]["path"] == "/v1/audio/speech"
    assert by_id[refused.headers["x-request-id"]]["status"] == 401
    socket = by_id[socket_id]
    assert (socket["method"], socket["status"], socket["messages"]) == ("WEBSOCKET", 101, 1)
    assert socket["query"] == "api_key=%2A%2A%2A"
    everything = access.text + json.dumps(lines, ensure_ascii=False)
    assert "topsecret-key" not in everything
    assert SECRET_TEXT not in everything and "银行卡" not in everything


def test_text_logged_only_when_asked(synthesizer, access):
    with running_server(ServerSettings(log_text=True), synthesizer) as url:
        httpx.post(f"{url}/api/tts", json={"text": SECRET_TEXT}, timeout=60,
                   headers={"X-Request-Id": "with-text"})
        asyncio.run(_speak_over_socket(url.replace("http", "ws") + "/ws/tts", "你好。"))
    lines = lines_of(access)
    assert [line["text"] for line in lines if line["request_id"] == "with-text"] == [SECRET_TEXT]
    assert any(line.get("text") == "你好。" and line["message"] == "websocket message"
               for line in lines)


def _record(**fields) -> logging.LogRecord:
    record = logging.LogRecord("huayin.access", logging.INFO, __file__, 1, "GET %s %s",
                               ("/api/voices", 200), None)
    record.fields = fields
    return record


def test_json_and_text_formats():
    token = current_request_id.set("req-7")
    try:
        line = json.loads(JsonFormatter().format(_record(status=200, key="key-abc", query="")))
        plain = TextFormatter().format(_record(status=200, key="key-abc", duration_ms=3.5))
    finally:
        current_request_id.reset(token)
    assert line["request_id"] == "req-7" and line["message"] == "GET /api/voices 200"
    assert (line["level"], line["logger"], line["status"], line["key"]) == (
        "INFO", "huayin.access", 200, "key-abc")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert plain.endswith('huayin.access [req-7] GET /api/voices 200 key="key-abc" '
                          'duration_ms=3.5')
    try:
        raise ValueError("boom")
    except ValueError:
        crashed = _record()
        crashed.exc_info = sys.exc_info()
    assert "ValueError: boom" in json.loads(JsonFormatter().format(crashed))["exception"]
    assert log_config("json")["formatters"]["huayin"]["()"] is JsonFormatter
    with pytest.raises(SettingsError):
        log_config("yaml")


def test_lines_logged_during_a_request_carry_its_id():
    """Any logger used while a request runs (a route, the engine) gets the request's id; a
    crash is logged as status 500 and still raised to the server."""
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(json.loads(JsonFormatter().format(record)))
    handler.addFilter(RequestIdFilter())
    inner = logging.getLogger("huayin.test_inner")
    for logger in (inner, logging.getLogger("huayin.access")):
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    async def app(scope, receive, send):
        inner.warning("working on it")
        if scope["path"] == "/crash":
            raise RuntimeError("boom")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def call(path):
        transport = httpx.ASGITransport(app=RequestLogMiddleware(app), raise_app_exceptions=True)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers={"X-Request-Id": f"id{path.replace('/', '-')}"})

    try:
        assert asyncio.run(call("/fine")).headers["x-request-id"] == "id-fine"
        with pytest.raises(RuntimeError):
            asyncio.run(call("/crash"))
    finally:
        for logger in (inner, logging.getLogger("huayin.access")):
            logger.removeHandler(handler)
    seen = [(r["logger"], r["request_id"], r.get("status")) for r in records]
    assert seen == [("huayin.test_inner", "id-fine", None), ("huayin.access", "id-fine", 204),
                    ("huayin.test_inner", "id-crash", None), ("huayin.access", "id-crash", 500)]
