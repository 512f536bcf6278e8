"""Protocol `study` reproduces neuron-explainer (openai/automated-interpretability): its
splits, its prompt listings and its scores. Every expected value here is written from their
code's rules (quoted in each test), not computed by ours."""

import math

import numpy as np

from autointerp.application.submission import Submitter, submit_operation
from autointerp.interp.activations import Polarity
from autointerp.interp.evaluation import score_explanation
from autointerp.interp.prompts import EXAMPLES, explanation_prompt
from autointerp.interp.protocols import OURS, RULES, STUDY, MethodProtocol, Rules, prepare
from autointerp.interp.records import ActivationRecord
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split, split_records
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.explanations import ExplanationRequest
from autointerp.schemas.operations import OperationKind, OperationState
from autointerp.tasks.execution import execute_operation
from tests.fakes import (
    HeldQueue,
    ScriptedLanguageModel,
    ScriptedPromptModel,
    fake_resources,
    fake_worker,
)

PREFIX = "the main thing this neuron does is find"


def _excerpt(number: int) -> ActivationRecord:
    return ActivationRecord([f" w{number}"], [1.0], excerpt_id=number)


def _their_slices(splits: list[str], per_split: int) -> dict[str, slice]:
    # activations.py get_slices_for_splits: slice(split_index, per_split * stride, stride),
    # with per_split = len(records) // len(splits) when n_examples_per_split is None.
    stride = len(splits)
    return {split: slice(i, per_split * stride, stride) for i, split in enumerate(splits)}


def test_study_splits_are_neuron_explainers_and_drop_the_leftovers():
    top = [_excerpt(i) for i in range(23)]
    random = [_excerpt(100 + i) for i in range(17)]
    top_slices = _their_slices(["train", "calibration", "valid", "test"], 23 // 4)
    random_slices = _their_slices(["calibration", "valid", "test"], 17 // 3)

    splits = prepare(top, random, Polarity.positive, STUDY).splits

    def ids(records: list[ActivationRecord]) -> list[int | None]:
        return [r.excerpt_id for r in records]

    for split in Split:
        assert ids(splits[split].top) == ids(top[top_slices[split.value]])
        expected = random[random_slices[split.value]] if split is not Split.train else []
        assert ids(splits[split].random) == ids(expected)
    # Their valid and test splits: 5 top and 5 random each; 20-22 and 115-116 are nowhere.
    assert [len(splits[s].top) for s in (Split.valid, Split.test)] == [5, 5]
    assert [len(splits[s].random) for s in (Split.valid, Split.test)] == [5, 5]
    used = {r.excerpt_id for s in Split for r in splits[s].top + splits[s].random}
    assert used.isdisjoint({20, 21, 22, 115, 116}) and len(used) == 35
    # Ours deals the leftovers to the earliest splits.
    ours = split_records(top, random)
    assert [len(ours[s].top) for s in Split] == [6, 6, 6, 5]
    assert [len(ours[s].random) for s in Split] == [0, 6, 6, 5]


def _block() -> list[ActivationRecord]:
    return [
        ActivationRecord(["The", " cat", " sat", " down", "."], [0.0, 2.0, 0.0, -0.5, 0.0]),
        ActivationRecord(["A", " dog", " ran", " off", "."], [-1.0, 0.0, 0.0, 0.0, 0.0]),
        ActivationRecord(["One", " cat", " more", " here", "!"], [0.0, 0.0, 0.0, 0.0, 0.5]),
    ]


def test_study_explainer_listing_repeats_the_whole_block_once_when_it_is_sparse():
    # explainer.py _add_per_neuron_explanation_prompt (HARMONY_V4): the listing, then, when
    # non_zero_activation_proportion over all the block's tokens is < 0.2 (here 2 of 15), the
    # same listing with zeros omitted (an all-zero excerpt keeps its empty markers), then
    # the explanation line ending in the prefix. Values: floor(10 * relu(a) / 2.0).
    expected = (
        "\n\nNeuron 3\nActivations:"
        "\n<start>\nThe\t0\n cat\t10\n sat\t0\n down\t0\n.\t0"
        "\n<end>\n<start>\nA\t0\n dog\t0\n ran\t0\n off\t0\n.\t0"
        "\n<end>\n<start>\nOne\t0\n cat\t0\n more\t0\n here\t0\n!\t2"
        "\n<end>\n"
        "\nSame activations, but with all zeros filtered out:"
        "\n<start>\n cat\t10"
        "\n<end>\n<start>\n"
        "\n<end>\n<start>\n!\t2"
        "\n<end>\n"
        f"\nExplanation of neuron 3 behavior: {PREFIX}"
    )
    messages = explanation_prompt(_block(), study_listing=True)
    assert messages[-1].role == "user" and messages[-1].content == expected
    # The few-shot answers continue the prefix: " {explanation}."
    assert [m.role for m in messages] == [
        "system",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert messages[2].content == f" {EXAMPLES[0].explanation}."
    # Ours decides per excerpt: each has 1 of 5 non-zero (not < 0.2), so nothing is repeated.
    assert "non-zero" not in explanation_prompt(_block())[-1].content


def test_study_explainer_listing_does_not_repeat_a_dense_block():
    expected = (
        "\n\nNeuron 3\nActivations:\n<start>\nThe\t0\n cat\t10\n sat\t0\n down\t0\n.\t0\n<end>\n"
        f"\nExplanation of neuron 3 behavior: {PREFIX}"
    )  # 1 of 5 non-zero: 0.2 is not < 0.2
    assert explanation_prompt(_block()[:1], study_listing=True)[-1].content == expected


def _records() -> tuple[list[ActivationRecord], list[ActivationRecord]]:
    """8 top and 6 random excerpts of a signed unit that fires on ' cat' (2 of each kind per
    split under either protocol, so only the scored values differ)."""
    rng = np.random.default_rng(7)
    words = [" the", " cat", " on", " a", " mat", " cat", " sat", "."]

    def excerpt(peak: float) -> ActivationRecord:
        acts = [float(v) for v in rng.normal(-0.1, 0.08, len(words))]
        acts[1], acts[5] = peak, peak * rng.uniform(0.2, 0.9)
        return ActivationRecord(list(words), acts)

    top = [excerpt(3.0 - 0.2 * i) for i in range(8)]
    random = [excerpt(float(rng.uniform(-0.2, 0.4))) for _ in range(6)]
    return top, random


def _their_valid(top: list[ActivationRecord], random: list[ActivationRecord]) -> list[list[float]]:
    # valid_activation_records: top[valid slice] + random[valid slice], raw activations.
    top_valid = top[
        _their_slices(["train", "calibration", "valid", "test"], len(top) // 4)["valid"]
    ]
    random_valid = random[
        _their_slices(["calibration", "valid", "test"], len(random) // 3)["valid"]
    ]
    return [r.activations for r in top_valid + random_valid]


def _their_scores(real: list[list[float]], simulated: list[list[float]]) -> tuple[float, ...]:
    # scoring.py aggregate_scored_sequence_simulations: over all sequences' tokens at once.
    y = [a for row in real for a in row]
    y_hat = [v for row in simulated for v in row]
    correlation = float(np.corrcoef(y, y_hat)[0, 1])
    r_squared = 1 - np.mean(np.square(np.array(y) - y_hat)) / np.mean(np.square(y))
    deviation = 1 - np.mean(np.abs(np.array(y) - y_hat)) / np.mean(np.abs(y))
    return correlation, float(r_squared), float(deviation)


def _cat(tokens: list[str]) -> list[float]:
    return [10.0 if t.strip() == "cat" else 0.0 for t in tokens]


async def test_study_scores_the_raw_signed_activations():
    top, random = _records()
    real = _their_valid(top, random)
    assert min(a for row in real for a in row) < 0  # the raw values are signed
    simulated = [_cat([" the", " cat", " on", " a", " mat", " cat", " sat", "."])] * len(real)
    correlation, r_squared, deviation = _their_scores(real, simulated)

    study = prepare(top, random, Polarity.positive, STUDY)
    scored = await score_explanation(
        SimulatorKind.lexical, None, "the word 'cat'", study.splits, Split.valid, rules=STUDY
    )
    assert math.isclose(scored.top_and_random.correlation, correlation, rel_tol=1e-12)
    assert math.isclose(scored.top_and_random.r_squared, r_squared, rel_tol=1e-12)
    assert math.isclose(
        scored.top_and_random.absolute_deviation_explained, deviation, rel_tol=1e-12
    )
    # The explainer still sees max(a, 0) (their listing clips with relu as well).
    assert min(a for r in study.train for a in r.activations) == 0.0
    # Ours scores against max(a, 0): another figure.
    ours = prepare(top, random, Polarity.positive, OURS)
    clipped = [[max(a, 0.0) for a in row] for row in real]
    ours_scored = await score_explanation(
        SimulatorKind.lexical, None, "the word 'cat'", ours.splits, Split.valid
    )
    expected_ours = _their_scores(clipped, simulated)[0]
    assert math.isclose(ours_scored.top_and_random.correlation, expected_ours, rel_tol=1e-12)
    assert abs(expected_ours - correlation) > 1e-3


def _their_listing(records: list[ActivationRecord]) -> str:
    # activation_records.py format_activation_records with calculate_max_activation.
    top = max(max(max(a, 0.0) for a in r.activations) for r in records)
    shown = [
        "\n".join(
            f"{t}\t{min(10, math.floor(10 * max(a, 0.0) / top))}"
            for t, a in zip(r.tokens, r.activations, strict=True)
        )
        for r in records
    ]
    return "\n<start>\n" + "\n<end>\n<start>\n".join(shown) + "\n<end>\n"


async def test_study_all_at_once_writes_one_prompt_per_excerpt_as_their_simulator_does():
    top, random = _records()
    study = prepare(top, random, Polarity.positive, STUDY)
    model = ScriptedPromptModel(value=lambda token: 10 if token.strip() == "cat" else 0)
    scored = await score_explanation(
        SimulatorKind.all_at_once, model, "the word 'cat'", study.splits, Split.valid, rules=STUDY
    )
    valid = study.splits[Split.valid]
    excerpts = [r.tokens for r in valid.top + valid.random]
    assert len(model.prompts) == len(excerpts) == 4
    # simulator.py make_simulation_prompt: few-shot blocks, then the explained neuron and
    # format_sequences_for_simulation([tokens]) of this one excerpt.
    example = EXAMPLES[0]
    example_block = (
        f"\n\nNeuron 1\nExplanation of neuron 1 behavior: {PREFIX} {example.explanation}"
        f"\nActivations: {_their_listing(example.records)}\n"
    )
    for prompt, tokens in zip(model.prompts, excerpts, strict=True):
        unknowns = "\n".join(f"{t}\tunknown" for t in tokens)
        tail = (
            f"\n\nNeuron 2\nExplanation of neuron 2 behavior: {PREFIX} the word 'cat'"
            f"\nActivations: \n<start>\n{unknowns}\n<end>\n"
        )
        assert prompt.endswith(example_block + tail)
        assert prompt.count("unknown") == len(tokens)
    # Scored over all excerpts together, against the raw activations.
    expected = _their_scores(_their_valid(top, random), [_cat(t) for t in excerpts])[0]
    assert math.isclose(scored.top_and_random.correlation, expected, rel_tol=1e-9)
    assert scored.usage.calls == 4

    # Ours packs every excerpt into one prompt; each switch works alone.
    packed = ScriptedPromptModel(value=model.value)
    await score_explanation(SimulatorKind.all_at_once, packed, "x", study.splits, Split.valid)
    assert len(packed.prompts) == 1 and packed.prompts[0].count("<start>") == 2 + 4
    alone = ScriptedPromptModel(value=model.value)
    await score_explanation(
        SimulatorKind.all_at_once,
        alone,
        "x",
        study.splits,
        Split.valid,
        rules=Rules(prompt_per_excerpt=True),
    )
    assert len(alone.prompts) == 4 and "Explanation of neuron" not in alone.prompts[0]


def test_each_protocol_names_its_rules():
    assert RULES[MethodProtocol.autointerp] == Rules()
    assert RULES[MethodProtocol.study] == Rules(True, True, True, True)


def test_a_summary_stored_before_protocols_reads_as_ours():
    old = (
        '{"operation_id": "x", "kind": "score", "explanation": "cats", "polarity": "positive",'
        ' "simulator": "json", "split": "valid", "correlation": 0.5,'
        ' "random_only_correlation": null, "scan_id": null}'
    )
    assert NeuronResult.model_validate_json(old).protocol is MethodProtocol.autointerp


async def _explain(resources, model, **fields):
    records = {
        "top": [{"tokens": list("abcd"), "activations": [5.0 - i, 0, 0, -0.1]} for i in range(4)],
        "random": [{"tokens": list("abcd"), "activations": [1.0, 0, 0, -0.1]}] * 3,
    }
    request = ExplanationRequest.model_validate(
        {"records": records, "profile": "scripted", "simulator": "json", "samples": 1, **fields},
        strict=False,
    )
    queue = HeldQueue()
    operation, _ = await submit_operation(OperationKind.explanation, request, resources, queue)
    runtime, submit = fake_worker(resources, model), Submitter(resources, queue)
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    return await resources.operations.get(operation.id)


async def test_the_protocol_is_part_of_the_request_and_named_in_every_result(tmp_path):
    resources = fake_resources(tmp_path)
    model = ScriptedLanguageModel(["the letter a.", '{"activations": [10, 0, 0, 0]}'])
    done = await _explain(resources, model, protocol="study")
    assert done.state is OperationState.succeeded, done.error
    assert done.result.protocol is MethodProtocol.study
    assert done.result.best.protocol is MethodProtocol.study
    explainer_turn = model.calls[0][0][-1].content
    assert explainer_turn.endswith(f"\nExplanation of neuron 3 behavior: {PREFIX}")
    ours = await _explain(resources, model)
    assert ours.id != done.id and ours.result.protocol is MethodProtocol.autointerp
