"""Property: whatever a person does and however the server interleaves it with everyone else's
ops, the browser client's confirmed state equals the server's projection for that person after
every event, and its view (confirmed + pending ops predicted through the same reducer) equals it
whenever nothing of theirs is pending, including the moment between their op's event and its
ack (a dot counted once, not twice). And the predictions are right: when the server takes the
pending ops in a row and accepts them all, the view before equals the projection after.

Hypothesis draws op sequences; the real domain (`decide`, `apply_event`, `project_event`,
`project_state`) plays the server; `tests/client/replay-script.mjs` replays the resulting frames
through the client's real Connection (scripted socket) and reducer in node.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain import COMMANDS, Accepted, Actor, Event, Limits, Role, apply_event, decide, initial_state, join, new_room
from server.domain import project_event, project_state
from tests.support.servers import require

LIMITS = Limits()
SCRIPT = Path(__file__).parent / "client" / "replay-script.mjs"
ME, OLA, FACI = "p_me", "p_ola", "p_faci"
START = 1_764_000_000_000

NOTES = ["n1", "n2", "n3", "n4"]
GROUPS = ["g1", "g2"]
coords = st.integers(min_value=-50, max_value=4100)
note_id, group_id = st.sampled_from(NOTES), st.sampled_from(GROUPS)
target = st.sampled_from(NOTES + GROUPS)

board_ops = st.one_of(
    st.builds(lambda i, t, c, x, y: ("note.create", {"id": i, "text": t, "color": c, "x": x, "y": y}),
              note_id, st.sampled_from(["Kø", "Chat", " Skjema "]), st.sampled_from(["yellow", "pink"]), coords, coords),
    st.builds(lambda i, t: ("note.update", {"id": i, "text": t}), note_id, st.sampled_from(["Ny", "Annen"])),
    st.builds(lambda i, x, y: ("note.move", {"id": i, "x": x, "y": y}), note_id, coords, coords),
    st.builds(lambda i: ("note.delete", {"id": i}), note_id),
    st.builds(lambda i, g: ("note.group", {"id": i, "cluster": g}), note_id, st.one_of(st.none(), group_id)),
    st.builds(lambda i, t, x, y: ("cluster.create", {"id": i, "title": t, "x": x, "y": y}),
              group_id, st.sampled_from(["  Ventetid ", "Digitalt"]), coords, coords),
    st.builds(lambda i, x, y: ("cluster.update", {"id": i, "x": x, "y": y}), group_id, coords, coords),
    st.builds(lambda i, t: ("cluster.update", {"id": i, "title": t}), group_id, st.sampled_from([" Nytt navn ", "Annet"])),
    st.builds(lambda i: ("cluster.delete", {"id": i}), group_id),
    st.builds(lambda i, j: ("cluster.merge", {"id": i, "into": j}), group_id, group_id),
    st.builds(lambda t: ("vote.cast", {"target": t}), target),
    st.builds(lambda t: ("vote.retract", {"target": t}), target),
)
facilitator_ops = st.one_of(
    st.builds(lambda p: ("phase.set", {"phase": p}), st.sampled_from(["write", "cluster", "vote"])),
    st.just(("votes.reveal", {})),
    st.just(("votes.reset", {})),
    st.builds(lambda b, m, p: ("room.update", {"settings": {"vote_budget": b, "max_votes_per_target": m, "private_writing": p}}),
              st.integers(1, 4), st.integers(1, 3), st.booleans()),
    st.just(("notes.reveal", {})),
    st.builds(lambda t: ("spotlight", {"target": t}), st.one_of(st.none(), target)),
    st.builds(lambda b: ("room.update", {"locked": b}), st.booleans()),
    # Rounds: another board (and back), items carried across (the frame replaces the state).
    st.builds(lambda r: ("round.go", {"round": r}), st.sampled_from(["r1", "r2"])),
    st.builds(lambda f, t, a: ("round.carry", {"from": f, "to": "r2" if f == "r1" else "r1", "items": [t], "as": a}),
              st.sampled_from(["r1", "r2"]), target, st.sampled_from(["notes", "areas"])),
)
steps = st.lists(st.one_of(
    st.tuples(st.just("mine"), board_ops),  # I do something: it waits in my outbox
    st.tuples(st.just("serve"), st.just(None)),  # the server takes my oldest waiting op
    st.tuples(st.just("other"), st.tuples(st.sampled_from([OLA, FACI]), board_ops)),
    st.tuples(st.just("facilitate"), facilitator_ops),
), max_size=40)


class Room:
    """The server's side, by the real domain."""

    def __init__(self) -> None:
        created = new_room("PROP01", "Eiendom", "nb", "blank", LIMITS)
        assert isinstance(created, Accepted)
        self.events = [Event(1, created.op, "system", START, created.data)]
        self.state = initial_state(self.events[0])
        for pid, name, role in ((FACI, "Frida", Role.FACILITATOR), (ME, "Meg", Role.PARTICIPANT), (OLA, "Ola", Role.PARTICIPANT)):
            decision = join(self.state, pid, name, "", role, LIMITS)
            assert isinstance(decision, Accepted)
            self._append(pid, decision)
        self._decide(FACI, "phase.set", {"phase": "write"})
        planned = self._decide(FACI, "rounds.plan", {"rounds": [{"id": "r1", "title": "Behov"}, {"id": "r2", "title": "Løsning"}]})
        assert isinstance(planned, Event), planned

    @property
    def now(self) -> int:
        return START + 1000 * self.state.seq

    def _append(self, by: str, decision: Accepted) -> Event:
        event = Event(self.state.seq + 1, decision.op, by, self.now, decision.data, f"op{self.state.seq + 1}")
        apply_event(self.state, event)
        self.events.append(event)
        return event

    def _decide(self, by: str, op: str, args: dict[str, Any]) -> Event | str:
        try:
            command = msgspec.json.decode(json.dumps(args), type=COMMANDS[op])
        except msgspec.ValidationError:
            return "invalid"
        decision = decide(self.state, Actor(by, self.state.participants[by].role), command, self.now, LIMITS)
        if not isinstance(decision, Accepted):
            return str(decision.code)
        return self._append(by, decision)

    def view(self) -> dict[str, Any]:
        return project_state(self.state, Actor(ME, Role.PARTICIPANT), (), self.now)

    def frame(self, event: Event) -> dict[str, Any]:
        return project_event(event, Actor(ME, Role.PARTICIPANT), self.state)


def script_for(plan: list[tuple[str, Any]]) -> dict[str, Any]:
    room = Room()
    out: dict[str, Any] = {"me": ME, "welcome": {"seq": room.state.seq, "state": room.view()}, "steps": []}
    steps = out["steps"]
    waiting: list[tuple[int, str, dict[str, Any]]] = []  # my sent ops the server has not taken yet
    sent = 0

    def check(view: bool) -> None:
        steps.append({"check": room.view(), "seq": room.state.seq, "view": view})

    def serve() -> None:
        k, op, args = waiting.pop(0)
        result = room._decide(ME, op, args)
        if isinstance(result, Event):
            steps.append({"frame": room.frame(result)})
            check(view=not waiting)  # its event is in, its ack not yet: counted once
            steps.append({"ack": k, "seq": result.seq})
        else:
            steps.append({"error": k, "code": result})
        check(view=not waiting)

    for kind, item in plan:
        if kind == "mine":
            op, args = item
            steps.append({"send": {"op": op, "args": args}})
            waiting.append((sent, op, args))
            sent += 1
        elif kind == "serve":
            if waiting:
                serve()
        else:
            by, (op, args) = (FACI, item) if kind == "facilitate" else item
            result = room._decide(by, op, args)
            if isinstance(result, Event):
                steps.append({"frame": room.frame(result)})
                check(view=not waiting)
    # Predictions: when the server then takes every waiting op of mine, with nothing in between,
    # and accepts them all, what the person saw before is what the server ends with.
    predicted = {"check": None, "seq": None, "view": True, "only_view": True}
    steps.append(predicted)
    refused = False
    while waiting:
        before = len(steps)
        serve()
        refused |= any("error" in step for step in steps[before:])
    if refused or predicted is steps[-1]:
        steps.remove(predicted)
    else:
        predicted["check"], predicted["seq"] = room.view(), room.state.seq
    return out


def replay(script: dict[str, Any]) -> list[dict[str, Any]]:
    node = require("node", "nodejs")
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps(script), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_client_state_equals_the_servers_projection(plan: list[tuple[str, Any]]) -> None:
    failures = replay(script_for(plan))
    assert failures == [], json.dumps(failures[0], ensure_ascii=False)[:3000]
