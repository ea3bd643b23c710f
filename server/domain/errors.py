"""Every reason the server refuses something, as one enum: the wire carries the values.

A refusal about a thing says which kind of thing in `params["what"]` (a `What`), so people read
"That group no longer exists", not a sentence about notes (messages in `server.i18n`).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"  # bad schema or value; params: field
    TOO_LONG = "too_long"  # params: field, max
    NOT_FOUND = "not_found"  # params: id, what
    EXISTS = "exists"  # params: id, what
    FORBIDDEN = "forbidden"
    LIMIT = "limit"  # params: max, what
    ROOM_FULL = "room_full"  # params: max
    PHASE = "phase"  # params: phase
    LOCKED = "locked"
    VOTE_BUDGET = "vote_budget"  # params: budget
    VOTE_LIMIT = "vote_limit"  # params: max
    UNKNOWN_OP = "unknown_op"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"
    BUSY = "busy"
    GONE = "gone"
    PROTOCOL = "protocol"
    NAME_REQUIRED = "name_required"
    REMOVED = "removed"  # this identity was removed or turned away; it cannot join again
    JOIN_LIMITED = "join_limited"  # too many new identities from one address in a minute
    WAITING = "waiting"  # an op from someone still in the "ask to join" lobby
    EVALUATION_CLOSED = "evaluation_closed"  # an answer while the evaluation is not open (t14e)
    ROUND_IN_USE = "round_in_use"  # params: round; a round with notes (or the active one) cannot go


class What(StrEnum):
    """The kind of thing a `not_found`, `exists` or `limit` is about."""

    NOTE = "note"
    GROUP = "group"
    PERSON = "person"
    IDEA = "idea"  # a dot's target: a note or a group
    DOT = "dot"  # a dot of one's own, to take back
    PARTICIPANT_GROUP = "participant_group"  # a group the facilitator wants to hear from
    OWNER = "owner"  # an idea's owner in the report back
    ROUND = "round"  # a round of the session's plan
    AREA = "area"  # an area of a round's board
