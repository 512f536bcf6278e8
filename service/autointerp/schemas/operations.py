"""Long-running operations: what a submit returns and what polling shows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import Field

from autointerp.schemas.activations import (
    ActivationsRequest,
    ActivationsResult,
    ScanRequest,
    ScanResult,
)
from autointerp.schemas.batches import BatchRequest, BatchResult
from autointerp.schemas.common import OperationKind, OperationState, Problem, StrictModel, WireModel
from autointerp.schemas.exchange import ImportRequest, ImportResult
from autointerp.schemas.explanations import (
    ExplanationRequest,
    ExplanationResult,
    ScoreRequest,
    ScoreResult,
    SimulationRequest,
    SimulationResult,
)
from autointerp.schemas.neuron_search import NeuronSearchRequest, NeuronSearchResult
from autointerp.schemas.tokenization import TokenizationRequest, TokenizationResult

__all__ = ["OperationKind", "OperationState"]  # defined beside Problem, used from here

REQUEST_MODELS: dict[OperationKind, type[StrictModel]] = {
    OperationKind.tokenization: TokenizationRequest,
    OperationKind.activations: ActivationsRequest,
    OperationKind.scan: ScanRequest,
    OperationKind.explanation: ExplanationRequest,
    OperationKind.simulation: SimulationRequest,
    OperationKind.score: ScoreRequest,
    OperationKind.batch: BatchRequest,
    OperationKind.neuron_search: NeuronSearchRequest,
    OperationKind.import_: ImportRequest,
}
"""Each kind's request body."""


OperationResult = Annotated[
    TokenizationResult
    | ActivationsResult
    | ScanResult
    | ExplanationResult
    | SimulationResult
    | ScoreResult
    | BatchResult
    | NeuronSearchResult
    | ImportResult,
    Field(discriminator="kind"),
]


class Progress(WireModel):
    """How far a running operation has come."""

    fraction: float = Field(ge=0.0, le=1.0)
    message: str = ""


class Operation(WireModel):
    """An asynchronous operation; its id is the hash of its canonical request."""

    id: str
    kind: OperationKind
    state: OperationState
    progress: Progress
    created_at: datetime
    updated_at: datetime
    result: OperationResult | None = None
    error: Problem | None = Field(default=None, description="Why the operation failed.")


LLMIdentity = dict[str, str | None]
RequestT = TypeVar("RequestT", bound=StrictModel)


class Pins(StrictModel):
    """What else, besides the request, determines an operation's result, fixed at submit."""

    model_revision: str | None = None
    corpus: dict[str, str | None] | None = None
    explainer: LLMIdentity | None = None
    simulator: LLMIdentity | None = None
    results_version: int | None = None
    """For a result that quotes stored explanations: a newer one makes a new operation."""


class Resolved(StrictModel, Generic[RequestT]):
    """A request as submit resolved it: every reference pinned ("the latest scan" made a scan
    id, defaults that depend on the server filled in) and checked. This is what is hashed into
    the operation id, stored, and run; a worker resolves nothing again."""

    request: RequestT
    pins: Pins = Pins()
