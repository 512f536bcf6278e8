"""Drawing explanations (#18): checked candidates, asked for again when a server ignores `n`
or a candidate is rejected, a seed in the request, and greedy decoding for a single sample."""

import itertools
import json

import httpx
import pytest
from fakeredis import FakeAsyncRedis

from autointerp.application.submission import Submitter, submit_operation
from autointerp.config import LLMProfile
from autointerp.interp.errors import OperationFailed
from autointerp.interp.explainers import ExplainerKind, explain
from autointerp.interp.ports import ChatParameters
from autointerp.interp.prompts import (
    ChatMessage,
    check_explanation,
    explanation_prompt,
    prompt_lines,
)
from autointerp.interp.records import ActivationRecord
from autointerp.llm.cache import CachedLanguageModel
from autointerp.llm.openai_backend import OpenAICompatibleModel
from autointerp.schemas.batches import BatchRequest
from autointerp.schemas.explanations import ExplanationRequest, ScoreRequest, SimulationRequest
from autointerp.schemas.operations import OperationKind, OperationState
from autointerp.tasks.execution import execute_operation
from tests.fakes import HeldQueue, ScriptedLanguageModel, fake_resources, fake_worker

TOKENS = ["a", "b", "c", "d"]
RECORDS = {
    "top": [{"tokens": TOKENS, "activations": [5.0 - i * 0.1, 0.0, 0.0, 0.0]} for i in range(8)],
    "random": [{"tokens": TOKENS, "activations": [1.0 + 0.1 * i, 0.0, 0.0, 0.0]} for i in range(6)],
}
A_FIRES = json.dumps({"activations": [10, 0, 0, 0]})
TRAIN = [ActivationRecord(TOKENS, [5.0, 0.0, 0.0, 0.0]), ActivationRecord(TOKENS, [4.0, 0, 0, 0])]
LINES = prompt_lines(explanation_prompt(TRAIN))


def _explanation(**overrides):
    fields = {"records": RECORDS, "profile": "scripted", "simulator": "json"}
    return ExplanationRequest.model_validate({**fields, **overrides}, strict=False)


def _in_turn(*texts):
    """A reply that gives the next of `texts` at each call (then the last forever)."""
    turns = itertools.chain(texts, itertools.repeat(texts[-1]))
    return lambda _messages, _parameters: next(turns)


async def _run(resources, model, request, kind=OperationKind.explanation):
    queue = HeldQueue()
    operation, _ = await submit_operation(kind, request, resources, queue)
    runtime = fake_worker(resources, model)
    submit = Submitter(resources, queue)
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    return await resources.operations.get(operation.id)


# --- the checker (bug 6) ---


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("<start>", "markup"),
        ("<|im_end|> tokens", "markup"),
        ("the tag </end>", "markup"),
        ("1", "no words"),
        ("10.0202.4426 ...", "no words"),
        ("A\t0", "listing"),
        ('The sentence starting from "N\t0" that begins "The \t10.0202.4426', "listing"),
        ("The same document with only its non-zero activations:", "prompt"),
        ("one particular thing in short documents", "prompt"),
    ],
)
def test_the_checker_rejects_what_is_not_an_explanation(text, reason):
    found = check_explanation(text, LINES)
    assert found is not None and reason in found, found


@pytest.mark.parametrize(
    "text",
    [
        "numbers written as numerals",
        'the word "cat"',
        "the tokens 'my'",
        "the letter a",
        "days of the week",
        "numbers written as digits and years",
        "years like 1961 and other four-digit numbers",
        "the neuron fires on commas",
        # A worked example's answer may be the right one for a neuron like the example's.
        "names of days of the week",
        "the tokens '(', 'and', '[SEP]'",  # a quoted control token is described, not emitted
        'the end-of-text token "<|im_end|>"',
    ],
)
def test_the_checker_accepts_explanations(text):
    assert check_explanation(text, LINES) is None


def test_user_explanations_are_checked_for_markup_and_words():
    with pytest.raises(ValueError, match="markup"):
        ScoreRequest.model_validate({"explanation": "<start>", "records": RECORDS}, strict=False)
    with pytest.raises(ValueError, match="no words"):
        SimulationRequest.model_validate({"explanation": "1", "tokens": [["a"]]}, strict=False)
    ok = ScoreRequest.model_validate({"explanation": "the letter a", "records": RECORDS})
    assert ok.explanation == "the letter a"


# --- asking again (bug 3) and resampling rejected candidates (bug 6) ---


async def test_explain_asks_again_when_the_server_ignores_n():
    model = ScriptedLanguageModel([_in_turn("commas", "periods", "question marks")], ignores_n=True)
    written = await explain(ExplainerKind.token_activation_pair, model, TRAIN, 3, 1.0, seed=7)
    assert written.texts == ["commas", "periods", "question marks"]
    assert (written.asked, written.calls, written.rejected) == (3, 3, [])
    assert [p.n for _, p in model.calls] == [3, 1, 1]
    # Each call draws anew: its own seed, derived from the request's.
    seeds = [p.seed for _, p in model.calls]
    assert seeds[0] == 7 and len(set(seeds)) == 3
    assert written.usage.calls == 3


async def test_fewer_distinct_explanations_than_asked_are_reported_not_hidden():
    model = ScriptedLanguageModel(["commas"], ignores_n=True)
    written = await explain(ExplainerKind.token_activation_pair, model, TRAIN, 3, 1.0)
    assert written.texts == ["commas"]
    assert written.asked == 3 and written.calls == 7  # bounded: 2 * samples + 1 calls


async def test_rejected_candidates_are_resampled():
    model = ScriptedLanguageModel([_in_turn("<start>", "1", "commas")])
    written = await explain(ExplainerKind.token_activation_pair, model, TRAIN, 1, 0.0)
    assert written.texts == ["commas"]
    assert [r.text for r in written.rejected] == ["<start>", "1"]
    assert "markup" in written.rejected[0].reason and "no words" in written.rejected[1].reason
    # Greedy decoding would repeat the rejected answer: the resamples are sampled.
    assert [p.temperature for _, p in model.calls] == [0.0, 1.0, 1.0]


async def test_no_usable_explanation_fails_with_the_reasons():
    model = ScriptedLanguageModel(["<start>"])
    with pytest.raises(OperationFailed, match="markup"):
        await explain(ExplainerKind.token_activation_pair, model, TRAIN, 1, 0.0)
    assert len(model.calls) == 3


async def test_an_explanation_against_a_server_that_ignores_n_has_its_candidates(tmp_path):
    draws = _in_turn("the letter a", "the first token", "vowels")
    # The explainer's three calls come first, then every simulation (the json simulator).
    model = ScriptedLanguageModel([draws] * 3 + [A_FIRES], ignores_n=True)
    done = await _run(fake_resources(tmp_path), model, _explanation(samples=3))
    assert done.state is OperationState.succeeded, done.error
    assert [c.explanation for c in done.result.candidates] == [
        "the letter a",
        "the first token",
        "vowels",
    ]
    sampling = done.result.sampling
    assert (sampling.asked, sampling.obtained, sampling.calls) == (3, 3, 3)


async def test_an_explanation_says_when_it_got_fewer_samples_than_asked(tmp_path):
    model = ScriptedLanguageModel(["the letter a"] * 7 + [A_FIRES], ignores_n=True)
    done = await _run(fake_resources(tmp_path), model, _explanation(samples=3))
    assert done.state is OperationState.succeeded, done.error
    assert done.result.best.explanation == "the letter a"
    sampling = done.result.sampling
    assert (sampling.asked, sampling.obtained, sampling.calls) == (3, 1, 7)


async def test_an_explanation_whose_every_draw_is_rejected_fails_naming_why(tmp_path):
    model = ScriptedLanguageModel(["<start>"])
    done = await _run(fake_resources(tmp_path), model, _explanation(samples=1))
    assert done.state is OperationState.failed
    assert "markup" in done.error.detail


# --- the seed and the temperature default (bug 5) ---


def test_the_temperature_defaults_to_greedy_for_one_sample():
    assert _explanation().temperature is None
    assert _explanation().seed == 0


async def test_one_sample_is_greedy_and_several_are_sampled(tmp_path):
    resources = fake_resources(tmp_path)
    for samples, expected in ((1, 0.0), (3, 1.0)):
        draws = _in_turn("the letter a", "vowels", "the letter b")
        model = ScriptedLanguageModel([draws] * samples + [A_FIRES])
        done = await _run(resources, model, _explanation(samples=samples))
        assert done.state is OperationState.succeeded, done.error
        assert model.calls[0][1].temperature == expected
        stored = json.loads(await resources.operations.request_json(done.id))
        assert stored["request"]["temperature"] == expected


async def test_the_seed_makes_another_operation_and_another_draw(tmp_path):
    resources = fake_resources(tmp_path)

    def echo_seed(_messages, parameters):
        return f"the letter a, draw {parameters.seed}"

    seen = []
    for seed in (1, 2, 1):
        model = ScriptedLanguageModel([echo_seed, A_FIRES])
        done = await _run(resources, model, _explanation(samples=1, temperature=1.0, seed=seed))
        assert done.state is OperationState.succeeded, done.error
        seen.append((done.id, done.result.best.explanation))
    assert seen[0][0] != seen[1][0] and seen[0] == seen[2]
    assert [e for _, e in seen[:2]] == ["the letter a, draw 1", "the letter a, draw 2"]


async def test_a_batch_passes_its_seed_to_its_children(tmp_path):
    request = BatchRequest.model_validate(
        {"model": "tiny-gpt2", "layer": 1, "neurons": [1], "seed": 5}, strict=False
    )
    assert request.seed == 5 and request.temperature is None


async def test_the_seed_goes_to_an_openai_compatible_server():
    seen = {}

    def handler(request):
        seen.update(json.loads(request.content))
        return httpx.Response(
            200,
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": "commas"},
                    }
                ],
            },
        )

    profile = LLMProfile(backend="openai", model="m", base_url="http://llm.test/v1")
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    model = OpenAICompatibleModel(profile, http_client=client)
    await model.chat([ChatMessage("user", "hi")], ChatParameters(temperature=1.0, seed=11))
    assert seen["seed"] == 11


async def test_the_seed_is_part_of_the_llm_cache_key():
    inner = ScriptedLanguageModel([_in_turn("one", "two", "three")])
    cached = CachedLanguageModel(inner, FakeAsyncRedis(), {"model": "m"}, "test")
    messages = [ChatMessage("user", "hi")]
    first = await cached.chat(messages, ChatParameters(seed=1))
    again = await cached.chat(messages, ChatParameters(seed=1))
    other = await cached.chat(messages, ChatParameters(seed=2))
    assert first.choices[0].text == again.choices[0].text == "one"
    assert other.choices[0].text == "two"
    assert len(inner.calls) == 2
