"""Fetching a cached score through the API under concurrent load, against a bare endpoint of
the same app (`/livez`, a constant) in the same run: throughput ratio and latency percentiles.

The service runs as `autointerp serve` in its own process (the local Redis, or an embedded
one); the load comes from this process over loopback, alternating the two endpoints each
round so machine noise hits both alike.

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


async def _load(client: httpx.AsyncClient, path: str, seconds: float, concurrency: int):  # noqa: ANN202
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def user() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - started), latencies


async def _bench(base: str, args: argparse.Namespace) -> None:
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        cached = await _cached_score(client)
        paths = {
            "cached score (GET /v1/operations/{id})": cached,
            "constant (GET /livez)": "/livez",
        }
        rates: dict[str, list[float]] = {name: [] for name in paths}
        latencies: dict[str, list[float]] = {name: [] for name in paths}
        for round_number in range(args.rounds):
            order = list(paths) if round_number % 2 == 0 else list(reversed(paths))
            for name in order:
                rate, seen = await _load(client, paths[name], args.seconds, args.concurrency)
                rates[name].append(rate)
                latencies[name] += seen
    print(
        f"{args.concurrency} concurrent clients, {args.rounds} rounds of {args.seconds} s each,"
        " loopback, one uvicorn worker process; medians over rounds"
    )
    for name in paths:
        ordered = sorted(latencies[name])
        p50 = ordered[len(ordered) // 2] * 1000
        p99 = ordered[int(len(ordered) * 0.99)] * 1000
        print(
            f"  {name:42s} {statistics.median(rates[name]):7.0f} req/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
        )
    names = list(paths)
    ratio = statistics.median(rates[names[0]]) / statistics.median(rates[names[1]])
    print(f"  cached score / constant throughput = {ratio:4.2f}  (goal >= 0.8)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    port = _free_port()
    env = {
        **os.environ,
        "AUTOINTERP_PORT": str(port),
        "AUTOINTERP_LOG_LEVEL": "WARNING",
        "AUTOINTERP_DATA_DIR": str(REPO / ".autointerp"),
    }
    env.setdefault("AUTOINTERP_REDIS_URL", "redis://127.0.0.1:6379/11")
    server = subprocess.Popen([sys.executable, "-m", "autointerp", "serve"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, timeout_s=30, process=server)
        asyncio.run(_bench(base, args))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
