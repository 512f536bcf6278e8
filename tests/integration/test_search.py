"""Explanation search on a live app over real Redis, with the real embedding model: results
stored before search existed are backfilled, new ones are indexed as they are stored, and a
query finds paraphrases by meaning and exact phrases by keyword, within its filters."""

import asyncio
import base64
import json

import pytest
import redis.asyncio as aioredis

from autointerp.schemas.activations import NeuronResult
from autointerp.store.records import RecordStore
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration

# A well-formed cursor of some other search (another query's fingerprint, offset 3).
FOREIGN_CURSOR = base64.urlsafe_b64encode(b"0123456789abcdef:3").decode()

# (model, layer, index, explanation, correlation, polarity)
FIXED_SET = [
    ("minilm-l6", 0, 10, "numbers written as numerals", 0.61, "positive"),
    ("minilm-l6", 0, 11, "the word 'the' at the start of a sentence", 0.42, "positive"),
    ("minilm-l6", 1, 12, "words about rain, snow and the weather", 0.35, "positive"),
    ("minilm-l6", 2, 13, "a closing parenthesis after a short aside", 0.55, "positive"),
    ("minilm-l6", 3, 14, "parenthesis marks opening a list", 0.18, "negative"),
    ("minilm-l6", 4, 15, "past tense verbs ending in -ed", 0.27, "positive"),
    ("smollm2-135m", 5, 16, "names of cities and countries", 0.48, "positive"),
    ("smollm2-135m", 9, 17, "dates and years such as 1961", 0.05, "positive"),
]


def _result(i: int, explanation: str, correlation: float, polarity: str) -> NeuronResult:
    return NeuronResult(
        operation_id=f"{i:064x}",
        kind="explanation",
        explanation=explanation,
        explainer="lexical",
        polarity=polarity,
        simulator="lexical",
        split="test",
        correlation=correlation,
        random_only_correlation=correlation / 2,
        scan_id=None,
    )


async def _store_fixed_set(redis_url: str, prefix: str) -> None:
    redis = aioredis.from_url(redis_url)
    records = RecordStore(redis, prefix)
    for i, (model, layer, index, text, correlation, polarity) in enumerate(FIXED_SET):
        result = _result(i, text, correlation, polarity)
        await records.add_result(model, layer, index, result.operation_id, result.model_dump_json())
    await redis.aclose()


async def _search(client, **params) -> dict:
    answer = await client.get("/v1/explanations/search", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _wait_indexed(client, count: int) -> None:
    for _ in range(600):
        if (await _search(client, limit=1))["total"] >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the backfill did not index the stored results")


async def test_search_finds_by_meaning_and_keyword_within_filters(settings):
    await _store_fixed_set(settings.redis_url, settings.queue_prefix)
    async with running_app(settings) as client:
        await _wait_indexed(client, len(FIXED_SET))

        digits = await _search(client, q="digits")
        assert digits["hits"][0]["explanation"] == "numbers written as numerals"
        weather = await _search(client, q="meteorology")
        assert weather["hits"][0]["explanation"].startswith("words about rain")

        phrase = await _search(client, q='"closing parenthesis"')
        assert [h["explanation"] for h in phrase["hits"]] == [
            "a closing parenthesis after a short aside"
        ]
        assert phrase["hits"][0]["keyword_match"]
        word = await _search(client, q="parenthesis")
        assert {h["index"] for h in word["hits"][:2]} == {13, 14}

        layers = await _search(client, q="digits", model="minilm-l6", layer_min=1, layer_max=3)
        assert {(h["layer"], h["index"]) for h in layers["hits"]} == {(1, 12), (2, 13), (3, 14)}
        scored = await _search(client, score_min=0.4, sort="score")
        assert [h["correlation"] for h in scored["hits"]] == [0.61, 0.55, 0.48, 0.42]
        negative = await _search(client, polarity="negative")
        assert [h["index"] for h in negative["hits"]] == [14]
        assert (await _search(client, model="smollm2-135m", layer_max=5))["total"] == 1
        assert (await _search(client, explainer="no-such-profile"))["total"] == 0

        pages, cursor = [], None
        while True:
            params = {"q": "words", "limit": 3, **({"cursor": cursor} if cursor else {})}
            page = await _search(client, **params)
            pages.extend(h["operation_id"] for h in page["hits"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(pages) == len(set(pages)) == len(FIXED_SET)
        foreign = await client.get(
            "/v1/explanations/search", params={"q": "other", "cursor": FOREIGN_CURSOR}
        )
        assert foreign.status_code == 422 and "cursor" in foreign.json()["detail"]
        bad = await client.get("/v1/explanations/search", params={"score_min": "nan"})
        assert bad.status_code == 422

        deleted = await client.delete("/v1/models/minilm-l6/layers/0/neurons/10/results")
        assert deleted.status_code == 204
        after = await _search(client, q="digits")
        assert "numbers written as numerals" not in [h["explanation"] for h in after["hits"]]


async def test_a_models_neurons_list_once_each_with_their_best_explanation(settings):
    await _store_fixed_set(settings.redis_url, settings.queue_prefix)
    # A second, better explanation of neuron 0/10 and a worse one of 2/13.
    redis = aioredis.from_url(settings.redis_url)
    records = RecordStore(redis, settings.queue_prefix)
    for i, (layer, index, text, correlation) in enumerate(
        [(0, 10, "digits 0-9", 0.75), (2, 13, "brackets", 0.1)], start=100
    ):
        result = _result(i, text, correlation, "positive")
        await records.add_result(
            "minilm-l6", layer, index, result.operation_id, result.model_dump_json()
        )
    await redis.aclose()
    async with running_app(settings) as client:
        await _wait_indexed(client, len(FIXED_SET) + 2)

        async def listing(**params) -> dict:
            answer = await client.get("/v1/models/minilm-l6/neurons", params=params)
            assert answer.status_code == 200, answer.text
            return answer.json()

        every = await listing()
        rows = [(n["layer"], n["index"], n["explanation"]) for n in every["neurons"]]
        assert rows == [
            (0, 10, "digits 0-9"),
            (2, 13, "a closing parenthesis after a short aside"),
            (0, 11, "the word 'the' at the start of a sentence"),
            (1, 12, "words about rain, snow and the weather"),
            (4, 15, "past tense verbs ending in -ed"),
            (3, 14, "parenthesis marks opening a list"),
        ]
        assert every["total"] == 6 and every["next_cursor"] is None
        histogram = every["histogram"]
        assert len(histogram["edges"]) == len(histogram["counts"]) + 1 == 21
        assert sum(histogram["counts"]) == 6
        assert histogram["counts"][17] == 1  # 0.75 lies in [0.7, 0.8)

        # A filter that excludes a neuron's best result lists its best admitted one.
        below = await listing(score_max=0.65)
        assert below["neurons"][0]["explanation"] == "numbers written as numerals"
        by_neuron = await listing(sort="neuron", layer_min=1, layer_max=3)
        assert [(n["layer"], n["index"]) for n in by_neuron["neurons"]] == [
            (1, 12), (2, 13), (3, 14)
        ]  # fmt: skip
        assert [n["index"] for n in (await listing(polarity="negative"))["neurons"]] == [14]

        pages, cursor = [], None
        while True:
            page = await listing(limit=4, **({"cursor": cursor} if cursor else {}))
            pages.extend((n["layer"], n["index"]) for n in page["neurons"])
            assert page["histogram"] == histogram  # of every page, not this one
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert pages == [(r[0], r[1]) for r in rows]
        unknown = await client.get("/v1/models/no-such-model/neurons")
        assert unknown.status_code == 404


async def test_a_new_explanation_is_searchable_once_stored(settings):
    texts = [f"the year {1900 + i} was a good one, said number {i}" for i in range(60)]
    scan = {
        "model": "minilm-l6",
        "corpus": {"type": "texts", "texts": texts},
        "layers": [0],
        "excerpt_tokens": 8,
        "top_k": 8,
        "random_k": 6,
    }
    async with running_app(settings) as client:
        done = await wait_for_operation(
            client, (await client.post("/v1/scans", json=scan)).json()["id"]
        )
        assert done["state"] == "succeeded"
        explanation = {
            "neuron": {"model": "minilm-l6", "layer": 0, "index": 3},
            "profile": "lexical",
            "explainer": "lexical",
            "simulator": "lexical",
            "samples": 1,
        }
        submitted = (await client.post("/v1/explanations", json=explanation)).json()
        finished = await wait_for_operation(client, submitted["id"])
        assert finished["state"] == "succeeded", finished
        written = finished["result"]["best"]["explanation"]
        found = await _search(client, q=written, model="minilm-l6", layer_min=0, layer_max=0)
    hit = found["hits"][0]
    assert hit["operation_id"] == submitted["id"] and hit["index"] == 3
    assert hit["explainer"] == "lexical" and hit["keyword_match"]
    assert hit["neuron_url"] == "/v1/models/minilm-l6/layers/0/neurons/3"
    assert json.dumps(hit)  # plain JSON all the way down
