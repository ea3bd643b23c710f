"""Session templates: areas on the board and a first prompt, in the room's language.

The texts are content the facilitator starts from (and may change), not interface strings, so
they live with the domain rather than in the gettext catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import BOARD_HEIGHT, BOARD_WIDTH


@dataclass(frozen=True, slots=True)
class AreaSpec:
    id: str
    x: float
    y: float
    w: float
    h: float
    title: dict[str, str]


@dataclass(frozen=True, slots=True)
class Template:
    name: dict[str, str]
    prompt: dict[str, str]
    areas: tuple[AreaSpec, ...]


def _columns(ids: list[str], titles: list[dict[str, str]]) -> tuple[AreaSpec, ...]:
    """Equal columns across the board, with a margin."""
    margin, gap = 40, 40
    width = (BOARD_WIDTH - 2 * margin - gap * (len(ids) - 1)) / len(ids)
    return tuple(
        AreaSpec(area_id, margin + i * (width + gap), margin, width, BOARD_HEIGHT - 2 * margin, title)
        for i, (area_id, title) in enumerate(zip(ids, titles, strict=True))
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
