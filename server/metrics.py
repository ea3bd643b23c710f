"""Prometheus metrics of one process, served at /metrics.

A registry per app (made in the lifespan, not at import), so tests and several apps in one
process never share counters. Labels carry op names and outcome codes only: never a room code,
a name or any text.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# (kind, reason) of every welcome; `rooms.Hub.welcome` says when each happens.
WELCOME_KINDS = (
    ("state", "no_since"),  # a first visit, or a client that lost its seq
    ("state", "trimmed"),  # the log no longer reaches back to since + 1
    ("state", "role_change"),  # the viewer's own role changed since then
    ("state", "round_change"),  # the active round (its whole board) or the plan changed since then
    ("state", "evaluation"),  # staff: an evaluation answer since then (its summary is as of then)
    ("state", "other"),  # since is past the head (the log was lost), or the replay could not be built
    ("events", "replay"),  # a resume: exactly the missed events
)
TRANSPORTS = ("websocket", "sse")
_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.connections = Gauge("tavla_connections", "Open connections, by transport: websocket, or sse "
                                 "(the HTTP fallback)", ["transport"], registry=r)
        for transport in TRANSPORTS:  # both series from the start, at 0
            self.connections.labels(transport)
        self.rooms = Gauge("tavla_rooms_live", "Rooms with a replica in this process", registry=r)
        self.ops = Counter("tavla_ops_total", "Ops received, by op and outcome", ["op", "outcome"], registry=r)
        self.fanout = Histogram("tavla_fanout_seconds", "From an event's arrival in this process to its "
                                "frames being queued for every local recipient", buckets=_LATENCY_BUCKETS, registry=r)
        self.store = Histogram("tavla_store_seconds", "Store calls on the op path", ["call"],
                               buckets=_LATENCY_BUCKETS, registry=r)
        self.welcomes = Counter("tavla_welcomes_total", "Welcomes by kind: state (snapshot) or events (resume), "
                                "and why: a state for no_since, trimmed, role_change, round_change, evaluation or other; "
                                "events for a replay",
                                ["kind", "reason"], registry=r)
        # Every pair from the start, at 0: an alert on `reason="other"` needs the series to exist.
        for kind, reason in WELCOME_KINDS:
            self.welcomes.labels(kind, reason)
        self.dropped = Counter("tavla_connections_dropped_total", "Connections closed by the server, by reason",
                               ["reason"], registry=r)
        self.reports = Counter("tavla_report_views_total", "The report back on a page (once results are "
                               "published), by source: computed from the session, or cached for its seq",
                               ["source"], registry=r)
        for source in ("computed", "cached"):
            self.reports.labels(source)

    def render(self) -> bytes:
        return generate_latest(self.registry)
