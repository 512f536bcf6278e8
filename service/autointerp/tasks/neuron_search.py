"""Neuron search by text: one forward pass records the chosen layers, each reduced at once to
its top neurons per token and over the text (so many layers never sit in memory together);
then the winners' best cached explanations are read."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import torch

from autointerp.interp.activations import Polarity
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.evaluation import ranking_key
from autointerp.interp.records import TokenizedText
from autointerp.resources import Resources
from autointerp.schemas.activations import NeuronResult
from autointerp.schemas.conversions import token_neurons_out
from autointerp.schemas.neuron_search import (
    MAX_EXPLAINED,
    FiringNeuron,
    NeuronSearchRequest,
    NeuronSearchResult,
    PeakNeuron,
)
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.subjects.neurons import MlpNeurons
from autointerp.subjects.tokens import tokenize
from autointerp.tasks.activations import max_positions
from autointerp.tasks.base import OperationContext, Runner, WorkerRuntime

Neuron = tuple[int, int]
"""(layer, index)"""
Candidates = tuple[torch.Tensor, ...]
"""Signed activations, then their layers, neuron indices (and, overall, peak tokens)."""


@dataclass(frozen=True)
class _Found:
    text: TokenizedText
    per_token: list[list[tuple[int, int, float]]]
    """[token][rank] (layer, index, activation)."""
    overall: list[tuple[int, int, float, int]]
    """[rank] (layer, index, activation, token of its peak)."""


def _best_of(candidates: list[Candidates], k: int) -> list[torch.Tensor]:
    """The top k along the last axis over every layer's candidates, each part gathered."""
    parts = [torch.cat([c[i].cpu() for c in candidates], dim=-1) for i in range(len(candidates[0]))]
    values, where = parts[0].topk(min(k, parts[0].shape[-1]), dim=-1)
    return [values, *(part.gather(-1, where) for part in parts[1:])]


def _record(request: NeuronSearchRequest, revision: str, runtime: WorkerRuntime) -> _Found:
    models = runtime.models
    models.check_revision(request.model, revision)
    neurons = MlpNeurons.of(models.model(request.model))
    text = tokenize(models.tokenizer(request.model), request.text)
    positions = max_positions(neurons)
    if not text.token_ids:
        raise InvalidRequest(f"the text has no tokens for model {request.model!r}")
    if positions and len(text.token_ids) > positions:
        raise InvalidRequest(
            f"the text is {len(text.token_ids)} tokens, more than the {positions} positions "
            f"model {request.model!r} takes; split it"
        )
    assert request.layers is not None, "submit resolves the layers"
    sign = 1.0 if request.polarity is Polarity.positive else -1.0
    width = neurons.shape.neurons_per_layer
    per_token: list[Candidates] = []
    overall: list[Candidates] = []

    def reduce(layer: int, activations: torch.Tensor) -> None:
        signed = sign * activations[0].float()  # (tokens, neurons), strongest highest
        values, indices = signed.topk(min(request.per_token, width), dim=-1)
        per_token.append((values, torch.full_like(indices, layer), indices))
        peaks, tokens = signed.max(dim=0)
        values, indices = peaks.topk(min(request.overall, width))
        overall.append((values, torch.full_like(indices, layer), indices, tokens[indices]))

    input_ids = torch.tensor([text.token_ids])
    with torch.inference_mode(), neurons.recording(request.layers, reduce):
        neurons.run(input_ids, torch.ones_like(input_ids))
    values, layers, indices = (t.tolist() for t in _best_of(per_token, request.per_token))
    top = [
        [(layer, index, sign * value) for value, layer, index in zip(*token, strict=True)]
        for token in zip(values, layers, indices, strict=True)
    ]
    peaks = zip(*(t.tolist() for t in _best_of(overall, request.overall)), strict=True)
    return _Found(
        text=text,
        per_token=top,
        overall=[(layer, index, sign * value, token) for value, layer, index, token in peaks],
    )


async def _best_explanations(
    resources: Resources, model: str, polarity: Polarity, neurons: list[Neuron]
) -> dict[Neuron, NeuronResult]:
    """Each neuron's best cached result of this polarity (highest correlation, as
    application.neurons ranks them), for the first MAX_EXPLAINED neurons: one read each."""
    best = {}
    for layer, index in neurons[:MAX_EXPLAINED]:
        stored = await resources.records.results(model, layer, index)
        results = [NeuronResult.model_validate_json(s) for s in stored]
        matching = [r for r in results if r.polarity is polarity]
        if matching:
            best[layer, index] = max(matching, key=lambda r: ranking_key(r.correlation))
    return best


async def _run(
    resolved: Resolved[NeuronSearchRequest], context: OperationContext
) -> NeuronSearchResult:
    request = resolved.request
    revision = str(resolved.pins.model_revision)
    found = await asyncio.to_thread(_record, request, revision, context.runtime)
    await context.report_progress(0.9, "recorded; reading explanations")
    # The overall list first, then the per-token lists rank by rank: the cap keeps the best.
    ranks = max((len(top) for top in found.per_token), default=0)
    wanted = [(layer, index) for layer, index, _, _ in found.overall] + [
        top[rank][:2] for rank in range(ranks) for top in found.per_token if rank < len(top)
    ]
    best = await _best_explanations(
        context.resources, request.model, request.polarity, list(dict.fromkeys(wanted))
    )

    def explained(layer: int, index: int, activation: float) -> FiringNeuron:
        result = best.get((layer, index))
        return FiringNeuron(
            layer=layer,
            index=index,
            activation=activation,
            explanation=result.explanation if result else None,
            correlation=result.correlation if result else None,
        )

    def peak(layer: int, index: int, activation: float, token: int) -> PeakNeuron:
        neuron = explained(layer, index, activation)
        return PeakNeuron(
            layer=layer,
            index=index,
            activation=activation,
            explanation=neuron.explanation,
            correlation=neuron.correlation,
            token=token,
            neuron_url=f"/v1/models/{request.model}/layers/{layer}/neurons/{index}",
        )

    return NeuronSearchResult(
        model=request.model,
        model_revision=revision,
        layers=request.layers or [],
        polarity=request.polarity,
        tokens=token_neurons_out(
            found.text, [[explained(*neuron) for neuron in top] for top in found.per_token]
        ),
        overall=[peak(*neuron) for neuron in found.overall],
    )


NEURON_SEARCH = Runner(kind=OperationKind.neuron_search, run=_run)
