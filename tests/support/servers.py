"""Real processes for tests: redis-server and Tavla (uvicorn) on free ports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


def require(program: str, apt_package: str) -> str:
    """The program's path; without it, skip with how to install (fail under CI=true)."""
    path = shutil.which(program)
    if path:
        return path
    message = f"{program} not found: install it with `apt-get install -y {apt_package}`"
    if IN_CI:
        pytest.fail(message + " (CI=true: this test must run)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen | None) -> None:  # type: ignore[type-arg]
    """SIGTERM (a graceful shutdown, as a platform sends it), then SIGKILL after 10 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_until(condition, timeout: float = 10.0, interval: float = 0.05, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


async def eventually(read, accept, timeout: float = 10.0, interval: float = 0.05, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Await `read()` until `accept(value)`; for states that change with time (expiry), where
    there is no event to wait on."""
    import asyncio

    deadline = time.monotonic() + timeout
    while not accept(value := await read()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)
    return value


class RedisServer:
    def __init__(self, *extra: str) -> None:
        self.binary = require("redis-server", "redis-server")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="tavla-redis-")
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *more: str) -> RedisServer:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                "--save", "", "--appendonly", "no", *self.extra, *more]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self._pong, timeout=20, what=f"redis-server on port {self.port}")
        return self

    def _pong(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop_keeping_data(self) -> None:
        """A graceful shutdown (SIGTERM: Redis flushes its append-only file); `start()` again
        brings it back with its data."""
        stop_process(self.proc)

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class TavlaServer:
    """`python -m server` in its own process, as in production; or, with `procfile=True`, the
    Procfile's `web:` command as a platform runs it (bash, `$PORT` from the environment)."""

    def __init__(self, redis_url: str | None = None, *, procfile: bool = False, **env: str) -> None:
        self.procfile = procfile
        self.port = free_port()
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "REDIS_URL": redis_url or "",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env.items()},
        }
        self.log = tempfile.NamedTemporaryFile(prefix="tavla-server-", suffix=".log", delete=False)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> TavlaServer:
        command = [sys.executable, "-m", "server"]
        env = self.env
        if self.procfile:
            web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
            # bash execs a simple command itself, so signals reach the server directly.
            command = ["bash", "-c", web.removeprefix("web:").strip()]
            # `python`/`uvicorn` resolve to this interpreter's environment, as on a platform.
            env = {**env, "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}"}
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._healthy, timeout=20, what=f"tavla on port {self.port}")
        return self

    def _healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
        try:
            return httpx.get(f"{self.http}/healthz", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        stop_process(self.proc)
        Path(self.log.name).unlink(missing_ok=True)

    def create_room(self, title: str = "Workshop", language: str = "en", phase: str = "write",
                    template: str = "blank") -> dict:  # type: ignore[type-arg]
        """A new room, already in `phase` (a facilitator named "Setup" set it and left), so tests
        of writing need not run the lobby first."""
        response = httpx.post(f"{self.http}/api/rooms", json={"title": title, "language": language, "template": template})
        assert response.status_code == 201, response.text
        room = response.json()
        if phase != "lobby":
            with connect(f"{self.ws}/r/{room['code']}/ws") as ws:
                ws.send(json.dumps({"type": "hello", "protocol": 1, "name": "Setup", "key": room["facilitator_key"]}))
                ws.send(json.dumps({"type": "op", "id": "setup", "op": "phase.set", "args": {"phase": phase}}))
                while (frame := json.loads(ws.recv(timeout=10))).get("id") != "setup":
                    pass
                assert frame["type"] == "ack", frame
        return room


def redis_info(port: int, section: str = "replication") -> dict[str, str]:
    """`INFO section` of the Redis (or Sentinel) on `port`, as a dict; {} when unreachable."""
    import redis as sync_redis

    client = sync_redis.Redis(port=port, socket_timeout=2, socket_connect_timeout=1)
    try:
        return {k: str(v) for k, v in client.info(section).items()}
    except (sync_redis.RedisError, OSError):
        return {}
    finally:
        client.close()


class ReplicaServer(RedisServer):
    """A redis-server replicating `primary`; `start()` returns once it is in sync."""

    def __init__(self, primary: RedisServer, *extra: str) -> None:
        super().__init__("--replicaof", "127.0.0.1", str(primary.port), *extra)
        self.primary = primary

    def start(self) -> ReplicaServer:
        super().start()
        wait_until(lambda: redis_info(self.port).get("master_link_status") == "up", timeout=20,
                   what=f"replica on {self.port} in sync")
        return self


class SentinelServer:
    """One `redis-sentinel` watching service `name` at `primary_port`, with short timeouts
    so that a failover takes seconds, not the default half minute."""

    def __init__(self, name: str, primary_port: int, down_after_ms: int = 1000, failover_timeout_ms: int = 4000) -> None:
        self.binary = require("redis-sentinel", "redis-sentinel")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="tavla-sentinel-")
        self.config = Path(self.dir) / "sentinel.conf"
        # Sentinel rewrites its own config file (what it learns): it must be a writable file.
        self.config.write_text("\n".join([
            f"port {self.port}", "bind 127.0.0.1", f'dir "{self.dir}"', "daemonize no",
            f"sentinel monitor {name} 127.0.0.1 {primary_port} 2",
            f"sentinel down-after-milliseconds {name} {down_after_ms}",
            f"sentinel failover-timeout {name} {failover_timeout_ms}",
            f"sentinel parallel-syncs {name} 1", "",
        ]))
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> SentinelServer:
        self.proc = subprocess.Popen([self.binary, str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(lambda: bool(redis_info(self.port, "sentinel")), what=f"redis-sentinel on port {self.port}")
        return self

    def master(self, name: str) -> dict[str, str]:
        import redis as sync_redis

        client = sync_redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=1, decode_responses=True)
        try:
            return {k: str(v) for k, v in client.sentinel_master(name).items()}
        except (sync_redis.RedisError, OSError):
            return {}
        finally:
            client.close()

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class SentinelCluster:
    """A primary, a replica and three Sentinels on free ports, as the README's production
    section sets them up (append-only files on both Redis servers)."""

    SERVICE = "tavla"
    # No 5 s wait before a full sync (the default lets more replicas join one transfer).
    REDIS_ARGS = ("--appendonly", "yes", "--appendfsync", "everysec", "--repl-diskless-sync-delay", "0")

    def __init__(self) -> None:
        self.primary = RedisServer(*self.REDIS_ARGS)
        self.replica: ReplicaServer | None = None
        self.sentinels: list[SentinelServer] = []

    @property
    def addresses(self) -> str:
        return ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)

    def env(self, min_replicas: int, wait_ms: int = 500) -> dict[str, str]:
        """What a Tavla process needs to find the primary through the Sentinels."""
        return {"REDIS_SENTINELS": self.addresses, "REDIS_SERVICE": self.SERVICE,
                "REDIS_MIN_REPLICAS": str(min_replicas), "REDIS_WAIT_MS": str(wait_ms)}

    def start(self) -> SentinelCluster:
        self.primary.start()
        self.replica = ReplicaServer(self.primary, *self.REDIS_ARGS).start()
        self.sentinels = [SentinelServer(self.SERVICE, self.primary.port).start() for _ in range(3)]
        # A failover needs a quorum that knows the replica and a majority that knows each other.
        wait_until(self._ready, timeout=30, interval=0.2, what="three Sentinels that know each other and the replica")
        return self

    def _ready(self) -> bool:
        states = [s.master(self.SERVICE) for s in self.sentinels]
        return all(st.get("num-other-sentinels") == "2" and st.get("num-slaves") == "1" for st in states)

    def primary_port(self) -> int | None:
        """The primary as a majority of the Sentinels name it (None while they disagree)."""
        ports = [s.master(self.SERVICE).get("port") for s in self.sentinels]
        for port in set(ports):
            if port and ports.count(port) >= 2:
                return int(port)
        return None

    def kill_primary_and_wait_for_promotion(self, timeout: float = 30.0) -> None:
        """kill -9 the primary; return once the Sentinels name the replica as the primary.
        The two swap roles in this object: `primary` is the promoted one, `replica` the dead one."""
        assert self.replica is not None
        old, new = self.primary, self.replica
        old.kill()
        wait_until(lambda: self.primary_port() == new.port and redis_info(new.port).get("role") == "master",
                   timeout=timeout, interval=0.2, what="Sentinel promoting the replica")
        self.primary, self.replica = new, old  # type: ignore[assignment]

    def restart_old_primary(self) -> None:
        """Start the killed server again on its port, as a replica of the new primary; returns
        once it is in sync. Started as a primary (a bare systemd restart), the Sentinels would
        convert it too, but only after their 10 s INFO period and 8 s grace (measured: in sync
        ~15 s after the restart), which leaves a 30 s bound no margin on a loaded machine."""
        assert self.replica is not None
        self.replica.start("--replicaof", "127.0.0.1", str(self.primary.port))
        wait_until(lambda: redis_info(self.replica.port).get("master_link_status") == "up"  # type: ignore[union-attr]
                   and redis_info(self.replica.port).get("master_port") == str(self.primary.port),  # type: ignore[union-attr]
                   timeout=60, interval=0.2, what="the old primary back as a replica in sync")

    def stop(self) -> None:
        for sentinel in self.sentinels:
            sentinel.stop()
        if self.replica is not None:
            self.replica.stop()
        self.primary.stop()
