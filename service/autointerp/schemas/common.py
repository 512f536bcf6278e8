"""The strict base every request model shares, and the RFC 9457 problem document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Requests: unknown fields are errors and values are never silently coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class WireModel(BaseModel):
    """Responses and stored results."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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

    def to_json_dict(self) -> dict[str, Any]:
        """The document as sent, without unset optional members."""
        return self.model_dump(mode="json", exclude_none=True)
