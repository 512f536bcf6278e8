"""Progress as Server-Sent Events, over a real server process and at the store."""

import asyncio
import json

import httpx
import redis.asyncio

from autointerp.schemas.common import Problem
from autointerp.schemas.operations import OperationKind
from autointerp.store.operations import OperationStore

SCAN = {"model": "tiny-gpt2", "corpus": {"type": "builtin"}, "max_tokens": 6000, "batch_size": 4}


def _events(response: httpx.Response) -> list[dict]:
    """The data of each event of a text/event-stream body (keep-alive comments skipped)."""
    return [
        json.loads(line.removeprefix("data: "))
        for line in response.iter_lines()
        if line.startswith("data: ")
    ]


def test_events_stream_progress_until_the_operation_finishes(server):
    with httpx.Client(base_url=server, timeout=120) as http:
        operation = http.post("/v1/scans", json=SCAN).json()
        with http.stream("GET", f"/v1/operations/{operation['id']}/events") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            events = _events(response)  # returns only once the server ends the stream
    assert all(event["id"] == operation["id"] for event in events)
    assert events[-1]["state"] == "succeeded" and events[-1]["result"] is not None
    assert [e["state"] for e in events[:-1]] == sorted(
        (e["state"] for e in events[:-1]), key=["queued", "running"].index
    )
    running = [e["progress"]["fraction"] for e in events if e["state"] == "running"]
    assert len(running) >= 3, events  # batches report progress as they go
    assert running == sorted(running)
    # A finished operation streams once and ends.
    with httpx.Client(base_url=server, timeout=30) as http:
        with http.stream("GET", f"/v1/operations/{operation['id']}/events") as response:
            assert [e["state"] for e in _events(response)] == ["succeeded"]


def test_events_of_an_unknown_operation_are_a_404_problem(server):
    response = httpx.get(f"{server}/v1/operations/{'b' * 64}/events", timeout=10)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no operation" in response.json()["detail"]


async def test_watch_wakes_on_published_changes(clean_redis):
    """The stream wakes on each change itself, not on its periodic re-read."""
    client = redis.asyncio.Redis.from_url(clean_redis)
    store = OperationStore(client, "autointerp", 600)
    await store.submit("c" * 64, OperationKind.tokenization, "{}")
    seen = []

    async def watch() -> None:
        async for operation in store.watch("c" * 64, recheck_s=3600):
            seen.append((operation.state.value, operation.progress.fraction))

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0.2)
    assert await store.claim("c" * 64, "worker-1", stale_s=30)
    await asyncio.sleep(0.2)
    await store.report_progress("c" * 64, 0.5, "half")
    await asyncio.sleep(0.2)
    problem = Problem(type="about:blank", title="Failed", status=502, detail="it broke")
    await store.mark_failed("c" * 64, problem)
    await asyncio.wait_for(watcher, timeout=10)
    assert seen == [("queued", 0.0), ("running", 0.0), ("running", 0.5), ("failed", 0.5)]
    await client.aclose()


async def test_waiting_streams_hold_no_redis_connection(clean_redis):
    """Finding 8 of #16: each open stream held a pooled connection, so 99 streams made
    submits answer 503. Now 40 watchers share one pub/sub connection of a pool of 8."""
    # Commands wait for a free connection: with a connection held per waiting stream, the
    # ninth stream would wait forever.
    pool = redis.asyncio.BlockingConnectionPool.from_url(clean_redis, max_connections=8)
    client = redis.asyncio.Redis(connection_pool=pool)
    store = OperationStore(client, "autointerp", 600)
    ids = [f"{i:064x}" for i in range(40)]
    for operation_id in ids:
        await store.submit(operation_id, OperationKind.tokenization, "{}")
    seen: dict[str, list[str]] = {i: [] for i in ids}

    async def watch(operation_id: str) -> None:
        async for operation in store.watch(operation_id, recheck_s=3600):
            seen[operation_id].append(operation.state.value)

    watchers = [asyncio.create_task(watch(i)) for i in ids]
    await asyncio.sleep(0.5)
    assert await asyncio.wait_for(client.ping(), timeout=5)  # room for other work
    for operation_id in ids:
        assert await store.claim(operation_id, "worker-1", stale_s=30)
    await asyncio.sleep(0.5)
    for operation_id in ids:
        await store.cancel(operation_id)
    await asyncio.wait_for(asyncio.gather(*watchers), timeout=20)
    assert all(states == ["queued", "running", "cancelled"] for states in seen.values()), seen
    await store.events.close()
    await client.aclose()
