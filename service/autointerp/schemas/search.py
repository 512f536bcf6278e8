"""Explanation search: what a hit and a page of hits carry."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from autointerp.interp.activations import Polarity
from autointerp.interp.simulation import SimulatorKind
from autointerp.schemas.common import WireModel


class ExplanationHit(WireModel):
    """A stored explanation (or score of one) of a neuron that matches the search."""

    model: str
    layer: int
    index: int
    operation_id: str = Field(description="The operation that wrote or scored the explanation.")
    kind: Literal["explanation", "score"]
    explanation: str
    explainer: str | None
    polarity: Polarity
    simulator: SimulatorKind
    scan_id: str | None
    correlation: float | None = Field(description="Top-and-random correlation.")
    random_only_correlation: float | None
    relevance: float = Field(
        description="Cosine similarity of the sentence embeddings, plus 0.3 when every word of "
        "the query appears (0.15 when some do)."
    )
    similarity: float
    keyword_match: bool
    neuron_url: str = Field(description="The neuron's record, with every result.")


class ExplanationSearchPage(WireModel):
    """One page of hits, best first."""

    hits: list[ExplanationHit]
    total: int = Field(description="Hits of the search in all pages.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
