"""Health, metrics and the web page."""

import asyncio
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from huayin import __version__
from huayin.server.errors import error_body

router = APIRouter()


@router.get("/health", tags=["system"])
@router.get("/healthz", tags=["system"])
async def health(request: Request):
    """Liveness (always 200 while the process serves) with the readiness flag, the voices
    already loaded, and the job queue, workers seen recently and cache figures."""
    service = request.app.state.service
    jobs = getattr(request.app.state, "jobs", None)
    body = {"status": "ok", "ready": service.ready, "version": __version__,
            "in_flight": service.in_flight,
            "voices_loaded": service.synthesizer.loaded_voices()}
    if jobs is not None:
        try:
            body["jobs"] = await asyncio.get_running_loop().run_in_executor(None, jobs.health)
        except Exception as error:  # a lost Redis must show in health, not crash it
            body["status"] = "degraded"
            body["jobs"] = {"error": f"{type(error).__name__}: {error}"}
    return body


@router.get("/health/ready", tags=["system"])
async def ready(request: Request):
    """200 once the start-up voices are loaded, 503 before."""
    if request.app.state.service.ready:
        return {"status": "ready"}
    return JSONResponse(error_body("not_ready", "voices are still loading"), 503)


@router.get("/metrics", tags=["system"])
async def metrics(request: Request):
    """Prometheus text format."""
    return Response(request.app.state.service.metrics.render(),
                    media_type="text/plain; version=0.0.4")


@router.get("/", include_in_schema=False)
async def page():
    """The web page to try every feature."""
    return HTMLResponse((resources.files("huayin.server") / "static" / "index.html").read_text())
