"""Explain -> simulate -> score end to end on real language models: a real OpenAI-compatible
server (llama-cpp-python's, on the SmolLM2 GGUF, over HTTP through the official `openai`
client) and the local transformers backend. A 135M model writes poor explanations: quality is
not asserted; shapes, parsing, alignment, usage accounting and caching are."""

import itertools
import os
import subprocess
import sys
import time

import httpx
import pytest

from autointerp.config import LLMProfile
from autointerp.interp.prompts import UNKNOWN
from autointerp.interp.simulation import all_at_once_prompt, simulate_all_at_once
from autointerp.llm.openai_backend import OpenAICompatibleModel
from autointerp.subjects.catalog import builtin_sources
from tests.conftest import free_port, running_app, wait_for_operation

pytestmark = pytest.mark.integration

# A 135M chat model copies token lines reliably only for text like its few-shot example, so
# the excerpts are that text: what is under test is the plumbing, not the model's insight.
WEEK = ["We", " met", " on", " Monday"]
DIGITS = [(WEEK, [0.0, 0.1, 0.0, 4.0 - 0.2 * i]) for i in range(8)]
RANDOM = [(WEEK, [0.0, 0.0, 0.0, 0.1 * (i % 2)]) for i in range(6)]
RECORDS = {
    "top": [{"tokens": t, "activations": a} for t, a in DIGITS],
    "random": [{"tokens": t, "activations": a} for t, a in RANDOM],
}


@pytest.fixture(scope="module")
def llama_server():
    """llama-cpp-python's OpenAI-compatible server on 127.0.0.1, logits for every token."""
    gguf = builtin_sources()["smollm2-135m"].location
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            gguf,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--logits_all",
            "true",
            "--n_ctx",
            "4096",
            "--seed",
            "0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/models", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("llama.cpp server did not start")
    yield base
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def llm_settings(settings, llama_server):
    profiles = {
        **settings.llm_profiles,
        "llamacpp": LLMProfile(
            backend="openai",
            model="smollm2",
            base_url=llama_server,
            prompt_logprobs=True,
            max_retries=1,
            timeout_s=120,
        ),
    }
    return settings.model_copy(update={"llm_profiles": profiles})


async def _finished(client, path, body, timeout_s=600):
    response = await client.post(path, json=body)
    assert response.status_code in (200, 202), response.text
    return await wait_for_operation(client, response.json()["id"], timeout_s=timeout_s)


def _assert_scored(scored, split):
    assert scored["split"] == split
    for part in ("top_and_random", "random_only", "calibrated_top_and_random"):
        correlation = scored[part]["correlation"]
        assert correlation is None or -1.0 <= correlation <= 1.0
    assert scored["top_and_random"]["tokens"] == 4 * 4


async def test_openai_server_explain_simulate_score(llm_settings):
    async with running_app(llm_settings) as client:
        explained = await _finished(
            client,
            "/v1/explanations",
            {
                "records": RECORDS,
                "profile": "llamacpp",
                "samples": 1,
                "temperature": 0.0,
                "simulator": "generated",
            },
        )
        assert explained["state"] == "succeeded", explained
        result = explained["result"]
        explanation = result["best"]["explanation"]
        # One sample: no candidates to pick from, so it is scored on test directly.
        assert explanation and result["candidates"] == []
        _assert_scored(result["best"], "test")
        usage = result["usage"]
        assert usage["prompt_tokens"] > 500 and usage["completion_tokens"] > 0
        # The explaining call(s) (one, unless a draw was rejected), then one generated
        # simulation per test excerpt (calibration is cross-fitted on those excerpts: no
        # calibration split is simulated; repeated excerpts come from the cache).
        assert usage["calls"] == result["sampling"]["calls"] + 4

        simulated = await _finished(
            client,
            "/v1/simulations",
            {
                "explanation": explanation,
                "profile": "llamacpp",
                "simulator": "generated",
                "tokens": [WEEK],
            },
        )
        assert simulated["state"] == "succeeded", simulated
        excerpt = simulated["result"]["excerpts"][0]
        assert len(excerpt["values"]) == 4 and all(0 <= v <= 10 for v in excerpt["values"])
        assert simulated["result"]["unaligned_tokens"] <= 2

        score_request = {
            "records": RECORDS,
            "explanation": explanation,
            "profile": "llamacpp",
            "simulator": "generated",
            "split": "test",
        }
        scored = await _finished(client, "/v1/scores", score_request)
        assert scored["state"] == "succeeded", scored
        # Everything this score needs was simulated while explaining: all from the cache.
        usage = scored["result"]["usage"]
        assert usage["calls"] == usage["cached_calls"] > 0 and usage["prompt_tokens"] == 0
        assert scored["result"]["score"] == result["best"]

        # Calibrating on the calibration split simulates its 4 excerpts too.
        split_calibrated = await _finished(
            client, "/v1/scores", {**score_request, "calibration": "split"}
        )
        assert split_calibrated["state"] == "succeeded", split_calibrated
        usage = split_calibrated["result"]["usage"]
        assert usage["calls"] == 8 and usage["cached_calls"] >= 4
        score = split_calibrated["result"]["score"]
        assert score["top_and_random"] == result["best"]["top_and_random"]  # calibration-free


def _first(top):
    return max(top, key=top.get) if top else None


async def test_openai_server_prompt_logprobs_describe_their_own_tokens(llm_settings):
    """Each echoed prompt token carries the distribution that predicted it, not the next
    token's (llama-cpp-python's server reports them one token late, abetlen/llama-cpp-python
    #1983; the backend realigns them)."""
    model = OpenAICompatibleModel(llm_settings.llm_profiles["llamacpp"])
    counting = "One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve"
    tokens = (await model.prompt_logprobs(counting)).tokens
    assert "".join(t.text for t in tokens) == counting
    here = sum(_first(t.top) == t.text for t in tokens)
    ahead = sum(_first(t.top) == after.text for t, after in itertools.pairwise(tokens))
    # Counting is easy to predict: most tokens were the model's first choice where they stand.
    assert here >= len(tokens) // 2 and ahead <= 2, [(t.text, _first(t.top)) for t in tokens]

    # In the all-at-once prompt, each slot's entry is the `unknown` written there, and what
    # is predicted there is a value (or `unknown`); the newline after it predicts a newline.
    prompt = all_at_once_prompt("numbers written as digits", [WEEK, WEEK])
    result = await model.prompt_logprobs(prompt.text, include=[str(v) for v in range(11)])
    at = {t.offset: t for t in result.tokens}
    values = {str(v) for v in range(11)}
    for offset in (o for row in prompt.slots for o in row):
        slot = at[offset]
        assert slot.text == UNKNOWN and _first(slot.top) in values | {UNKNOWN}, slot
        assert values & set(slot.top), slot  # the values are among the top tokens asked for
        newline = at[offset + len(UNKNOWN)]
        assert newline.text == "\n" and _first(newline.top) == "\n", newline
    simulation = await simulate_all_at_once(model, "numbers written as digits", [WEEK, WEEK])
    assert simulation.unaligned_tokens == 0
    assert all(0 <= v <= 10 for row in simulation.values for v in row)


async def test_openai_server_all_at_once_and_json(llm_settings):
    async with running_app(llm_settings) as client:
        for simulator in ("all_at_once", "json"):
            done = await _finished(
                client,
                "/v1/simulations",
                {
                    "explanation": "numbers written as digits",
                    "profile": "llamacpp",
                    "simulator": simulator,
                    "tokens": [WEEK],
                },
            )
            if simulator == "all_at_once":  # read from logprobs: every slot has its values
                assert done["state"] == "succeeded", done
                assert done["result"]["unaligned_tokens"] == 0
            # A 135M model may not produce a readable JSON answer; if not, the operation
            # must fail with the reason and store no result.
            if done["state"] == "failed":
                assert done["result"] is None and done["error"]["detail"]
            else:
                assert len(done["result"]["excerpts"][0]["values"]) == 4
                assert done["result"]["usage"]["prompt_tokens"] > 0


async def test_local_transformers_all_at_once(settings):
    async with running_app(settings) as client:
        explained = await _finished(
            client,
            "/v1/explanations",
            {"records": RECORDS, "profile": "local", "samples": 2, "simulator": "all_at_once"},
        )
        assert explained["state"] == "succeeded", explained
        result = explained["result"]
        sampling = result["sampling"]
        assert sampling["asked"] == 2 and len(result["candidates"]) in (0, 2)
        assert sampling["obtained"] == max(len(result["candidates"]), 1)
        _assert_scored(result["best"], "test")
        assert result["best"]["unaligned_tokens"] == 0
        # Explaining is one call with n=2 samples, then one more per draw missing or
        # rejected; each score one all-at-once prompt.
        assert 1 <= sampling["calls"] <= 5
        assert result["usage"]["calls"] == sampling["calls"] + len(result["candidates"]) + 1


async def test_unknown_profile_and_bad_records_are_problems(settings):
    async with running_app(settings) as client:
        cases = [
            ({"records": RECORDS, "profile": "gpt-17"}, "configured profiles"),
            ({"records": {"top": [{"tokens": ["a"], "activations": [1.0, 2.0]}]}}, "same length"),
            (
                {"neuron": {"model": "minilm-l6", "layer": 0, "index": 0}, "records": RECORDS},
                "exactly one",
            ),
            ({"neuron": {"model": "minilm-l6", "layer": 0, "index": 0}}, "no scan"),
        ]
        for body, expected in cases:
            response = await client.post("/v1/explanations", json=body)
            assert response.status_code in (404, 422), response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert expected in response.json()["detail"], response.json()
        empty = await client.post("/v1/scores", json={"records": RECORDS, "explanation": ""})
        assert empty.status_code == 422
        long = await client.post("/v1/scores", json={"records": RECORDS, "explanation": "x" * 501})
        assert long.status_code == 422 and "500" in long.json()["detail"]


@pytest.mark.skipif(os.environ.get("AUTOINTERP_SKIP_SLOW") == "1", reason="slow")
async def test_lexical_profile_needs_no_model(settings):
    async with running_app(settings) as client:
        explained = await _finished(
            client,
            "/v1/explanations",
            {
                "records": RECORDS,
                "profile": "lexical",
                "explainer": "lexical",
                "simulator": "lexical",
            },
        )
        result = explained["result"]
        assert result["best"]["explanation"].startswith("the tokens '")
        assert result["usage"]["calls"] == 0


async def test_an_endpoint_that_stays_down_fails_after_bounded_retries(settings):
    down = LLMProfile(
        backend="openai", model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=1
    )
    quick = settings.model_copy(
        update={
            "llm_profiles": {**settings.llm_profiles, "down": down},
            "transient_retries": 2,
            "transient_retry_delay_s": 0.05,
        }
    )
    async with running_app(quick) as client:
        failed = await _finished(
            client,
            "/v1/explanations",
            {"records": RECORDS, "profile": "down", "samples": 1, "simulator": "json"},
        )
    assert failed["state"] == "failed" and failed["result"] is None
    assert failed["error"]["type"].endswith("/dependency-failed")
    detail = failed["error"]["detail"]
    assert "after 2 attempts: APIConnectionError" in detail  # the client's own retries
    assert "gave up after 3 tries" in detail  # then the operation's
