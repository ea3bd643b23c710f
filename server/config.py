"""Twelve-factor configuration: read once from the environment (see the README's table)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings

from .domain import Limits

COUNTRIES = ("NO", "SE")  # whose enforcement body the accessibility statement names


@dataclass(frozen=True, slots=True)
class AccessibilityContact:
    """Who answers for Tavla's accessibility where it is hosted. Empty until the hosting
    organisation sets it; the statement then says that no contact is set up yet."""

    organisation: str = ""
    email: str = ""
    url: str = ""
    country: str = ""  # "NO", "SE", or "" to name both enforcement bodies


def parse_accessibility(organisation: str, email: str, url: str, country: str) -> AccessibilityContact:
    """Checked at start-up, so a typo stops the server with a message instead of publishing a
    statement whose contact does not work."""
    email, url, country = email.strip(), url.strip(), country.strip().upper()
    if email and (email.count("@") != 1 or any(c.isspace() for c in email) or email.startswith(("@", "mailto:"))):
        raise ValueError(f"ACCESSIBILITY_EMAIL: expected an e-mail address, got {email!r}")
    if url and not url.startswith(("https://", "http://")):
        raise ValueError(f"ACCESSIBILITY_URL: expected an https:// address, got {url!r}")
    if country and country not in COUNTRIES:
        raise ValueError(f"ACCESSIBILITY_COUNTRY: expected NO or SE (or nothing for both), got {country!r}")
    return AccessibilityContact(organisation=organisation.strip(), email=email, url=url, country=country)


@dataclass(frozen=True, slots=True)
class Settings:
    redis_url: str | None = None
    # Sentinel instead of one fixed Redis: where the Sentinels are and the service they watch.
    redis_sentinels: tuple[tuple[str, int], ...] = ()
    redis_service: str = "tavla"
    # Acknowledge an op only once this many replicas have it (Redis WAIT), waiting at most
    # `redis_wait_ms`; 0 = acknowledge after the primary's append (asynchronous replication).
    redis_min_replicas: int = 0
    redis_wait_ms: int = 200
    host: str = "127.0.0.1"
    port: int = 8000
    room_ttl_s: int = 30 * 24 * 3600
    allowed_origins: tuple[str, ...] = ()
    log_keep: int = 10_000
    snapshot_every: int = 200
    ops_per_second: float = 20.0
    ops_burst: int = 60
    send_queue: int = 2_000
    send_timeout_s: float = 10.0
    hello_timeout_s: float = 10.0
    shutdown_grace_s: float = 20.0
    rooms_per_hour: int = 30
    unknown_codes_per_minute: int = 30
    connections_per_address: int = 400
    # Peers whose X-Forwarded-For / X-Forwarded-Proto are believed: the reverse proxy's
    # addresses (or networks). Anyone else's are ignored, so no client picks its own address
    # for the per-address limits.
    forwarded_allow_ips: str = "127.0.0.1,::1"
    identities_per_minute: int = 120
    # A comment on every fallback event stream this often, so proxies see it alive.
    stream_heartbeat_s: float = 15.0
    # The accessibility statement's contact, filled in by the hosting organisation (README).
    accessibility: AccessibilityContact = field(default_factory=AccessibilityContact)
    # The time zone a session's date is told in (results page and exports): an IANA name.
    time_zone: str = "Europe/Oslo"
    limits: Limits = field(default_factory=Limits)
    # Prototype photos (server/photo_edge.py): the most one upload may be (the browser sends a
    # ~300 KB JPEG; a phone that cannot downscale sends its original), the most photos and
    # stored bytes a room keeps, uploads per person per minute, and pixels an upload may claim.
    photo_upload_bytes: int = 10 * 1024 * 1024
    photos_per_room: int = 40
    photo_bytes_per_room: int = 24 * 1024 * 1024
    photos_per_minute: int = 12
    photo_max_pixels: int = 25_000_000


def load_settings(config: Config | None = None) -> Settings:
    env = config or Config(environ=os.environ)
    return Settings(
        redis_url=env("REDIS_URL", default=None) or None,
        redis_sentinels=parse_sentinels(env("REDIS_SENTINELS", default="")),
        redis_service=env("REDIS_SERVICE", default="tavla"),
        redis_min_replicas=env("REDIS_MIN_REPLICAS", cast=int, default=0),
        redis_wait_ms=env("REDIS_WAIT_MS", cast=int, default=200),
        host=env("HOST", default="127.0.0.1"),
        port=env("PORT", cast=int, default=8000),
        room_ttl_s=env("ROOM_TTL_SECONDS", cast=int, default=30 * 24 * 3600),
        allowed_origins=tuple(env("ALLOWED_ORIGINS", cast=CommaSeparatedStrings, default="")),
        log_keep=env("LOG_KEEP_EVENTS", cast=int, default=10_000),
        snapshot_every=env("SNAPSHOT_EVERY", cast=int, default=200),
        ops_per_second=env("OPS_PER_SECOND", cast=float, default=20.0),
        ops_burst=env("OPS_BURST", cast=int, default=120),
        send_queue=env("SEND_QUEUE_FRAMES", cast=int, default=2_000),
        send_timeout_s=env("SEND_TIMEOUT_SECONDS", cast=float, default=10.0),
        hello_timeout_s=env("HELLO_TIMEOUT_SECONDS", cast=float, default=10.0),
        shutdown_grace_s=env("SHUTDOWN_GRACE_SECONDS", cast=float, default=20.0),
        rooms_per_hour=env("ROOMS_PER_HOUR", cast=int, default=30),
        unknown_codes_per_minute=env("UNKNOWN_CODES_PER_MINUTE", cast=int, default=30),
        connections_per_address=env("CONNECTIONS_PER_ADDRESS", cast=int, default=400),
        forwarded_allow_ips=env("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1"),
        identities_per_minute=env("IDENTITIES_PER_MINUTE", cast=int, default=120),
        stream_heartbeat_s=env("STREAM_HEARTBEAT_SECONDS", cast=float, default=15.0),
        accessibility=parse_accessibility(
            organisation=env("ACCESSIBILITY_ORGANISATION", default=""),
            email=env("ACCESSIBILITY_EMAIL", default=""),
            url=env("ACCESSIBILITY_URL", default=""),
            country=env("ACCESSIBILITY_COUNTRY", default=""),
        ),
        time_zone=env("TIME_ZONE", default="Europe/Oslo"),
        photo_upload_bytes=env("MAX_PHOTO_UPLOAD_BYTES", cast=int, default=10 * 1024 * 1024),
        photos_per_room=env("MAX_PHOTOS_PER_ROOM", cast=int, default=40),
        photo_bytes_per_room=env("MAX_PHOTO_BYTES_PER_ROOM", cast=int, default=24 * 1024 * 1024),
        photos_per_minute=env("PHOTOS_PER_MINUTE", cast=int, default=12),
        photo_max_pixels=env("MAX_PHOTO_PIXELS", cast=int, default=25_000_000),
        limits=Limits(
            note_text=(note_text := env("MAX_NOTE_TEXT", cast=int, default=500)),
            area_title=max(note_text, 80),  # a note carried in as an area keeps its whole text
            notes_per_room=env("MAX_NOTES_PER_ROOM", cast=int, default=2000),
            participants_per_room=env("MAX_PARTICIPANTS_PER_ROOM", cast=int, default=300),
            clusters_per_room=env("MAX_CLUSTERS_PER_ROOM", cast=int, default=300),
        ),
    )


def parse_sentinels(value: str) -> tuple[tuple[str, int], ...]:
    """`host:port,host:port` (spaces allowed) as address pairs; a bad entry stops start-up with
    a message that names it, rather than a server that cannot find its store."""
    addresses = []
    for item in CommaSeparatedStrings(value):
        host, sep, port = item.strip().rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"REDIS_SENTINELS: expected host:port, got {item.strip()!r}")
        addresses.append((host.strip("[]"), int(port)))
    return tuple(addresses)
