"""Typed error vocabulary of the service.

Each error carries what was wrong and what is allowed, so one HTTP handler can map it to an
RFC 9457 problem and a task can store it as the reason an operation failed.
"""

from __future__ import annotations

from typing import Any


class AutointerpError(Exception):
    """Base of every error the service reports to a user."""

    status: int = 500
    title: str = "Internal error"
    type_slug: str = "internal"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class InvalidRequest(AutointerpError):
    """The request is well-formed JSON but asks for something the service cannot do."""

    status = 422
    title = "Invalid request"
    type_slug = "invalid-request"


class NotFound(AutointerpError):
    """A named thing (model, operation, neuron record) does not exist."""

    status = 404
    title = "Not found"
    type_slug = "not-found"


class DependencyUnavailable(AutointerpError):
    """A backing service (Redis, an LLM endpoint) cannot be reached right now."""

    status = 503
    title = "Dependency unavailable"
    type_slug = "dependency-unavailable"


class OperationFailed(AutointerpError):
    """An operation ran and could not produce a result (e.g. an unparsable simulation)."""

    status = 502
    title = "Operation failed"
    type_slug = "operation-failed"


class TransientFailure(OperationFailed):
    """A dependency failed in a way that may pass (rate limit, outage, timeout): the operation
    is tried again a bounded number of times before it fails with this reason."""

    title = "Dependency failed"
    type_slug = "dependency-failed"


class OperationCancelled(AutointerpError):
    """The operation was cancelled by a user; raised inside its task to stop the work."""

    status = 409
    title = "Operation cancelled"
    type_slug = "operation-cancelled"


class Conflict(AutointerpError):
    """The request conflicts with an earlier one (e.g. an idempotency key reused)."""

    status = 422
    title = "Conflicting request"
    type_slug = "conflict"


class DeadLettered(OperationFailed):
    """An operation started too many times without finishing: its workers kept dying."""

    title = "Operation dead-lettered"
    type_slug = "dead-letter"


class RefusedRequest(AutointerpError):
    """A request refused before it is handled; `headers` go on the answer."""

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.headers = headers or {}


class Unauthorized(RefusedRequest):
    """No API key, or one that is unknown or revoked."""

    status = 401
    title = "Unauthorized"
    type_slug = "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, {"WWW-Authenticate": 'Bearer realm="autointerp"'})


class Forbidden(RefusedRequest):
    """The key is valid but its scope does not cover the route, or the thing is another's."""

    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class RateLimited(RefusedRequest):
    """Too many requests (or operations, or event streams) for the key right now."""

    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"


class PayloadTooLarge(RefusedRequest):
    status = 413
    title = "Request body too large"
    type_slug = "payload-too-large"


class BudgetSpent(AutointerpError):
    """The key's daily LLM token budget is spent: the operation does not start."""

    status = 429
    title = "LLM token budget spent"
    type_slug = "budget-spent"
