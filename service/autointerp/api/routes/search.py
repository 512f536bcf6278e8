"""Explanation search across every model, layer and neuron."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from autointerp.api.auth import Reader
from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.activations import Polarity
from autointerp.interp.simulation import SimulatorKind
from autointerp.schemas.search import ExplanationHit, ExplanationSearchPage
from autointerp.search.index import SearchFilters

router = APIRouter(prefix="/v1/explanations", tags=["search"])


def _range(low: float, high: float) -> Any:
    return Query(default=None, ge=low, le=high, allow_inf_nan=False)


@router.get(
    "/search",
    operation_id="searchExplanations",
    response_model=ExplanationSearchPage,
    responses=PROBLEM_RESPONSES,
)
async def search_explanations(
    _: Reader,
    resources: ResourcesDep,
    q: str = Query(
        default="",
        max_length=500,
        description='Words and "quoted phrases": matched by meaning (sentence embeddings) and '
        "by keyword; every quoted phrase must appear. Empty: filters alone.",
    ),
    model: str | None = Query(default=None, max_length=200),
    layer_min: int | None = _range(0, 100_000),
    layer_max: int | None = _range(0, 100_000),
    neuron_min: int | None = _range(0, 10_000_000),
    neuron_max: int | None = _range(0, 10_000_000),
    polarity: Polarity | None = None,
    explainer: str | None = Query(default=None, max_length=100, description="An LLM profile."),
    simulator: SimulatorKind | None = None,
    scan: str | None = Query(default=None, pattern=r"^[0-9a-f]{64}$"),
    score_min: float | None = _range(-1.0, 1.0),
    score_max: float | None = _range(-1.0, 1.0),
    random_only_min: float | None = _range(-1.0, 1.0),
    random_only_max: float | None = _range(-1.0, 1.0),
    sort: Literal["relevance", "score"] = Query(
        default="relevance", description="relevance to `q`, or the top-and-random score."
    ),
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=20, ge=1, le=100),
) -> ExplanationSearchPage:
    """Stored explanations and scores of every neuron, by text query and filters."""
    filters = SearchFilters(
        model=model,
        layer_min=layer_min,
        layer_max=layer_max,
        neuron_min=neuron_min,
        neuron_max=neuron_max,
        polarity=polarity.value if polarity else None,
        explainer=explainer,
        simulator=simulator.value if simulator else None,
        scan_id=scan,
        score_min=score_min,
        score_max=score_max,
        random_only_min=random_only_min,
        random_only_max=random_only_max,
    )
    page = await resources.search.search(q, filters, sort, cursor, limit)
    hits = [
        ExplanationHit(
            model=h.document.model,
            layer=h.document.layer,
            index=h.document.index,
            operation_id=h.document.operation_id,
            kind=h.document.kind,
            explanation=h.document.explanation,
            explainer=h.document.explainer,
            polarity=Polarity(h.document.polarity),
            simulator=SimulatorKind(h.document.simulator),
            scan_id=h.document.scan_id,
            correlation=h.document.correlation,
            random_only_correlation=h.document.random_only_correlation,
            relevance=h.relevance,
            similarity=h.similarity,
            keyword_match=h.keyword,
            neuron_url=f"/v1/models/{h.document.model}/layers/{h.document.layer}/neurons/"
            f"{h.document.index}",
        )
        for h in page.hits
    ]
    return ExplanationSearchPage(hits=hits, total=page.total, next_cursor=page.next_cursor)
