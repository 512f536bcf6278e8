"""Shared fixtures: a real Redis (the local one, or an embedded redis-server), a clean database
per test, and the app running its real lifespan behind an in-process HTTP client."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import redis

from autointerp.api.app import create_app
from autointerp.config import Settings
from autointerp.readiness import wait_until_ready
from autointerp.store.embedded import EmbeddedRedis
from autointerp.worker import start_worker

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TEST_DB = 13


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """AUTOINTERP_TEST_REDIS_URL, else a Redis on 127.0.0.1:6379, else an embedded one."""
    configured = os.environ.get("AUTOINTERP_TEST_REDIS_URL")
    local = f"redis://127.0.0.1:6379/{TEST_DB}"
    if configured:
        yield configured
    elif _answers(local):
        yield local
    else:
        server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
        server.start()
        yield server.url.replace("db=0", f"db={TEST_DB}")
        server.stop()


@pytest.fixture
def clean_redis(redis_url: str) -> str:
    """The test Redis database, emptied before the test."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's data directory (git-ignored): a model converted once serves every
    test run, and scripts/setup.sh has fetched the built-in corpora into it."""
    return Path(os.environ.get("AUTOINTERP_TEST_DATA_DIR", REPO / ".autointerp"))


@pytest.fixture
def settings(clean_redis: str, data_dir: Path, tmp_path: Path) -> Settings:
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    (corpora / "brown").symlink_to(data_dir / "corpora" / "brown")
    return Settings(redis_url=clean_redis, data_dir=data_dir, corpora_dir=corpora, _env_file=None)  # type: ignore[call-arg]


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app, with its lifespan (Redis, brokers, in-process worker) running.

    A context manager used inside the test body rather than an async fixture: pytest-asyncio
    runs fixture setup, test and teardown as separate loop runs, and a taskiq receiver blocked
    in XREADGROUP across such a boundary never finishes cancelling.
    """
    app = create_app(settings, start_worker if settings.in_process_worker else None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
            yield http


async def wait_for_operation(
    http: httpx.AsyncClient, operation_id: str, timeout_s: float = 60.0
) -> dict:
    """Poll an operation until it reaches a terminal state."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = await http.get(f"/v1/operations/{operation_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if body["state"] in ("succeeded", "failed", "cancelled"):
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"operation {operation_id} did not finish within {timeout_s}s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """Environment for a service or worker process using the test's Redis and data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOINTERP_")}
    env.update(
        AUTOINTERP_REDIS_URL=str(settings.redis_url),
        AUTOINTERP_DATA_DIR=str(settings.data_dir),
        AUTOINTERP_CORPORA_DIR=str(settings.corpora_dir),
        **extra,
    )
    return env


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    """`autointerp serve` as a real process on a free loopback port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "autointerp", "serve", "--port", str(port)],
        env=service_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_ready(base, timeout_s=30, process=process)
    yield base
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
