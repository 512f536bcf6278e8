"""The corpus scan: one pass that builds every selected neuron's record, then stores them."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from autointerp.interp.errors import OperationCancelled, OperationFailed
from autointerp.interp.records import ActivationStats, ScanMeta, layer_groups
from autointerp.schemas.activations import ScanRequest, ScanResult
from autointerp.schemas.conversions import scan_result, scan_settings
from autointerp.schemas.operations import OperationKind, OperationState, Resolved
from autointerp.store.records import RecordStore, encode_neuron
from autointerp.subjects.accumulate import LayerAccumulator, Selection
from autointerp.subjects.memory import NEURONS_PER_WRITE
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.scan import ScanOutput, scan_corpus
from autointerp.tasks.base import OperationContext, Runner, wait_for_children


def _neuron_blobs(
    acc: LayerAccumulator, selections: tuple[Selection, ...], neurons: range
) -> dict[int, bytes]:
    """The stored records of some of a layer's neurons."""
    part = slice(neurons.start, neurons.stop)
    ranked = [
        Selection(s.keys[:, part], s.excerpt_ids[:, part], s.activations[:, part]).ranked()
        for s in selections
    ]
    ids = torch.cat([s.excerpt_ids for s in ranked]).numpy()
    acts_np = torch.cat([s.activations for s in ranked]).numpy()
    sums = acc.power_sums[:, part].cpu().numpy()
    maximum, minimum = acc.maximum[part].cpu(), acc.minimum[part].cpu()
    blobs = {}
    for column, neuron in enumerate(neurons):
        s1, s2, s3, s4 = (float(s) for s in sums[:, column])
        stats = ActivationStats.from_power_sums(
            acc.count,
            s1,
            s2,
            s3,
            s4,
            maximum=float(maximum[column]),
            minimum=float(minimum[column]),
        )
        blobs[neuron] = encode_neuron(ids[:, column], acts_np[:, column], stats)
    return blobs


async def _write_layer(store: RecordStore, scan_id: str, layer: int, acc: LayerAccumulator) -> None:
    selections = acc.selections()  # on the host, whichever path (one copy from a device)
    width = selections[0].keys.shape[1]
    for start in range(0, width, NEURONS_PER_WRITE):
        neurons = range(start, min(start + NEURONS_PER_WRITE, width))
        blobs = await asyncio.to_thread(_neuron_blobs, acc, selections, neurons)
        await store.write_layer(scan_id, layer, blobs)


def _vocabulary(output: ScanOutput, tokenizer: PreTrainedTokenizerBase) -> dict[int, str]:
    """The text of each token id in the held excerpts, decoded one token at a time (as the
    explainer is shown them)."""
    held = output.excerpt_token_ids.values()
    ids = np.unique(np.concatenate(list(held))) if held else np.array([], dtype=np.int32)
    return {int(t): str(tokenizer.decode([int(t)])) for t in ids}


async def _run_split(resolved: Resolved[ScanRequest], context: OperationContext) -> ScanResult:
    """Scan the layer groups as child scans (any model worker takes each), then make their
    records one scan under this operation's id."""
    request = resolved.request
    assert request.layers is not None, "submit resolves the layers"
    children = {}
    for group in layer_groups(request.layers, request.layer_groups):
        child = request.model_copy(update={"layers": group, "layer_groups": 1})
        children[group[0]] = (await context.submit(OperationKind.scan, child)).id
    done = await wait_for_children(context, children, "layer groups")
    store, parts = context.resources.records, []
    for first, operation in done.items():
        found = await store.meta(children[first])
        if operation is None or operation.state is not OperationState.succeeded or found is None:
            reason = operation.error.detail if operation and operation.error else "it is gone"
            raise OperationFailed(
                f"the scan of the layer group from layer {first} failed: {reason}"
            )
        parts.append(found)
    for part in parts:
        await store.adopt(context.operation_id, part)
    meta = ScanMeta(
        scan_id=context.operation_id,
        model=request.model,
        model_revision=str(resolved.pins.model_revision),
        settings=scan_settings(request, request.layers),
        neurons_per_layer=parts[0].neurons_per_layer,
        excerpts=parts[0].excerpts,
        tokens=parts[0].tokens,
    )
    await store.finish(meta)
    return scan_result(meta)


async def _run(resolved: Resolved[ScanRequest], context: OperationContext) -> ScanResult:
    request, revision = resolved.request, str(resolved.pins.model_revision)
    assert request.layers is not None, "submit resolves the layers"
    if request.layer_groups > 1:
        return await _run_split(resolved, context)
    settings = scan_settings(request, request.layers)
    models = context.runtime.models
    models.check_revision(request.model, revision)
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

    def scan() -> tuple[ScanOutput, MlpNeurons, dict[int, str]]:
        neurons = MlpNeurons.of(models.model(request.model))
        tokenizer = models.tokenizer(request.model)
        texts = context.resources.corpora.texts(request.corpus)
        streams = context.resources.settings.scan_streams or None
        output = scan_corpus(neurons, tokenizer, texts, settings, progress, streams)
        return output, neurons, _vocabulary(output, tokenizer)

    try:
        output, neurons, vocabulary = await asyncio.to_thread(scan)
    except asyncio.CancelledError:
        abandoned.set()
        raise
    await context.report_progress(0.95, "storing records")
    scan_id = context.operation_id  # content-addressed already: request, model, corpus
    store = context.resources.records
    for layer, acc in output.layers.items():
        await _write_layer(store, scan_id, layer, acc)
    await store.write_excerpts(scan_id, output.excerpt_token_ids)
    await store.write_vocabulary(scan_id, vocabulary)
    meta = ScanMeta(
        scan_id=scan_id,
        model=request.model,
        model_revision=revision,
        settings=settings,
        neurons_per_layer=neurons.shape.neurons_per_layer,
        excerpts=output.excerpts,
        tokens=output.tokens,
    )
    await store.finish(meta)
    return scan_result(meta)


SCAN = Runner(kind=OperationKind.scan, run=_run)
