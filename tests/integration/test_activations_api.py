"""The recording operations over HTTP: activations for texts, scans, neuron reads, bad input."""

import json
import math

import pytest

from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


async def _run(client, path, body):
    response = await client.post(path, json=body)
    assert response.status_code in (200, 202), response.text
    return await wait_for_operation(client, response.json()["id"], timeout_s=120)


async def test_activations_for_texts(settings):
    async with running_app(settings) as client:
        body = {
            "model": "minilm-l6",
            "texts": ["Hello world", "The cat"],
            "layer": 2,
            "neurons": [0, 5, 1535],
        }
        done = await _run(client, "/v1/activations", body)
        assert done["state"] == "succeeded", done
        result = done["result"]
        assert result["neurons"] == [0, 5, 1535]
        first = result["texts"][0]
        assert first["tokens"] == ["Hello", "world"]
        assert len(first["activations"]) == 2 and len(first["activations"][0]) == 3


async def test_models_list_layers_and_neurons(settings):
    async with running_app(settings) as client:
        models = {m["name"]: m for m in (await client.get("/v1/models")).json()}
        assert models["minilm-l6"]["layers"] == 6
        assert models["minilm-l6"]["neurons_per_layer"] == 1536
        assert models["smollm2-135m"]["layers"] == 30 and models["smollm2-135m"]["gated"]
        assert models["tiny-gpt2"]["neurons_per_layer"] == 256
        missing = await client.get("/v1/models/gpt-17")
        assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


async def test_scan_then_read_a_neuron_and_hit_the_cache(settings):
    body = {
        "model": "minilm-l6",
        "corpus": {"type": "builtin", "name": "brown"},
        "layers": [0, 5],
        "excerpt_tokens": 32,
        "top_k": 4,
        "random_k": 3,
        "quantile_bins": 3,
        "quantile_k": 2,
        "max_tokens": 2048,
    }
    async with running_app(settings) as client:
        done = await _run(client, "/v1/scans", body)
        assert done["state"] == "succeeded", done
        assert done["result"]["tokens"] == 2048 and done["result"]["layers"] == [0, 5]
        record = (await client.get("/v1/models/minilm-l6/layers/5/neurons/17")).json()
        assert record["scan_id"] == done["result"]["scan_id"]
        assert len(record["top"]) == 4 and len(record["random"]) == 3
        maxes = [max(e["activations"]) for e in record["top"]]
        assert maxes == sorted(maxes, reverse=True)
        assert record["stats"]["max"] == pytest.approx(maxes[0], rel=1e-2)
        assert all(len(e["tokens"]) == len(e["activations"]) == 32 for e in record["top"])
        quantiles = record["quantiles"]
        assert [q["quantile_to"] for q in quantiles] == pytest.approx([1 / 3, 2 / 3, 1])
        assert quantiles[0]["lower"] is None and quantiles[-1]["upper"] is None
        for q in quantiles:
            assert len(q["excerpts"]) == 2
            lower = -math.inf if q["lower"] is None else q["lower"]
            upper = math.inf if q["upper"] is None else q["upper"]
            assert all(lower <= max(e["activations"]) <= upper for e in q["excerpts"])
        # The identical scan is a cache hit: same operation, answered at once.
        again = await client.post("/v1/scans", json=body)
        assert again.status_code == 200 and again.json()["id"] == done["id"]
        unscanned = await client.get("/v1/models/minilm-l6/layers/3/neurons/17")
        assert unscanned.status_code == 404 and "layer 3" in unscanned.json()["detail"]


async def test_scan_of_inline_texts_and_a_jsonl_file(settings):
    (settings.corpora_dir / "mine.jsonl").write_text(
        "\n".join(json.dumps({"text": f"Sentence number {i} about cats."}) for i in range(50))
    )
    async with running_app(settings) as client:
        for corpus in (
            {"type": "texts", "texts": ["one two three", "four five six"]},
            {"type": "file", "path": "mine.jsonl"},
        ):
            body = {"model": "tiny-gpt2", "corpus": corpus, "excerpt_tokens": 8}
            done = await _run(client, "/v1/scans", body)
            assert done["state"] == "succeeded", done
            assert done["result"]["layers"] == [0, 1]


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        (
            "/v1/activations",
            {"model": "minilm-l6", "texts": ["a"], "layer": 6, "neurons": [0]},
            "layers 0-5",
        ),
        (
            "/v1/activations",
            {"model": "minilm-l6", "texts": ["a"], "layer": 0, "neurons": [1536]},
            "neurons 0-1535",
        ),
        (
            "/v1/activations",
            {"model": "minilm-l6", "texts": [], "layer": 0, "neurons": [0]},
            "at least 1",
        ),
        (
            "/v1/activations",
            {"model": "minilm-l6", "texts": ["a" * 20_001], "layer": 0, "neurons": [0]},
            "20000",
        ),
        (
            "/v1/scans",
            {"model": "minilm-l6", "corpus": {"type": "file", "path": "nope.jsonl"}},
            "no corpus file",
        ),
        (
            "/v1/scans",
            {"model": "minilm-l6", "corpus": {"type": "file", "path": "../x"}},
            "inside the corpora directory",
        ),
        (
            "/v1/scans",
            {"model": "minilm-l6", "corpus": {"type": "builtin"}, "layers": [9]},
            "layers 0-5",
        ),
        ("/v1/scans", {"model": "minilm-l6", "corpus": {"type": "pdf"}}, "corpus"),
        (
            "/v1/scans",
            {
                "model": "smollm2-135m",
                "corpus": {"type": "builtin"},
                "excerpt_tokens": 512,
                "top_k": 100,
                "random_k": 100,
            },
            "this server's 4096 MB",
        ),
        (
            "/v1/scans",
            {"model": "minilm-l6", "corpus": {"type": "builtin"}, "max_tokens": 10**9},
            "20000000",
        ),
    ],
)
async def test_bad_input_is_a_problem_naming_the_limit(settings, path, body, expected):
    async with running_app(settings) as client:
        response = await client.post(path, json=body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert expected in response.json()["detail"]


async def test_unreadable_corpus_fails_the_operation_with_a_reason(settings):
    (settings.corpora_dir / "broken.jsonl").write_text('{"text": "fine"}\nnot json\n')
    async with running_app(settings) as client:
        body = {"model": "tiny-gpt2", "corpus": {"type": "file", "path": "broken.jsonl"}}
        done = await _run(client, "/v1/scans", body)
        assert done["state"] == "failed"
        assert "line 2" in done["error"]["detail"]
        assert done["result"] is None
