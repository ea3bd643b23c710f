"""The floor: the least a websocket broadcast server on this stack can do.

A bare Starlette app on uvicorn with the same websocket implementation and options as Tavla
(`ws="websockets"`, the same event loop, no access log). It accepts every socket, keeps the
sockets of each path in a set, and sends each text frame it receives to every socket of the
same path, the sender included, in the reading task, one `send_text` after another. No
persistence, no rules, no queues, no JSON parsing: whatever Tavla costs above this is Tavla's.

Run as its own process: `python -m bench.floor --port 8100`.
"""

from __future__ import annotations

import argparse
import warnings

import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

_peers: dict[str, set[WebSocket]] = {}


async def broadcast(ws: WebSocket) -> None:
    await ws.accept()
    path = ws.url.path
    peers = _peers.setdefault(path, set())
    peers.add(ws)
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                continue
            for peer in list(peers):
                try:
                    await peer.send_text(text)
                except (WebSocketDisconnect, RuntimeError, OSError):
                    peers.discard(peer)
    finally:
        peers.discard(ws)
        if not peers:
            _peers.pop(path, None)


app = Starlette(routes=[WebSocketRoute("/{path:path}", broadcast)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # Tavla runs the same implementation; the notice that it will change is not news here.
    warnings.filterwarnings("ignore", message="The `websockets` implementation is deprecated")
    uvicorn.run(app, host=args.host, port=args.port, ws="websockets", ws_max_size=64 * 1024,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
