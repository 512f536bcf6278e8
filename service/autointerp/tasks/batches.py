"""Batches: a parent operation that submits one explanation per neuron and tracks them."""

from __future__ import annotations

import asyncio
from typing import Any

from autointerp.interp.errors import OperationCancelled
from autointerp.runtime import Runtime
from autointerp.schemas.batches import BatchChild, BatchRequest, BatchResult
from autointerp.schemas.explanations import ExplanationRequest, NeuronRef
from autointerp.schemas.operations import Operation, OperationKind
from autointerp.subjects.neurons import model_shape
from autointerp.tasks.base import OperationContext, OperationHandler, Queue
from autointerp.tasks.explanations import resolve_scan

POLL_S = 0.5


async def _neurons(request: BatchRequest, runtime: Runtime) -> list[int]:
    shape = model_shape(await asyncio.to_thread(runtime.models.config, request.model))
    indices = request.neurons if request.neurons is not None else range(shape.neurons_per_layer)
    shape.check(request.layer, list(indices))
    return sorted(set(indices))


async def _identity(request: BatchRequest, runtime: Runtime) -> dict[str, Any]:
    await _neurons(request, runtime)  # range errors first: they say what is allowed
    neuron = NeuronRef(model=request.model, layer=request.layer, index=0, scan=request.scan)
    pinned = await resolve_scan(neuron, runtime)
    return {
        "scan": pinned.scan if pinned else None,
        "model": runtime.llms.identity(request.profile),
    }


def _child(index: int, operation: Operation) -> BatchChild:
    result = operation.result
    best = getattr(result, "best", None)
    return BatchChild(
        index=index,
        operation_id=operation.id,
        state=operation.state.value,
        explanation=best.explanation if best else None,
        correlation=best.top_and_random.correlation if best else None,
    )


async def _run(request: BatchRequest, context: OperationContext) -> BatchResult:
    runtime = context.runtime
    if runtime.submit is None:
        raise RuntimeError("this process cannot submit operations")
    scan = await resolve_scan(
        NeuronRef(model=request.model, layer=request.layer, index=0, scan=request.scan), runtime
    )
    assert scan is not None and scan.scan is not None
    options = request.model_dump(
        include={"explainer", "profile", "polarity", "samples", "temperature", "simulator"}
    )
    children: dict[int, str] = {}
    for index in await _neurons(request, runtime):
        neuron = NeuronRef(model=request.model, layer=request.layer, index=index, scan=scan.scan)
        child = await runtime.submit(
            OperationKind.explanation, ExplanationRequest(neuron=neuron, **options)
        )
        children[index] = child.id
    try:
        while True:
            operations = {i: await runtime.operations.get(o) for i, o in children.items()}
            finished = sum(1 for o in operations.values() if o is None or o.state.is_terminal)
            await context.report_progress(
                finished / len(children), f"{finished} of {len(children)} neurons done"
            )
            if finished == len(children):
                break
            await asyncio.sleep(POLL_S)
    except OperationCancelled:
        for operation_id in children.values():
            await runtime.operations.cancel(operation_id)
        raise
    rows = [_child(i, o) for i, o in operations.items() if o is not None]
    return BatchResult(
        model=request.model,
        layer=request.layer,
        scan_id=scan.scan,
        children=rows,
        succeeded=sum(r.state == "succeeded" for r in rows),
        failed=sum(r.state != "succeeded" for r in rows),
    )


BATCH = OperationHandler(
    kind=OperationKind.batch,
    queue=Queue.llm,
    request_model=BatchRequest,
    identity=_identity,
    run=_run,
)
