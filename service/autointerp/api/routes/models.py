"""Subject models and their neurons: the neuron-centred reads."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Path, Query

from autointerp.api.deps import RuntimeDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.errors import AutointerpError, NotFound
from autointerp.neuron_records import read_neuron_record
from autointerp.schemas.activations import ModelInfo, NeuronRecordPublic
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
