"""Neuron search by text: which neurons of some layers fire most on one text, per token and
over the whole text, each with its best cached explanation (Neuronpedia's search-by-text)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from autointerp.interp.activations import Polarity
from autointerp.schemas.activations import Layer
from autointerp.schemas.common import StrictModel, WireModel
from autointerp.schemas.tokenization import ModelName, Text

MAX_PER_TOKEN = 20
MAX_OVERALL = 100
MAX_EXPLAINED = 512
"""Distinct neurons whose explanations one search reads (the overall list's first)."""


class NeuronSearchRequest(StrictModel):
    """One text to run through a model, finding the neurons of some layers that fire most."""

    model: ModelName
    text: Text
    layers: list[Layer] | None = Field(
        default=None, min_length=1, max_length=1024, description="Layers to search; all when null."
    )
    per_token: int = Field(
        default=5, ge=0, le=MAX_PER_TOKEN, description="Top neurons kept at each token."
    )
    overall: int = Field(
        default=20,
        ge=0,
        le=MAX_OVERALL,
        description="Top neurons over the whole text, by their peak activation on it.",
    )
    polarity: Polarity = Field(
        default=Polarity.positive,
        strict=False,
        description="positive: the highest activations; negative: the lowest (most negative), "
        "with explanations of that polarity.",
    )


class FiringNeuron(WireModel):
    """A neuron that fires on the text, with its best cached explanation."""

    layer: int
    index: int
    activation: float = Field(description="Its activation, signed as recorded.")
    explanation: str | None = Field(
        description="Its best cached explanation of the request's polarity (highest "
        "correlation, as when the search ran); null if it has none, or if it is not among the "
        f"first {MAX_EXPLAINED} distinct neurons looked up (the overall list's first)."
    )
    correlation: float | None = Field(description="That explanation's top-and-random score.")


class PeakNeuron(FiringNeuron):
    """A neuron of the overall list: its peak over the text, and where."""

    token: int = Field(description="Position in `tokens` of its peak.")
    neuron_url: str = Field(description="The neuron's record, with every result.")


class TokenNeurons(WireModel):
    """One token of the text and the neurons that fire most on it."""

    token_id: int
    text: str = Field(description="The token's text as it appears in the input.")
    offset: tuple[int, int] = Field(description="[start, end) character offsets.")
    top: list[FiringNeuron] = Field(description="Strongest first.")


class NeuronSearchResult(WireModel):
    """The result of a neuron search."""

    kind: Literal["neuron_search"] = "neuron_search"
    model: str
    model_revision: str
    layers: list[int]
    polarity: Polarity
    tokens: list[TokenNeurons]
    overall: list[PeakNeuron] = Field(description="Strongest peak first.")
