"""Recording activations of chosen neurons on given texts."""

from __future__ import annotations

import asyncio

import torch

from autointerp.schemas.activations import ActivationsRequest, ActivationsResult
from autointerp.schemas.conversions import text_activations_out
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.tokens import tokenize
from autointerp.tasks.base import OperationContext, Runner, WorkerRuntime


def _record_texts(
    request: ActivationsRequest, revision: str, runtime: WorkerRuntime
) -> ActivationsResult:
    models = runtime.models
    models.check_revision(request.model, revision)
    neurons = MlpNeurons.of(models.model(request.model))
    tokenizer = models.tokenizer(request.model)
    index = torch.tensor(request.neurons)
    texts = []
    for text in request.texts:
        tokenized = tokenize(tokenizer, text)
        layer = neurons.record_layer(torch.tensor([tokenized.token_ids]), request.layer)
        texts.append(text_activations_out(tokenized, layer[0][:, index].float().tolist()))
    return ActivationsResult(
        model=request.model,
        model_revision=revision,
        layer=request.layer,
        neurons=request.neurons,
        texts=texts,
    )


async def _run(
    resolved: Resolved[ActivationsRequest], context: OperationContext
) -> ActivationsResult:
    revision = str(resolved.pins.model_revision)
    return await asyncio.to_thread(_record_texts, resolved.request, revision, context.runtime)


ACTIVATIONS = Runner(kind=OperationKind.activations, run=_run)
