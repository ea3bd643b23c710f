"""`python -m server`: run Tavla with uvicorn, configured from the environment. The Procfile
runs this too, so a platform deployment and a local one trust the same proxies and log the
same way."""

from __future__ import annotations

import uvicorn

from . import logs
from .config import load_settings
from .protocol import MAX_FRAME_BYTES
from .stream_edge import end_all_streams


class Server(uvicorn.Server):
    async def shutdown(self, sockets=None) -> None:  # type: ignore[no-untyped-def]
        """uvicorn tells sockets 1012 when it stops but lets HTTP responses run out the grace:
        end the fallback's event streams with the same 1012 first."""
        end_all_streams()
        await super().shutdown(sockets)


def main() -> None:
    settings = load_settings()
    logs.configure()
    config = uvicorn.Config(
        "server.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        ws="websockets",
        ws_max_size=MAX_FRAME_BYTES,
        proxy_headers=True,  # believed only from FORWARDED_ALLOW_IPS (default: loopback)
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # On SIGTERM, sockets are told 1012 and their handlers end; whatever has not ended
        # after this grace is cancelled, so a platform's SIGKILL (after ~30 s) never has to.
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        log_level="info",
        log_config=None,  # keep our JSON handlers (server.logs) instead of uvicorn's defaults
        access_log=False,  # URLs carry room codes; keys never reach the server in URLs anyway
    )
    Server(config).run()


if __name__ == "__main__":
    main()
