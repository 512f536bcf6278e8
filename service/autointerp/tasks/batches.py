"""Batches: a parent operation that submits one explanation per neuron and tracks them."""

from __future__ import annotations

from autointerp.schemas.batches import BatchChild, BatchRequest, BatchResult
from autointerp.schemas.explanations import ExplanationRequest, ExplanationResult, NeuronRef
from autointerp.schemas.operations import Operation, OperationKind, OperationState, Resolved
from autointerp.tasks.base import OperationContext, Runner, wait_for_children

# What every child explanation takes from the batch request as it is.
_CHILD_OPTIONS = {
    "explainer",
    "profile",
    "polarity",
    "samples",
    "temperature",
    "seed",
    "simulator",
    "protocol",
}


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
    current = await wait_for_children(context, children, "neurons")
    rows = [_child(i, o) for i, o in current.items() if o is not None]
    succeeded = sum(r.state is OperationState.succeeded for r in rows)
    return BatchResult(
        model=request.model,
        layer=request.layer,
        scan_id=request.scan,
        protocol=request.protocol,
        children=rows,
        succeeded=succeeded,
        failed=len(rows) - succeeded,
    )


BATCH = Runner(kind=OperationKind.batch, run=_run)
