"""``huayin serve``: one FastAPI process with the HTTP API, streaming, WebSocket and web page.

Routes (``routers/``) only parse and shape responses; the work happens in
:class:`huayin.server.engine.SpeechService`, which calls the Synthesizer.
"""
