"""Resuming while events keep arriving, on the real hub and the real embedded store.

Two hubs share one store, as two processes share Redis: people write through `there` while a
participant resumes on `here`. The store under `here` runs a hook inside `online()`, the last
thing a welcome awaits, so events are appended, announced and ingested by `here` exactly in the
window where, before issue 15, the resume fell back to a full state. No timers, no sleeps: the
hook lets the announcements run by yielding to the loop, and checks they did."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from server import codec, rooms
from server.domain import Actor, Event, Limits, Role, new_room, project_state
from server.domain.commands import NoteCreate, NoteMove, PhaseSet, RoleGrant, RoomUpdate, RoundGo, SettingsPatch
from server.rooms import Ack, Hub, LiveRoom
from server.store import MemoryStore, RoomMeta

CODE = "RESUME"


class Interleaving:
    """The embedded store, unchanged, except that `online` first runs `during_online` (once)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self.during_online: Callable[[], Awaitable[None]] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def online(self, code: str, now_ms: int) -> set[str]:
        hook, self.during_online = self.during_online, None
        if hook is not None:
            await hook()
        return await self._store.online(code, now_ms)


class Phone:
    """A recipient that keeps its frames and a board built only from them; any gap, repeat or
    seq that disagrees with its welcome fails at once."""

    def __init__(self, pid: str, role: Role = Role.PARTICIPANT) -> None:
        self.actor = Actor(pid, role)
        self.token = pid
        self.frames: list[dict[str, Any]] = []
        self.seq = 0
        self.notes: dict[str, dict[str, Any]] = {}

    @property
    def presence_member(self) -> str:
        return f"{self.actor.id}|{id(self)}"

    def deliver(self, frame: str) -> None:
        message = json.loads(frame)
        self.frames.append(message)
        if message["type"] == "welcome":
            if "state" in message:
                self.notes = {n["id"]: n for n in message["state"]["notes"]}
                self.seq = message["seq"]
            else:
                for event in message["events"]:
                    self._apply(event)
                assert self.seq == message["seq"], "the replay must end at the welcome's seq"
        elif message["type"] == "event":
            self._apply(message)

    def _apply(self, event: dict[str, Any]) -> None:
        assert event["seq"] == self.seq + 1, f"seq {event['seq']} after {self.seq}"
        self.seq = event["seq"]
        data = event["data"]
        if event["op"] == "note.create":
            self.notes[data["id"]] = dict(data)
        elif event["op"] == "note.move":
            self.notes[data["id"]].update(x=data["x"], y=data["y"])

    def welcome(self) -> dict[str, Any]:
        return [f for f in self.frames if f["type"] == "welcome"][-1]

    def reset(self) -> None:
        pass

    def gone(self) -> None:
        pass


class Workshop:
    """A room in writing phase on a shared store, `here` (the resume's process, on the
    interleaving store) and `there` (where everyone else writes)."""

    def __init__(self, log_keep: int = 10_000, snapshot_every: int = 200, template: str = "blank") -> None:
        self.time = 1_000
        self.template = template
        self.store = MemoryStore(room_ttl_s=3600, log_keep=log_keep)
        self.interleaving = Interleaving(self.store)
        limits = Limits()
        self.here = Hub(self.interleaving, limits, clock=self.clock, snapshot_every=snapshot_every)  # type: ignore[arg-type]
        self.there = Hub(self.store, limits, clock=self.clock, snapshot_every=snapshot_every)
        self.fac = Actor("fac", Role.FACILITATOR)
        self.ola = Actor("ola", Role.PARTICIPANT)

    def clock(self) -> int:
        self.time += 7
        return self.time

    async def open(self) -> tuple[LiveRoom, LiveRoom]:
        decision = new_room(CODE, "Test", "nb", self.template, Limits())
        first = Event(1, "room.create", "system", 0, decision.data)  # type: ignore[union-attr]
        await self.store.create_room(RoomMeta(CODE, "f", "c", 0), codec.encode_event(first))
        there = await self.there.open(CODE)
        here = await self.here.open(CODE)
        assert there is not None and here is not None
        await self.there.join(there, "fac", "Fac", "", Role.FACILITATOR)
        await self.there.join(there, "ola", "Ola", "", Role.PARTICIPANT)
        await self.submit(there, self.fac, PhaseSet("write"))
        return here, there

    async def submit(self, room: LiveRoom, actor: Actor, command: Any) -> int:
        outcome = await self.there.submit(room, actor, f"op{self.time}", command)
        assert isinstance(outcome, Ack), outcome
        return outcome.seq

    async def settle(self, room: LiveRoom, seq: int) -> None:
        """Yield until `here` ingested up to `seq` (announcements run on the next iterations)."""
        for _ in range(100):
            if room.state.seq >= seq:
                return
            await asyncio.sleep(0)
        raise AssertionError(f"here stayed at {room.state.seq}, expected {seq}")

    async def kari_leaves(self, here: LiveRoom) -> Phone:
        """Kari was here, saw the board up to now, and dropped off."""
        kari = Phone("kari")
        joined = await self.here.join(here, "kari", "Kari", "", Role.PARTICIPANT)
        kari.actor = joined.actor  # type: ignore[union-attr]
        await self.here.welcome(here, kari, None)
        await self.here.detach(here, kari)
        return kari

    async def resume(self, here: LiveRoom, kari: Phone) -> None:
        joined = await self.here.join(here, "kari", "", "", Role.PARTICIPANT)
        kari.actor = joined.actor  # type: ignore[union-attr]
        await self.here.welcome(here, kari, kari.seq)

    def count(self, hub: Hub, kind: str, reason: str) -> float:
        value = hub.metrics.registry.get_sample_value("tavla_welcomes_total", {"kind": kind, "reason": reason})
        return value or 0.0


async def test_events_that_arrive_during_the_welcome_are_replayed_not_snapshotted() -> None:
    """Kari missed three notes; while her welcome awaits the store, Ola writes three more (one of
    them private): she gets all six as events, the private one as a placeholder, seq gap-free,
    and then the next live event exactly once."""
    w = Workshop()
    here, there = await w.open()
    kari = await w.kari_leaves(here)
    for i in range(3):
        await w.submit(there, w.ola, NoteCreate(f"away{i}", "while away", "yellow", 10, 10))
    await w.settle(here, there.state.seq)
    since = kari.seq

    async def others_write() -> None:
        before = here.state.seq
        await w.submit(there, w.ola, NoteMove("away0", 300, 300))
        await w.submit(there, w.fac, RoomUpdate(settings=SettingsPatch(private_writing=True)))
        await w.submit(there, w.ola, NoteCreate("secret", "hemmelig", "yellow", 20, 20))
        await w.settle(here, there.state.seq)
        assert here.state.seq == before + 3, "the events reached `here` during the welcome"

    w.interleaving.during_online = others_write
    await w.resume(here, kari)

    welcome = kari.welcome()
    assert "state" not in welcome, "the missed events are in the log: a replay, not a snapshot"
    assert [e["seq"] for e in welcome["events"]] == list(range(since + 1, there.state.seq + 1))
    assert welcome["events"][-1]["op"] == "redacted", "Ola's private note is a placeholder for Kari"
    assert "secret" not in json.dumps(welcome)
    assert w.count(w.here, "events", "replay") == 1 and w.count(w.here, "state", "other") == 0

    # Attached at the welcome's seq: the next event arrives once, right after it.
    await w.submit(there, w.ola, NoteMove("away1", 400, 400))
    await w.settle(here, there.state.seq)
    assert kari.seq == there.state.seq
    assert [f["seq"] for f in kari.frames if f["type"] == "event"] == [there.state.seq]
    expected = {n["id"]: n for n in project_state(here.state, kari.actor)["notes"]}
    assert {k: (v["x"], v["y"]) for k, v in kari.notes.items()} == {k: (v["x"], v["y"]) for k, v in expected.items()}


async def test_more_events_during_the_welcome_than_the_room_keeps_are_read_from_the_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A burst longer than what the room keeps for resumes in flight: the welcome reads the
    log again and still replays."""
    monkeypatch.setattr(rooms, "MEANWHILE_EVENTS", 4)
    w = Workshop()
    here, there = await w.open()
    kari = await w.kari_leaves(here)
    await w.submit(there, w.ola, NoteCreate("n", "idé", "yellow", 10, 10))
    await w.settle(here, there.state.seq)
    since = kari.seq

    async def burst() -> None:
        for i in range(10):
            await w.submit(there, w.ola, NoteMove("n", i, i))
        await w.settle(here, there.state.seq)

    w.interleaving.during_online = burst
    await w.resume(here, kari)
    welcome = kari.welcome()
    assert "state" not in welcome
    assert [e["seq"] for e in welcome["events"]] == list(range(since + 1, there.state.seq + 1))
    assert kari.notes["n"]["x"] == 9


async def test_a_role_granted_during_the_welcome_gets_a_state_for_the_new_role() -> None:
    """The facilitator makes Kari a coach while her welcome awaits: she gets a state (her view
    changed), built for a coach, and the hub serves her as a coach from then on."""
    w = Workshop()
    here, there = await w.open()
    kari = await w.kari_leaves(here)
    await w.submit(there, w.ola, NoteCreate("n", "idé", "yellow", 10, 10))
    await w.settle(here, there.state.seq)

    async def promote() -> None:
        await w.submit(there, w.fac, RoleGrant("kari", "coach"))
        await w.settle(here, there.state.seq)

    w.interleaving.during_online = promote
    await w.resume(here, kari)
    welcome = kari.welcome()
    assert "state" in welcome and welcome["you"]["role"] == "coach"
    assert "hints" in welcome["state"], "a coach's state, not a participant's"
    assert kari.actor == Actor("kari", Role.COACH)
    assert w.count(w.here, "state", "role_change") == 1


async def test_each_state_is_counted_with_its_reason() -> None:
    """no_since for a first visit, trimmed when the log no longer reaches back, other for a
    client ahead of the room, replay for a resume."""
    w = Workshop(log_keep=2, snapshot_every=5)
    here, there = await w.open()
    kari = await w.kari_leaves(here)
    assert w.count(w.here, "state", "no_since") == 1
    old = kari.seq
    await w.submit(there, w.ola, NoteCreate("n", "idé", "yellow", 10, 10))
    for i in range(12):
        await w.submit(there, w.ola, NoteMove("n", i, i))
    await w.settle(here, there.state.seq)
    await asyncio.sleep(0)  # the appender's snapshot task trims the log

    kari.seq = old
    await w.resume(here, kari)
    assert "state" in kari.welcome() and w.count(w.here, "state", "trimmed") == 1
    await w.here.detach(here, kari)

    kari.seq = there.state.seq + 50
    await w.resume(here, kari)
    assert "state" in kari.welcome() and w.count(w.here, "state", "other") == 1
    await w.here.detach(here, kari)

    await w.submit(there, w.ola, NoteMove("n", 1, 2))
    await w.settle(here, there.state.seq)
    kari.seq = there.state.seq - 1
    await w.resume(here, kari)
    assert [e["seq"] for e in kari.welcome()["events"]] == [there.state.seq]
    assert w.count(w.here, "events", "replay") == 1
    assert w.count(w.here, "state", "role_change") == 0


async def test_a_resume_across_a_round_switch_is_counted_as_a_round_change() -> None:
    """Someone away while the facilitator promoted another person and switched rounds gets the
    new round's board as a state, counted as a round change: their own role did not change."""
    w = Workshop(template="need-solution-test")
    here, there = await w.open()
    kari = await w.kari_leaves(here)
    await w.submit(there, w.fac, RoleGrant("ola", "coach"))
    await w.submit(there, w.fac, RoundGo("solution"))
    await w.settle(here, there.state.seq)
    await w.resume(here, kari)
    welcome = kari.welcome()
    assert "state" in welcome and welcome["state"]["room"]["round"] == "solution"
    assert w.count(w.here, "state", "round_change") == 1
    assert w.count(w.here, "state", "role_change") == 0
