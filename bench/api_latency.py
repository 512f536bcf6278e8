"""Fetching a cached score through the API under concurrent load, against a bare endpoint of
the same app (`/livez`, a constant) in the same run: throughput ratio and latency percentiles.
Then the same cached-score reads from a second server with API keys and rate limiting on
(every read authenticated and taking a token from its key's bucket in Redis; the bucket large
enough never to refuse), against the first, with both off.

The services run as `autointerp serve` in their own processes (on one Redis); the load comes
from this process over loopback, alternating the endpoints each round so machine noise hits
all alike.

    .venv/bin/python bench/api_latency.py [--seconds 5] [--rounds 3] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from autointerp.readiness import wait_until_ready

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _until_done(client: httpx.AsyncClient, operation_id: str) -> dict:
    while True:
        body = (await client.get(f"/v1/operations/{operation_id}")).json()
        if body["state"] in ("succeeded", "failed", "cancelled"):
            return body
        await asyncio.sleep(0.1)


async def _cached_score(client: httpx.AsyncClient) -> str:
    """A scored explanation in the cache; returns the operation to fetch."""
    scan = {
        "model": "minilm-l6",
        "corpus": {"type": "builtin"},
        "layers": [1],
        "excerpt_tokens": 32,
        "max_tokens": 4096,
    }
    await _until_done(client, (await client.post("/v1/scans", json=scan)).json()["id"])
    request = {
        "neuron": {"model": "minilm-l6", "layer": 1, "index": 7},
        "profile": "lexical",
        "explainer": "lexical",
        "simulator": "lexical",
    }
    operation = (await client.post("/v1/explanations", json=request)).json()
    done = await _until_done(client, operation["id"])
    assert done["state"] == "succeeded", done
    return f"/v1/operations/{operation['id']}"


async def _load(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], seconds: float, concurrency: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def user() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - started), latencies


async def _bench(open_base: str, guarded_base: str, key: str, args: argparse.Namespace) -> None:
    # A client per server, each keeping every connection alive: a shared pool would evict
    # one server's idle connections for the other's and time TCP handshakes instead.
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    clients = [
        httpx.AsyncClient(base_url=base, limits=limits, timeout=30)
        for base in (open_base, guarded_base)
    ]
    open_client, guarded_client = clients
    try:
        cached = await _cached_score(open_client)
        bearer = {"Authorization": f"Bearer {key}"}
        targets = {
            "cached score (GET /v1/operations/{id})": (open_client, cached, {}),
            "constant (GET /livez)": (open_client, "/livez", {}),
            "cached score, auth + rate limits on": (guarded_client, cached, bearer),
        }
        rates: dict[str, list[float]] = {name: [] for name in targets}
        latencies: dict[str, list[float]] = {name: [] for name in targets}
        for round_number in range(args.rounds):
            order = list(targets) if round_number % 2 == 0 else list(reversed(targets))
            for name in order:
                client, path, headers = targets[name]
                rate, seen = await _load(client, path, headers, args.seconds, args.concurrency)
                rates[name].append(rate)
                latencies[name] += seen
    finally:
        for client in clients:
            await client.aclose()
    print(
        f"{args.concurrency} concurrent clients, {args.rounds} rounds of {args.seconds} s each,"
        " loopback, one uvicorn worker process per server; medians over rounds"
    )
    for name in targets:
        ordered = sorted(latencies[name])
        p50 = ordered[len(ordered) // 2] * 1000
        p99 = ordered[int(len(ordered) * 0.99)] * 1000
        print(
            f"  {name:42s} {statistics.median(rates[name]):7.0f} req/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        )
    cached_rate, constant_rate, guarded_rate = (statistics.median(rates[n]) for n in targets)
    print(
        f"  cached score / constant throughput = {cached_rate / constant_rate:4.2f}  (goal >= 0.8)"
    )
    print(
        f"  auth + rate limits on / off         = {guarded_rate / cached_rate:4.2f}  (goal >= 0.9)"
    )


def _serve(port: int, **settings: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "AUTOINTERP_PORT": str(port),
        "AUTOINTERP_LOG_LEVEL": "WARNING",
        "AUTOINTERP_DATA_DIR": str(REPO / ".autointerp"),
        **settings,
    }
    env.setdefault("AUTOINTERP_REDIS_URL", REDIS_URL)
    return subprocess.Popen([sys.executable, "-m", "autointerp", "serve"], env=env)


async def _read_key(redis_url: str) -> str:
    from redis.asyncio import Redis

    from autointerp.store.keys import KeyStore, Scope

    redis = Redis.from_url(redis_url)
    _, token = await KeyStore(redis, "autointerp").create("api_latency bench", Scope.read)
    await redis.aclose()
    return token


REDIS_URL = os.environ.get("AUTOINTERP_REDIS_URL", "redis://127.0.0.1:6379/11")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    open_port, guarded_port = _free_port(), _free_port()
    # The guarded server runs no worker: the open one computes the score both read.
    never_refuse = '{"read": {"burst": 100000000, "per_minute": 1e12}}'
    servers = [
        _serve(open_port),
        _serve(
            guarded_port,
            AUTOINTERP_AUTH="true",
            AUTOINTERP_RATE_LIMITS=never_refuse,
            AUTOINTERP_IN_PROCESS_WORKER="false",
        ),
    ]
    bases = [f"http://127.0.0.1:{port}" for port in (open_port, guarded_port)]
    try:
        for base, server in zip(bases, servers, strict=True):
            wait_until_ready(base, timeout_s=60, process=server)
        key = asyncio.run(_read_key(REDIS_URL))
        asyncio.run(_bench(*bases, key, args))
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)
        for server in servers:
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
