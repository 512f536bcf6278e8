"""Neuron search by text on the real MiniLM: its per-token and overall top neurons are the
true top of what POST /v1/activations records for every neuron of the chosen layers, each
with its best cached explanation of the asked polarity; bad layers are a 422."""

import asyncio

import pytest
import redis.asyncio as aioredis

from autointerp.schemas.activations import NeuronResult
from autointerp.store.records import RecordStore
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
MODEL = "minilm-l6"
TEXT = "The cat sat on the mat in Paris, then ate 42 fish."
LAYERS = [1, 4]
WIDTH = 1536
CHUNK = 256  # the most neurons one activations request records


async def _run(client, path, body) -> dict:
    response = await client.post(path, json=body)
    assert response.status_code in (200, 202), response.text
    done = await wait_for_operation(client, response.json()["id"], timeout_s=120)
    assert done["state"] == "succeeded", done
    return done["result"]


async def _all_activations(client) -> tuple[list[str], dict[int, list[list[float]]]]:
    """The text's tokens and, per layer, [token][neuron] for every neuron of the layer."""
    bodies = [
        {"model": MODEL, "texts": [TEXT], "layer": layer, "neurons": list(range(s, s + CHUNK))}
        for layer in LAYERS
        for s in range(0, WIDTH, CHUNK)
    ]
    results = await asyncio.gather(*(_run(client, "/v1/activations", b) for b in bodies))
    acts = {}
    for layer in LAYERS:  # the chunks in neuron order, as gathered
        chunks = [r["texts"][0]["activations"] for r in results if r["layer"] == layer]
        acts[layer] = [[a for chunk in chunks for a in chunk[t]] for t in range(len(chunks[0]))]
    return results[0]["texts"][0]["tokens"], acts


def _check_against(result: dict, tokens: list[str], acts: dict, sign: float, k: int) -> None:
    """Per token and overall, the search's neurons are the true top k (by sign * activation)
    and their activations are the recorded ones."""
    assert [t["text"] for t in result["tokens"]] == tokens
    for t, token in enumerate(result["tokens"]):
        every = sorted((sign * a[t][i] for a in acts.values() for i in range(WIDTH)), reverse=True)
        got = [sign * n["activation"] for n in token["top"]]
        assert got == pytest.approx(every[:k], rel=1e-4, abs=1e-5)
        for n in token["top"]:
            assert n["activation"] == pytest.approx(acts[n["layer"]][t][n["index"]], abs=1e-5)
    peaks = sorted(
        (max(sign * row[i] for row in a) for a in acts.values() for i in range(WIDTH)),
        reverse=True,
    )
    overall = result["overall"]
    got = [sign * n["activation"] for n in overall]
    assert got == sorted(got, reverse=True)
    assert got == pytest.approx(peaks[: len(overall)], rel=1e-4, abs=1e-5)
    for n in overall:
        column = [row[n["index"]] for row in acts[n["layer"]]]
        assert sign * n["activation"] == pytest.approx(max(sign * a for a in column), abs=1e-5)
        assert n["activation"] == pytest.approx(column[n["token"]], abs=1e-5)
        assert n["neuron_url"] == f"/v1/models/{MODEL}/layers/{n['layer']}/neurons/{n['index']}"


def _result(i: int, explanation: str, correlation: float | None, polarity: str) -> NeuronResult:
    return NeuronResult(
        operation_id=f"{i:064x}",
        kind="explanation",
        explanation=explanation,
        explainer="lexical",
        polarity=polarity,
        simulator="lexical",
        split="test",
        correlation=correlation,
        random_only_correlation=None,
        scan_id=None,
    )


async def test_top_neurons_are_the_recorded_top_with_their_best_explanation(settings):
    search = {"model": MODEL, "text": TEXT, "layers": LAYERS, "per_token": 3, "overall": 12}
    async with running_app(settings) as client:
        tokens, acts = await _all_activations(client)
        found = await _run(client, "/v1/neuron-searches", search)
        assert found["layers"] == LAYERS and found["polarity"] == "positive"
        _check_against(found, tokens, acts, 1.0, 3)
        assert all(n["explanation"] is None for n in found["overall"])

        negative = await _run(
            client, "/v1/neuron-searches", {**search, "polarity": "negative", "per_token": 2}
        )
        _check_against(negative, tokens, acts, -1.0, 2)

        # Explain the strongest neuron: its best positive result is attached, not a better-
        # scored negative one, nor a worse positive one.
        first = found["overall"][0]
        redis = aioredis.from_url(settings.redis_url)
        records = RecordStore(redis, settings.queue_prefix)
        for i, (text, correlation, polarity) in enumerate(
            [("cats", 0.3, "positive"), ("animals", 0.6, "positive"), ("dogs", 0.9, "negative")]
        ):
            result = _result(i, text, correlation, polarity)
            await records.add_result(
                MODEL, first["layer"], first["index"], result.operation_id, result.model_dump_json()
            )
        await redis.aclose()
        # The same request again: the stored results make it a new operation.
        again = await _run(client, "/v1/neuron-searches", search)
        top = again["overall"][0]
        assert (top["layer"], top["index"]) == (first["layer"], first["index"])
        assert (top["explanation"], top["correlation"]) == ("animals", 0.6)
        at_peak = again["tokens"][top["token"]]["top"]
        explained = [n for n in at_peak if (n["layer"], n["index"]) == (top["layer"], top["index"])]
        assert explained and explained[0]["explanation"] == "animals"
        assert all(n["explanation"] is None for n in again["overall"][1:])


async def test_all_layers_by_default(settings):
    async with running_app(settings) as client:
        found = await _run(
            client, "/v1/neuron-searches", {"model": MODEL, "text": "Hello world", "overall": 100}
        )
        assert found["layers"] == list(range(6))
        assert [t["text"] for t in found["tokens"]] == ["Hello", "world"]
        assert found["tokens"][1]["offset"] == [6, 11]
        assert all(len(t["top"]) == 5 for t in found["tokens"])
        assert len(found["overall"]) == 100
        assert len({n["layer"] for n in found["overall"]}) > 1


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        ({"layers": [6]}, 422, "layers 0-5"),
        ({"layers": []}, 422, "at least 1"),
        ({"per_token": 21}, 422, "20"),
        ({"overall": 101}, 422, "100"),
        ({"text": "a" * 20_001}, 422, "20000"),
        ({"polarity": "sideways"}, 422, "positive"),
        ({"model": "gpt-17"}, 404, "minilm-l6"),
    ],
)
async def test_bad_input_is_a_problem_naming_what_is_allowed(settings, body, status, expected):
    async with running_app(settings) as client:
        response = await client.post(
            "/v1/neuron-searches", json={"model": MODEL, "text": "Hello world", **body}
        )
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM
        assert expected in response.json()["detail"]
