"""Batches: explain and score many neurons of a layer as one parent operation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from autointerp.interp.activations import Polarity
from autointerp.interp.explainers import ExplainerKind
from autointerp.interp.protocols import MethodProtocol
from autointerp.interp.simulation import SimulatorKind
from autointerp.schemas.activations import Layer, NeuronIndex
from autointerp.schemas.common import OperationState, StrictModel, WireModel
from autointerp.schemas.explanations import PROTOCOL, ProfileName, Seed, Temperature
from autointerp.schemas.tokenization import ModelName

MAX_BATCH_NEURONS = 8192


class BatchRequest(StrictModel):
    """Explain (and score) a list of neurons of one layer, or all of them."""

    model: ModelName
    layer: Layer
    neurons: list[NeuronIndex] | None = Field(
        default=None, max_length=MAX_BATCH_NEURONS, description="Default: every neuron."
    )
    scan: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    explainer: ExplainerKind = Field(default=ExplainerKind.token_activation_pair, strict=False)
    profile: ProfileName = "local"
    polarity: Polarity = Field(default=Polarity.positive, strict=False)
    samples: int = Field(default=1, ge=1, le=10)
    temperature: Temperature = None
    seed: Seed = 0
    simulator: SimulatorKind = Field(default=SimulatorKind.all_at_once, strict=False)
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, strict=False, description=PROTOCOL
    )


class BatchChild(WireModel):
    """One neuron's explanation operation within a batch."""

    index: int
    operation_id: str
    state: OperationState
    explanation: str | None = None
    correlation: float | None = Field(default=None, description="Test-split score.")


class BatchResult(WireModel):
    """The result of a batch: every child, and how many succeeded."""

    kind: Literal["batch"] = "batch"
    model: str
    layer: int
    scan_id: str
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, description="The rules every child followed."
    )
    children: list[BatchChild]
    succeeded: int
    failed: int


class RankedNeuron(WireModel):
    """A neuron of a layer with its best cached score."""

    index: int
    correlation: float
    explanation: str
    operation_id: str
