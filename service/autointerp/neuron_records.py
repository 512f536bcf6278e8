"""Reading a stored neuron record back as tokens and activations."""

from __future__ import annotations

import asyncio

import numpy as np

from autointerp.interp.errors import NotFound
from autointerp.interp.records import bin_by_quantile
from autointerp.runtime import Runtime
from autointerp.schemas.activations import (
    ExcerptPublic,
    NeuronRecordPublic,
    NeuronResult,
    NeuronStatsPublic,
    QuantileBinPublic,
)
from autointerp.store.records import ScanMeta
from autointerp.subjects.neurons import model_shape


async def resolve_neuron(runtime: Runtime, model: str, layer: int, index: int) -> None:
    """Check that the model is known and the neuron in range (errors name what is allowed)."""
    source = runtime.models.source(model)  # unknown model: error naming the known ones
    shape = model_shape(await asyncio.to_thread(runtime.models.config, source.name))
    shape.check(layer, [index])


async def find_scan(
    runtime: Runtime, model: str, layer: int, index: int, scan_id: str | None
) -> ScanMeta:
    """The scan holding a neuron's record (default: the model's latest), checking the model,
    the neuron's range and that the scan recorded its layer; reads no record."""
    await resolve_neuron(runtime, model, layer, index)
    store = runtime.records
    scan_id = scan_id or await store.latest_scan(model)
    meta = await store.meta(scan_id) if scan_id else None
    if meta is None or meta.model != model:
        raise NotFound(f"no scan of model {model!r} found; submit one with POST /v1/scans")
    if layer not in meta.layers:
        raise NotFound(f"scan {meta.scan_id} did not record layer {layer}; it has {meta.layers}")
    return meta


async def read_neuron_record(
    runtime: Runtime, model: str, layer: int, index: int, scan_id: str | None
) -> NeuronRecordPublic:
    """A neuron's record from the given scan (default: the model's latest)."""
    meta = await find_scan(runtime, model, layer, index, scan_id)
    store = runtime.records
    stored = await store.neuron(meta, layer, index)
    if stored is None:
        raise NotFound(f"scan {meta.scan_id} holds no record of neuron {index}")
    ids = [int(i) for i in stored.excerpt_ids if i >= 0]
    tokens = await store.excerpt_tokens(meta.scan_id, sorted(set(ids)))
    tokenizer = await asyncio.to_thread(runtime.models.tokenizer, model)

    def excerpts(start: int, count: int) -> list[ExcerptPublic]:
        chosen = []
        for slot in range(start, start + count):
            excerpt_id = int(stored.excerpt_ids[slot])
            if excerpt_id < 0 or excerpt_id not in tokens:
                continue
            token_ids: np.ndarray = tokens[excerpt_id]
            chosen.append(
                ExcerptPublic(
                    excerpt_id=excerpt_id,
                    tokens=[tokenizer.decode([int(t)]) for t in token_ids],
                    activations=stored.activations[slot, : len(token_ids)].astype(float).tolist(),
                )
            )
        return chosen

    results = sorted(
        (NeuronResult.model_validate_json(r) for r in await store.results(model, layer, index)),
        key=lambda r: -2.0 if r.correlation is None else r.correlation,
        reverse=True,
    )
    k = meta.top_k
    sampled = excerpts(2 * k + meta.random_k, meta.quantile_bins * meta.quantile_k)
    maxima = [max(e.activations) for e in sampled]
    bins = bin_by_quantile(maxima, meta.quantile_bins) if sampled else []
    return NeuronRecordPublic(
        model=model,
        layer=layer,
        index=index,
        scan_id=meta.scan_id,
        top=excerpts(0, k),
        bottom=excerpts(k, k),
        random=excerpts(2 * k, meta.random_k),
        quantiles=[
            QuantileBinPublic(
                quantile_from=b.quantile_from,
                quantile_to=b.quantile_to,
                lower=b.lower,
                upper=b.upper,
                excerpts=[sampled[i] for i in b.members],
            )
            for b in bins
        ],
        stats=NeuronStatsPublic(**stored.stats.__dict__),
        results=results,
    )
