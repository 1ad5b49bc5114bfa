"""Routes for clients of the Sambert-HiFiGAN images: ``/api/synthesize`` with a JSON body and
``/api/tts_batch``. Multipart ``/api/synthesize`` stays in :mod:`routers.native`."""

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import Scope

from huayin.server.engine import SpeechJob
from huayin.server.routers.common import service_of
from huayin.server.routers.native import respond
from huayin.server.sambert import (
    SynthesizeJsonRequest,
    TtsBatchRequest,
    check_batch,
    item_errors,
    load_reference,
    render_whole,
)

#: Bodies that belong to the multipart route of the same path.
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class JsonBodyRoute(APIRoute):
    """A route that matches only requests whose body is not a form, so that forms reach the
    multipart route registered for the same path after it."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match != Match.NONE and scope["type"] == "http":
            content_type = Headers(scope=scope).get("content-type", "").lower()
            if content_type.startswith(_FORM_TYPES):
                return Match.NONE, {}
        return match, child_scope


router = APIRouter()


async def synthesize_json(body: SynthesizeJsonRequest, request: Request):
    """``/api/synthesize`` with a JSON body (Sambert clients): WAV bytes and
    ``X-Inference-Time``; the reference clip comes as ``emotion_audio`` (base64) or
    ``emotion_audio_url`` (hosts in HUAYIN_FETCH_HOSTS only)."""
    service = service_of(request)
    options = body.options()
    reference = await load_reference(body.emotion_audio, body.emotion_audio_url, service.settings)
    if reference is not None:
        options["reference"] = reference
    job = SpeechJob(body.text, body.voice_id, body.format, body.sample_rate, options)
    return await respond(service, job, body.subtitles, stream=False, request=request)


# Registered with its own route class; hidden from the schema, where the multipart form of the
# same path is shown (the JSON body has the same fields, documented in docs/migration.md).
router.add_api_route("/api/synthesize", synthesize_json, methods=["POST"], tags=["sambert"],
                     route_class_override=JsonBodyRoute, include_in_schema=False)


@router.post("/api/tts_batch", tags=["sambert"])
async def tts_batch(body: TtsBatchRequest, request: Request):
    """Speak up to 32 texts, one after the other; answers their WAV audio (base64), duration
    and inference time in order. Larger batches: ``POST /api/jobs``."""
    service = service_of(request)
    check_batch(body, service.settings.max_text_chars)
    results = []
    for index, item in enumerate(body.items):
        job = SpeechJob(item.text, item.voice_id, "wav", body.sample_rate, item.options())
        with item_errors(index):
            results.append((await render_whole(service, job)).to_dict())
    return {"results": results}
