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

        # Results stay until deleted; deleting forgets them and the operations behind them.
        child = result["children"][3]["operation_id"]
        deleted = await client.delete("/v1/models/minilm-l6/layers/2/neurons/3/results")
        assert deleted.status_code == 204
        record = (await client.get("/v1/models/minilm-l6/layers/2/neurons/3")).json()
        assert record["results"] == [] and record["top"]  # the record itself stays
        ranked = (await client.get("/v1/models/minilm-l6/layers/2/neurons")).json()
        assert 3 not in {r["index"] for r in ranked}
        assert (await client.get(f"/v1/operations/{child}")).status_code == 404

        # Deleting the scan deletes its records and its operation: resubmitting re-runs it.
        path = f"/v1/models/minilm-l6/scans/{scanned['id']}"
        assert (await client.delete(path)).status_code == 204
        gone = await client.get("/v1/models/minilm-l6/layers/2/neurons/3")
        assert gone.status_code == 404 and "POST /v1/scans" in gone.json()["detail"]
        assert (await client.delete(path)).status_code == 404
        again = await client.post("/v1/scans", json=scan)
        assert again.status_code == 202 and again.json()["state"] in ("queued", "running")
        assert (await wait_for_operation(client, again.json()["id"]))["state"] == "succeeded"
        assert (await client.get("/v1/models/minilm-l6/layers/2/neurons/3")).status_code == 200


async def test_deleting_results_checks_the_neuron(settings):
    async with running_app(settings) as client:
        response = await client.delete("/v1/models/minilm-l6/layers/9/neurons/0/results")
        assert response.status_code == 422 and "layers 0-5" in response.json()["detail"]
        unknown = await client.delete(f"/v1/models/minilm-l6/scans/{'d' * 64}")
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"


async def test_batch_rejects_out_of_range_neurons(settings):
    async with running_app(settings) as client:
        body = {"model": "minilm-l6", "layer": 2, "neurons": [0, 5000]}
        response = await client.post("/v1/batches", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "neurons 0-1535" in response.json()["detail"]
