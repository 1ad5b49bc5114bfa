"""The FastAPI application: routers, middleware (request log, auth and rate limit, size limit,
metrics), lifecycle."""

import asyncio
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from huayin import __version__
from huayin.server.docs import install_docs
from huayin.server.engine import SpeechService
from huayin.server.errors import install_error_handlers
from huayin.server.http_guard import BodyGuardMiddleware, MetricsMiddleware
from huayin.server.metrics import ServiceMetrics
from huayin.server.request_log import RequestLogMiddleware
from huayin.server.routers import (
    jobs, lexicon, native, openai_speech, reference, sambert, system, websocket,
)
from huayin.server.security import AccessMiddleware, AccessPolicy
from huayin.server.settings import ServerSettings
from huayin.service import ServiceSettings, open_cache, open_job_service, open_lexicon_store
from huayin.synth import Synthesizer

#: Response headers a page on an allowed origin may read (CORS hides all others).
_EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "X-Inference-Time", "X-Audio-Duration",
                    "X-Voice", "X-Cache", "X-Reference-Features"]


def create_app(settings: ServerSettings | None = None,
               synthesizer: Synthesizer | None = None,
               service_settings: ServiceSettings | None = None) -> FastAPI:
    """Build the app; voices preload in the background so /health answers at once. Batch jobs
    and the cache follow ``service_settings`` (embedded, or Redis + Celery)."""
    settings = settings or ServerSettings()
    policy = AccessPolicy.from_settings(settings)  # a bad key file or rate fails here, at start
    service_settings = service_settings or ServiceSettings()
    cache = open_cache(service_settings)
    service = SpeechService(synthesizer or Synthesizer(), settings, ServiceMetrics(), cache)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loop = asyncio.get_running_loop()
        app.state.jobs = await loop.run_in_executor(None, lambda: open_job_service(
            service.synthesizer, service_settings, service.live, cache))
        service.metrics.watch_jobs(app.state.jobs)
        preload = asyncio.create_task(service.preload())
        yield
        preload.cancel()
        await loop.run_in_executor(None, app.state.jobs.close)
        await loop.run_in_executor(None, service.shutdown)

    # /docs is served from the package (offline); FastAPI's own pages would load from a CDN.
    app = FastAPI(title="huayin", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Offline Mandarin text-to-speech (OpenAI-compatible + native API).")
    install_docs(app, app.title)
    app.state.service = service
    app.state.lexicon_store = open_lexicon_store(service_settings)
    install_error_handlers(app)
    # sambert before native: its JSON /api/synthesize lets forms through to native's.
    for router in (openai_speech.router, sambert.router, native.router, reference.router,
                   websocket.router, jobs.router, system.router, lexicon.router):
        app.include_router(router)
    static = resources.files("huayin.server") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    # Added first = innermost: CORS preflights (which carry no key) are answered before it,
    # and the metrics middleware below counts its 401s and 429s. All middleware is plain ASGI:
    # none rewrites a response, so a stream that must end early can (see routers/common.py).
    app.add_middleware(AccessMiddleware, policy=policy)
    if settings.cors_origins:  # off by default: browsers on other origins get no CORS headers
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["*"], allow_headers=["*"],
                           expose_headers=_EXPOSED_HEADERS)
    app.add_middleware(BodyGuardMiddleware, settings=settings)
    app.add_middleware(MetricsMiddleware, metrics=service.metrics)  # counts the refusals too
    app.add_middleware(RequestLogMiddleware, log_text=settings.log_text)  # outermost
    return app

