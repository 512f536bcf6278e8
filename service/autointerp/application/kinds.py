"""Every operation kind's submit side: its queue, its version, and how a request is resolved.

Resolving turns a request into what will run: references pinned ("the latest scan" becomes a
scan id, omitted layers or neurons become the full list, the simulator profile defaults to
the explainer's), server-side facts fixed (the model revision, the corpus digest, each LLM
profile's identity), and everything refusable refused with a 4xx problem now, not as a failed
operation later. The runners in `tasks/` take the resolved request as stored.

Bump a kind's `version` when its results would change for the same resolved request (a new
scoring rule, say): its operation ids change, so old results are not served for new requests.
Prompt changes bump `interp.prompts.PROMPT_VERSION` instead, which every operation id and
every LLM-call cache key carries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from autointerp.application.neurons import (
    check_neurons,
    find_scan,
    model_revision,
    model_shape,
    require_available,
)
from autointerp.interp.errors import InvalidRequest, NotFound
from autointerp.interp.explainers import default_temperature
from autointerp.interp.records import layer_groups
from autointerp.interp.simulation import SimulatorKind, check_simulator
from autointerp.resources import Resources
from autointerp.schemas.activations import ActivationsRequest, ScanRequest
from autointerp.schemas.batches import MAX_BATCH_NEURONS, BatchRequest
from autointerp.schemas.common import StrictModel
from autointerp.schemas.conversions import scan_settings
from autointerp.schemas.exchange import ImportRequest
from autointerp.schemas.explanations import (
    ExplanationRequest,
    NeuronRef,
    ScoreRequest,
    SimulationRequest,
)
from autointerp.schemas.neuron_search import NeuronSearchRequest
from autointerp.schemas.operations import REQUEST_MODELS, OperationKind, Pins, Resolved
from autointerp.schemas.tokenization import TokenizationRequest
from autointerp.store.queues import Queue
from autointerp.subjects.architectures import ModelShape
from autointerp.subjects.memory import HALF_DTYPES, MB, STREAM_CHOICES, ScanMemory, scan_memory

RequestT = TypeVar("RequestT", bound=StrictModel)


@dataclass(frozen=True)
class KindSpec(Generic[RequestT]):
    """How one kind of operation is submitted."""

    queue: Queue
    version: int
    """Part of every operation id of this kind."""
    resolve: Callable[[RequestT, Resources], Awaitable[Resolved[RequestT]]]
    route: Callable[[RequestT], Queue] | None = None
    """Picks the queue by the resolved request, where that depends on it."""

    def queue_for(self, request: RequestT) -> Queue:
        """The queue a resolved request runs on."""
        return self.route(request) if self.route is not None else self.queue


def _check_simulator(resources: Resources, kind: SimulatorKind, profile: str) -> None:
    capabilities = resources.profiles.capabilities(profile)
    check_simulator(
        kind,
        capabilities.has_model,
        capabilities.prompt_logprobs,
        capabilities.answer_logprobs,
    )


async def _pin_neuron(resources: Resources, neuron: NeuronRef | None) -> NeuronRef | None:
    if neuron is None:
        return None
    meta = await find_scan(resources, neuron.model, neuron.layer, [neuron.index], neuron.scan)
    return neuron.model_copy(update={"scan": meta.scan_id})


async def _tokenization(
    request: TokenizationRequest, resources: Resources
) -> Resolved[TokenizationRequest]:
    await require_available(resources, request.model)
    revision = await model_revision(resources, request.model)
    return Resolved(request=request, pins=Pins(model_revision=revision))


async def _activations(
    request: ActivationsRequest, resources: Resources
) -> Resolved[ActivationsRequest]:
    await check_neurons(resources, request.model, request.layer, request.neurons)
    await require_available(resources, request.model)
    revision = await model_revision(resources, request.model)
    return Resolved(request=request, pins=Pins(model_revision=revision))


async def _neuron_search(
    request: NeuronSearchRequest, resources: Resources
) -> Resolved[NeuronSearchRequest]:
    shape = await model_shape(resources, request.model)
    await require_available(resources, request.model)
    layers = _chosen_layers(shape, request.layers)
    revision = await model_revision(resources, request.model)
    return Resolved(
        request=request.model_copy(update={"layers": layers}),
        pins=Pins(
            model_revision=revision, results_version=await resources.records.results_version()
        ),
    )


def _describe(memory: ScanMemory) -> str:
    parts = {
        "selections": memory.selections,
        "forward pass": memory.forward,
        "excerpt tokens": memory.excerpt_tokens,
        "batch keys": memory.batch_keys,
        "record writes": memory.write,
        "threads": memory.runtime,
    }
    return ", ".join(f"{name} {size / MB:.0f}" for name, size in parts.items())


def _layer_groups(
    request: ScanRequest,
    layers: list[int],
    predict: Callable[[list[int]], ScanMemory],
    limit_mb: int,
) -> int:
    """How many groups the layers are scanned in: as asked, or (0) as few as the memory
    budget allows; each group must fit the budget."""
    if request.layer_groups > len(layers):
        raise InvalidRequest(
            f"layer_groups is {request.layer_groups}, but the scan records {len(layers)} layers"
        )

    def largest(groups: int) -> ScanMemory:
        return max(
            (predict(group) for group in layer_groups(layers, groups)), key=attrgetter("peak")
        )

    fits = (g for g in range(1, len(layers) + 1) if largest(g).peak <= limit_mb * MB)
    groups = request.layer_groups or next(fits, len(layers))
    worst = largest(groups)
    if worst.peak > limit_mb * MB:
        raise InvalidRequest(
            f"this scan would take about {worst.peak / MB:.0f} MB on one worker (in MB: "
            f"{_describe(worst)}), more than this server's {limit_mb} MB: split it over more "
            "layer groups, record fewer layers, smaller selections, shorter excerpts or "
            "smaller batches"
        )
    return groups


async def _check_redis_room(resources: Resources, stored: int) -> None:
    """Refuse records that would not fit a Redis with a memory limit (it would refuse the
    writes at the end of the scan, or evict other state)."""
    info = await resources.redis.info("memory")
    limit, used = int(info.get("maxmemory", 0)), int(info.get("used_memory", 0))
    if limit and used + stored > limit:
        raise InvalidRequest(
            f"this scan's records would take about {stored / MB:.0f} MB in Redis, which has "
            f"{max(limit - used, 0) / MB:.0f} MB of its {limit / MB:.0f} MB limit left: record "
            "fewer layers, smaller selections or shorter excerpts, or delete old scans"
        )


def _chosen_layers(shape: ModelShape, layers: list[int] | None) -> list[int]:
    """The layers asked for, sorted and checked (errors name the range), or all of them."""
    chosen = sorted(set(layers)) if layers else list(range(shape.layers))
    for layer in chosen:
        shape.check(layer)
    return chosen


async def _scan(request: ScanRequest, resources: Resources) -> Resolved[ScanRequest]:
    shape = await model_shape(resources, request.model)
    await require_available(resources, request.model)
    layers = _chosen_layers(shape, request.layers)
    settings = resources.settings
    streams = settings.scan_streams or max(STREAM_CHOICES)
    element_bytes = 2 if resources.catalog.source(request.model).dtype in HALF_DTYPES else 4

    def predict(group: list[int]) -> ScanMemory:
        return scan_memory(shape, scan_settings(request, group), streams, element_bytes)

    groups = _layer_groups(request, layers, predict, settings.scan_memory_mb)
    await _check_redis_room(resources, predict(layers).stored)
    spec = await asyncio.to_thread(resources.corpora.canonical, request.corpus)
    corpus = await asyncio.to_thread(resources.corpora.identity, spec)
    return Resolved(
        request=request.model_copy(
            update={"layers": layers, "layer_groups": groups, "corpus": spec}
        ),
        pins=Pins(model_revision=await model_revision(resources, request.model), corpus=corpus),
    )


def _scan_queue(request: ScanRequest) -> Queue:
    # A split scan only submits its groups and waits: it must not hold a model worker.
    return Queue.llm if request.layer_groups > 1 else Queue.model


def _temperature(temperature: float | None, samples: int) -> float:
    """The temperature as given, or its default for the number of samples."""
    return default_temperature(samples) if temperature is None else temperature


async def _explanation(
    request: ExplanationRequest, resources: Resources
) -> Resolved[ExplanationRequest]:
    simulator_profile = request.simulator_profile or request.profile
    profiles = resources.profiles
    profiles.profile(request.profile)
    _check_simulator(resources, request.simulator, simulator_profile)
    pinned = request.model_copy(
        update={
            "neuron": await _pin_neuron(resources, request.neuron),
            "simulator_profile": simulator_profile,
            "temperature": _temperature(request.temperature, request.samples),
        }
    )
    pins = Pins(
        explainer=await profiles.pinned_identity(request.profile),
        simulator=await profiles.pinned_identity(simulator_profile),
    )
    return Resolved(request=pinned, pins=pins)


async def _score(request: ScoreRequest, resources: Resources) -> Resolved[ScoreRequest]:
    _check_simulator(resources, request.simulator, request.profile)
    pinned = request.model_copy(update={"neuron": await _pin_neuron(resources, request.neuron)})
    return Resolved(
        request=pinned,
        pins=Pins(simulator=await resources.profiles.pinned_identity(request.profile)),
    )


async def _simulation(
    request: SimulationRequest, resources: Resources
) -> Resolved[SimulationRequest]:
    _check_simulator(resources, request.simulator, request.profile)
    if request.texts is not None and request.model is None:
        raise InvalidRequest("'texts' need 'model', whose tokenizer splits them into tokens")
    revision = await model_revision(resources, request.model) if request.model else None
    pins = Pins(
        model_revision=revision, simulator=await resources.profiles.pinned_identity(request.profile)
    )
    return Resolved(request=request, pins=pins)


async def _import(request: ImportRequest, resources: Resources) -> Resolved[ImportRequest]:
    if not await resources.uploads.exists(request.upload):
        raise NotFound(
            f"no upload {request.upload} (uploads are kept {resources.settings.upload_ttl_s} s): "
            "POST the file to /v1/uploads first"
        )
    return Resolved(request=request)


async def _batch(request: BatchRequest, resources: Resources) -> Resolved[BatchRequest]:
    shape = await model_shape(resources, request.model)
    neurons = request.neurons if request.neurons is not None else range(shape.neurons_per_layer)
    indices = sorted(set(neurons))
    if len(indices) > MAX_BATCH_NEURONS:
        raise InvalidRequest(
            f"layer {request.layer} has {len(indices)} neurons; a batch explains at most "
            f"{MAX_BATCH_NEURONS}: give `neurons`, and split the layer over several batches"
        )
    _check_simulator(resources, request.simulator, request.profile)
    meta = await find_scan(resources, request.model, request.layer, indices, request.scan)
    pinned = request.model_copy(
        update={
            "neurons": indices,
            "scan": meta.scan_id,
            "temperature": _temperature(request.temperature, request.samples),
        }
    )
    pins = Pins(
        model_revision=meta.model_revision,
        explainer=await resources.profiles.pinned_identity(request.profile),
    )
    return Resolved(request=pinned, pins=pins)


KINDS: dict[OperationKind, KindSpec[Any]] = {
    OperationKind.tokenization: KindSpec(Queue.model, 1, _tokenization),
    OperationKind.activations: KindSpec(Queue.model, 1, _activations),
    # 2: each layer's random samples come from its own seeded generator.
    # 3: a Brown document is one text (its sentences run together), so the model's separator
    # falls between documents, not after every sentence; BOS models open each with BOS.
    OperationKind.scan: KindSpec(Queue.model, 3, _scan, route=_scan_queue),
    # 2: calibration cross-fitted on the scored split by default; k = 1 skips valid.
    # 3: `protocol` (autointerp or study) is part of the request and named in the result.
    # 4: candidates are checked and drawn again when rejected or not returned; `seed`, and
    # greedy decoding by default for one sample (#18).
    # 5: the binary simulator reads its answers from the odds that a neuron fires (#18), and
    # so scores candidates differently; the lexical explainer may quote an opening quote.
    OperationKind.explanation: KindSpec(Queue.llm, 5, _explanation),
    # 2: binary simulations read from the odds that a neuron fires.
    OperationKind.simulation: KindSpec(Queue.llm, 2, _simulation),
    # 3: `protocol`, as for explanations. 4: binary simulations, as for simulations.
    OperationKind.score: KindSpec(Queue.llm, 4, _score),
    # 2: `protocol`, passed to every child. 3: its children's new versions.
    OperationKind.batch: KindSpec(Queue.llm, 3, _batch),
    OperationKind.neuron_search: KindSpec(Queue.model, 1, _neuron_search),
    OperationKind.import_: KindSpec(Queue.llm, 1, _import),
}
assert KINDS.keys() == REQUEST_MODELS.keys(), "every kind needs a submit side"
