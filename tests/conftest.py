"""Fixtures that start real things: redis-server and Tavla processes on free ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.servers import RedisServer, TavlaServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def tavla() -> Iterator[TavlaServer]:
    """One Tavla process with the embedded store."""
    server = TavlaServer().start()
    yield server
    server.stop()


@pytest.fixture
def tavla_pair(redis_server: RedisServer) -> Iterator[tuple[TavlaServer, TavlaServer]]:
    """Two Tavla processes sharing one Redis."""
    servers = (TavlaServer(redis_server.url).start(), TavlaServer(redis_server.url).start())
    yield servers
    for server in servers:
        server.stop()
