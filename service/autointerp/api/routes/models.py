"""Subject models and their neurons: the neuron-centred reads."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query, Response

from autointerp.api.auth import Admin, Reader
from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.api.routes.search import ResultFiltersDep, summary_out
from autointerp.application import neurons
from autointerp.schemas.activations import ModelInfo, NeuronRecordPublic
from autointerp.schemas.batches import RankedNeuron
from autointerp.schemas.conversions import neuron_record_out
from autointerp.schemas.search import NeuronListingPage, ScoreHistogram
from autointerp.search.index import HISTOGRAM_EDGES

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.get(
    "", operation_id="listModels", response_model=list[ModelInfo], responses=PROBLEM_RESPONSES
)
async def list_models(_: Reader, resources: ResourcesDep) -> list[ModelInfo]:
    """Every subject model this server can record, with layers and neurons per layer."""
    return [await neurons.model_info(resources, name) for name in sorted(resources.catalog.sources)]


@router.get(
    "/{model}", operation_id="getModel", response_model=ModelInfo, responses=PROBLEM_RESPONSES
)
async def get_model(
    _: Reader, resources: ResourcesDep, model: str = Path(max_length=200)
) -> ModelInfo:
    """One subject model."""
    return await neurons.model_info(resources, model)


@router.get(
    "/{model}/neurons",
    operation_id="listNeurons",
    response_model=NeuronListingPage,
    responses=PROBLEM_RESPONSES,
)
async def list_neurons(
    _: Reader,
    resources: ResourcesDep,
    filters: ResultFiltersDep,
    model: str = Path(max_length=200),
    sort: Literal["score", "neuron"] = Query(
        default="score", description="Best score first, or by layer then neuron index."
    ),
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=100, ge=1, le=1000),
) -> NeuronListingPage:
    """The model's explained neurons, each once with its best-scored explanation among those
    the filters admit, with the histogram of those best scores over every page."""
    await neurons.known_model(resources, model)
    listing = await resources.search.neurons(filters.of(model=model), sort, cursor, limit)
    return NeuronListingPage(
        neurons=[summary_out(hit.document) for hit in listing.page.hits],
        total=listing.page.total,
        next_cursor=listing.page.next_cursor,
        histogram=ScoreHistogram(
            edges=[round(float(e), 6) for e in HISTOGRAM_EDGES], counts=listing.histogram
        ),
    )


@router.get(
    "/{model}/layers/{layer}/neurons",
    operation_id="rankNeurons",
    response_model=list[RankedNeuron],
    responses=PROBLEM_RESPONSES,
)
async def rank_neurons(
    _: Reader,
    resources: ResourcesDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    limit: int = Query(default=100, ge=1, le=10_000),
) -> list[RankedNeuron]:
    """A layer's explained neurons sorted by their best cached score, best first."""
    return await neurons.rank_layer(resources, model, layer, limit)


@router.get(
    "/{model}/layers/{layer}/neurons/{index}",
    operation_id="getNeuron",
    response_model=NeuronRecordPublic,
    responses=PROBLEM_RESPONSES,
)
async def get_neuron(
    _: Reader,
    resources: ResourcesDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    index: int = Path(ge=0, le=10_000_000),
    scan: str | None = Query(
        default=None, pattern=r"^[0-9a-f]{64}$", description="A scan id; default: the latest."
    ),
) -> NeuronRecordPublic:
    """The neuron's record from a scan: top, bottom and random excerpts and moments."""
    meta, record = await neurons.read_neuron_record(resources, model, layer, index, scan)
    results = await neurons.neuron_results(resources, model, layer, index)
    return neuron_record_out(model, layer, index, meta.scan_id, record, results)


@router.delete(
    "/{model}/layers/{layer}/neurons/{index}/results",
    operation_id="deleteNeuronResults",
    status_code=204,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
async def delete_neuron_results(
    _: Admin,
    resources: ResourcesDep,
    model: str = Path(max_length=200),
    layer: int = Path(ge=0, le=100_000),
    index: int = Path(ge=0, le=10_000_000),
) -> Response:
    """Forget every cached explanation and score of the neuron, and the operations that made
    them (submitting one again recomputes it). Its records stay."""
    await neurons.delete_neuron_results(resources, model, layer, index)
    return Response(status_code=204)


@router.delete(
    "/{model}/scans/{scan_id}",
    operation_id="deleteScan",
    status_code=204,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
async def delete_scan(
    _: Admin,
    resources: ResourcesDep,
    model: str = Path(max_length=200),
    scan_id: str = Path(pattern=r"^[0-9a-f]{64}$", description="The scan's id."),
) -> Response:
    """Delete a scan's neuron records and its operation (submitting the scan again re-runs
    it). Explanations and scores made from it stay until deleted."""
    await neurons.delete_scan(resources, model, scan_id)
    return Response(status_code=204)
