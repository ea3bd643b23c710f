"""Session templates: a plan of rounds (each with its prompt, areas and phases), in the room's
language. "Behov – Løsning – Test" is three rounds, as Bærum's BLT model runs; the others are
one round.

The texts are content the facilitator starts from (and may change), not interface strings, so
they live with the domain rather than in the gettext catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import events as ev
from .layout import columns


@dataclass(frozen=True, slots=True)
class AreaSpec:
    id: str
    x: float
    y: float
    w: float
    h: float
    title: dict[str, str]


@dataclass(frozen=True, slots=True)
class RoundSpec:
    id: str
    title: dict[str, str]
    prompt: dict[str, str]
    areas: tuple[AreaSpec, ...] = ()
    phases: tuple[str, ...] = ("write", "cluster", "vote", "results")
    timer_ms: int = 0
    # Whether the round starts with private writing on: everyone writes on their own first and
    # the facilitator reveals (BLT's rounds do; a blank board leaves it to the facilitator).
    private_writing: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    name: dict[str, str]
    prompt: dict[str, str]
    areas: tuple[AreaSpec, ...]
    rounds: tuple[RoundSpec, ...] = ()  # none: one round from `prompt` and `areas`

    def plan(self, language: str) -> list[ev.RoundData]:
        """The rounds a new session from this template starts with, in `language`."""
        specs = self.rounds or (RoundSpec("r1", {} if not self.areas else self.name, self.prompt, self.areas),)
        return [
            ev.RoundData(
                spec.id,
                spec.title.get(language) or round_title(language, number),
                spec.prompt.get(language, ""),
                [ev.AreaData(a.id, a.title[language], a.x, a.y, a.w, a.h) for a in spec.areas],
                list(spec.phases),
                spec.timer_ms,
                private_writing=spec.private_writing and "write" in spec.phases,
            )
            for number, spec in enumerate(specs, start=1)
        ]


def _columns(ids: list[str], titles: list[dict[str, str]]) -> tuple[AreaSpec, ...]:
    """Equal columns across the board, with a margin (a user journey's stages left to right)."""
    return tuple(
        AreaSpec(area_id, box.x, box.y, box.w, box.h, title)
        for area_id, title, box in zip(ids, titles, columns(len(ids)), strict=True)
    )


TEMPLATES: dict[str, Template] = {
    "blank": Template(
        name={"nb": "Tom tavle", "sv": "Tom tavla", "en": "Blank board"},
        prompt={"nb": "", "sv": "", "en": ""},
        areas=(),
    ),
    "need-solution-test": Template(
        name={"nb": "Behov – Løsning – Test", "sv": "Behov – Lösning – Test", "en": "Need – Solution – Test"},
        prompt={
            "nb": "Hva trenger brukeren egentlig?",
            "sv": "Vad behöver användaren egentligen?",
            "en": "What does the user really need?",
        },
        areas=(),
        rounds=(
            RoundSpec(
                "need",
                title={"nb": "Behov", "sv": "Behov", "en": "Need"},
                prompt={
                    "nb": "Hva trenger brukeren egentlig? Skriv ett behov per lapp, med brukerens ord.",
                    "sv": "Vad behöver användaren egentligen? Skriv ett behov per lapp, med användarens ord.",
                    "en": "What does the user really need? One need per note, in the user's words.",
                },
                areas=_columns(
                    ["today", "needs"],
                    [
                        {"nb": "Slik opplever brukeren det i dag", "sv": "Så upplever användaren det i dag",
                         "en": "How the user experiences it today"},
                        {"nb": "Det brukeren trenger", "sv": "Det användaren behöver", "en": "What the user needs"},
                    ],
                ),
                timer_ms=10 * 60 * 1000,
                private_writing=True,
            ),
            RoundSpec(
                "solution",
                title={"nb": "Løsning", "sv": "Lösning", "en": "Solution"},
                prompt={
                    "nb": "Hvilke løsninger kan møte de viktigste behovene?",
                    "sv": "Vilka lösningar kan möta de viktigaste behoven?",
                    "en": "Which solutions could meet the most important needs?",
                },
                areas=_columns(
                    ["small", "new"],
                    [
                        {"nb": "Små forbedringer", "sv": "Små förbättringar", "en": "Small improvements"},
                        {"nb": "Nye måter å gjøre det på", "sv": "Nya sätt att göra det", "en": "New ways of doing it"},
                    ],
                ),
                timer_ms=10 * 60 * 1000,
                private_writing=True,
            ),
            RoundSpec(
                "test",
                title={"nb": "Test", "sv": "Test", "en": "Test"},
                prompt={
                    "nb": "Hvordan kan vi teste løsningen i det små, og hvordan vet vi at den virker?",
                    "sv": "Hur kan vi testa lösningen i liten skala, och hur vet vi att den fungerar?",
                    "en": "How could we test the solution on a small scale, and how will we know it works?",
                },
                areas=_columns(
                    ["what", "who", "how"],
                    [
                        {"nb": "Hva vi tester", "sv": "Vad vi testar", "en": "What we test"},
                        {"nb": "Hvem vi tester med", "sv": "Vilka vi testar med", "en": "Who we test with"},
                        {"nb": "Slik vet vi at det virker", "sv": "Så vet vi att det fungerar", "en": "How we know it works"},
                    ],
                ),
                phases=("write", "cluster", "results"),
                timer_ms=15 * 60 * 1000,
                private_writing=True,
            ),
        ),
    ),
    # The three BLT areas side by side on one board, in one round: what "need-solution-test" was
    # before rounds. Not offered on the landing page; the API still creates it, for a short
    # session that wants the whole model on one board (and the tests of areas use it).
    "need-solution-test-board": Template(
        name={"nb": "Behov – Løsning – Test på én tavle", "sv": "Behov – Lösning – Test på en tavla",
              "en": "Need – Solution – Test on one board"},
        prompt={
            "nb": "Hva trenger brukeren egentlig, og hvordan kan vi teste en løsning i det små?",
            "sv": "Vad behöver användaren egentligen, och hur kan vi testa en lösning i liten skala?",
            "en": "What does the user really need, and how could we test a solution on a small scale?",
        },
        areas=_columns(
            ["need", "solution", "test"],
            [
                {"nb": "Brukerens behov", "sv": "Användarens behov", "en": "The user's needs"},
                {"nb": "Ideer til løsninger", "sv": "Idéer till lösningar", "en": "Ideas for solutions"},
                {"nb": "Slik tester vi i det små", "sv": "Så testar vi i liten skala", "en": "How we test it small"},
            ],
        ),
    ),
    "works-doesnt": Template(
        name={
            "nb": "Hva fungerer / hva fungerer ikke",
            "sv": "Vad fungerar / vad fungerar inte",
            "en": "What works / what doesn't",
        },
        prompt={
            "nb": "Hva fungerer i dag, hva fungerer ikke, og hva kan vi gjøre annerledes?",
            "sv": "Vad fungerar i dag, vad fungerar inte, och vad kan vi göra annorlunda?",
            "en": "What works today, what does not, and what could we do differently?",
        },
        areas=_columns(
            ["works", "doesnt", "ideas"],
            [
                {"nb": "Dette fungerer", "sv": "Det här fungerar", "en": "What works"},
                {"nb": "Dette fungerer ikke", "sv": "Det här fungerar inte", "en": "What does not work"},
                {"nb": "Ideer", "sv": "Idéer", "en": "Ideas"},
            ],
        ),
    ),
    "user-journey": Template(
        name={"nb": "Brukerreise", "sv": "Användarresa", "en": "User journey"},
        prompt={
            "nb": "Hva opplever brukeren på hvert steg, og hvor skjer det noe som ikke fungerer?",
            "sv": "Vad upplever användaren i varje steg, och var händer det något som inte fungerar?",
            "en": "What does the user experience at each stage, and where do things go wrong?",
        },
        areas=_columns(
            ["aware", "apply", "wait", "receive", "after"],
            [
                {"nb": "Blir kjent med tilbudet", "sv": "Får veta om tjänsten", "en": "Finds out"},
                {"nb": "Søker", "sv": "Ansöker", "en": "Applies"},
                {"nb": "Venter", "sv": "Väntar", "en": "Waits"},
                {"nb": "Får tjenesten", "sv": "Får tjänsten", "en": "Receives the service"},
                {"nb": "Etterpå", "sv": "Efteråt", "en": "Afterwards"},
            ],
        ),
    ),
}


_ROUND_WORD = {"nb": "Runde", "sv": "Omgång", "en": "Round"}


def round_title(language: str, number: int) -> str:
    """A round's title when nobody gave it one (an old session's only round)."""
    return f"{_ROUND_WORD.get(language, _ROUND_WORD['en'])} {number}"
