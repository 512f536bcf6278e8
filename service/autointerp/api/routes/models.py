"""Subject models and their neurons: the neuron-centred reads."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Path, Query, Response

from autointerp.api.deps import RuntimeDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.errors import AutointerpError, NotFound
from autointerp.neuron_records import read_neuron_record, resolve_neuron
from autointerp.schemas.activations import ModelInfo, NeuronRecordPublic, NeuronResult
from autointerp.schemas.batches import RankedNeuron
from autointerp.subjects.catalog import source_is_present
from autointerp.subjects.neurons import model_shape

router = APIRouter(prefix="/v1/models", tags=["models"])


def _info(runtime: RuntimeDep, name: str) -> ModelInfo:
    source = runtime.models.source(name)
    info = ModelInfo(
        name=name,
        description=source.description,
        revision=source.revision,
        available=source_is_present(source),
    )
    if not info.available:
        return info
    try:
        shape = model_shape(runtime.models.config(name))
    except AutointerpError:
        return info
    return info.model_copy(
        update={
            "architecture": shape.architecture,
            "layers": shape.layers,
            "neurons_per_layer": shape.neurons_per_layer,
            "gated": shape.gated,
        }
    )


@router.get(
    "", operation_id="listModels", response_model=list[ModelInfo], responses=PROBLEM_RESPONSES
)
async def list_models(runtime: RuntimeDep) -> list[ModelInfo]:
    """Every subject model this server can record, with layers and neurons per layer."""
    names = sorted(runtime.models.sources)
    return await asyncio.to_thread(lambda: [_info(runtime, name) for name in names])


@router.get(
    "/{model}", operation_id="getModel", response_model=ModelInfo, responses=PROBLEM_RESPONSES
)
async def get_model(runtime: RuntimeDep, model: str = Path(max_length=200)) -> ModelInfo:
    """One subject model."""
    if model not in runtime.models.sources:
        raise NotFound(f"unknown model {model!r}; known models: {sorted(runtime.models.sources)}")
    return await asyncio.to_thread(_info, runtime, model)


@router.get(
    "/{model}/layers/{layer}/neurons",
    operation_id="rankNeurons",
    response_model=list[RankedNeuron],
    responses=PROBLEM_RESPONSES,
)
async def rank_neurons(
    runtime: RuntimeDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    limit: int = Query(default=100, ge=1, le=10_000),
) -> list[RankedNeuron]:
    """A layer's explained neurons sorted by their best cached score, best first."""
    runtime.models.source(model)
    ranked = []
    for index, correlation in await runtime.records.ranking(model, layer, limit):
        summaries = await runtime.records.results(model, layer, index)
        results = [NeuronResult.model_validate_json(s) for s in summaries]
        top = max(results, key=lambda r: -2.0 if r.correlation is None else r.correlation)
        ranked.append(
            RankedNeuron(
                index=index,
                correlation=correlation,
                explanation=top.explanation,
                operation_id=top.operation_id,
            )
        )
    return ranked


@router.get(
    "/{model}/layers/{layer}/neurons/{index}",
    operation_id="getNeuron",
    response_model=NeuronRecordPublic,
    responses=PROBLEM_RESPONSES,
)
async def get_neuron(
    runtime: RuntimeDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    index: int = Path(ge=0, le=10_000_000),
    scan: str | None = Query(
        default=None, pattern=r"^[0-9a-f]{64}$", description="A scan id; default: the latest."
    ),
) -> NeuronRecordPublic:
    """The neuron's record from a scan: top, bottom and random excerpts and moments."""
    return await read_neuron_record(runtime, model, layer, index, scan)


@router.delete(
    "/{model}/layers/{layer}/neurons/{index}/results",
    operation_id="deleteNeuronResults",
    status_code=204,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
async def delete_neuron_results(
    runtime: RuntimeDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    index: int = Path(ge=0, le=10_000_000),
) -> Response:
    """Forget every cached explanation and score of the neuron, and the operations that made
    them (submitting one again recomputes it). Its records stay."""
    await resolve_neuron(runtime, model, layer, index)
    for operation_id in await runtime.records.delete_results(model, layer, index):
        await runtime.operations.delete(operation_id)
    return Response(status_code=204)


@router.delete(
    "/{model}/scans/{scan_id}",
    operation_id="deleteScan",
    status_code=204,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
async def delete_scan(
    runtime: RuntimeDep,
    model: str = Path(max_length=200),
    scan_id: str = Path(pattern=r"^[0-9a-f]{64}$", description="The scan's id."),
) -> Response:
    """Delete a scan's neuron records and its operation (submitting the scan again re-runs
    it). Explanations and scores made from it stay until deleted."""
    runtime.models.source(model)
    meta = await runtime.records.meta(scan_id)
    if meta is None or meta.model != model:
        raise NotFound(f"no scan {scan_id} of model {model!r}")
    await runtime.records.delete_scan(meta)
    await runtime.operations.delete(scan_id)  # a scan's id is its operation's id
    return Response(status_code=204)
