"""The scripted participant of tests/support/client.py over the HTTP fallback: frames from the
server arrive as Server-Sent Events (`GET /r/{code}/events`), frames to it go out as POSTs
(`POST /r/{code}/send` with the stream's session in `X-Tavla-Session`). Everything it keeps
(frames, raw messages, its view of the board, seq checks) is the websocket participant's."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from tests.support.client import Participant


class StreamParticipant(Participant):
    def __init__(self, base_http: str, code: str, name: str = "Kari", department: str = "Helse",
                 key: str | None = None, origin: str | None = None, batch: bool = False,
                 post_to: str | None = None) -> None:
        super().__init__("ws://unused", code, name, department, key, origin, batch)
        self.base = base_http
        self.post_base = post_to or base_http  # POSTs may go to another process than the stream
        self.code = code
        self.session: str | None = None
        self.ids: list[int] = []  # every SSE `id:` received, in order
        self.heartbeats = 0
        self.streams = 0  # event streams opened
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=None))
        self._stream_task: asyncio.Task[None] | None = None

    @property
    def events_url(self) -> str:
        return f"{self.base}/r/{self.code}/events"

    @property
    def send_url(self) -> str:
        return f"{self.post_base}/r/{self.code}/send"

    async def open_stream(self, last_event_id: int | None = None) -> None:
        """Open the event stream; returns once its session is known."""
        await self.stop_stream()
        self.session = None
        self.closed = None
        headers = {"Accept": "text/event-stream"}
        if self.origin:
            headers["Origin"] = self.origin
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._stream_task = asyncio.create_task(self._read_stream(headers, opened))
        await asyncio.wait_for(opened, 10)
        self.streams += 1

    async def connect(self, since: int | None = None, resume: bool = True,
                      last_event_id: int | None = None) -> dict[str, Any]:
        """Open a stream and say hello on it; returns the welcome. With `last_event_id`, the
        hello names no `since`: the server resumes from the stream's Last-Event-ID."""
        await self.open_stream(last_event_id)
        start = len(self.frames)
        hello = {"type": "hello", "protocol": 1, "name": self.name, "department": self.department,
                 "token": self.token, "key": self.key,
                 "since": None if last_event_id is not None else
                 (self.seq if resume and self.token else None) if since is None else since}
        if self.batch:
            hello["batch"] = True
        await self.send(hello)
        # A proxy may cut the stream between the hello and its welcome: that is a cut like any
        # other (an OSError the caller retries), not a welcome that never comes.
        found = await self.wait_for(lambda: self._welcome_after(start) or self.closed, what="welcome")
        if not isinstance(found, dict):
            raise ConnectionError(f"{self.name}: the stream ended before its welcome: {found}")
        return found

    async def knock(self) -> dict[str, Any]:
        """Open a stream and say hello while the lobby is on; returns the `lobby` frame."""
        await self.open_stream()
        self._knocked_at = len(self.frames)
        await self.send({"type": "hello", "protocol": 1, "name": self.name, "department": self.department,
                         "token": self.token, "key": self.key, "since": None})
        return await self.wait_for(lambda: next((f for f in self.frames[self._knocked_at:] if f["type"] in ("lobby", "error")), None),
                                   what="lobby")

    async def post(self, frames: list[Any] | bytes | str, headers: dict[str, str] | None = None,
                   session: bool = True) -> httpx.Response:
        """POST frames as they are given (a body of bytes or text goes as is)."""
        sent = {"Content-Type": "application/json"}
        if session and self.session:
            sent["X-Tavla-Session"] = self.session
        if self.origin:
            sent["Origin"] = self.origin
        sent.update(headers or {})
        content = frames if isinstance(frames, (bytes, str)) else json.dumps(frames)
        return await self.http.post(self.send_url, content=content, headers=sent)

    async def send(self, frame: dict[str, Any] | str) -> None:
        response = await self.post([json.loads(frame) if isinstance(frame, str) else frame])
        if response.status_code != 202:
            raise OSError(f"POST refused: {response.status_code} {response.text}")

    async def stop_stream(self) -> None:
        task, self._stream_task = self._stream_task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    async def close(self) -> None:
        await self.stop_stream()

    async def aclose(self) -> None:
        await self.stop_stream()
        await self.http.aclose()

    async def _read_stream(self, headers: dict[str, str], opened: asyncio.Future[None]) -> None:
        try:
            async with self.http.stream("GET", self.events_url, headers=headers) as response:
                if response.status_code != 200:
                    body = await response.aread()
                    opened.set_exception(OSError(f"stream refused: {response.status_code} {body.decode()}"))
                    return
                self.stream_headers = response.headers
                event, data, seen_id = "message", [], None
                async for line in response.aiter_lines():
                    if line == "":
                        if data:
                            self._dispatch(event, "\n".join(data), seen_id, opened)
                        event, data, seen_id = "message", [], None
                    elif line.startswith(":"):
                        self.heartbeats += 1
                        self._changed.set()
                    else:
                        name, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        if name == "event":
                            event = value
                        elif name == "data":
                            data.append(value)
                        elif name == "id":
                            seen_id = int(value)
        except (httpx.HTTPError, OSError):
            pass
        except Exception as exc:  # a broken invariant: surfaced by the next wait_for
            self.error = exc
        finally:
            if not opened.done():
                opened.set_exception(OSError("stream ended before its session"))
            if self.closed is None:
                self.closed = (None, "stream ended")
            self._changed.set()

    def _dispatch(self, event: str, data: str, seen_id: int | None, opened: asyncio.Future[None]) -> None:
        if event == "session":
            self.session = json.loads(data)["session"]
            opened.set_result(None)
        elif event == "close":
            close = json.loads(data)
            self.closed = (close["code"], close["reason"])
        else:
            if seen_id is not None:
                self.ids.append(seen_id)
            self._receive(data)
        self._changed.set()
