"""/docs works with no network beyond the server: every asset it references is served here."""

import re
from urllib.parse import urljoin, urlsplit

import httpx

from huayin.server.settings import ServerSettings
from browser import chromium, needs_chromium
from server_fixture import running_server

#: src/href values of the page, and url: '...' of its Swagger UI set-up script.
_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|\burl\s*:\s*'([^']+)'""")
_CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png",
                  ".json": "application/json"}


def _references(html: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(html)]


def test_docs_page_references_only_this_server(synthesizer):
    with running_server(synthesizer=synthesizer) as base:
        page = httpx.get(f"{base}/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        references = _references(page.text)
        # the script, the style sheet, the icon and the API description, at least
        assert len(references) >= 4, references
        for reference in references:
            url = urljoin(f"{base}/docs", reference)
            assert urlsplit(url).netloc == urlsplit(base).netloc, reference
            asset = httpx.get(url)
            assert asset.status_code == 200, reference
            suffix = re.search(r"\.[a-z]+$", urlsplit(url).path).group()
            assert _CONTENT_TYPES[suffix] in asset.headers["content-type"], (reference, asset.headers)
            assert len(asset.content) > 100, reference
        assert not re.search(r"https?://", page.text), "no absolute URL may remain in /docs"
        assert httpx.get(f"{base}/redoc").status_code == 404  # no CDN-only page left behind


def test_docs_assets_stay_behind_the_key(synthesizer):
    settings = ServerSettings(api_key="alpha-key")
    with running_server(settings, synthesizer) as url:
        for path in ("/docs", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
            assert httpx.get(f"{url}{path}").status_code == 401, path
            allowed = httpx.get(f"{url}{path}", headers={"Authorization": "Bearer alpha-key"})
            assert allowed.status_code == 200, path


@needs_chromium
def test_docs_render_offline_in_chromium(synthesizer, tmp_path):
    blocked: list[str] = []

    def only_this_server(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with running_server(synthesizer=synthesizer) as base, chromium() as browser:
        page = browser.new_page()
        page.route("**/*", only_this_server)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        operations = page.locator(".opblock").count()
        title = page.inner_text(".information-container .title")
        page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)
    print(f"docs screenshot: {tmp_path / 'docs.png'}")
    assert operations >= 10
    assert "huayin" in title
    assert blocked == [] and errors == []
