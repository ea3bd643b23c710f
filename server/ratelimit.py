"""A token bucket per connection: a steady rate with room for a burst (a participant who pastes
ten notes at once is fine; a script sending thousands is not).

Hand-written because it is ten lines and the `limits` package offers windows, not a bucket
with burst; room creation per address, which must hold across processes, uses `limits`.
"""

from __future__ import annotations

from typing import Any

from limits.errors import StorageError
from redis.exceptions import RedisError


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.updated: float | None = None

    def take(self, now: float) -> bool:
        """Spend one token if there is one; `now` in seconds from a monotonic clock."""
        if self.updated is not None:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FailOpenLimiter:
    """A `limits` rate limiter that lets a request through when its storage (Redis) cannot be
    reached, instead of failing it with a 500. During a failover the store is down too, so the
    request is then answered `unavailable` by the store call that follows; a limit is not
    worth turning an outage into server errors."""

    def __init__(self, limiter: Any) -> None:
        self._limiter = limiter

    async def hit(self, item: Any, *identifiers: str, cost: int = 1) -> bool:
        try:
            return bool(await self._limiter.hit(item, *identifiers, cost=cost))
        except (RedisError, StorageError, OSError):
            return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._limiter, name)
