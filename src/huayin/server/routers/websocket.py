"""``/ws/tts`` — several utterances per connection, PCM frames plus JSON timing events.

Protocol: the client sends a JSON message per utterance (``text`` plus the fields of
``/api/tts``: voice, speed, emotion, intensity, pitch, volume, sample_rate, seed). The server
answers ``{"type": "start", sample_rate, voice, clauses, text, normalized_text}`` (``text``: the
spoken text that every ``span`` points into, which for SSML is the text without its markup),
then binary frames of 16-bit little-endian mono PCM as each clause is ready, a ``{"type":
"progress", clauses_done, clauses, audio_seconds}`` event whenever a clause is complete, a
``{"type": "sentence", text, start, end, span, characters}`` event whenever a sentence is
complete, and ``{"type": "end", duration}``. Errors are ``{"type": "error",
"error": {code, message}}``; the connection stays open for the next utterance. A binary
frame from the client is not part of the protocol: an error event, then close code 1003.
"""

import json

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from huayin.audio.encode import to_pcm16
from huayin.audio.resample import StreamResampler, check_rate
from huayin.audio.subtitles import sentence_cues
from huayin.errors import HuayinError
from huayin.server.engine import Rendered, SpeechJob
from huayin.server.errors import error_body, log
from huayin.server.schemas import TtsRequest

router = APIRouter()


@router.websocket("/ws/tts")
async def tts_socket(socket: WebSocket):
    """Stream speech over a WebSocket (see the module docstring for the protocol)."""
    service = socket.app.state.service  # key and rate limit: checked by AccessMiddleware
    await socket.accept()
    try:
        while True:
            message = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is None:  # a binary frame: not this protocol
                await _refuse(socket, 1003, "binary_frame",
                              "send each utterance as a JSON text frame, not binary")
                return
            try:
                await _speak(socket, service, message["text"])
            except HuayinError as error:
                await socket.send_json({"type": "error", **error_body(error.code, error.message)})
    except WebSocketDisconnect:
        return
    except Exception as error:  # a bug: say so on the socket and close properly, one log line
        log.error("websocket handler failed: %s: %s", type(error).__name__, error)
        await _refuse(socket, 1011, "internal_error", "internal server error")


async def _refuse(socket: WebSocket, code: int, error_code: str, message: str) -> None:
    """Send an error event, then close with ``code`` (if the client is still there)."""
    try:
        await socket.send_json({"type": "error", **error_body(error_code, message)})
        await socket.close(code=code, reason=error_code)
    except (WebSocketDisconnect, RuntimeError):
        pass  # already gone


async def _speak(socket: WebSocket, service, message: str) -> None:
    try:
        fields = json.loads(message)
        if not isinstance(fields, dict):
            raise HuayinError("send a JSON object with the utterance's fields",
                              code="invalid_request")
        request = TtsRequest.model_validate({**fields, "format": "pcm"})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, p['loc'])) or 'message'}: {p['msg']}"
                             for p in error.errors()[:5])
        raise HuayinError(problems, code="invalid_request") from None
    except ValueError:
        raise HuayinError("the message is not valid JSON", code="malformed_json") from None
    job = SpeechJob(request.text, request.voice, "pcm", request.sample_rate,
                    request.options(request.speed))
    ticket, stream = await service.start(job)
    try:
        rate = check_rate(job.sample_rate, stream.sample_rate)
        resampler = StreamResampler(stream.sample_rate, rate)
        await socket.send_json({"type": "start", "sample_rate": rate, "format": "pcm_s16le",
                                "channels": 1, "voice": stream.voice.id,
                                "clauses": len(stream.plans), "text": stream.utterance.original,
                                "normalized_text": stream.utterance.normalized})
        rendered = Rendered()
        sent_sentences = clauses_done = 0
        async for chunk in service.chunks(stream, rendered, streamed=True):
            await socket.send_bytes(to_pcm16(resampler.process(chunk.samples)))
            if chunk.ends_clause:
                clauses_done += 1
                await socket.send_json({"type": "progress", "clauses_done": clauses_done,
                                        "clauses": len(stream.plans),
                                        "audio_seconds": round(rendered.audio_seconds, 3)})
            if chunk.ends_sentence:
                cues = sentence_cues(stream.utterance.original, rendered.timings)
                for cue in cues[sent_sentences:]:
                    chars = [{"text": t.text, "start": round(t.start, 3), "end": round(t.end, 3),
                              "span": list(t.span)}
                             for t in rendered.timings if cue.start <= t.start < cue.end + 1e-6]
                    await socket.send_json({"type": "sentence", "text": cue.text,
                                            "start": round(cue.start, 3), "end": round(cue.end, 3),
                                            "span": list(cue.span), "characters": chars})
                sent_sentences = len(cues)
        tail = resampler.process(np.zeros(0, np.float32), last=True)
        if len(tail):
            await socket.send_bytes(to_pcm16(tail))
        await socket.send_json({"type": "end", "duration": round(rendered.audio_seconds, 3)})
    finally:
        ticket.release()
