"""Submission and execution without servers: an in-memory Redis, a held queue and a scripted
language model stand in for Redis, taskiq and an LLM endpoint."""

import asyncio
import json
import logging

import pytest

from autointerp.application.submission import Submitter, submit_operation
from autointerp.interp.errors import InvalidRequest, TransientFailure
from autointerp.interp.records import ScanMeta, ScanSettings
from autointerp.schemas.batches import BatchRequest
from autointerp.schemas.explanations import ExplanationRequest, ScoreRequest
from autointerp.schemas.operations import OperationKind, OperationState
from autointerp.store.limits import UsageLedger
from autointerp.store.queues import Queue
from autointerp.tasks.execution import execute_operation
from tests.fakes import HeldQueue, ScriptedLanguageModel, fake_resources, fake_worker

TOKENS = ["a", "b", "c", "d"]
RECORDS = {
    "top": [{"tokens": TOKENS, "activations": [5.0 - i * 0.1, 0.0, 0.0, 0.0]} for i in range(8)],
    "random": [{"tokens": TOKENS, "activations": [1.0 + 0.1 * i, 0.0, 0.0, 0.0]} for i in range(6)],
}
A_FIRES = json.dumps({"activations": [10, 0, 0, 0]})


def _explanation(**overrides):
    fields = {"records": RECORDS, "profile": "scripted", "simulator": "json", "samples": 1}
    return ExplanationRequest.model_validate({**fields, **overrides}, strict=False)


async def _submit_and_run(resources, model, kind, request):
    queue = HeldQueue()
    operation, _ = await submit_operation(kind, request, resources, queue)
    runtime = fake_worker(resources, model)
    submit = Submitter(resources, queue)
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    return await resources.operations.get(operation.id)


async def test_identical_requests_make_one_operation_enqueued_once(tmp_path):
    resources, queue = fake_resources(tmp_path), HeldQueue()
    first, _ = await submit_operation(OperationKind.explanation, _explanation(), resources, queue)
    again, _ = await submit_operation(OperationKind.explanation, _explanation(), resources, queue)
    assert first.id == again.id and first.state is OperationState.queued
    assert queue.enqueued == [(Queue.llm, first.id)]
    stored = json.loads(await resources.operations.request_json(first.id))
    assert stored["request"]["simulator_profile"] == "scripted"  # resolved: defaulted
    assert stored["pins"]["simulator"]["base_url"] == "http://unused/v1"


async def test_a_refusable_request_is_refused_before_anything_is_stored(tmp_path):
    resources, queue = fake_resources(tmp_path), HeldQueue()
    request = _explanation(simulator="all_at_once")
    with pytest.raises(InvalidRequest, match="prompt logprobs"):
        await submit_operation(OperationKind.explanation, request, resources, queue)
    assert queue.enqueued == []
    assert (await resources.operations.list(10, None, None, None))[0] == []


async def test_an_explanation_runs_on_the_scripted_model(tmp_path):
    model = ScriptedLanguageModel(["the letter a.", A_FIRES])
    done = await _submit_and_run(
        fake_resources(tmp_path), model, OperationKind.explanation, _explanation()
    )
    assert done.state is OperationState.succeeded, done.error
    assert done.result.best.explanation == "the letter a"
    assert done.result.best.top_and_random.correlation > 0.8
    # One explanation; the json simulator calls once per excerpt of the test split (2 + 2).
    assert done.result.usage.calls == 5


async def test_an_unparsable_simulation_fails_and_stores_no_score(tmp_path):
    model = ScriptedLanguageModel(["the letter a", "no numbers here"])
    done = await _submit_and_run(
        fake_resources(tmp_path), model, OperationKind.explanation, _explanation()
    )
    assert done.state is OperationState.failed and done.result is None
    assert "not JSON" in done.error.detail


async def test_a_transient_failure_is_tried_again(tmp_path):
    model = ScriptedLanguageModel([TransientFailure("the endpoint said 503"), A_FIRES])
    resources = fake_resources(tmp_path, transient_retry_delay_s=0.0)
    request = ScoreRequest.model_validate(
        {"records": RECORDS, "explanation": "a", "profile": "scripted", "simulator": "json"},
        strict=False,
    )
    done = await _submit_and_run(resources, model, OperationKind.score, request)
    assert done.state is OperationState.succeeded, done.error
    assert len(model.calls) == 1 + 4  # the failed call, then the valid split's 2 + 2 again


async def test_transient_failures_give_up_with_the_reason(tmp_path):
    model = ScriptedLanguageModel([TransientFailure("the endpoint said 503")])
    resources = fake_resources(tmp_path, transient_retries=2, transient_retry_delay_s=0.0)
    done = await _submit_and_run(resources, model, OperationKind.explanation, _explanation())
    assert done.state is OperationState.failed
    assert done.error.type.endswith("/dependency-failed")
    assert "gave up after 3 tries" in done.error.detail
    assert len(model.calls) == 3  # each try stops at its first call


async def test_a_bug_is_an_internal_error_logged_with_its_traceback(tmp_path, caplog):
    model = ScriptedLanguageModel([TypeError("a bug in an adapter")])
    with caplog.at_level(logging.ERROR):
        done = await _submit_and_run(
            fake_resources(tmp_path), model, OperationKind.explanation, _explanation()
        )
    assert done.state is OperationState.failed
    assert done.error.status == 500 and done.error.type.endswith("/internal")
    assert "a bug" not in done.error.detail  # internals stay in the log
    crashed = [r for r in caplog.records if r.message == "operation crashed"]
    assert crashed and crashed[0].exc_info[0] is TypeError
    assert len(model.calls) == 1  # not retried as if the dependency had failed


async def test_an_operation_whose_workers_keep_dying_is_dead_lettered(tmp_path):
    resources, queue = fake_resources(tmp_path, max_attempts=2), HeldQueue()
    operation, _ = await submit_operation(
        OperationKind.explanation, _explanation(), resources, queue
    )
    await resources.redis.hset(resources.operations.key(operation.id), "attempts", 2)
    runtime = fake_worker(resources, ScriptedLanguageModel(["unused"]))
    await execute_operation(operation.id, runtime, Submitter(resources, queue))
    done = await resources.operations.get(operation.id)
    assert done.state is OperationState.failed and done.error.type.endswith("/dead-letter")
    assert "started 2 times" in done.error.detail


async def test_a_batch_submits_its_children_through_its_context(tmp_path):
    resources = fake_resources(tmp_path)
    settings = ScanSettings(layers=[1])
    meta = ScanMeta("f" * 64, "tiny-gpt2", "seed-0", settings, 256, excerpts=0, tokens=0)
    await resources.records.finish(meta)
    request = BatchRequest.model_validate(
        {
            "model": "tiny-gpt2",
            "layer": 1,
            "neurons": [3, 1, 3],
            "profile": "lexical",
            "explainer": "lexical",
            "simulator": "lexical",
        },
        strict=False,
    )
    queue = HeldQueue()
    batch, _ = await submit_operation(OperationKind.batch, request, resources, queue)
    stored = json.loads(await resources.operations.request_json(batch.id))
    assert stored["request"]["neurons"] == [1, 3] and stored["request"]["scan"] == meta.scan_id
    runtime = fake_worker(resources, ScriptedLanguageModel(["unused"]))
    submit = Submitter(resources, queue)
    queue.enqueued.clear()
    # The batch waits for its children, so they run while it does; they fail here (the
    # scan holds no records), which finishes them all the same.
    running = asyncio.create_task(execute_operation(batch.id, runtime, submit))
    while len(queue.enqueued) < 2:
        await asyncio.sleep(0.01)
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    await running
    done = await resources.operations.get(batch.id)
    assert done.state is OperationState.succeeded, done.error
    assert [c.index for c in done.result.children] == [1, 3]
    assert done.result.failed == 2


def test_layer_groups_are_consecutive_and_even():
    from autointerp.interp.records import layer_groups

    assert layer_groups(list(range(6)), 4) == [[0, 1], [2, 3], [4], [5]]
    assert layer_groups([3, 9], 2) == [[3], [9]]
    assert [layer for group in layer_groups(list(range(30)), 7) for layer in group] == list(
        range(30)
    )


async def test_llm_tokens_are_charged_to_the_owner_and_a_spent_budget_stops_the_next(tmp_path):
    """Per-key daily budgets (#16, finding 10): what an operation spent is charged to the key
    that submitted it; once the budget is spent, the key's next LLM operation fails before
    it calls a model."""
    resources = fake_resources(tmp_path, auth=True, llm_tokens_per_day=40)
    model = ScriptedLanguageModel(["the letter a", A_FIRES])
    queue, runtime = HeldQueue(), fake_worker(resources, model)
    submit = Submitter(resources, queue)
    first, _ = await submit_operation(
        OperationKind.explanation, _explanation(), resources, queue, owner="k1"
    )
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    done = await resources.operations.get(first.id)
    assert done.state is OperationState.succeeded, done.error
    spent = done.result.usage.prompt_tokens + done.result.usage.completion_tokens
    ledger = UsageLedger(resources.redis, resources.settings.queue_prefix)
    assert (await ledger.today("k1")).tokens == spent >= 40
    calls = len(model.calls)
    second, _ = await submit_operation(
        OperationKind.explanation, _explanation(temperature=0.5), resources, queue, owner="k1"
    )
    other, _ = await submit_operation(
        OperationKind.explanation, _explanation(temperature=0.7), resources, queue, owner="k2"
    )
    await queue.run_all(lambda op_id: execute_operation(op_id, runtime, submit))
    refused = await resources.operations.get(second.id)
    assert refused.state is OperationState.failed
    assert refused.error.status == 429 and "daily budget of 40" in refused.error.detail
    assert (await resources.operations.get(other.id)).state is OperationState.succeeded
    assert len(model.calls) == 2 * calls  # the refused one called no model; k2 as many
