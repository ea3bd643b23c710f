"""Client addresses as the per-address limits see them: a keyed hash, never the address.

The limits live in Redis for up to an hour (rooms per hour); keyed by the address itself, Redis
held a list of who had used Tavla. The key is HMAC-SHA256 of the address with a random secret
made once per deployment (kept in Redis, so every process computes the same key; per process
for the embedded store, or while Redis has not answered yet), cut to 128 bits: enough to keep
addresses apart, and without the secret nothing to look an address up by.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import secrets

from starlette.types import Scope

from .config import Settings

SECRET_KEY = "tavla-limits:address-secret"


class LimitSecret:
    """The deployment's secret for address keys, shared through Redis when there is one.

    Until Redis has answered (a process may start before its Redis), a secret of this process
    stands in: limits then hold per process, and become shared once the secret is fetched.
    """

    def __init__(self) -> None:
        self.value = secrets.token_bytes(32)

    async def share(self, settings: Settings) -> None:
        """Fetch (or make) the shared secret, retrying with backoff until Redis answers (the
        primary the Sentinels name, when there are Sentinels)."""
        import redis.asyncio as aioredis
        from redis.exceptions import RedisError

        from .store.redis_store import sentinel_client

        backoff = 0.5
        while True:
            if settings.redis_sentinels:
                client = sentinel_client(settings.redis_sentinels, settings.redis_service)[1]
            else:
                client = aioredis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
            try:
                await client.set(SECRET_KEY, secrets.token_hex(32), nx=True)
                self.value = bytes.fromhex((await client.get(SECRET_KEY)).decode())
                return
            except (RedisError, OSError):
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                await client.aclose()


def address_key(secret: bytes, address: str) -> str:
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def limit_key(scope: Scope, state: object) -> str:
    """The limit key of a request's or socket's client (after trusted proxy headers)."""
    client = scope.get("client")
    secret: LimitSecret = state.limit_secret  # type: ignore[attr-defined]
    return address_key(secret.value, network_of(client[0]) if client else "unknown")


def network_of(address: str) -> str:
    """What one client is, for a limit: an IPv4 address, or an IPv6 /64 (one household or
    phone gets a whole /64 and may pick any address in it, so per address would be no limit)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
