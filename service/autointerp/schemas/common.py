"""The strict base every request model shares, and the RFC 9457 problem document."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from autointerp.interp.errors import AutointerpError


class StrictModel(BaseModel):
    """Requests: unknown fields are errors, values are never silently coerced, and numbers
    are finite (JSON has no NaN or Infinity; Python's parser accepts them, the store and every
    client that reads them back would not)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class WireModel(BaseModel):
    """Responses and stored results."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OperationKind(StrEnum):
    """What an operation computes."""

    tokenization = "tokenization"
    activations = "activations"
    scan = "scan"
    explanation = "explanation"
    simulation = "simulation"
    score = "score"
    batch = "batch"
    neuron_search = "neuron_search"
    import_ = "import"


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


class FieldError(WireModel):
    """One invalid field of a request."""

    loc: list[str | int] = Field(description="Path to the field, e.g. ['body', 'texts', 3].")
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail (`application/problem+json`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", description="URI identifying the problem type.")
    title: str
    status: int
    detail: str = Field(description="What was wrong and what is allowed, for a human.")
    instance: str | None = None
    errors: list[FieldError] | None = None

    @classmethod
    def of(cls, error: AutointerpError, instance: str | None = None) -> Problem:
        """The document for a typed error: what an HTTP answer carries, and what a failed
        operation stores as its reason."""
        return cls(
            type=f"https://autointerp.dev/problems/{error.type_slug}",
            title=error.title,
            status=error.status,
            detail=error.detail,
            instance=instance,
            **error.extensions,
        )

    def to_json_dict(self) -> dict[str, Any]:
        """The document as sent, without unset optional members."""
        return self.model_dump(mode="json", exclude_none=True)
