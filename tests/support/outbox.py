"""A test client with the browser's outbox (client/connection.js): an op is kept until it is
acknowledged and sent again with the same op id after `unavailable`/`busy`, after an answer
that does not come, and after a reconnect, so the server's idempotency table is what keeps
it from being applied twice."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import websockets

from tests.support.client import Participant

RETRYABLE = {"unavailable", "busy", "rate_limited"}


class Outbox:
    def __init__(self, participant: Participant, answer_timeout: float = 5.0, backoff: float = 0.25) -> None:
        self.p = participant
        self.answer_timeout = answer_timeout
        self.backoff = backoff  # what the browser waits before sending a refused op again (shorter here)
        self.refusals: list[tuple[float, str, str]] = []  # (when, op id, code)
        self.acks: list[tuple[float, str, int]] = []  # (when, op id, seq)

    async def deliver(self, op: str, op_id: str, **args: Any) -> dict[str, Any]:
        """Send until acknowledged; returns the ack. A refusal other than "not now" fails."""
        while True:
            try:
                if self.p.closed is not None or self.p.ws is None:
                    await self.p.connect()
                start = len(self.p.frames)
                await self.p.send({"type": "op", "id": op_id, "op": op, "args": args})
                answer = await self.p.wait_for(lambda: self._answer_after(start, op_id), timeout=self.answer_timeout,
                                               what=f"answer to {op_id}")
            except (AssertionError, websockets.ConnectionClosed, OSError, websockets.InvalidStatus) as exc:
                if isinstance(exc, AssertionError) and self.p.error is not None:
                    raise  # a broken invariant (a gap), not a lost answer
                await self._pause()
                continue
            if answer["type"] == "ack":
                self.acks.append((time.monotonic(), op_id, answer["seq"]))
                return answer
            assert answer["code"] in RETRYABLE, answer
            self.refusals.append((time.monotonic(), op_id, answer["code"]))
            await self._pause()

    def _answer_after(self, start: int, op_id: str) -> dict[str, Any] | None:
        if self.p.closed is not None:
            raise AssertionError("closed")  # reconnect and send again
        return next((f for f in self.p.frames[start:] if f["type"] in ("ack", "error") and f.get("id") == op_id), None)

    async def _pause(self) -> None:
        # The outbox's back-off before sending again; not a wait before an assertion.
        await asyncio.sleep(self.backoff)
