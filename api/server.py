"""How ``wire serve`` runs the API under uvicorn: the HTTP server's own limits, in one place."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

# Bytes of request line + headers h11 buffers before it gives up with a bare 400 and closes
# (its default, 16 KiB, turns a long query string into a reset connection for most clients).
# Well above [api].max_url_bytes, so the app answers an over-long URL with a JSON 414.
HEAD_LIMIT = 1 << 20


def uvicorn_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """The uvicorn settings ``wire serve`` uses (tests start the same server)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http="h11",
        h11_max_incomplete_event_size=HEAD_LIMIT,
        log_level="info",
        # Long-polls of /changes end at once on shutdown instead of holding it.
        timeout_graceful_shutdown=5,
    )
