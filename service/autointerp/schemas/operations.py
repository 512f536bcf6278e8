"""Long-running operations: what a submit returns and what polling shows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from autointerp.schemas.activations import ActivationsResult, ScanResult
from autointerp.schemas.batches import BatchResult
from autointerp.schemas.common import Problem, WireModel
from autointerp.schemas.explanations import ExplanationResult, ScoreResult, SimulationResult
from autointerp.schemas.tokenization import TokenizationResult


class OperationKind(StrEnum):
    """What an operation computes."""

    tokenization = "tokenization"
    activations = "activations"
    scan = "scan"
    explanation = "explanation"
    simulation = "simulation"
    score = "score"
    batch = "batch"


class OperationState(StrEnum):
    """Where an operation is in its life."""

    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def is_terminal(self) -> bool:
        """Whether the operation will not change any more (unless resubmitted)."""
        return self in (OperationState.succeeded, OperationState.failed, OperationState.cancelled)


OperationResult = Annotated[
    TokenizationResult
    | ActivationsResult
    | ScanResult
    | ExplanationResult
    | SimulationResult
    | ScoreResult
    | BatchResult,
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
