"""The WebSocket edge: the handshake checks, then `connection.serve` over a socket."""

from __future__ import annotations

import logging

from starlette.websockets import WebSocket, WebSocketState

from .connection import (
    Close,
    Disconnected,
    origin_allowed,
    release_address_slot,
    serve,
    take_address_slot,
)
from .store import Unavailable

log = logging.getLogger("tavla.socket")


class SocketEdge:
    """A connection's frames over one WebSocket: a text frame each way, a close frame at the end."""

    transport = "websocket"

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws

    async def receive(self) -> str:
        """The next text frame; a binary frame is not JSON text, so it is a protocol violation."""
        message = await self.ws.receive()
        if message["type"] == "websocket.disconnect":
            raise Disconnected(message.get("code", 1000))
        text = message.get("text")
        return text if text is not None else "\x00binary"

    async def send(self, text: str) -> None:
        await self.ws.send_text(text)

    async def close(self, code: Close, reason: str) -> None:
        if self.ws.client_state is WebSocketState.CONNECTED:
            try:
                await self.ws.close(code=int(code), reason=reason)
            except RuntimeError:
                pass


async def serve_socket(ws: WebSocket) -> None:
    app = ws.app
    settings = app.state.settings
    code = ws.path_params["code"].upper()

    if not origin_allowed(ws, settings.allowed_origins):
        log.info("socket refused", extra={"fields": {"reason": "origin"}})
        await ws.close(code=int(Close.POLICY), reason="origin not allowed")
        return
    address = ws.client.host if ws.client else "unknown"
    if not take_address_slot(app, address):
        log.warning("socket refused", extra={"fields": {"reason": "connections per address"}})
        await ws.close(code=int(Close.POLICY), reason="too many connections from this address")  # HTTP 403
        return
    try:
        try:
            meta = await app.state.hub.store.meta(code)
        except Unavailable:
            await ws.close(code=int(Close.RESTART), reason="store unavailable")
            return
        await ws.accept()
        if meta is None:
            await ws.close(code=int(Close.NO_ROOM), reason="no such room")
            return
        await serve(SocketEdge(ws), ws, meta)
    finally:
        release_address_slot(app, address)
