"""Start the server with uvicorn (what ``huayin serve`` calls)."""

import sys

import uvicorn

from huayin.server.app import create_app
from huayin.logs import log_config
from huayin.server.settings import ServerSettings


def serve(host: str = "127.0.0.1", port: int = 7860, log_level: str = "info",
          banner: str | None = None) -> None:
    """Serve until interrupted; on shutdown in-flight requests get up to 30 s to finish.
    Log lines follow HUAYIN_LOG_FORMAT (huayin's access lines replace uvicorn's). ``banner`` is
    printed to stderr once the settings are read and the app is built, so a bad setting stops
    the command before it claims to be serving."""
    settings = ServerSettings()
    config = log_config(settings.log_format, log_level)  # a bad format fails before start
    app = create_app(settings)
    if banner:
        print(banner, file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level,
                log_config=config, access_log=False,
                timeout_graceful_shutdown=30, ws_max_size=1024 * 1024)
