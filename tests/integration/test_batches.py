"""Batches: one request explains and scores many neurons; results land per neuron and a
layer's neurons can be listed by score."""

import pytest

from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration


async def test_batch_explains_neurons_and_ranks_the_layer(settings):
    async with running_app(settings) as client:
        scan = {
            "model": "minilm-l6",
            "corpus": {"type": "builtin"},
            "layers": [2],
            "excerpt_tokens": 32,
            "max_tokens": 8192,
        }
        scanned = (await client.post("/v1/scans", json=scan)).json()
        assert (await wait_for_operation(client, scanned["id"]))["state"] == "succeeded"

        batch = {
            "model": "minilm-l6",
            "layer": 2,
            "neurons": [0, 1, 2, 3, 4, 5],
            "profile": "lexical",
            "explainer": "lexical",
            "simulator": "lexical",
        }
        submitted = await client.post("/v1/batches", json=batch)
        assert submitted.status_code == 202
        done = await wait_for_operation(client, submitted.json()["id"], timeout_s=120)
        assert done["state"] == "succeeded", done
        result = done["result"]
        assert result["succeeded"] == 6 and result["failed"] == 0
        assert [c["index"] for c in result["children"]] == [0, 1, 2, 3, 4, 5]
        assert done["progress"]["fraction"] == 1.0

        record = (await client.get("/v1/models/minilm-l6/layers/2/neurons/3")).json()
        assert record["results"][0]["kind"] == "explanation"
        assert record["results"][0]["operation_id"] == result["children"][3]["operation_id"]

        ranked = (await client.get("/v1/models/minilm-l6/layers/2/neurons")).json()
        scores = [r["correlation"] for r in ranked]
        assert scores == sorted(scores, reverse=True) and len(ranked) >= 1
        expected = {c["index"] for c in result["children"] if c["correlation"] is not None}
        assert {r["index"] for r in ranked} == expected


async def test_batch_rejects_out_of_range_neurons(settings):
    async with running_app(settings) as client:
        body = {"model": "minilm-l6", "layer": 2, "neurons": [0, 5000]}
        response = await client.post("/v1/batches", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "neurons 0-1535" in response.json()["detail"]
