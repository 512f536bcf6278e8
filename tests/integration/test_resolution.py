"""Requests are resolved once, at submit: the stored request is what runs, and whatever can be
refused is refused with a 4xx before anything is queued."""

import json

import httpx
import pytest
import redis.asyncio as aioredis

from autointerp.api.app import create_app
from autointerp.config import LLMProfile
from autointerp.store.queues import Queue
from autointerp.worker import start_worker
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


def _scan(words: str) -> dict:
    texts = [f"{words} number {i} of the many little texts here" for i in range(60)]
    return {
        "model": "minilm-l6",
        "corpus": {"type": "texts", "texts": texts},
        "layers": [0],
        "excerpt_tokens": 8,
        "top_k": 8,
        "random_k": 6,
    }


async def test_an_explanation_runs_on_the_scan_its_id_names(settings):
    """Submitted while the model's latest scan is A; scan B finishes before a worker takes
    the explanation: it still runs on A, and its stored request names A."""

    async def model_queue_only(resources, brokers):
        return await start_worker(resources, brokers, [Queue.model])

    app = create_app(settings, model_queue_only)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            scan_a = (await client.post("/v1/scans", json=_scan("apples"))).json()
            assert (await wait_for_operation(client, scan_a["id"]))["state"] == "succeeded"
            explanation = {
                "neuron": {"model": "minilm-l6", "layer": 0, "index": 7},
                "profile": "lexical",
                "explainer": "lexical",
                "simulator": "lexical",
                "samples": 1,
            }
            submitted = await client.post("/v1/explanations", json=explanation)
            assert submitted.status_code == 202
            operation_id = submitted.json()["id"]
            scan_b = (await client.post("/v1/scans", json=_scan("pears"))).json()
            assert (await wait_for_operation(client, scan_b["id"]))["state"] == "succeeded"
            assert scan_a["id"] != scan_b["id"]
            latest = (await client.get("/v1/models/minilm-l6/layers/0/neurons/7")).json()
            assert latest["scan_id"] == scan_b["id"]

            resources = app.state.resources
            stored = json.loads(await resources.operations.request_json(operation_id))
            assert stored["request"]["neuron"]["scan"] == scan_a["id"]

            stop = await start_worker(resources, app.state.brokers, [Queue.llm])
            try:
                done = await wait_for_operation(client, operation_id)
            finally:
                await stop()
    assert done["state"] == "succeeded", done
    assert done["result"]["neuron"]["scan"] == scan_a["id"]


async def test_a_simulator_the_profile_cannot_run_is_refused_at_submit(settings):
    """all_at_once needs prompt logprobs: a profile without them is a 422 now, not a failed
    operation later (the endpoint is never contacted)."""
    profiles = {
        **settings.llm_profiles,
        "chat-only": LLMProfile(backend="openai", model="m", base_url="http://127.0.0.1:9/v1"),
    }
    configured = settings.model_copy(update={"llm_profiles": profiles})
    app = create_app(configured)  # no worker: nothing may be queued either way
    records = {"top": [{"tokens": ["a", "b"], "activations": [1.0, 0.0]}] * 4}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            refused = await client.post(
                "/v1/explanations",
                json={"records": records, "profile": "chat-only", "simulator": "all_at_once"},
            )
            lexical = await client.post(
                "/v1/scores",
                json={
                    "records": records,
                    "explanation": "the letter 'a'",
                    "profile": "lexical",
                    "simulator": "json",
                },
            )
            listed = (await client.get("/v1/operations")).json()
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert "prompt logprobs" in refused.json()["detail"]
    assert lexical.status_code == 422 and "needs a language model" in lexical.json()["detail"]
    assert listed["operations"] == []


async def test_an_unknown_model_is_a_404_naming_the_known_ones_everywhere(settings):
    async with running_app(settings) as client:
        answers = [
            await client.post("/v1/tokenizations", json={"model": "gpt-17", "texts": ["a"]}),
            await client.post(
                "/v1/activations",
                json={"model": "gpt-17", "texts": ["a"], "layer": 0, "neurons": [0]},
            ),
            await client.post("/v1/scans", json={"model": "gpt-17", "corpus": {"type": "builtin"}}),
            await client.get("/v1/models/gpt-17"),
            await client.get("/v1/models/gpt-17/layers/0/neurons/0"),
            await client.get("/v1/models/gpt-17/layers/0/neurons"),
        ]
    for answer in answers:
        assert answer.status_code == 404, answer.request.url
        assert answer.headers["content-type"] == PROBLEM
        assert "known models: minilm-l6" in answer.json()["detail"]
        assert "minilm-l6" in answer.json()["allowed"]


async def test_a_scan_over_the_memory_budget_is_split_or_refused_naming_its_parts(settings):
    """The guard counts the forward pass and the writes, not only the selections: a budget
    that holds the selections of all six layers many times over still splits the scan (asked
    to split by the budget, in
    three groups: each of two layers is predicted at 801-880 MB), and one layer beyond the
    budget is refused with what it would take."""
    big = {**_scan("apples"), "layers": list(range(6)), "batch_size": 256, "excerpt_tokens": 64}
    big["layer_groups"] = 0  # as few groups as the budget allows
    async with running_app(settings.model_copy(update={"scan_memory_mb": 900})) as client:
        split = await client.post("/v1/scans", json=big)
        refused = await client.post("/v1/scans", json={**big, "excerpt_tokens": 512})
        assert split.status_code == 202, split.text
        done = await wait_for_operation(client, split.json()["id"], timeout_s=240)
        scans = (await client.get("/v1/operations", params={"kind": "scan"})).json()
    assert done["state"] == "succeeded", done
    assert len(scans["operations"]) == 1 + 3  # the scan and its three layer groups
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    detail = refused.json()["detail"]
    assert "more than this server's 900 MB" in detail
    assert "forward pass" in detail and "selections" in detail


async def test_a_scan_whose_records_would_not_fit_redis_is_refused(settings, clean_redis):
    """A Redis with a memory limit has room for the records, or the scan is refused before it
    runs (at the end, the writes would fail or evict other state)."""
    admin = aioredis.from_url(clean_redis)
    used = int((await admin.info("memory"))["used_memory"])
    await admin.config_set("maxmemory", used + 4 * 2**20)
    try:
        async with running_app(settings) as client:
            refused = await client.post(
                "/v1/scans", json={**_scan("apples"), "layers": [0, 1], "excerpt_tokens": 64}
            )
    finally:
        await admin.config_set("maxmemory", 0)
        await admin.aclose()
    assert refused.status_code == 422
    assert "in Redis" in refused.json()["detail"]
