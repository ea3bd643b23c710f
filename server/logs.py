"""Structured logs: one JSON object per line, with the request or connection id.

Never log note text, names, departments, tokens, keys or client addresses: log calls pass ids,
op names and codes only (`extra={"fields": {...}}`), the access log is off because URLs of
exports may carry a facilitator key, and uvicorn's own lines pass `NoClientAddresses`.
The formatter is the standard library's, twenty lines; no dependency.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": request_id.get(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# uvicorn's line for every socket handshake: `<client address:port> - "WebSocket /r/CODE/ws" …`.
_HANDSHAKE_LINE = '%s - "WebSocket %s"'
_ADDRESS = re.compile(r"^\[?[0-9A-Fa-f:.]+\]?:\d+$|^\d{1,3}(\.\d{1,3}){3}$|^[0-9A-Fa-f:]*:[0-9A-Fa-f:]+$")


class NoClientAddresses(logging.Filter):
    """Keep client addresses (and the room codes in paths next to them) out of uvicorn's own
    lines. Its handshake line, one per socket, is dropped: `socket open` of `tavla.socket` says
    the same with a connection id. Any other argument that looks like an address is blanked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_HANDSHAKE_LINE):
            return False
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple("-" if isinstance(a, str) and _ADDRESS.match(a) else a for a in record.args)
        return True


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("tavla", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
        if name.startswith("uvicorn"):
            logger.filters[:] = [NoClientAddresses()]
