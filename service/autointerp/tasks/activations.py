"""Recording activations of chosen neurons on given texts."""

from __future__ import annotations

import asyncio

import torch

from autointerp.interp.errors import InvalidRequest
from autointerp.schemas.activations import ActivationsRequest, ActivationsResult
from autointerp.schemas.conversions import text_activations_out
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.tokens import tokenize
from autointerp.tasks.base import OperationContext, Runner, WorkerRuntime


def max_positions(neurons: MlpNeurons) -> int | None:
    """How many tokens the model takes at once, where its configuration says."""
    config = neurons.model.config
    for name in ("max_position_embeddings", "n_positions", "n_ctx", "seq_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _record_texts(
    request: ActivationsRequest, revision: str, runtime: WorkerRuntime
) -> ActivationsResult:
    models = runtime.models
    models.check_revision(request.model, revision)
    neurons = MlpNeurons.of(models.model(request.model))
    tokenizer = models.tokenizer(request.model)
    index = torch.tensor(request.neurons)
    positions = max_positions(neurons)
    texts = []
    for number, text in enumerate(request.texts):
        tokenized = tokenize(tokenizer, text)
        if positions and len(tokenized.token_ids) > positions:
            raise InvalidRequest(
                f"texts[{number}] is {len(tokenized.token_ids)} tokens, more than the "
                f"{positions} positions model {request.model!r} takes; split it"
            )
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
