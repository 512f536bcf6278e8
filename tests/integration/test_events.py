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
