"""``/docs`` (Swagger UI) served entirely by this server, so it works offline.

FastAPI's own ``/docs`` loads Swagger UI's script and style sheet from a CDN, which an offline
deployment never reaches (a blank page). The files come from the ``swagger-ui-bundle`` package
instead, mounted under :data:`ASSETS_PATH`; ReDoc ships in no such package and is off. Every path
here starts with ``/docs``, so the docs' protection (API key unless ``HUAYIN_PUBLIC_DOCS=1``,
see :mod:`huayin.server.security`) covers the assets too.
"""

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

#: Where Swagger UI's files are served.
ASSETS_PATH = "/docs/assets"
#: The page Swagger UI returns to after an OAuth2 login (FastAPI's default place).
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"


def install_docs(app: FastAPI, title: str) -> None:
    """Serve ``/docs`` and its assets from the package; the app must be built with
    ``docs_url=None, redoc_url=None`` (no CDN page left behind)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{title} — API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
            oauth2_redirect_url=OAUTH2_REDIRECT_PATH)

    @app.get(OAUTH2_REDIRECT_PATH, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
