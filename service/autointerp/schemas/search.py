"""Explanation search: what a hit and a page of hits carry."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from autointerp.interp.activations import Polarity
from autointerp.interp.simulation import SimulatorKind
from autointerp.schemas.common import WireModel


class ExplanationSummary(WireModel):
    """A stored explanation (or score of one) of a neuron, with its scores."""

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
    neuron_url: str = Field(description="The neuron's record, with every result.")


class ExplanationHit(ExplanationSummary):
    """A stored explanation (or score of one) of a neuron that matches the search."""

    relevance: float = Field(
        description="Cosine similarity of the sentence embeddings, plus 0.3 when every word of "
        "the query appears (0.15 when some do)."
    )
    similarity: float
    keyword_match: bool


class ExplanationSearchPage(WireModel):
    """One page of hits, best first."""

    hits: list[ExplanationHit]
    total: int = Field(description="Hits of the search in all pages.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ScoreHistogram(WireModel):
    """How many neurons' best top-and-random scores fall in each bin (neurons without a
    defined score are not counted)."""

    edges: list[float] = Field(description="Bin edges, from -1 to 1: one more than counts.")
    counts: list[int]


class NeuronListingPage(WireModel):
    """One page of a model's neurons, each with its best-scored explanation."""

    neurons: list[ExplanationSummary]
    total: int = Field(description="Neurons that match, in all pages.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    histogram: ScoreHistogram = Field(description="Of every matching neuron, not one page.")
