"""Explain, simulate and score: load records, call the pure method, return typed results."""

from __future__ import annotations

import asyncio
from typing import Any

from autointerp.interp.activations import Polarity, polarized
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.evaluation import ExplanationScore, best, score_explanation, simulate
from autointerp.interp.explainers import explain
from autointerp.interp.ports import Usage
from autointerp.interp.records import ActivationRecord
from autointerp.interp.splits import Split, split_records
from autointerp.neuron_records import find_scan, read_neuron_record
from autointerp.runtime import Runtime
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.explanations import (
    CalibrationOut,
    ExplanationRequest,
    ExplanationResult,
    InlineRecords,
    NeuronRef,
    ScoredExplanation,
    ScoreOut,
    ScoreRequest,
    ScoreResult,
    SimulatedExcerpt,
    SimulationRequest,
    SimulationResult,
    UsageOut,
)
from autointerp.schemas.operations import OperationKind
from autointerp.tasks.base import OperationContext, OperationHandler, Queue


def _json(neuron: NeuronRef | None) -> dict[str, Any] | None:
    return neuron.model_dump(mode="json") if neuron is not None else None


async def resolve_scan(neuron: NeuronRef | None, runtime: Runtime) -> NeuronRef | None:
    """Pin a neuron to a concrete scan, so the operation id changes when a new scan lands."""
    if neuron is None or neuron.scan is not None:
        return neuron
    meta = await find_scan(runtime, neuron.model, neuron.layer, neuron.index, None)
    return neuron.model_copy(update={"scan": meta.scan_id})


async def _records(
    neuron: NeuronRef | None, inline: InlineRecords | None, polarity: Polarity, runtime: Runtime
) -> tuple[list[ActivationRecord], list[ActivationRecord]]:
    """Top (by polarity) and random excerpts, sign-filtered for the polarity."""
    if neuron is not None:
        record = await read_neuron_record(
            runtime, neuron.model, neuron.layer, neuron.index, neuron.scan
        )
        top = record.top if polarity is Polarity.positive else record.bottom
        top_records = [ActivationRecord(e.tokens, e.activations) for e in top]
        random = [ActivationRecord(e.tokens, e.activations) for e in record.random]
    else:
        assert inline is not None  # the request model guarantees one of the two
        top_records = [ActivationRecord(e.tokens, e.activations) for e in inline.top]
        random = [ActivationRecord(e.tokens, e.activations) for e in inline.random]
    return ([polarized(r, polarity) for r in top_records], [polarized(r, polarity) for r in random])


def _usage(usage: Usage) -> UsageOut:
    return UsageOut(
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        calls=usage.calls,
        cached_calls=usage.cached_calls,
    )


def _scored(result: ExplanationScore, split: Split) -> ScoredExplanation:
    def out(parts: Any) -> ScoreOut:
        return ScoreOut(**parts.__dict__)

    return ScoredExplanation(
        explanation=result.explanation,
        split=split.value,
        top_and_random=out(result.top_and_random),
        random_only=out(result.random_only),
        calibrated_top_and_random=out(result.calibrated_top_and_random),
        calibration=CalibrationOut(**result.calibration.__dict__),
        unaligned_tokens=result.unaligned_tokens,
    )


async def _remember(
    context: OperationContext,
    kind: str,
    neuron: NeuronRef | None,
    polarity: Polarity,
    simulator: str,
    scored: ScoredExplanation,
) -> None:
    """Index a neuron's explanation or score so the neuron-centred read lists it."""
    if neuron is None:
        return
    summary = NeuronResult(
        operation_id=context.operation_id,
        kind=kind,
        explanation=scored.explanation,
        polarity=polarity.value,
        simulator=simulator,
        split=scored.split,
        correlation=scored.top_and_random.correlation,
        random_only_correlation=scored.random_only.correlation,
        scan_id=neuron.scan,
    )
    records = context.runtime.records
    await records.add_result(
        neuron.model, neuron.layer, neuron.index, context.operation_id, summary.model_dump_json()
    )
    if summary.correlation is not None:
        await records.rank(neuron.model, neuron.layer, neuron.index, summary.correlation)


# -- explanations ---------------------------------------------------------------------------


async def _explanation_identity(request: ExplanationRequest, runtime: Runtime) -> dict[str, Any]:
    simulator_profile = request.simulator_profile or request.profile
    return {
        "neuron": _json(await resolve_scan(request.neuron, runtime)),
        "explainer_model": runtime.llms.identity(request.profile),
        "simulator_model": runtime.llms.identity(simulator_profile),
    }


async def _run_explanation(
    request: ExplanationRequest, context: OperationContext
) -> ExplanationResult:
    runtime = context.runtime
    neuron = await resolve_scan(request.neuron, runtime)
    top, random = await _records(neuron, request.records, request.polarity, runtime)
    splits = split_records(top, random)
    if not splits[Split.train].top:
        raise InvalidRequest("the neuron record has no top excerpts in the train split")
    await context.report_progress(0.05, "explaining")
    explainer = runtime.llms.get(request.profile)
    simulator = runtime.llms.get(request.simulator_profile or request.profile)
    written = await explain(
        request.explainer, explainer, splits[Split.train].top, request.samples, request.temperature
    )
    usage, candidates = written.usage, []
    if len(written.texts) > 1:  # best-of-k: pick on valid, so the test score stays unbiased
        for number, text in enumerate(written.texts):
            await context.report_progress(0.1 + 0.8 * number / len(written.texts), "scoring")
            candidates.append(
                await score_explanation(
                    request.simulator, simulator, text, splits, Split.valid, request.calibration
                )
            )
            usage += candidates[-1].usage
    chosen_text = best(candidates).explanation if candidates else written.texts[0]
    await context.report_progress(0.9, "scoring the best on test")
    chosen = await score_explanation(
        request.simulator, simulator, chosen_text, splits, Split.test, request.calibration
    )
    best_scored = _scored(chosen, Split.test)
    await _remember(
        context, "explanation", neuron, request.polarity, request.simulator.value, best_scored
    )
    return ExplanationResult(
        neuron=neuron,
        polarity=request.polarity,
        explainer=request.explainer,
        simulator=request.simulator,
        candidates=[_scored(c, Split.valid) for c in candidates],
        best=best_scored,
        usage=_usage(usage + chosen.usage),
    )


EXPLANATION = OperationHandler(
    kind=OperationKind.explanation,
    queue=Queue.llm,
    request_model=ExplanationRequest,
    identity=_explanation_identity,
    run=_run_explanation,
)


# -- scores ---------------------------------------------------------------------------------


async def _score_identity(request: ScoreRequest, runtime: Runtime) -> dict[str, Any]:
    return {
        "neuron": _json(await resolve_scan(request.neuron, runtime)),
        "simulator_model": runtime.llms.identity(request.profile),
    }


async def _run_score(request: ScoreRequest, context: OperationContext) -> ScoreResult:
    runtime = context.runtime
    neuron = await resolve_scan(request.neuron, runtime)
    top, random = await _records(neuron, request.records, request.polarity, runtime)
    split = Split(request.split)
    result = await score_explanation(
        request.simulator,
        runtime.llms.get(request.profile),
        request.explanation,
        split_records(top, random),
        split,
        request.calibration,
    )
    scored = _scored(result, split)
    await _remember(context, "score", neuron, request.polarity, request.simulator.value, scored)
    return ScoreResult(
        neuron=neuron,
        polarity=request.polarity,
        simulator=request.simulator,
        score=scored,
        usage=_usage(result.usage),
    )


SCORE = OperationHandler(
    kind=OperationKind.score,
    queue=Queue.llm,
    request_model=ScoreRequest,
    identity=_score_identity,
    run=_run_score,
)


# -- simulations ----------------------------------------------------------------------------


async def _simulation_tokens(request: SimulationRequest, runtime: Runtime) -> list[list[str]]:
    if request.tokens is not None:
        return request.tokens
    if request.model is None:
        raise InvalidRequest("'texts' need 'model', whose tokenizer splits them into tokens")
    tokenizer = await asyncio.to_thread(runtime.models.tokenizer, request.model)
    result = []
    for text in request.texts or []:
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        result.append([text[s:e] for s, e in encoded["offset_mapping"]])
    return result


async def _simulation_identity(request: SimulationRequest, runtime: Runtime) -> dict[str, Any]:
    identity: dict[str, Any] = {"simulator_model": runtime.llms.identity(request.profile)}
    if request.model is not None:
        identity["tokenizer"] = runtime.models.source(request.model).revision
    return identity


async def _run_simulation(
    request: SimulationRequest, context: OperationContext
) -> SimulationResult:
    runtime = context.runtime
    tokens = await _simulation_tokens(request, runtime)
    simulation = await simulate(
        request.simulator, runtime.llms.get(request.profile), request.explanation, tokens
    )
    return SimulationResult(
        simulator=request.simulator,
        excerpts=[
            SimulatedExcerpt(tokens=t, values=v)
            for t, v in zip(tokens, simulation.values, strict=True)
        ],
        unaligned_tokens=simulation.unaligned_tokens,
        usage=_usage(simulation.usage),
    )


SIMULATION = OperationHandler(
    kind=OperationKind.simulation,
    queue=Queue.llm,
    request_model=SimulationRequest,
    identity=_simulation_identity,
    run=_run_simulation,
)
