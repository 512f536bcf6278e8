"""Batches: a parent operation that submits one explanation per neuron and tracks them."""

from __future__ import annotations

import asyncio

from autointerp.interp.errors import OperationCancelled
from autointerp.schemas.batches import BatchChild, BatchRequest, BatchResult
from autointerp.schemas.explanations import ExplanationRequest, ExplanationResult, NeuronRef
from autointerp.schemas.operations import Operation, OperationKind, OperationState, Resolved
from autointerp.tasks.base import OperationContext, Runner

POLL_S = 0.5
# What every child explanation takes from the batch request as it is.
_CHILD_OPTIONS = {"explainer", "profile", "polarity", "samples", "temperature", "simulator"}


def _child(index: int, operation: Operation) -> BatchChild:
    result = operation.result
    best = result.best if isinstance(result, ExplanationResult) else None
    return BatchChild(
        index=index,
        operation_id=operation.id,
        state=operation.state,
        explanation=best.explanation if best else None,
        correlation=best.top_and_random.correlation if best else None,
    )


async def _run(resolved: Resolved[BatchRequest], context: OperationContext) -> BatchResult:
    request = resolved.request
    assert request.scan is not None and request.neurons is not None, "submit resolves both"
    options = request.model_dump(include=_CHILD_OPTIONS)
    children: dict[int, str] = {}
    for index in request.neurons:
        neuron = NeuronRef(model=request.model, layer=request.layer, index=index, scan=request.scan)
        child = await context.submit(
            OperationKind.explanation, ExplanationRequest(neuron=neuron, **options)
        )
        children[index] = child.id
    operations = context.resources.operations
    try:
        while True:
            current = {i: await operations.get(o) for i, o in children.items()}
            finished = sum(1 for o in current.values() if o is None or o.state.is_terminal)
            await context.report_progress(
                finished / len(children), f"{finished} of {len(children)} neurons done"
            )
            if finished == len(children):
                break
            await asyncio.sleep(POLL_S)
    except OperationCancelled:
        for operation_id in children.values():
            await operations.cancel(operation_id)
        raise
    rows = [_child(i, o) for i, o in current.items() if o is not None]
    succeeded = sum(r.state is OperationState.succeeded for r in rows)
    return BatchResult(
        model=request.model,
        layer=request.layer,
        scan_id=request.scan,
        children=rows,
        succeeded=succeeded,
        failed=len(rows) - succeeded,
    )


BATCH = Runner(kind=OperationKind.batch, run=_run)
