"""The closing evaluation: fixed questions on a 1–5 scale and one line of text, anonymous.

Pure, like every rule. The state keeps each answer under the id of the person who gave it, and
only for one reason: a second answer from the same person (another device with the same token)
replaces the first, so everyone counts once, also after a replay. Nothing that leaves the
server pairs an answer with a person or with the order answers came in: staff are sent a
`Summary` (counts per value, how many answered, the median, and the text lines sorted
alphabetically); the person who answered is sent their own answer, to change it; everyone else
learns nothing (docs/architecture.md, "The closing evaluation").

Small numbers: with fewer than `MIN_ANSWERS` answers nothing but the number of answers is
shown (a distribution of one or two answers is those people's answers), and the same goes for a
question fewer than `MIN_ANSWERS` people answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Evaluation, EvaluationAnswer

# The questions, in the order they are asked (their words are in the client and the templates).
QUESTIONS = ("clear", "heard", "outcome")
SCALE = (1, 2, 3, 4, 5)
MIN_ANSWERS = 3


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    id: str
    answered: int  # how many people gave this question a score
    counts: list[int] | None  # people per value 1..5; None while fewer than MIN_ANSWERS answered it
    median: float | None  # None likewise


@dataclass(frozen=True, slots=True)
class Summary:
    """What staff may see of the evaluation: never a person, never an order."""

    open: bool
    answers: int  # people who answered (each once)
    shown: bool  # False while fewer than MIN_ANSWERS people answered: only `answers` is told
    questions: list[QuestionSummary] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the text lines, sorted (not in answering order)
    min_answers: int = MIN_ANSWERS

    def as_dict(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "answers": self.answers,
            "shown": self.shown,
            "min_answers": self.min_answers,
            "questions": [{"id": q.id, "answered": q.answered, "counts": q.counts, "median": q.median}
                          for q in self.questions],
            "texts": list(self.texts),
        }


def summarise(evaluation: Evaluation) -> Summary:
    """The distributions and text lines of `evaluation`, as staff and the exports see them."""
    answers = list(evaluation.answers.values())
    if len(answers) < MIN_ANSWERS:
        return Summary(evaluation.open, len(answers), False)
    questions = [_question(q, answers) for q in QUESTIONS]
    # Sorted, so the list says nothing about who answered first or last.
    texts = sorted((a.text for a in answers if a.text), key=lambda text: (text.casefold(), text))
    return Summary(evaluation.open, len(answers), True, questions, texts)


def _question(question: str, answers: list[EvaluationAnswer]) -> QuestionSummary:
    scores = [a.scores[question] for a in answers if question in a.scores]
    if len(scores) < MIN_ANSWERS:
        return QuestionSummary(question, len(scores), None, None)
    counts = [scores.count(value) for value in SCALE]
    return QuestionSummary(question, len(scores), counts, median(scores))


def median(scores: list[int]) -> float:
    """The middle score (the mean of the two middle ones for an even count)."""
    ordered = sorted(scores)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def answer_view(answer: EvaluationAnswer | None) -> dict[str, Any] | None:
    """One's own answer as sent to oneself (and only to oneself)."""
    if answer is None:
        return None
    return {"scores": dict(answer.scores), "text": answer.text}
