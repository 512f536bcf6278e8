"""Explanations given by users are checked at submit (#18), and a local model's sampling
follows the request's seed."""

import pytest

from autointerp.interp.ports import ChatParameters
from autointerp.interp.prompts import ChatMessage
from autointerp.llm.transformers_backend import LocalCausalModel
from autointerp.subjects.catalog import ModelCatalog, builtin_sources
from autointerp.subjects.loading import ModelLoader
from tests.conftest import running_app

pytestmark = pytest.mark.integration

RECORDS = {"top": [{"tokens": ["a", "b"], "activations": [1.0, 0.0]}] * 4}


async def test_a_score_or_simulation_of_no_explanation_is_a_422_naming_why(settings):
    async with running_app(settings) as client:
        cases = [
            ("/v1/scores", {"explanation": "<start>", "records": RECORDS}, "markup"),
            ("/v1/scores", {"explanation": "A\t0", "records": RECORDS}, "listing"),
            ("/v1/simulations", {"explanation": "1", "tokens": [["a"]]}, "no words"),
        ]
        for path, body, reason in cases:
            response = await client.post(path, json=body)
            assert response.status_code == 422, response.text
            problem = response.json()
            assert problem["errors"][0]["loc"][-1] == "explanation"
            assert reason in problem["detail"], problem
        fine = {"explanation": "the letter a", "tokens": [["a"]], "profile": "lexical"}
        assert (
            await client.post("/v1/simulations", json={**fine, "simulator": "lexical"})
        ).status_code in (200, 202)


def test_a_local_model_samples_by_the_seed(data_dir):
    model = LocalCausalModel(
        ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models"), "smollm2-135m"
    )
    messages = [ChatMessage("user", "Name an animal.")]

    def draw(seed):
        parameters = ChatParameters(temperature=1.0, max_tokens=6, seed=seed)
        return model._chat(messages, parameters).choices[0].text

    first, again, other = draw(1), draw(1), draw(2)
    assert first == again != other
