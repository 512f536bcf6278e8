"""Explanation search across every model, layer and neuron."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from autointerp.api.auth import Reader
from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.activations import Polarity
from autointerp.interp.simulation import SimulatorKind
from autointerp.schemas.search import ExplanationHit, ExplanationSearchPage, ExplanationSummary
from autointerp.search.index import IndexedExplanation, SearchFilters

router = APIRouter(prefix="/v1/explanations", tags=["search"])


def summary_out(document: IndexedExplanation) -> ExplanationSummary:
    """A search document as the API shows it, with a link to its neuron."""
    return ExplanationSummary(
        model=document.model,
        layer=document.layer,
        index=document.index,
        operation_id=document.operation_id,
        kind=document.kind,
        explanation=document.explanation,
        explainer=document.explainer,
        polarity=Polarity(document.polarity),
        simulator=SimulatorKind(document.simulator),
        scan_id=document.scan_id,
        correlation=document.correlation,
        random_only_correlation=document.random_only_correlation,
        neuron_url=f"/v1/models/{document.model}/layers/{document.layer}/neurons/{document.index}",
    )


def bounded(low: float, high: float) -> Any:
    """An optional query parameter within [low, high]."""
    return Query(default=None, ge=low, le=high, allow_inf_nan=False)


class ResultFilters:
    """The filters search and the neuron listing share, as query parameters."""

    def __init__(
        self,
        layer_min: int | None = bounded(0, 100_000),
        layer_max: int | None = bounded(0, 100_000),
        polarity: Polarity | None = None,
        explainer: str | None = Query(default=None, max_length=100, description="An LLM profile."),
        simulator: SimulatorKind | None = None,
        scan: str | None = Query(default=None, pattern=r"^[0-9a-f]{64}$"),
        score_min: float | None = bounded(-1.0, 1.0),
        score_max: float | None = bounded(-1.0, 1.0),
        random_only_min: float | None = bounded(-1.0, 1.0),
        random_only_max: float | None = bounded(-1.0, 1.0),
    ) -> None:
        self.fields: dict[str, Any] = {
            "layer_min": layer_min,
            "layer_max": layer_max,
            "polarity": polarity.value if polarity else None,
            "explainer": explainer,
            "simulator": simulator.value if simulator else None,
            "scan_id": scan,
            "score_min": score_min,
            "score_max": score_max,
            "random_only_min": random_only_min,
            "random_only_max": random_only_max,
        }

    def of(self, **more: Any) -> SearchFilters:
        """These filters and more."""
        return SearchFilters(**self.fields, **more)


ResultFiltersDep = Annotated[ResultFilters, Depends()]


@router.get(
    "/search",
    operation_id="searchExplanations",
    response_model=ExplanationSearchPage,
    responses=PROBLEM_RESPONSES,
)
async def search_explanations(
    _: Reader,
    resources: ResourcesDep,
    filters: ResultFiltersDep,
    q: str = Query(
        default="",
        max_length=500,
        description='Words and "quoted phrases": matched by meaning (sentence embeddings) and '
        "by keyword; every quoted phrase must appear. Empty: filters alone.",
    ),
    model: str | None = Query(default=None, max_length=200),
    neuron_min: int | None = bounded(0, 10_000_000),
    neuron_max: int | None = bounded(0, 10_000_000),
    sort: Literal["relevance", "score"] = Query(
        default="relevance", description="relevance to `q`, or the top-and-random score."
    ),
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=20, ge=1, le=100),
) -> ExplanationSearchPage:
    """Stored explanations and scores of every neuron, by text query and filters."""
    chosen = filters.of(model=model, neuron_min=neuron_min, neuron_max=neuron_max)
    page = await resources.search.search(q, chosen, sort, cursor, limit)
    hits = [
        ExplanationHit(
            **summary_out(h.document).model_dump(),
            relevance=h.relevance,
            similarity=h.similarity,
            keyword_match=h.keyword,
        )
        for h in page.hits
    ]
    return ExplanationSearchPage(hits=hits, total=page.total, next_cursor=page.next_cursor)
