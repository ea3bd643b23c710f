"""The servers under test, started the way the tests start them (`tests/support/servers.py`):
Tavla with the embedded store, Tavla on Redis with one or two processes, Tavla on Redis with a
local replica acknowledging after `WAIT 1` (REDIS_MIN_REPLICAS=1), and the floor.

Every Tavla process gets limits raised so they do not get in the benchmark's way (one address
opens thousands of sockets and creates a hundred rooms; a room holds more than 300 people): see
`BENCH_ENV`, also listed in docs/performance.md.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import ROOT, RedisServer, ReplicaServer, TavlaServer, free_port, stop_process, wait_until

BENCH_ENV = {
    "OPS_PER_SECOND": "100000",
    "OPS_BURST": "100000",
    "CONNECTIONS_PER_ADDRESS": "100000",
    "IDENTITIES_PER_MINUTE": "1000000",  # every simulated person comes from loopback
    "MAX_PARTICIPANTS_PER_ROOM": "10000",
    "ROOMS_PER_HOUR": "100000",
}

DEPLOYMENTS = ("tavla-embedded", "tavla-redis-1", "tavla-redis-2", "tavla-redis-wait1", "floor")
# Acknowledge only what the replica confirmed (docs/reliability.md). The wait is 1 s rather than
# the default 200 ms: on an overloaded machine a replica's answer took longer than 200 ms once
# (docs/performance.md), and the smoke run counts the resulting `unavailable` as an error. The
# latency of a confirmed op does not depend on it.
WAIT_ENV = {"REDIS_MIN_REPLICAS": "1", "REDIS_WAIT_MS": "1000"}
_TICK = os.sysconf("SC_CLK_TCK")


def has_redis() -> bool:
    return shutil.which("redis-server") is not None


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def rss_bytes(pid: int) -> int:
    """VmRSS from /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / _TICK


def wait_for_quiet(max_share: float = 0.25, longest_s: float = 90.0) -> float:
    """Wait (bounded) until the machine is quiet: other sessions share it, and a browser test
    running next to a measurement makes the measurement about the browser. Returns the busy
    share of the last one-second sample (0..1 of all cores)."""
    cores = os.cpu_count() or 1
    deadline = time.monotonic() + longest_s
    if longest_s <= 0:
        return -1.0  # not checked (the smoke run measures nothing that noise could spoil)
    while True:
        before = machine_busy_seconds()
        time.sleep(1.0)
        share = (machine_busy_seconds() - before) / cores
        if share <= max_share or time.monotonic() > deadline:
            return round(share, 2)


class BenchTavla(TavlaServer):
    """`python -m server` from `root`: this checkout, or another one (`--server-root`) for a
    before/after comparison of a change, e.g. `git archive HEAD | tar -x -C /tmp/before`."""

    root: Path = ROOT

    def start(self) -> BenchTavla:
        self.proc = subprocess.Popen([sys.executable, "-m", "server"], cwd=self.root, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._healthy, timeout=20, what=f"tavla on port {self.port}")
        return self


class FloorServer:
    """`python -m bench.floor` in its own process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> FloorServer:
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.floor", "--port", str(self.port)], cwd=ROOT)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"floor exited with {self.proc.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5):
                return self
            if time.monotonic() > deadline:
                raise TimeoutError("floor did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        stop_process(self.proc)


@dataclass
class Deployment:
    """What a scenario needs to know about the servers it drives."""

    name: str
    ports: list[int]
    pids: list[int]
    redis: RedisServer | None = None
    tavla: list[TavlaServer] = field(default_factory=list)
    replica: RedisServer | None = None

    @property
    def is_floor(self) -> bool:
        return self.name == "floor"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def redis_cpu(self) -> float:
        """redis-server CPU: the primary's, and the replica's when there is one."""
        return sum(cpu_seconds(r.proc.pid) for r in (self.redis, self.replica) if r is not None and r.proc)

    def alive(self) -> bool:
        return all(os.path.exists(f"/proc/{pid}") for pid in self.pids)


@contextlib.contextmanager
def deploy(name: str) -> Iterator[Deployment]:
    """Start the servers of one deployment; stop them (and only them) on the way out."""
    if name == "floor":
        floor = FloorServer().start()
        try:
            assert floor.proc is not None
            yield Deployment(name, [floor.port], [floor.proc.pid])
        finally:
            floor.stop()
        return
    redis: RedisServer | None = None
    replica: RedisServer | None = None
    servers: list[TavlaServer] = []
    try:
        if name != "tavla-embedded":
            redis = RedisServer().start()
        env = dict(BENCH_ENV)
        if name == "tavla-redis-wait1":
            replica = ReplicaServer(redis).start()  # type: ignore[arg-type]
            env.update(WAIT_ENV)
        count = 2 if name == "tavla-redis-2" else 1
        for _ in range(count):
            servers.append(BenchTavla(redis.url if redis else None, **env).start())
        pids = [s.proc.pid for s in servers if s.proc is not None]
        yield Deployment(name, [s.port for s in servers], pids, redis, servers, replica)
    finally:
        for server in servers:
            server.stop()
        for r in (replica, redis):
            if r is not None:
                r.stop()
