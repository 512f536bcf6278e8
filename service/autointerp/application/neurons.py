"""Neuron-centred reads: which scan holds a neuron, its record, its cached results."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from autointerp.interp.errors import InvalidRequest, NotFound
from autointerp.interp.evaluation import ranking_key
from autointerp.interp.records import NeuronRecord, ScanMeta
from autointerp.resources import Resources
from autointerp.schemas.activations import ModelInfo, NeuronResult
from autointerp.schemas.batches import RankedNeuron
from autointerp.subjects.architectures import ModelShape
from autointerp.subjects.catalog import has_device, missing_files


async def model_unavailable(resources: Resources, model: str) -> str | None:
    """Why a model cannot run now, or None: its files are missing, or it is configured for a
    device that no live model worker has."""
    catalog = resources.catalog
    source = catalog.source(model)
    missing = await asyncio.to_thread(missing_files, source, catalog.hub)
    if missing is not None:
        return missing
    if source.device in ("auto", "cpu"):
        return None
    workers = [w for w in await resources.workers.live() if "model" in w.queues]
    if any(has_device(source.device, w.devices) for w in workers):
        return None
    have = sorted({d for w in workers for d in w.devices})
    found = f"the live model workers have {', '.join(have)}" if have else "none is running"
    return f"it runs on {source.device}, which no model worker has ({found})"


async def model_info(resources: Resources, model: str) -> ModelInfo:
    """What the service knows of a model: its settings, whether it can run, and its shape."""
    source = resources.catalog.source(model)
    reason = await model_unavailable(resources, model)
    info = ModelInfo(
        name=model,
        description=source.description,
        revision=await model_revision(resources, model) if reason is None else None,
        device=source.device,
        dtype=source.dtype,
        available=reason is None,
        unavailable_reason=reason,
    )
    try:
        shape = await model_shape(resources, model)
    except InvalidRequest as error:  # files missing, or an architecture we cannot read
        return info.model_copy(
            update={"available": False, "unavailable_reason": reason or error.detail}
        )
    return info.model_copy(
        update={
            "architecture": shape.architecture,
            "layers": shape.layers,
            "neurons_per_layer": shape.neurons_per_layer,
            "gated": shape.gated,
        }
    )


async def require_available(resources: Resources, model: str) -> None:
    """Refuse a request for a model that cannot run now, saying why."""
    reason = await model_unavailable(resources, model)
    if reason is not None:
        raise InvalidRequest(f"model {model!r} is unavailable: {reason}")


async def model_revision(resources: Resources, model: str) -> str:
    """The model's revision; a local model's first read hashes its files, off the loop."""
    return await asyncio.to_thread(resources.catalog.revision, model)


async def model_shape(resources: Resources, model: str) -> ModelShape:
    """The model's shape; its first read opens files, so it runs off the event loop. A model
    this server lacks but has imported neurons of has the shape the imports gave it."""
    if model not in resources.catalog.sources:
        imported = await resources.records.imported_shape(model)
        if imported is not None:
            return ModelShape(
                "imported", layers=imported[0], neurons_per_layer=imported[1], gated=False
            )
    return await asyncio.to_thread(resources.catalog.shape, model)


async def known_model(resources: Resources, model: str) -> None:
    """A 404 naming the known models unless this server has the model or imported some of
    its neurons."""
    if model not in resources.catalog.sources:
        if await resources.records.imported_shape(model) is None:
            resources.catalog.source(model)  # raises, naming the known ones


async def check_neurons(
    resources: Resources, model: str, layer: int, neurons: Sequence[int]
) -> None:
    """The model is known and the layer and neurons in range (errors name what is allowed)."""
    (await model_shape(resources, model)).check(layer, neurons)


async def find_scan(
    resources: Resources, model: str, layer: int, neurons: Sequence[int], scan_id: str | None
) -> ScanMeta:
    """The scan holding these neurons' records (default: the model's latest), checking the
    model, the neurons' range and that the scan recorded their layer; reads no record."""
    await check_neurons(resources, model, layer, neurons)
    store = resources.records
    scan_id = scan_id or await store.latest_scan(model)
    meta = await store.meta(scan_id) if scan_id else None
    if meta is None or meta.model != model:
        raise NotFound(f"no scan of model {model!r} found; submit one with POST /v1/scans")
    if layer not in meta.layers:
        raise NotFound(f"scan {meta.scan_id} did not record layer {layer}; it has {meta.layers}")
    return meta


async def read_neuron_record(
    resources: Resources, model: str, layer: int, index: int, scan_id: str | None
) -> tuple[ScanMeta, NeuronRecord]:
    """A neuron's record from the given scan (default: the model's latest)."""
    meta = await find_scan(resources, model, layer, [index], scan_id)
    record = await resources.records.neuron_record(meta, layer, index)
    if record is None:
        raise NotFound(f"scan {meta.scan_id} holds no record of neuron {index}")
    return meta, record


def best_first(results: list[NeuronResult]) -> list[NeuronResult]:
    """Results by their headline score, best first; undefined scores last."""
    return sorted(results, key=lambda r: ranking_key(r.correlation), reverse=True)


async def neuron_results(
    resources: Resources, model: str, layer: int, index: int
) -> list[NeuronResult]:
    """Every cached explanation and score of a neuron, best first."""
    stored = await resources.records.results(model, layer, index)
    return best_first([NeuronResult.model_validate_json(s) for s in stored])


async def rank_layer(
    resources: Resources, model: str, layer: int, limit: int
) -> list[RankedNeuron]:
    """A layer's explained neurons by their best cached score, best first."""
    await known_model(resources, model)
    ranked = []
    for index, correlation in await resources.records.ranking(model, layer, limit):
        results = await neuron_results(resources, model, layer, index)
        if not results:  # forgotten between the two reads
            continue
        ranked.append(
            RankedNeuron(
                index=index,
                correlation=correlation,
                explanation=results[0].explanation,
                operation_id=results[0].operation_id,
            )
        )
    return ranked


async def delete_neuron_results(resources: Resources, model: str, layer: int, index: int) -> None:
    """Forget a neuron's explanations and scores and the operations that made them."""
    await check_neurons(resources, model, layer, [index])
    operation_ids = await resources.records.delete_results(model, layer, index)
    await resources.search.remove(operation_ids)
    for operation_id in operation_ids:
        await resources.operations.delete(operation_id)


async def delete_scan(resources: Resources, model: str, scan_id: str) -> None:
    """Delete a scan's records and its operation (a scan's id is its operation's id)."""
    await known_model(resources, model)
    meta = await resources.records.meta(scan_id)
    if meta is None or meta.model != model:
        raise NotFound(f"no scan {scan_id} of model {model!r}")
    await resources.records.delete_scan(meta)
    await resources.operations.delete(scan_id)
