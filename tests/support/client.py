"""A scripted participant over a real websocket: keeps every frame it received and a view of
the board built only from what it was sent, and checks seq order on every event."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any

import websockets

_op_ids = itertools.count(1)


class GapError(AssertionError):
    pass


class Participant:
    def __init__(self, base_ws: str, code: str, name: str = "Kari", department: str = "Helse",
                 key: str | None = None, origin: str | None = None, batch: bool = False) -> None:
        self.url = f"{base_ws}/r/{code}/ws"
        self.batch = batch  # ask for batches, as the browser client does
        self.batches = 0  # messages that held more than one frame
        self.name, self.department, self.key = name, department, key
        self.origin = origin
        self.token: str | None = None
        self.id: str | None = None
        self.role: str | None = None
        self.seq = 0
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.notes: dict[str, dict[str, Any]] = {}
        self.participants: dict[str, dict[str, Any]] = {}
        self.room: dict[str, Any] = {}
        self.clusters: dict[str, dict[str, Any]] = {}
        self.my_votes: dict[str, int] = {}
        self.timer: dict[str, Any] = {}
        self.hidden_counts: dict[str, int] = {}
        self.hints: list[dict[str, Any]] = []
        self.can: dict[str, str | None] = {}
        self.limits: dict[str, Any] = {}
        self.event_seqs: list[int] = []
        self.ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self.closed: tuple[int | None, str] | None = None
        self.error: BaseException | None = None

    async def connect(self, since: int | None = None, resume: bool = True) -> dict[str, Any]:
        """Connect and say hello; returns the welcome."""
        headers = {"Origin": self.origin} if self.origin else None
        self.ws = await websockets.connect(self.url, additional_headers=headers, max_size=2**24)
        self.closed = None
        self._reader = asyncio.create_task(self._read())
        start = len(self.frames)
        hello = {"type": "hello", "protocol": 1, "name": self.name, "department": self.department,
                 "token": self.token, "key": self.key,
                 "since": (self.seq if resume and self.token else None) if since is None else since}
        if self.batch:
            hello["batch"] = True
        await self.send(hello)
        return await self.wait_for(lambda: self._welcome_after(start), what="welcome")

    async def knock(self) -> dict[str, Any]:
        """Connect while the room's lobby is on; returns the `lobby` frame (the welcome follows
        once a facilitator admits us: wait for it with `wait_for_welcome`)."""
        headers = {"Origin": self.origin} if self.origin else None
        self.ws = await websockets.connect(self.url, additional_headers=headers, max_size=2**24)
        self.closed = None
        self._reader = asyncio.create_task(self._read())
        self._knocked_at = len(self.frames)
        await self.send({"type": "hello", "protocol": 1, "name": self.name, "department": self.department,
                         "token": self.token, "key": self.key, "since": None})
        return await self.wait_for(lambda: next((f for f in self.frames[self._knocked_at:] if f["type"] in ("lobby", "error")), None),
                                   what="lobby")

    async def wait_for_welcome(self) -> dict[str, Any]:
        return await self.wait_for(lambda: self._welcome_after(self._knocked_at), what="welcome after the lobby")

    def _welcome_after(self, start: int) -> dict[str, Any] | None:
        return next((f for f in self.frames[start:] if f["type"] == "welcome"), None)

    async def send(self, frame: dict[str, Any] | str) -> None:
        assert self.ws is not None
        await self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def op(self, op: str, op_id: str | None = None, **args: Any) -> dict[str, Any]:
        """Send an op and wait for its ack or error."""
        op_id = op_id or f"op{next(_op_ids)}"
        await self.send({"type": "op", "id": op_id, "op": op, "args": args})
        return await self.wait_for(lambda: self.answer(op_id), what=f"answer to {op}")

    def answer(self, op_id: str) -> dict[str, Any] | None:
        return next((f for f in reversed(self.frames)
                     if f["type"] in ("ack", "error") and f.get("id") == op_id), None)

    async def create_note(self, note_id: str, text: str = "idea", **extra: Any) -> dict[str, Any]:
        args = {"id": note_id, "text": text, "color": "yellow", "x": 100, "y": 100, **extra}
        return await self.op("note.create", **args)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
        async def poll() -> Any:
            while True:
                self._changed.clear()
                if self.error is not None:
                    raise self.error
                result = predicate()
                if result:
                    return result
                await self._changed.wait()
        try:
            return await asyncio.wait_for(poll(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"{self.name}: timed out waiting for {what}; last frames: {self.frames[-5:]}") from None

    async def wait_closed(self, timeout: float = 10.0) -> tuple[int | None, str]:
        return await self.wait_for(lambda: self.closed, timeout, what="close")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.wait_for(asyncio.shield(self._reader), 5)

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                assert isinstance(raw, str)
                self._receive(raw)
        except websockets.ConnectionClosed:
            pass
        except Exception as exc:  # a broken invariant: surfaced by the next wait_for
            self.error = exc
        finally:
            rcvd = self.ws.protocol.close_rcvd
            self.closed = (rcvd.code if rcvd else None, rcvd.reason if rcvd else "")
            self._changed.set()

    def _receive(self, raw: str) -> None:
        """One message from the server: a frame, or a batch of them."""
        self.raw.append(raw)
        message = json.loads(raw)
        if isinstance(message, list):
            assert self.batch, f"a batch for a client that did not ask: {raw[:200]}"
            assert len(message) > 1, "a batch of one frame"
            self.batches += 1
        for frame in message if isinstance(message, list) else [message]:
            self.frames.append(frame)
            self._apply(frame)
        self._changed.set()

    def _apply(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "lobby":
            self.token, self.id = frame["you"]["token"], frame["you"]["id"]
        if kind == "welcome":
            you = frame["you"]
            self.token, self.id, self.role = you["token"], you["id"], you["role"]
            if "state" in frame:
                self._load(frame["state"])
                self.seq = frame["seq"]
            else:
                for event in frame["events"]:
                    self._apply_event(event)
                assert self.seq == frame["seq"], f"resume ended at {self.seq}, welcome says {frame['seq']}"
                self.can = dict(frame["can"])
        elif kind == "event":
            self._apply_event(frame)
        elif kind == "presence":
            self.participants = {p["id"]: p for p in frame["participants"]}

    def _load(self, state: dict[str, Any]) -> None:
        """A whole projected state (a welcome's, or a rounds event's `data.state`) replaces the view."""
        self.notes = {n["id"]: n for n in state["notes"]}
        self.participants = {p["id"]: p for p in state["participants"]}
        self.room, self.timer = state["room"], state["timer"]
        self.clusters = {c["id"]: c for c in state["clusters"]}
        self.my_votes = dict(state["my_votes"])
        self.hidden_counts = dict(state.get("hidden_counts", {}))
        self.hints = list(state.get("hints", []))
        self.can, self.limits = dict(state["can"]), dict(state["limits"])

    def _apply_event(self, event: dict[str, Any]) -> None:
        if event["seq"] != self.seq + 1:
            raise GapError(f"{self.name}: got seq {event['seq']} after {self.seq}")
        self.seq = event["seq"]
        self.event_seqs.append(event["seq"])
        if "can" in event:
            self.can = dict(event["can"])
        op, data = event["op"], event["data"]
        if "state" in data and op in ("rounds.planned", "round.switched", "round.carried"):
            self._load(data["state"])
            return
        if op == "note.create":
            self.notes[data["id"]] = dict(data)
        elif op in ("note.update", "note.move"):
            self.notes[data["id"]].update({k: v for k, v in data.items() if k != "id"})
        elif op == "note.delete":
            del self.notes[data["id"]]
        elif op == "participant.join":
            self.participants[data["id"]] = {**self.participants.get(data["id"], {}), **data}
        elif op == "notes.reveal":
            self.notes.update({n["id"]: n for n in data["notes"]})
            self.hidden_counts = {}
        elif op == "hidden.count":
            self.hidden_counts[data["author"]] = data["count"]
        elif op == "coach.hint":
            self.hints.append(data)
        elif op == "phase.set":
            self.room["phase"] = data["phase"]
        elif op == "room.update":
            self.room.update(data)
        elif op == "spotlight":
            self.room["spotlight"] = data["target"]
        elif op == "role.grant":
            self.participants[data["participant"]]["role"] = data["role"]
        elif op.startswith("timer."):
            self.timer = data["timer"]
        elif op == "note.group":
            self.notes[data["id"]]["cluster"] = data["cluster"]
        elif op == "cluster.create":
            self.clusters[data["id"]] = dict(data)
        elif op == "cluster.update":
            self.clusters[data["id"]].update({k: v for k, v in data.items() if k in ("title", "x", "y")})
            for note in self.notes.values():
                if note["cluster"] == data["id"] and "dx" in data:
                    note["x"] = min(max(note["x"] + data["dx"], 0.0), 4000.0)
                    note["y"] = min(max(note["y"] + data["dy"], 0.0), 3000.0)
        elif op in ("cluster.delete", "cluster.merge"):
            del self.clusters[data["id"]]
            for note in self.notes.values():
                if note["cluster"] == data["id"]:
                    note["cluster"] = data.get("into")
        elif op == "board.undo" and data.get("cluster"):
            self.clusters[data["cluster"]["id"]] = dict(data["cluster"])
            for note_id in data.get("regroup", []):
                if note_id in self.notes:
                    self.notes[note_id]["cluster"] = data["cluster"]["id"]
        elif op in ("vote.cast", "vote.retract") and "mine" in data:
            self.my_votes[data["target"]] = data["mine"]
        # Positions the server's layout decided (see docs/protocol.md, "Layout").
        layout = data.get("layout") or {}
        for place in layout.get("notes", []):
            if place["id"] in self.notes:
                self.notes[place["id"]].update(x=place["x"], y=place["y"])
        for place in layout.get("clusters", []):
            if place["id"] in self.clusters:
                self.clusters[place["id"]].update(x=place["x"], y=place["y"])

    def texts(self) -> dict[str, str]:
        return {note_id: note["text"] for note_id, note in self.notes.items()}


async def connect_when_admitted(person: Participant, timeout: float = 10.0) -> dict[str, Any]:
    """Connect as soon as the server admits the socket. A limit (sockets per address) frees
    its slot when the server's handler for a closed socket has finished, which is a moment
    after the client saw the close; until then the handshake is refused with HTTP 403."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await person.connect()
        except websockets.InvalidStatus as refused:
            if refused.response.status_code != 403 or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)
