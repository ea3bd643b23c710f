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

    def start(self) -> RedisServer:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                "--save", "", "--appendonly", "no", *self.extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self._pong, what=f"redis-server on port {self.port}")
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

    def stop(self) -> None:
        stop_process(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class TavlaServer:
    """`python -m server` in its own process, as in production."""

    def __init__(self, redis_url: str | None = None, **env: str) -> None:
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
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server"], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
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
