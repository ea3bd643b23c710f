"""Browser fixtures and steps shared by the Playwright tests (Debian's Chromium, never a download)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from tests.support.servers import ROOT, RedisServer, TavlaServer, require

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# The three screens every browser test photographs and checks.
SIZES = {"phone": (390, 844), "laptop": (1366, 768), "projector": (1920, 1080)}
VIEWPORTS = {name: {"width": width, "height": height} for name, (width, height) in SIZES.items()}
PHONE, LAPTOP, PROJECTOR = VIEWPORTS["phone"], VIEWPORTS["laptop"], VIEWPORTS["projector"]

# Where screenshots go (ignored by git), for a person to open and judge.
ARTIFACTS = Path(os.environ.get("TAVLA_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require("chromium", "chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server() -> Iterator[TavlaServer]:
    tavla = TavlaServer().start()
    yield tavla
    tavla.stop()


@pytest.fixture(scope="module", name="server")
def server_on_redis() -> Iterator[TavlaServer]:
    """`server` for a test module that imports this one instead: Tavla on a real redis-server."""
    redis = RedisServer().start()
    tavla = TavlaServer(redis.url).start()
    yield tavla
    tavla.stop()
    redis.stop()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_page(browser: Browser, contexts: list[BrowserContext], url: str, phone: bool = False,
              view: str | None = None, size: str | None = None) -> Page:
    """A page in a fresh browser context. A phone shows the list by default; the tests written
    for the canvas say so with `view="canvas"`, which is what a phone's `phone=True` means unless
    `view="list"` (or "default", the device's own choice) is passed. `size` ("phone", "laptop",
    "projector") opens it at one of the three sizes instead (a "phone" is a phone)."""
    if size is not None:
        phone = size == "phone"
        options: dict[str, object] = {"viewport": VIEWPORTS[size]}
        if phone:
            options |= {"has_touch": True, "is_mobile": True}
    else:
        options = {"viewport": {"width": 390, "height": 800}, "has_touch": True, "is_mobile": True} if phone else {
            "viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(**options)  # type: ignore[arg-type]
    contexts.append(context)
    chosen = view or ("canvas" if phone else "default")
    if chosen in ("list", "canvas"):
        choose_view(context, chosen)
    page = watched(context.new_page(), console=True)
    page.goto(url)
    return page


def note(page: Page, note_id: str) -> Locator:
    """Note `note_id` on the board."""
    return page.locator(f'[data-note-id="{note_id}"]')


def group(page: Page, cluster_id: str) -> Locator:
    """Group `cluster_id` on the board (its box; the handle is `.cluster-handle` inside)."""
    return page.locator(f'[data-cluster-id="{cluster_id}"]')


def join(page: Page, name: str, department: str = "") -> None:
    page.locator("#join-name").fill(name)
    page.locator("#join-department").fill(department)
    page.locator("#join-submit").click()
    expect(page.locator("#connection-status")).to_have_attribute("data-status", "connected")


def add_note(page: Page, text: str) -> None:
    """By id, so it works in every language (the English names are checked in the first test)."""
    page.locator("#add-note").click()
    page.locator("#note-text").fill(text)
    page.locator("#note-save").click()


def start_phase(page: Page, phase: str) -> None:
    """On a facilitator's page: open the facilitation panel if it is closed (as on a phone),
    choose `phase`, and wait until the server has it."""
    toggle = page.locator("#facilitator-toggle")
    # The panel's default (open on a laptop) is settled once the toggle is offered.
    page.wait_for_function("() => !document.getElementById('facilitator-toggle').hidden")
    if toggle.get_attribute("aria-expanded") != "true":
        open_menu(page)
        toggle.click()
    button = page.locator(f"#phase-button-{phase}")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase)
    wait_until_sent(page)


def wait_until_sent(page: Page) -> None:
    """Until the page's outbox is empty: every change it made is acknowledged by the server."""
    code = page.evaluate("document.body.dataset.code")
    page.wait_for_function(f"() => !localStorage.getItem('tavla:{code}:outbox')")


def open_menu(page: Page) -> None:
    """On a phone the session's buttons are in the header's menu: open it when it is closed."""
    menu = page.locator("#board-menu-toggle")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
        expect(page.locator("#session-toolbar")).to_be_visible()


def open_panel(page: Page, name: str) -> None:
    """Open the facilitation, ranking, hints or people panel when it is closed."""
    toggle = page.locator(f"#{name}-toggle")
    # Offered (not hidden) once the welcome says who this is; on a phone it sits in the menu.
    page.wait_for_function("id => !document.getElementById(id).hidden", arg=f"{name}-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        open_menu(page)
        expect(toggle).to_be_visible()
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator(f"#{name}-panel")).to_be_visible()


def close_panel(page: Page, name: str) -> None:
    """Close a panel that is open (on a phone it covers the board)."""
    toggle = page.locator(f"#{name}-toggle")
    if toggle.get_attribute("aria-expanded") == "true":
        open_menu(page)
        toggle.click()
    expect(page.locator(f"#{name}-panel")).to_be_hidden()


def axe_violations(page: Page) -> list[tuple[str, list[object]]]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=WCAG_21_AA)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result.response["violations"]]


def seed(server: TavlaServer, room: dict, *ops: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    """Apply ops as a facilitator named "Setup" over a plain socket (fast board set-up for a test);
    every op must be acknowledged."""
    import json

    from websockets.sync.client import connect

    with connect(f"{server.ws}/r/{room['code']}/ws") as ws:
        ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Setup", "key": room["facilitator_key"]}))
        for i, (op, args) in enumerate(ops):
            op_id = f"seed-{i}"
            ws.send(json.dumps({"type": "op", "id": op_id, "op": op, "args": args}))
            while (frame := json.loads(ws.recv(timeout=10))).get("id") != op_id:
                pass
            assert frame["type"] == "ack", (op, args, frame)


def device(size: str, reduced_motion: bool = True) -> dict[str, object]:
    """Browser-context options for one of the three sizes: a phone is touch and mobile."""
    phone = size == "phone"
    options: dict[str, object] = {"viewport": VIEWPORTS[size], "has_touch": phone, "is_mobile": phone}
    if reduced_motion:
        options["reduced_motion"] = "reduce"
    return options


def watched(page: Page, console: bool = False) -> Page:
    """`page.errors` collects the page's script errors (and console errors with `console`)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if console:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def choose_view(context: BrowserContext, view: str) -> None:
    """The board's view ("list" or "canvas") this browser starts in, unless it has chosen one."""
    context.add_init_script(f"localStorage.getItem('tavla:view') || localStorage.setItem('tavla:view', '{view}')")


def page_at(browser: Browser, contexts: list[BrowserContext], url: str | None, size: str,
            frames: list[str] | None = None, view: str | None = None, reduced_motion: bool = True) -> Page:
    """A page at one of the three sizes; `frames` collects every websocket frame it receives;
    `view` ("canvas" or "list") the board's view chosen on this device (else the device's own).
    With `url=None` the page is left blank for the caller to open."""
    context = browser.new_context(**device(size, reduced_motion))  # type: ignore[arg-type]
    contexts.append(context)
    if view:
        choose_view(context, view)
    page = watched(context.new_page())
    if frames is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    if url is not None:
        page.goto(url)
    return page


def shot(page: Page, name: str, prefix: str = "", size: str | None = None, full_page: bool = False) -> Path:
    """Save a screenshot of the page (at `size` first, if given) as test-artifacts/<prefix>-<name>.png."""
    if size is not None:
        page.set_viewport_size(VIEWPORTS[size])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (f"{prefix}-{name}.png" if prefix else f"{name}.png")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def shooter(prefix: str) -> Callable[..., Path]:
    """`shot` for one test file: every name it saves starts with `prefix`."""
    return partial(shot, prefix=prefix)


def assert_accessible(page: Page, what: str) -> None:
    """axe finds no WCAG 2.1 A/AA violation on the page as it is now (`what` names the screen)."""
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def list_row(page: Page, text: str) -> Locator:
    """The note with `text` in the board's list view."""
    return page.locator("[data-list-note]", has=page.locator(".list-note-text", has_text=text))


def list_share(page: Page) -> float:
    """How much of the viewport's height the list of notes shows (its visible rectangle)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => {
            const r = document.getElementById('list-body').getBoundingClientRect();
            const seen = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
            return Math.max(0, seen) / innerHeight;
        }"""
    )
