"""Refusals say what they are about: one code per reason, and a message that names the thing."""

from __future__ import annotations

import json
import re

import pytest

from server.domain import Actor, ErrorCode, Refused, Role, State, apply_event, decide, initial_state
from server.domain.commands import ClusterCreate, ClusterMerge, NoteGroup, RoleGrant, VoteRetract
from server.i18n import ERROR_MESSAGES, THING_MESSAGES, Translations
from tests.golden import generate
from tests.golden.replay import LIMITS, decode_log
from tests.support.client import Participant
from tests.support.servers import TavlaServer

TRANSLATIONS = Translations()


def test_every_code_has_a_message_and_nothing_else_does() -> None:
    """The enum is the one list of codes: each has an English message, and no message lacks a code."""
    assert set(ERROR_MESSAGES) == {code.value for code in ErrorCode}
    assert {code for code, _ in THING_MESSAGES} <= set(ERROR_MESSAGES)


def test_an_unknown_code_cannot_be_refused_with() -> None:
    """A typo in a refusal fails where it is made, not as a raw code on someone's screen."""
    with pytest.raises(ValueError):
        Refused("not_fuond")


@pytest.mark.parametrize("language", ["nb", "sv"])
@pytest.mark.parametrize("key", sorted(THING_MESSAGES), ids="-".join)
def test_every_thing_message_is_translated_with_the_same_placeholders(language: str, key: tuple[str, str]) -> None:
    english = THING_MESSAGES[key]
    translated = TRANSLATIONS.get(language).gettext(english)
    assert translated != english
    placeholders = re.compile(r"%\((\w+)\)s")
    assert sorted(placeholders.findall(translated)) == sorted(placeholders.findall(english))


def _state_of(name: str) -> State:
    """The room at the end of a golden history."""
    events = decode_log(json.loads((generate.HERE / f"{name}.json").read_text())["log"])
    state = initial_state(events[0])
    for event in events[1:]:
        apply_event(state, event)
    return state


@pytest.mark.parametrize(
    ("golden", "actor", "command", "message"),
    [
        ("groups", Actor("p_kari", Role.PARTICIPANT), NoteGroup("n1", "g_gone"), "Den gruppen finnes ikke lenger."),
        ("groups", Actor("p_faci", Role.FACILITATOR), ClusterMerge("g1", "g_gone"), "Den gruppen finnes ikke lenger."),
        ("groups", Actor("p_kari", Role.PARTICIPANT), ClusterCreate("g1", "Igjen", 5, 5), "Den gruppen finnes allerede."),
        ("groups", Actor("p_kari", Role.PARTICIPANT), ClusterCreate("n1", "Igjen", 5, 5), "Den lappen finnes allerede."),
        ("roles", Actor("p_ola", Role.FACILITATOR), RoleGrant("p_nobody", "coach"), "Den personen er ikke med i denne økten."),
        ("votes", Actor("p_ola", Role.PARTICIPANT), VoteRetract("n1"), "Du har ingen prikk der å ta tilbake."),
    ],
)
def test_refusals_name_the_kind_of_thing(golden: str, actor: Actor, command: object, message: str) -> None:
    """Grouping into a deleted group says "group", not "note"; a missing person says "person"."""
    refused = decide(_state_of(golden), actor, command, 0, LIMITS)  # type: ignore[arg-type]
    assert isinstance(refused, Refused)
    assert TRANSLATIONS.get("nb").error(refused.code, refused.detail) == message


async def test_error_frame_carries_what_the_refusal_is_about(tavla: TavlaServer) -> None:
    """Over the socket, a refusal about a group says so in words and in `params.what`."""
    room = tavla.create_room(phase="cluster")
    kari = Participant(tavla.ws, room["code"], "Kari")
    await kari.connect()
    assert (await kari.create_note("n1"))["type"] == "ack"
    answer = await kari.op("note.group", id="n1", cluster="g_gone")
    assert answer["code"] == "not_found" and answer["message"] == "That group no longer exists."
    assert answer["params"] == {"id": "g_gone", "what": "group"}
    await kari.close()
