"""Recording activations: for given texts, and the corpus scan that builds neuron records."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import torch

from autointerp.interp.errors import InvalidRequest, OperationCancelled
from autointerp.interp.records import ActivationStats
from autointerp.runtime import Runtime
from autointerp.schemas.activations import (
    ActivationsRequest,
    ActivationsResult,
    ScanRequest,
    ScanResult,
    TextActivations,
)
from autointerp.schemas.operations import OperationKind
from autointerp.store.records import ScanMeta, encode_neuron
from autointerp.subjects.accumulate import LayerAccumulator
from autointerp.subjects.neurons import MlpNeurons, ModelShape, model_shape
from autointerp.subjects.scan import ScanOutput, ScanSettings, scan_corpus
from autointerp.tasks.base import OperationContext, OperationHandler, Queue


async def _activations_identity(request: ActivationsRequest, runtime: Runtime) -> dict[str, Any]:
    config = await asyncio.to_thread(runtime.models.config, request.model)
    model_shape(config).check(request.layer, request.neurons)
    return {"model_revision": runtime.models.source(request.model).revision}


def _record_texts(request: ActivationsRequest, runtime: Runtime) -> ActivationsResult:
    model = runtime.models.model(request.model)
    tokenizer = runtime.models.tokenizer(request.model)
    neurons = MlpNeurons.of(model)
    index = torch.tensor(request.neurons)
    texts = []
    for text in request.texts:
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        layer = neurons.record_layer(torch.tensor([encoded["input_ids"]]), request.layer)
        offsets = [(int(s), int(e)) for s, e in encoded["offset_mapping"]]
        texts.append(
            TextActivations(
                token_ids=encoded["input_ids"],
                tokens=[text[s:e] for s, e in offsets],
                offsets=offsets,
                activations=layer[0][:, index].float().tolist(),
            )
        )
    return ActivationsResult(
        model=request.model,
        model_revision=runtime.models.source(request.model).revision,
        layer=request.layer,
        neurons=request.neurons,
        texts=texts,
    )


async def _run_activations(
    request: ActivationsRequest, context: OperationContext
) -> ActivationsResult:
    return await asyncio.to_thread(_record_texts, request, context.runtime)


ACTIVATIONS = OperationHandler(
    kind=OperationKind.activations,
    queue=Queue.model,
    request_model=ActivationsRequest,
    identity=_activations_identity,
    run=_run_activations,
)


def _scan_plan(request: ScanRequest, runtime: Runtime) -> tuple[ModelShape, ScanSettings]:
    """The scan's settings, refusing layers out of range and scans whose held excerpts would
    not fit the configured memory."""
    shape = model_shape(runtime.models.config(request.model))
    layers = sorted(set(request.layers)) if request.layers else list(range(shape.layers))
    for layer in layers:
        shape.check(layer)
    settings = ScanSettings(
        layers=layers,
        excerpt_tokens=request.excerpt_tokens,
        top_k=request.top_k,
        random_k=request.random_k,
        quantile_bins=request.quantile_bins,
        quantile_k=request.quantile_k,
        max_tokens=request.max_tokens,
        batch_size=request.batch_size,
        seed=request.seed,
    )
    held_mb = settings.held_bytes(shape.neurons_per_layer) / 2**20
    limit_mb = runtime.settings.scan_memory_mb
    if held_mb > limit_mb:
        raise InvalidRequest(
            f"this scan would hold {held_mb:.0f} MB of excerpts (layers x neurons x "
            f"(2 top_k + random_k + quantile_bins x quantile_k) x excerpt_tokens), more than "
            f"this server's {limit_mb} MB: record fewer layers, smaller selections or "
            "shorter excerpts"
        )
    return shape, settings


async def _scan_identity(request: ScanRequest, runtime: Runtime) -> dict[str, Any]:
    await asyncio.to_thread(_scan_plan, request, runtime)
    return {
        "model_revision": runtime.models.source(request.model).revision,
        "corpus": await asyncio.to_thread(runtime.corpora.identity, request.corpus),
    }


def _layer_blobs(acc: LayerAccumulator) -> dict[int, bytes]:
    selections = [s.ranked() for s in acc.selections()]
    ids = torch.cat([s.excerpt_ids for s in selections]).numpy()
    acts = torch.cat([s.activations for s in selections])
    acts_np = acts.numpy()
    sums = acc.power_sums.numpy()
    blobs = {}
    for neuron in range(ids.shape[1]):
        stats = ActivationStats.from_power_sums(
            acc.count,
            *(float(s) for s in sums[:, neuron]),
            maximum=float(acc.maximum[neuron]),
            minimum=float(acc.minimum[neuron]),
        )
        blobs[neuron] = encode_neuron(ids[:, neuron], acts_np[:, neuron], stats)
    return blobs


async def _run_scan(request: ScanRequest, context: OperationContext) -> ScanResult:
    runtime = context.runtime
    shape, settings = _scan_plan(request, runtime)
    layers = settings.layers
    loop = asyncio.get_running_loop()
    # Set when this task is cancelled or times out: the scan thread stops at its next batch
    # instead of running on unobserved.
    abandoned = threading.Event()

    def progress(output: ScanOutput) -> None:
        if abandoned.is_set():
            raise OperationCancelled("the scan was abandoned (timeout or shutdown)")
        fraction = 0.95 * output.tokens / request.max_tokens
        message = f"{output.tokens} tokens in {output.excerpts} excerpts"
        # Wait for it: a cancellation raised there stops the scan before the next batch.
        asyncio.run_coroutine_threadsafe(context.report_progress(fraction, message), loop).result()

    def scan() -> ScanOutput:
        neurons = MlpNeurons.of(runtime.models.model(request.model))
        tokenizer = runtime.models.tokenizer(request.model)
        return scan_corpus(
            neurons, tokenizer, runtime.corpora.texts(request.corpus), settings, progress
        )

    try:
        output = await asyncio.to_thread(scan)
    except asyncio.CancelledError:
        abandoned.set()
        raise
    await context.report_progress(0.95, "storing records")
    scan_id = context.operation_id  # content-addressed already: request, model, corpus
    store = runtime.records
    for layer, acc in output.layers.items():
        await store.write_layer(scan_id, layer, await asyncio.to_thread(_layer_blobs, acc))
    await store.write_excerpts(scan_id, output.excerpt_token_ids)
    meta = ScanMeta(
        scan_id=scan_id,
        model=request.model,
        model_revision=runtime.models.source(request.model).revision,
        layers=layers,
        neurons_per_layer=shape.neurons_per_layer,
        excerpt_tokens=request.excerpt_tokens,
        top_k=request.top_k,
        random_k=request.random_k,
        quantile_bins=request.quantile_bins,
        quantile_k=request.quantile_k,
        excerpts=output.excerpts,
        tokens=output.tokens,
    )
    await store.finish(meta)
    return ScanResult(
        scan_id=scan_id,
        model=meta.model,
        model_revision=meta.model_revision,
        layers=layers,
        neurons_per_layer=meta.neurons_per_layer,
        excerpts=meta.excerpts,
        tokens=meta.tokens,
    )


SCAN = OperationHandler(
    kind=OperationKind.scan,
    queue=Queue.model,
    request_model=ScanRequest,
    identity=_scan_identity,
    run=_run_scan,
)
