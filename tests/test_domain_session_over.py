"""When the workshop is over (the participants' link then opens on the report back): only at the
end of the last round, never because the results were published early."""

from __future__ import annotations

from server.domain.model import Phase
from server.domain.commands import PhaseSet, ResultsPublish, RoundGo
from server.domain.report import session_over
from tests.support.domain import commit
from tests.test_domain_rounds import FACI, blt, room


def test_results_published_after_round_one_do_not_end_the_session() -> None:
    state = blt()
    commit(state, FACI, PhaseSet("results"))
    commit(state, FACI, ResultsPublish(True))
    assert not session_over(state)  # round 1 of 3, in its results
    commit(state, FACI, RoundGo("solution"))
    assert state.room.results_published and not session_over(state)
    commit(state, FACI, RoundGo("test"))
    commit(state, FACI, PhaseSet("vote"))
    assert not session_over(state)  # the last round, still voting
    commit(state, FACI, PhaseSet("results"))
    assert session_over(state)


def test_a_session_of_one_round_is_over_in_its_results() -> None:
    state = room()
    commit(state, FACI, PhaseSet("write"))
    assert not session_over(state)
    commit(state, FACI, PhaseSet("results"))
    assert state.room.phase is Phase.RESULTS and session_over(state)
