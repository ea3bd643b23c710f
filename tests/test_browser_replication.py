"""The board while the store cannot promise anything (WAIT mode, the replica gone): the page
says that changes are waiting, keeps them, and sends them once when the replica is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.browser import SIZES, add_note, browser, contexts, join, open_page, shot  # noqa: F401 (fixtures)
from tests.support.servers import RedisServer, ReplicaServer, TavlaServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.fixture
def replicated() -> Iterator[tuple[RedisServer, ReplicaServer, TavlaServer]]:
    primary = RedisServer().start()
    replica = ReplicaServer(primary).start()
    tavla = TavlaServer(primary.url, REDIS_MIN_REPLICAS="1", REDIS_WAIT_MS="200").start()
    yield primary, replica, tavla
    tavla.stop()
    replica.stop()
    primary.stop()


def test_changes_wait_visibly_while_nothing_can_be_saved(
        browser: Browser, contexts: list[BrowserContext],  # noqa: F811
        replicated: tuple[RedisServer, ReplicaServer, TavlaServer]) -> None:
    _, replica, tavla = replicated
    room = tavla.create_room(language="nb")
    page = open_page(browser, contexts, room["urls"]["participant"])
    join(page, "Kari", "Helse")
    watcher = open_page(browser, contexts, room["urls"]["participant"])
    join(watcher, "Ola")

    replica.kill()
    add_note(page, "Venter på lagring")
    status = page.locator("#connection-status")
    expect(status).to_have_attribute("data-status", "unsaved", timeout=15_000)
    expect(page.locator("#connection-text")).to_contain_text("1")
    expect(page.locator("[data-note-id]")).to_have_count(1)  # still on the author's board
    for name in SIZES:
        shot(page, f"waiting-{name}", "replication", size=name)

    replica.start()
    expect(status).to_have_attribute("data-status", "connected", timeout=30_000)
    expect(watcher.locator("[data-note-id]")).to_have_count(1, timeout=15_000)
    expect(page.locator("[data-note-id]")).to_have_count(1)
    assert page.evaluate(f"localStorage.getItem('tavla:{room['code']}:outbox')") in (None, "[]")
    assert not page.errors  # type: ignore[attr-defined]
