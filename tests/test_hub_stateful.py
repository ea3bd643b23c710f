"""A Hypothesis state machine over the real hub and store, in memory: two hubs (two "processes")
share one store; people connect, disconnect, resume, send random ops and retry old ones. After
every step, explicit flushes of the event loop (no timers) and then the invariants:
gap-free seq for every client, nobody sees another's private note or dots, budgets hold,
clusters referenced by notes exist, and every client's board equals the server's view for them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from server import codec
from tests.support.fuzz import scaled
from server.domain import Actor, Event, Limits, Role, new_room, project_state
from server.domain.commands import (
    ClusterCreate,
    ClusterDelete,
    NoteCreate,
    NoteDelete,
    NoteGroup,
    NoteMove,
    NotesReveal,
    NoteUpdate,
    PhaseSet,
    RoomUpdate,
    SettingsPatch,
    VoteCast,
    VoteRetract,
    VotesReveal,
)
from server.rooms import Ack, Hub
from server.store import MemoryStore, RoomMeta

CODE = "TESTAB"
PEOPLE = ["fac", "kari", "ola"]
IDS = ["a", "b", "c", "k1"]


class FakeSocket:
    """What a browser keeps: every frame, and a board built only from them."""

    def __init__(self, pid: str, role: Role) -> None:
        self.actor = Actor(pid, role)
        self.token = pid
        self.frames: list[dict[str, Any]] = []
        self.seq = 0
        self.notes: dict[str, dict[str, Any]] = {}
        self.closed = False

    @property
    def presence_member(self) -> str:
        return f"{self.actor.id}|{id(self)}"

    def deliver(self, frame: str) -> None:
        message = json.loads(frame)
        self.frames.append(message)
        if message["type"] == "welcome":
            if "state" in message:
                self.notes = {n["id"]: dict(n) for n in message["state"]["notes"]}
                self.seq = message["seq"]
            else:
                for event in message["events"]:
                    self._apply(event)
                assert self.seq == message["seq"]
        elif message["type"] == "event":
            self._apply(message)

    def _apply(self, event: dict[str, Any]) -> None:
        assert event["seq"] == self.seq + 1, f"{self.actor.id}: seq {event['seq']} after {self.seq}"
        self.seq = event["seq"]
        op, data = event["op"], event["data"]
        if op == "note.create":
            self.notes[data["id"]] = {k: v for k, v in data.items()}
        elif op in ("note.update", "note.move", "note.group"):
            self.notes[data["id"]].update({k: v for k, v in data.items() if k in ("text", "color", "x", "y", "cluster")})
        elif op == "note.delete":
            del self.notes[data["id"]]
        elif op == "notes.reveal":
            self.notes.update({n["id"]: dict(n) for n in data["notes"]})
        elif op in ("cluster.delete", "cluster.merge"):
            for note in self.notes.values():
                if note["cluster"] == data["id"]:
                    note["cluster"] = data.get("into")

    def reset(self) -> None:
        self.closed = True

    def gone(self) -> None:
        self.closed = True


_create = st.builds(NoteCreate, id=st.sampled_from(IDS), text=st.sampled_from(["idé", "hemmelig", ""]),
              color=st.just("yellow"), x=st.integers(0, 100), y=st.integers(0, 100))
_commands = st.one_of(
    _create, _create, _create,
    st.builds(NoteUpdate, id=st.sampled_from(IDS), text=st.sampled_from(["ny", "hemmelig2"])),
    st.builds(NoteMove, id=st.sampled_from(IDS), x=st.integers(0, 100), y=st.integers(0, 100)),
    st.builds(NoteDelete, id=st.sampled_from(IDS)),
    st.builds(NoteGroup, id=st.sampled_from(IDS), cluster=st.sampled_from(["c1", None])),
    st.builds(ClusterCreate, id=st.just("c1"), title=st.just("Gruppe"), x=st.just(5), y=st.just(5)),
    st.builds(ClusterDelete, id=st.just("c1")),
    st.builds(PhaseSet, phase=st.sampled_from(["write", "cluster", "vote"])),
    st.builds(RoomUpdate, settings=st.builds(SettingsPatch, private_writing=st.booleans())),
    st.builds(NotesReveal),
    st.builds(VoteCast, target=st.sampled_from(IDS + ["c1"])),
    st.builds(VoteRetract, target=st.sampled_from(IDS + ["c1"])),
    st.builds(VotesReveal),
)


class TwoProcesses(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.time = 1_000
        self.store = MemoryStore(room_ttl_s=3600)
        limits = Limits()
        self.hubs = [Hub(self.store, limits, clock=self.clock) for _ in range(2)]
        decision = new_room(CODE, "Test", "nb", "blank", limits)
        first = Event(1, "room.create", "system", 0, decision.data)  # type: ignore[union-attr]
        self.run(self.store.create_room(RoomMeta(CODE, "f", "c", 0), codec.encode_event(first)))
        self.sockets: dict[str, FakeSocket] = {}
        self.where: dict[str, int] = {}
        self.sent: list[tuple[str, str, Any]] = []
        self.answers: dict[tuple[str, str], dict[str, Any]] = {}
        # The facilitator opens the writing round before anyone arrives.
        room = self.run(self.hubs[0].open(CODE))
        self.run(self.hubs[0].join(room, "fac", "Fac", "Helse", Role.FACILITATOR))
        self.run(self.hubs[0].submit(room, Actor("fac", Role.FACILITATOR), "start", PhaseSet("write")))

    def clock(self) -> int:
        self.time += 7
        return self.time

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def flush(self) -> None:
        """Let every pending callback and task run (no timers, no sleeps)."""
        for _ in range(30):
            self.run(asyncio.sleep(0))

    @rule(person=st.sampled_from(PEOPLE), hub=st.integers(0, 1), resume=st.booleans())
    def connect(self, person: str, hub: int, resume: bool) -> None:
        if person in self.sockets:
            return
        role = Role.FACILITATOR if person == "fac" else Role.PARTICIPANT
        old = self.where.get(person)
        sock = FakeSocket(person, role)
        since = None
        if resume and old is not None and person in self._last_seq:
            sock.seq, sock.notes = self._last_seq[person], self._last_notes[person]
            since = sock.seq
        room = self.run(self.hubs[hub].open(CODE))
        joined = self.run(self.hubs[hub].join(room, person, person.title(), "Helse", role))
        sock.actor = joined.actor
        self.run(self.hubs[hub].welcome(room, sock, since))
        self.sockets[person], self.where[person] = sock, hub
        self.flush()

    _last_seq: dict[str, int] = {}
    _last_notes: dict[str, dict[str, Any]] = {}

    @precondition(lambda self: bool(self.sockets))
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        person = data.draw(st.sampled_from(sorted(self.sockets)))
        sock = self.sockets.pop(person)
        hub = self.hubs[self.where[person]]
        self.run(hub.detach(hub.rooms[CODE], sock))
        self._last_seq = {**self._last_seq, person: sock.seq}
        self._last_notes = {**self._last_notes, person: sock.notes}
        self.flush()

    @precondition(lambda self: bool(self.sockets))
    @rule(data=st.data(), command=_commands)
    def send(self, data: st.DataObject, command: Any) -> None:
        person = data.draw(st.sampled_from(sorted(self.sockets)))
        op_id = f"op{len(self.sent)}"
        self._submit(person, op_id, command)

    @precondition(lambda self: bool(self.sent) and bool(self.sockets))
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        """A client re-sends an op it sent before (after a reconnect): same answer, nothing new."""
        person, op_id, command = data.draw(st.sampled_from(self.sent))
        if person not in self.sockets:
            return
        first = self.answers[(person, op_id)]
        again = self._submit(person, op_id, command, record=False)
        if first["type"] == "ack":
            assert again == first

    def _submit(self, person: str, op_id: str, command: Any, record: bool = True) -> dict[str, Any]:
        sock = self.sockets[person]
        hub = self.hubs[self.where[person]]
        outcome = self.run(hub.submit(hub.rooms[CODE], sock.actor, op_id, command))
        answer = {"type": "ack", "seq": outcome.seq} if isinstance(outcome, Ack) else {"type": "error", "code": outcome.code}
        if record:
            self.sent.append((person, op_id, command))
            self.answers[(person, op_id)] = answer
        self.flush()
        return answer

    @invariant()
    def replicas_agree_and_clients_match(self) -> None:
        self.flush()
        states = [hub.rooms[CODE].state for hub in self.hubs if CODE in hub.rooms]
        encoded = {codec.encode_state(s) for s in states}
        if len(states) == 2:
            assert len(encoded) == 1, "the two processes hold different states"
        for person, sock in self.sockets.items():
            state = self.hubs[self.where[person]].rooms[CODE].state
            assert sock.seq == state.seq
            expected = {n["id"]: n for n in project_state(state, sock.actor)["notes"]}
            assert set(sock.notes) == set(expected), person
            for note_id, note in expected.items():
                for key in ("text", "x", "y", "cluster"):
                    assert sock.notes[note_id][key] == note[key], (person, note_id, key)
            # Secrecy: no frame ever carried another person's private note or dots.
            for frame in sock.frames:
                if frame["type"] == "event" and frame["op"] in ("vote.cast", "vote.retract"):
                    assert frame["by"] in (None, person), "dots are never attributed to someone else"
            for note in state.notes.values():
                if note.hidden and note.author != person:
                    assert note.id not in sock.notes
            for mine in state.votes.values():
                assert sum(mine.values()) <= state.room.settings.vote_budget
            for note in state.notes.values():
                assert note.cluster is None or note.cluster in state.clusters

    def teardown(self) -> None:
        for task in asyncio.all_tasks(self.loop):
            task.cancel()
        self.loop.run_until_complete(asyncio.sleep(0))
        self.loop.close()


TwoProcesses.TestCase.settings = settings(max_examples=scaled(100), stateful_step_count=40, deadline=None)
test_two_processes_keep_every_invariant = TwoProcesses.TestCase
