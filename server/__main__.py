"""`python -m server`: run Tavla with uvicorn, configured from the environment."""

from __future__ import annotations

import logging

import uvicorn

from .config import load_settings
from .protocol import MAX_FRAME_BYTES


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        ws="websockets",
        ws_max_size=MAX_FRAME_BYTES,
        proxy_headers=True,
        log_level="info",
        access_log=False,  # URLs carry room codes; keys never reach the server in URLs anyway
    )


if __name__ == "__main__":
    main()
