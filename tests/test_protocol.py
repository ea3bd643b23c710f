"""Client frames parsed once, at the edge, into typed values or a typed refusal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain import COMMANDS
from server.domain import commands as c
from server.domain.commands import NoteCreate, NoteDelete, NoteMove, NoteUpdate
from server.protocol import Hello, Malformed, NotJson, OpFrame, Ping, parse_command, parse_frame
from tests.support.fuzz import scaled


def op_frame(op: str, args: object) -> OpFrame:
    frame = parse_frame(json.dumps({"type": "op", "id": "c7f3", "op": op, "args": args}))
    assert isinstance(frame, OpFrame), frame
    return frame


# --- parse_frame -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            '{"type": "hello", "protocol": 1, "name": "Kari", "department": "Helse",'
            ' "token": "t0k3n", "key": null, "since": 412}',
            Hello(protocol=1, name="Kari", department="Helse", token="t0k3n", key=None, since=412),
        ),
        ('{"type": "hello", "protocol": 1}', Hello(protocol=1)),
        ('{"type": "hello", "protocol": 1, "extra": [1, {"a": null}]}', Hello(protocol=1)),
        ('{"type": "ping", "t": 1732345678901}', Ping(t=1732345678901.0)),
        (b'{"type": "ping"}', Ping(t=0)),
    ],
    ids=["hello", "hello-minimal", "hello-unknown-field", "ping", "ping-bytes"],
)
def test_hello_and_ping_parse_to_typed_values(raw: str | bytes, expected: object) -> None:
    """A well-formed hello or ping becomes its typed message, with defaults for omitted fields."""
    assert parse_frame(raw) == expected


def test_op_parses_with_its_args_left_for_the_command() -> None:
    """An op frame keeps its id and op name; its args are decoded later, per op."""
    frame = parse_frame('{"type": "op", "id": "c7f3", "op": "note.delete", "args": {"id": "n_1"}}')
    assert isinstance(frame, OpFrame)
    assert (frame.id, frame.op, bytes(frame.args)) == ("c7f3", "note.delete", b'{"id": "n_1"}')
    bare = parse_frame('{"type": "op", "id": "c7f4", "op": "note.delete"}')
    assert isinstance(bare, OpFrame) and bytes(bare.args) == b"{}"


@pytest.mark.parametrize(
    "raw", ["", "nope", "{", "{'type': 'ping'}", '{"type": "ping",}', "\x00binary", b"\xff\xfe{}"]
)
def test_not_json_is_a_protocol_violation(raw: str | bytes) -> None:
    """Text that is not JSON at all is reported as NotJson, which closes the socket."""
    assert isinstance(parse_frame(raw), NotJson)


@pytest.mark.parametrize(
    ("raw", "op_id"),
    [
        ('{"type": "zap", "id": "c7f3"}', "c7f3"),
        ('{"id": "c7f3", "op": "note.delete"}', "c7f3"),
        ('{"type": "op", "id": "c7f3", "args": {}}', "c7f3"),
        ('{"type": "op", "id": "c7f3", "op": 5}', "c7f3"),
        ('{"type": "hello"}', None),
        ('{"type": "hello", "protocol": "1"}', None),
        ('{"type": "hello", "protocol": 1, "since": -1}', None),
        ('{"type": "hello", "protocol": 1, "name": null}', None),
        ('{"type": "ping", "t": "soon"}', None),
        ('{"type": "op", "id": 42, "op": "note.delete"}', None),
        ('{"type": "op", "id": "' + "x" * 65 + '", "op": "note.delete"}', None),
        ('["op"]', None),
        ("42", None),
        ('"hello"', None),
        ("null", None),
    ],
)
def test_json_of_the_wrong_shape_is_malformed(raw: str, op_id: str | None) -> None:
    """JSON that is not a valid message is Malformed (the socket stays open), naming its op id if any."""
    result = parse_frame(raw)
    assert isinstance(result, Malformed), result
    assert (result.op_id, result.code) == (op_id, "invalid")


def test_op_id_of_64_characters_is_accepted() -> None:
    """An op id may be up to 64 characters long."""
    frame = parse_frame('{"type": "op", "id": "' + "x" * 64 + '", "op": "note.delete"}')
    assert isinstance(frame, OpFrame) and len(frame.id) == 64


# --- parse_command ---------------------------------------------------------------------------

VALID_ARGS: dict[str, tuple[dict[str, object], object]] = {
    "note.create": (
        {"id": "n_1", "text": "Kortere skjema", "color": "yellow", "x": 120, "y": 80.5},
        NoteCreate("n_1", "Kortere skjema", "yellow", 120.0, 80.5),
    ),
    "note.update": ({"id": "n_1", "text": "Chat", "color": "blue"}, NoteUpdate("n_1", "Chat", "blue")),
    "note.move": ({"id": "n_1", "x": 0, "y": 3000}, NoteMove("n_1", 0.0, 3000.0)),
    "note.delete": ({"id": "n_1"}, NoteDelete("n_1")),
    "phase.set": ({"phase": "write"}, c.PhaseSet("write")),
    "room.update": (
        {"prompt": "Hva trenger du?", "settings": {"private_writing": True}},
        c.RoomUpdate(prompt="Hva trenger du?", settings=c.SettingsPatch(private_writing=True)),
    ),
    "notes.reveal": ({}, c.NotesReveal()),
    "timer.start": ({"duration_ms": 300000}, c.TimerStart(300000)),
    "timer.pause": ({}, c.TimerPause()),
    "timer.resume": ({}, c.TimerResume()),
    "timer.reset": ({}, c.TimerReset()),
    "timer.add": ({"ms": -60000}, c.TimerAdd(-60000)),
    "role.grant": ({"participant": "p_1", "role": "facilitator"}, c.RoleGrant("p_1", "facilitator")),
    "coach.hint": ({"text": "Spør om behovet"}, c.CoachHint("Spør om behovet")),
    "spotlight": ({"target": None}, c.Spotlight(None)),
    "note.group": ({"id": "n_1", "cluster": "c_1"}, c.NoteGroup("n_1", "c_1")),
    "cluster.create": ({"id": "c_1", "title": "Tid", "x": 5, "y": 6}, c.ClusterCreate("c_1", "Tid", 5.0, 6.0)),
    "cluster.update": ({"id": "c_1", "x": 50, "y": 60}, c.ClusterUpdate("c_1", None, 50.0, 60.0)),
    "cluster.delete": ({"id": "c_1"}, c.ClusterDelete("c_1")),
    "cluster.merge": ({"id": "c_1", "into": "c_2"}, c.ClusterMerge("c_1", "c_2")),
    "vote.cast": ({"target": "c_1"}, c.VoteCast("c_1")),
    "vote.retract": ({"target": "n_1"}, c.VoteRetract("n_1")),
    "votes.reveal": ({}, c.VotesReveal()),
    "votes.reset": ({}, c.VotesReset()),
    "results.publish": ({"published": True}, c.ResultsPublish(True)),
    "room.delete": ({}, c.RoomDelete()),
    "participant.remove": ({"participant": "p_1"}, c.ParticipantRemove("p_1")),
    "lobby.admit": ({"participant": "p_1"}, c.LobbyAdmit("p_1")),
    "lobby.deny": ({"participant": "p_1"}, c.LobbyDeny("p_1")),
    "board.tidy": ({}, c.BoardTidy()),
    "board.undo": ({}, c.BoardUndo()),
    # t14g: who took part, report back
    "hear_from.set": ({"groups": ["Beboere", "Pårørende"]}, c.HearFromSet(["Beboere", "Pårørende"])),
    "report.update": ({"next_steps": "Vi tester", "owners": {"n_1": "Kari"}},
                      c.ReportUpdate(next_steps="Vi tester", owners={"n_1": "Kari"})),
    # rounds (t14r; examples added at the merge, the table must name every op)
    "rounds.plan": ({"rounds": [{"id": "r1", "title": "Behov"}]}, c.RoundsPlan((c.RoundPlan("r1", "Behov"),))),
    "round.go": ({"round": "r2"}, c.RoundGo("r2")),
    "round.carry": ({"from": "r1", "to": "r2", "items": ["n_1"], "as": "areas"},
                    c.RoundCarry(from_="r1", to="r2", items=("n_1",), as_="areas")),
    "view.share": ({"x": 0, "y": 12.5, "w": 1366, "h": 768}, c.ViewShare(0.0, 12.5, 1366.0, 768.0)),
    "coach.debrief": ({"text": "Godt tempo"}, c.CoachDebrief("Godt tempo")),
    "evaluation.open": ({}, c.EvaluationOpen()),
    "evaluation.close": ({}, c.EvaluationClose()),
    "evaluation.answer": ({"clear": 4, "outcome": 1, "text": "Fin dag"}, c.EvaluationAnswer(4, None, 1, "Fin dag")),
    "rounds.plan": ({"rounds": [{"id": "r1", "title": "Behov", "areas": [{"title": "Hjemme"}], "phases": ["write", "vote"],
                                 "timer_ms": 600000}, {"id": "r2", "title": "Løsning"}]},
                    c.RoundsPlan((c.RoundPlan("r1", "Behov", "", (c.AreaPlan("Hjemme"),), ("write", "vote"), 600000),
                                  c.RoundPlan("r2", "Løsning")))),
    "round.go": ({"round": "r2"}, c.RoundGo("r2")),
    "round.carry": ({"from": "r1", "to": "r2", "items": ["n_1", "c_2"], "as": "areas"},
                    c.RoundCarry("r1", "r2", ("n_1", "c_2"), "areas")),
}


def test_every_op_has_an_example() -> None:
    """Each op the server knows is covered by the examples below."""
    assert set(VALID_ARGS) == set(COMMANDS)


@pytest.mark.parametrize("op", sorted(VALID_ARGS))
def test_every_op_decodes_to_its_command(op: str) -> None:
    """The args of each known op decode to that op's command type, numbers as floats."""
    args, expected = VALID_ARGS[op]
    command = parse_command(op_frame(op, args))
    assert command == expected and type(command) is COMMANDS[op]


def test_optional_args_default_to_none() -> None:
    """Optional args left out (cluster on create, text or colour on update) decode as None."""
    assert parse_command(op_frame("note.update", {"id": "n_1"})) == NoteUpdate("n_1")
    create = parse_command(op_frame("note.create", {"id": "n", "text": "t", "color": "pink", "x": 1, "y": 2}))
    assert isinstance(create, NoteCreate) and create.cluster is None


@pytest.mark.parametrize("op", ["room.explode", "note.explode", "", "NOTE.CREATE"])
def test_unknown_op_is_refused_as_unknown_op(op: str) -> None:
    """An op this server does not know is refused with unknown_op, naming the op id."""
    result = parse_command(op_frame(op, {}))
    assert isinstance(result, Malformed) and (result.op_id, result.code) == ("c7f3", "unknown_op")


@pytest.mark.parametrize(
    ("op", "args"),
    [
        ("note.create", {"id": "n", "text": "t", "color": "pink", "x": "10", "y": 2}),
        ("note.create", {"id": "n", "text": 5, "color": "pink", "x": 1, "y": 2}),
        ("note.create", {"id": "n", "text": "t", "color": "pink", "x": 1}),
        ("note.create", {"id": "n", "text": "t", "color": None, "x": 1, "y": 2}),
        ("note.update", {"id": None, "text": "t"}),
        ("note.update", {"id": "n", "text": ["t"]}),
        ("note.move", {"id": "n", "x": True, "y": 2}),
        ("note.move", {"id": "n", "x": 1, "y": {"v": 2}}),
        ("note.delete", {}),
        ("note.delete", {"id": 7}),
        ("note.delete", ["n"]),
        ("note.delete", "n"),
    ],
)
def test_wrong_arg_types_are_malformed(op: str, args: object) -> None:
    """Args of the wrong type or missing a required field are refused as invalid, naming the op id."""
    result = parse_command(op_frame(op, args))
    assert isinstance(result, Malformed) and (result.op_id, result.code) == ("c7f3", "invalid")


def test_number_too_large_for_a_float_is_malformed() -> None:
    """A coordinate beyond the float range is refused at the edge rather than becoming infinity."""
    raw = '{"type": "op", "id": "c7f3", "op": "note.move", "args": {"id": "n", "x": 1e400, "y": 0}}'
    frame = parse_frame(raw)
    assert isinstance(frame, OpFrame)
    assert isinstance(parse_command(frame), Malformed)


# --- never raises ----------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def usually(good: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly a value of the right type, sometimes any JSON value at all."""
    return st.integers(0, 9).flatmap(lambda i: _json if i == 9 else good)


_number = st.integers() | st.floats()
# Objects shaped like each message, so that parsing gets past the tag into every message type
# and every op's args.
_args = st.fixed_dictionaries(
    {"id": usually(st.text(max_size=45))},
    optional={
        "text": usually(st.text()),
        "color": usually(st.text(max_size=8)),
        "x": usually(_number),
        "y": usually(_number),
        "cluster": usually(st.none() | st.text(max_size=8)),
    },
)
_frames = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("op"),
            "id": usually(st.text(max_size=70)),
            "op": usually(st.sampled_from(sorted(COMMANDS))),
        },
        optional={"args": usually(_args)},
    ),
    st.fixed_dictionaries(
        {"type": st.just("hello"), "protocol": usually(st.integers())},
        optional={
            field: usually(st.none() | st.text() | st.integers())
            for field in ("name", "department", "token", "since")
        },
    ),
    st.fixed_dictionaries({"type": st.just("ping")}, optional={"t": usually(_number)}),
    st.dictionaries(st.sampled_from(["type", "id", "op", "args", "protocol"]), _json),
)


def parse_all(raw: str | bytes) -> None:
    result = parse_frame(raw)
    assert isinstance(result, (Hello, OpFrame, Ping, Malformed, NotJson))
    if isinstance(result, OpFrame):
        assert isinstance(parse_command(result), (*COMMANDS.values(), Malformed))


@settings(max_examples=scaled(300))
@given(st.text() | st.binary())
def test_arbitrary_text_never_raises(raw: str | bytes) -> None:
    """Whatever a client sends, parsing returns a value instead of raising."""
    parse_all(raw)


@settings(max_examples=scaled(300))
@given(_json | _frames)
def test_arbitrary_json_never_raises(value: object) -> None:
    """Any JSON value, including frame-like objects with wrong fields, parses to a value or a refusal."""
    parse_all(json.dumps(value))


@pytest.mark.parametrize("where", ["hello-field", "op-args"])
def test_deeply_nested_json_never_raises(where: str) -> None:
    """A small frame of deeply nested arrays is refused like any other bad frame, without an exception."""
    deep = "[" * 1000 + "]" * 1000
    raw = {
        "hello-field": '{"type": "hello", "protocol": 1, "x": ' + deep + "}",
        "op-args": '{"type": "op", "id": "c7f3", "op": "note.move", "args": ' + deep + "}",
    }[where]
    parse_all(raw)


def test_a_batch_holds_what_is_waiting_never_a_close_and_stays_bounded() -> None:
    """What a batching client gets when frames pile up: one JSON array of whole frames, in
    order; a close stays behind (it is a close, not a frame); a long backlog is split."""
    from collections import deque

    from server.connection import BATCH_MAX_FRAMES, Close, take_batch

    queue: deque = deque(['{"seq":2}', '{"seq":3}', Close.TRY_AGAIN, '{"seq":4}'])
    assert json.loads(take_batch('{"seq":1}', queue)) == [{"seq": 1}, {"seq": 2}, {"seq": 3}]
    assert list(queue) == [Close.TRY_AGAIN, '{"seq":4}']
    assert take_batch('{"seq":1}', deque()) == '{"seq":1}'  # alone: a plain frame, not a batch of one

    backlog = deque(f'{{"seq":{i}}}' for i in range(2, 1001))
    first = json.loads(take_batch('{"seq":1}', backlog))
    assert len(first) == BATCH_MAX_FRAMES and first[-1] == {"seq": BATCH_MAX_FRAMES}
    assert backlog[0] == f'{{"seq":{BATCH_MAX_FRAMES + 1}}}'
