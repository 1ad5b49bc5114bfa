"""Faults at the edges: WebSocket clients that break the protocol, a CLI whose output cannot be
written."""

import asyncio
import json
import os
import subprocess
import sys

import httpx
import pytest
import websockets

from huayin.server.settings import ServerSettings
from server_fixture import running_server


@pytest.fixture(scope="module")
def base(synthesizer):
    with running_server(ServerSettings(), synthesizer) as url:
        yield url


def test_websocket_binary_frame_gets_an_error_and_a_proper_close(base):
    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            await socket.send(b"\x00\x01binary")
            event = json.loads(await socket.recv())
            with pytest.raises(websockets.ConnectionClosedError):
                await socket.recv()
            return event, socket.close_code

    event, code = asyncio.run(talk())
    assert event["type"] == "error" and event["error"]["code"] == "binary_frame"
    assert code == 1003
    assert httpx.get(f"{base}/health").json()["in_flight"] == 0


def test_websocket_bad_messages_get_error_events_and_the_socket_stays_open(base):
    bad = ["[]", "5", "null", '"text"', "{", '{"text": "你好", "seed": -1}',
           '{"text": "\\ud800"}', '{"text": "你好", "speed": NaN}', '{"voice": "baker"}',
           '{"text": "你好", "sample_rate": true}']

    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            codes = []
            for message in bad:
                await socket.send(message)
                event = json.loads(await socket.recv())
                assert event["type"] == "error" and event["error"]["message"], message
                codes.append(event["error"]["code"])
            await socket.send(json.dumps({"text": "还在。"}))
            events = []
            while not events or events[-1]["type"] not in ("end", "error"):
                message = await socket.recv()
                if isinstance(message, str):
                    events.append(json.loads(message))
            return codes, events

    codes, events = asyncio.run(talk())
    assert codes[4] == "malformed_json" and set(codes) <= {"invalid_request", "malformed_json"}
    assert events[-1]["type"] == "end"


def test_websocket_client_leaving_mid_utterance_frees_its_place(base):
    async def talk():
        async with websockets.connect(base.replace("http", "ws") + "/ws/tts") as socket:
            await socket.send(json.dumps({"text": "这是一段比较长的文字，用来测试中途断开。" * 10}))
            await socket.recv()  # start, then hang up

    asyncio.run(talk())
    for _ in range(100):
        if httpx.get(f"{base}/health").json()["in_flight"] == 0:
            break
        asyncio.run(asyncio.sleep(0.05))
    assert httpx.get(f"{base}/health").json()["in_flight"] == 0


@pytest.mark.parametrize("output", ["/nonexistent/dir/e.wav", "/dev/full", "/"])
def test_cli_say_unwritable_output_is_one_line_and_exit_2(output):
    if not os.path.exists("/dev/full") and output == "/dev/full":
        pytest.skip("no /dev/full here")
    result = subprocess.run([sys.executable, "-m", "huayin", "say", "你好", "-o", output],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("huayin: error: cannot write")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
