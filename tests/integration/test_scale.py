"""Operations at scale: separate worker processes sharing Redis, redelivery when a worker
dies, queued jobs surviving a Redis restart, and a bounded load test over loopback."""

import asyncio
import signal
import subprocess
import sys

import httpx
import pytest
import redis

from autointerp.store.embedded import EmbeddedRedis
from tests.conftest import free_port, running_app, service_env, wait_for_operation

pytestmark = pytest.mark.integration


def start_worker(settings, *queues, **env):
    args = [sys.executable, "-m", "autointerp", "worker"]
    for queue in queues:
        args += ["--queue", queue]
    return subprocess.Popen(
        args,
        env=service_env(settings, **{"AUTOINTERP_REDELIVERY_IDLE_S": "2", **env}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_running(client, operation_id):
    for _ in range(1200):
        body = (await client.get(f"/v1/operations/{operation_id}")).json()
        if body["state"] == "running" and body["progress"]["fraction"] > 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the operation never started running")


async def test_killed_worker_job_is_completed_by_another(settings):
    api_only = settings.model_copy(update={"in_process_worker": False})
    first = start_worker(settings, "model")
    second = None
    try:
        async with running_app(api_only) as client:
            body = {
                "model": "minilm-l6",
                "corpus": {"type": "builtin"},
                "layers": [0, 1],
                "max_tokens": 60_000,
                "batch_size": 8,
            }
            operation = (await client.post("/v1/scans", json=body)).json()
            await wait_running(client, operation["id"])
            first.send_signal(signal.SIGKILL)
            first.wait()
            second = start_worker(settings, "model")
            done = await wait_for_operation(client, operation["id"], timeout_s=240)
            assert done["state"] == "succeeded", done
            assert done["result"]["tokens"] == 60_000
            record = await client.get("/v1/models/minilm-l6/layers/1/neurons/7")
            assert record.status_code == 200 and len(record.json()["top"]) == 20
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


async def test_queued_jobs_survive_a_redis_restart(settings, tmp_path):
    server = EmbeddedRedis(tmp_path / "redis", port=free_port())
    server.start()
    own = settings.model_copy(update={"redis_url": server.url, "in_process_worker": False})
    worker = None
    try:
        async with running_app(own) as client:
            ids = []
            for i in range(3):
                body = {"model": "tiny-gpt2", "texts": [f"queued {i}"]}
                ids.append((await client.post("/v1/tokenizations", json=body)).json()["id"])
            await asyncio.to_thread(server.stop)
            await asyncio.to_thread(server.start)  # the append-only file brings the queue back
            worker = start_worker(own, "model")
            for operation_id in ids:
                done = await wait_for_operation(client, operation_id, timeout_s=120)
                assert done["state"] == "succeeded"
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        server.stop()


async def test_load_1000_submissions_of_200_requests(server, clean_redis):
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=server, limits=limits, timeout=60) as client:
        bodies = [{"model": "tiny-gpt2", "texts": [f"load {i % 200}"]} for i in range(1000)]
        responses = await asyncio.gather(
            *(client.post("/v1/tokenizations", json=b) for b in bodies)
        )
        assert all(r.status_code in (200, 202) for r in responses)
        ids = {r.json()["id"] for r in responses}
        assert len(ids) == 200
        assert redis.Redis.from_url(clean_redis).zcard("autointerp:v2:ops") == 200
        for operation_id in ids:
            done = await wait_for_operation(client, operation_id, timeout_s=120)
            assert done["state"] == "succeeded"


async def test_a_scan_split_over_two_workers_equals_one_scan(settings):
    """Layer groups scanned as child operations by two worker processes give the records
    one scan of every layer gives, under one scan id."""
    api_only = settings.model_copy(update={"in_process_worker": False})
    workers = [start_worker(settings, "model", "llm") for _ in range(2)]
    body = {
        "model": "minilm-l6",
        "corpus": {"type": "builtin"},
        "max_tokens": 4096,
        "excerpt_tokens": 32,
        "top_k": 5,
        "random_k": 4,
        "quantile_bins": 2,
        "quantile_k": 2,
    }
    try:
        async with running_app(api_only) as client:
            whole = (await client.post("/v1/scans", json=body)).json()
            split = (await client.post("/v1/scans", json={**body, "layer_groups": 3})).json()
            whole = await wait_for_operation(client, whole["id"], timeout_s=240)
            split = await wait_for_operation(client, split["id"], timeout_s=240)
            assert whole["state"] == split["state"] == "succeeded", (whole, split)
            assert whole["id"] != split["id"]
            for field in ("layers", "excerpts", "tokens", "neurons_per_layer"):
                assert whole["result"][field] == split["result"][field], field
            children = (await client.get("/v1/operations", params={"kind": "scan"})).json()
            assert len(children["operations"]) == 2 + 3  # the two scans and the 3 groups
            for layer in range(6):
                for neuron in (0, 7, 1535):
                    path = f"/v1/models/minilm-l6/layers/{layer}/neurons/{neuron}"
                    one = (await client.get(path, params={"scan": whole["id"]})).json()
                    parts = (await client.get(path, params={"scan": split["id"]})).json()
                    assert parts.pop("scan_id") == split["id"]
                    one.pop("scan_id")
                    assert one == parts, (layer, neuron)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)


async def test_an_orphaned_operation_is_requeued_within_seconds_not_the_redelivery_time(settings):
    """Finding 7 of #16: with the default re-delivery (600 s), a job whose worker was killed
    stayed `running` that long. Workers heartbeat what they run; a second worker re-queues
    one whose heartbeat stopped (AUTOINTERP_ORPHAN_AFTER_S, here 3 s)."""
    api_only = settings.model_copy(update={"in_process_worker": False})
    env = {"AUTOINTERP_REDELIVERY_IDLE_S": "600", "AUTOINTERP_ORPHAN_AFTER_S": "3"}

    def worker():
        return start_worker(settings, "model", **env)

    first, second = worker(), None
    try:
        async with running_app(api_only) as client:
            body = {
                "model": "minilm-l6",
                "corpus": {"type": "builtin"},
                "layers": [0],
                "max_tokens": 30_000,
                "batch_size": 8,
            }
            operation = (await client.post("/v1/scans", json=body)).json()
            await wait_running(client, operation["id"])
            first.send_signal(signal.SIGKILL)
            first.wait()
            second = worker()
            done = await wait_for_operation(client, operation["id"], timeout_s=120)
            assert done["state"] == "succeeded", done
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


async def test_resubmitting_an_orphaned_running_operation_requeues_it(settings):
    """Finding 7: resubmitting a stuck `running` operation returned it without re-queueing."""
    settings = settings.model_copy(update={"orphan_after_s": 1.0})
    request = {"model": "tiny-gpt2", "texts": ["orphaned"]}
    async with running_app(settings.model_copy(update={"in_process_worker": False})) as client:
        operation = (await client.post("/v1/tokenizations", json=request)).json()
        store = client._transport.app.state.resources.operations
        assert await store.claim(operation["id"], "a-worker-that-dies", stale_s=1.0)
        again = await client.post("/v1/tokenizations", json=request)
        assert again.json()["state"] == "running"  # its worker's heartbeat is fresh
        await asyncio.sleep(1.5)
        again = await client.post("/v1/tokenizations", json=request)
        assert again.json()["state"] == "queued", again.text
    async with running_app(settings) as client:
        done = await wait_for_operation(client, operation["id"])
        assert done["state"] == "succeeded"
