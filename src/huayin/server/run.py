"""Start the server with uvicorn (what ``huayin serve`` calls)."""

import uvicorn

from huayin.server.app import create_app


def serve(host: str = "127.0.0.1", port: int = 7860, log_level: str = "info") -> None:
    """Serve until interrupted; on shutdown in-flight requests get up to 30 s to finish."""
    uvicorn.run(create_app(), host=host, port=port, log_level=log_level,
                timeout_graceful_shutdown=30, ws_max_size=1024 * 1024)
