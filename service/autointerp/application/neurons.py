"""Neuron-centred reads: which scan holds a neuron, its record, its cached results."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from autointerp.interp.errors import NotFound
from autointerp.interp.evaluation import ranking_key
from autointerp.interp.records import NeuronRecord, ScanMeta
from autointerp.resources import Resources
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.batches import RankedNeuron
from autointerp.subjects.architectures import ModelShape


async def model_shape(resources: Resources, model: str) -> ModelShape:
    """The model's shape; its first read opens files, so it runs off the event loop."""
    return await asyncio.to_thread(resources.catalog.shape, model)


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
    resources.catalog.source(model)
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
    for operation_id in await resources.records.delete_results(model, layer, index):
        await resources.operations.delete(operation_id)


async def delete_scan(resources: Resources, model: str, scan_id: str) -> None:
    """Delete a scan's records and its operation (a scan's id is its operation's id)."""
    resources.catalog.source(model)
    meta = await resources.records.meta(scan_id)
    if meta is None or meta.model != model:
        raise NotFound(f"no scan {scan_id} of model {model!r}")
    await resources.records.delete_scan(meta)
    await resources.operations.delete(scan_id)
