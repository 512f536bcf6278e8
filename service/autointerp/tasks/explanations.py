"""Explain, simulate and score: load records, call the pure method, return typed results."""

from __future__ import annotations

import asyncio
import logging

from autointerp.interp.activations import Polarity
from autointerp.interp.errors import InvalidRequest, NotFound
from autointerp.interp.evaluation import best, score_explanation, simulate
from autointerp.interp.explainers import default_temperature, explain
from autointerp.interp.protocols import RULES, MethodProtocol, Prepared, prepare
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.conversions import records_in, scored_out, usage_out
from autointerp.schemas.explanations import (
    ExplanationRequest,
    ExplanationResult,
    InlineRecords,
    NeuronRef,
    RejectedOut,
    SamplingOut,
    ScoredExplanation,
    ScoreRequest,
    ScoreResult,
    SimulatedExcerpt,
    SimulationRequest,
    SimulationResult,
)
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.search.explanations import indexed
from autointerp.subjects.tokens import tokenize
from autointerp.tasks.base import OperationContext, Runner

log = logging.getLogger(__name__)


async def _records(
    neuron: NeuronRef | None,
    inline: InlineRecords | None,
    polarity: Polarity,
    protocol: MethodProtocol,
    context: OperationContext,
) -> Prepared:
    """Top (by polarity) and random excerpts, split and signed for the polarity by the rules
    of `protocol`."""
    if neuron is not None:
        assert neuron.scan is not None, "submit pins the scan"
        store = context.resources.records
        meta = await store.meta(neuron.scan)
        record = await store.neuron_record(meta, neuron.layer, neuron.index) if meta else None
        if record is None:
            raise NotFound(f"scan {neuron.scan} (or its record of neuron {neuron.index}) is gone")
        top = record.top if polarity is Polarity.positive else record.bottom
        random = record.random
    else:
        assert inline is not None, "the request model guarantees one of the two"
        top, random = records_in(inline)
    return prepare(top, random, polarity, RULES[protocol])


async def _remember(
    context: OperationContext,
    kind: OperationKind,
    neuron: NeuronRef | None,
    polarity: Polarity,
    simulator: SimulatorKind,
    scored: ScoredExplanation,
    explainer: str | None = None,
) -> None:
    """Index a neuron's explanation or score so the neuron-centred read and search list it."""
    if neuron is None:
        return
    summary = NeuronResult(
        operation_id=context.operation_id,
        kind=kind.value,
        explanation=scored.explanation,
        explainer=explainer,
        polarity=polarity,
        simulator=simulator,
        split=scored.split,
        correlation=scored.top_and_random.correlation,
        random_only_correlation=scored.random_only.correlation,
        scan_id=neuron.scan,
        protocol=scored.protocol,
    )
    records = context.resources.records
    await records.add_result(
        neuron.model, neuron.layer, neuron.index, context.operation_id, summary.model_dump_json()
    )
    if summary.correlation is not None:
        await records.rank(neuron.model, neuron.layer, neuron.index, summary.correlation)
    document = indexed(neuron.model, neuron.layer, neuron.index, summary)
    try:
        await context.resources.search.add([document])
    except Exception:  # search is secondary: the next worker start's backfill indexes it
        log.exception("could not index an explanation for search")


async def _run_explanation(
    resolved: Resolved[ExplanationRequest], context: OperationContext
) -> ExplanationResult:
    request = resolved.request
    assert request.simulator_profile is not None, "submit fills in the simulator profile"
    rules = RULES[request.protocol]
    prepared = await _records(
        request.neuron, request.records, request.polarity, request.protocol, context
    )
    splits = prepared.splits
    if not prepared.train:
        raise InvalidRequest("the neuron record has no top excerpts in the train split")
    await context.report_progress(0.05, "explaining")
    explainer = context.language_model(request.profile, resolved.pins.explainer)
    simulator = context.language_model(request.simulator_profile, resolved.pins.simulator)
    temperature = request.temperature  # submit fills in the default
    if temperature is None:
        temperature = default_temperature(request.samples)
    written = await explain(
        request.explainer,
        explainer,
        prepared.train,
        request.samples,
        temperature,
        study_listing=rules.study_listing,
        seed=request.seed,
    )
    sampling = SamplingOut(
        asked=written.asked,
        obtained=len(written.texts),
        calls=written.calls,
        rejected=[RejectedOut(explanation=r.text, reason=r.reason) for r in written.rejected],
    )
    usage, candidates = written.usage, []
    if len(written.texts) > 1:  # best-of-k: pick on valid, so the test score stays unbiased
        for number, text in enumerate(written.texts):
            await context.report_progress(0.1 + 0.8 * number / len(written.texts), "scoring")
            candidates.append(
                await score_explanation(
                    request.simulator,
                    simulator,
                    text,
                    splits,
                    Split.valid,
                    request.calibration,
                    rules,
                )
            )
            usage += candidates[-1].usage
    chosen_text = best(candidates).explanation if candidates else written.texts[0]
    await context.report_progress(0.9, "scoring the best on test")
    chosen = await score_explanation(
        request.simulator, simulator, chosen_text, splits, Split.test, request.calibration, rules
    )
    best_scored = scored_out(chosen, Split.test, request.protocol)
    await _remember(
        context,
        OperationKind.explanation,
        request.neuron,
        request.polarity,
        request.simulator,
        best_scored,
        request.profile,
    )
    return ExplanationResult(
        neuron=request.neuron,
        polarity=request.polarity,
        explainer=request.explainer,
        simulator=request.simulator,
        protocol=request.protocol,
        candidates=[scored_out(c, Split.valid, request.protocol) for c in candidates],
        best=best_scored,
        sampling=sampling,
        usage=usage_out(usage + chosen.usage),
    )


EXPLANATION = Runner(kind=OperationKind.explanation, run=_run_explanation)


async def _run_score(resolved: Resolved[ScoreRequest], context: OperationContext) -> ScoreResult:
    request = resolved.request
    prepared = await _records(
        request.neuron, request.records, request.polarity, request.protocol, context
    )
    split = Split(request.split)
    result = await score_explanation(
        request.simulator,
        context.language_model(request.profile, resolved.pins.simulator),
        request.explanation,
        prepared.splits,
        split,
        request.calibration,
        RULES[request.protocol],
    )
    scored = scored_out(result, split, request.protocol)
    await _remember(
        context, OperationKind.score, request.neuron, request.polarity, request.simulator, scored
    )
    return ScoreResult(
        neuron=request.neuron,
        polarity=request.polarity,
        simulator=request.simulator,
        protocol=request.protocol,
        score=scored,
        usage=usage_out(result.usage),
    )


SCORE = Runner(kind=OperationKind.score, run=_run_score)


async def _simulation_tokens(
    resolved: Resolved[SimulationRequest], context: OperationContext
) -> list[list[str]]:
    request = resolved.request
    if request.tokens is not None:
        return request.tokens
    assert request.model is not None, "submit requires a model for texts"
    models = context.runtime.models
    models.check_revision(request.model, str(resolved.pins.model_revision))
    tokenizer = await asyncio.to_thread(models.tokenizer, request.model)
    return [tokenize(tokenizer, text).tokens for text in request.texts or []]


async def _run_simulation(
    resolved: Resolved[SimulationRequest], context: OperationContext
) -> SimulationResult:
    request = resolved.request
    tokens = await _simulation_tokens(resolved, context)
    simulation = await simulate(
        request.simulator,
        context.language_model(request.profile, resolved.pins.simulator),
        request.explanation,
        tokens,
    )
    return SimulationResult(
        simulator=request.simulator,
        excerpts=[
            SimulatedExcerpt(tokens=t, values=v)
            for t, v in zip(tokens, simulation.values, strict=True)
        ],
        unaligned_tokens=simulation.unaligned_tokens,
        usage=usage_out(simulation.usage),
    )


SIMULATION = Runner(kind=OperationKind.simulation, run=_run_simulation)
