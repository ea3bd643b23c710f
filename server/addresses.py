"""Client addresses as the per-address limits see them: a keyed hash, never the address.

The limits live in Redis for up to an hour (rooms per hour); keyed by the address itself, Redis
held a list of who had used Tavla. The key is HMAC-SHA256 of the address with a random secret
made once per deployment (kept in Redis, so every process computes the same key; per process
for the embedded store), cut to 128 bits: enough to keep addresses apart, and without the secret
nothing to look an address up by.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from starlette.types import Scope

SECRET_KEY = "tavla-limits:address-secret"


async def limit_secret(redis_url: str | None) -> bytes:
    """The deployment's secret for address keys: shared through Redis when there is one."""
    if not redis_url:
        return secrets.token_bytes(32)
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
    try:
        await client.set(SECRET_KEY, secrets.token_hex(32), nx=True)
        return bytes.fromhex((await client.get(SECRET_KEY)).decode())
    finally:
        await client.aclose()


def address_key(secret: bytes, address: str) -> str:
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def limit_key(scope: Scope, state: object) -> str:
    """The limit key of a request's or socket's client (after trusted proxy headers)."""
    client = scope.get("client")
    secret: bytes = state.limit_secret  # type: ignore[attr-defined]
    return address_key(secret, network_of(client[0]) if client else "unknown")


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
