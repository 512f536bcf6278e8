"""Submitting a request: validate against the server, hash it, create once, enqueue once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from autointerp.interp.errors import Conflict, DependencyUnavailable
from autointerp.ops.identity import canonical_json, content_hash
from autointerp.ops.store import SubmitOutcome
from autointerp.runtime import Runtime
from autointerp.schemas.operations import Operation, OperationKind
from autointerp.tasks.broker import Brokers
from autointerp.tasks.registry import HANDLERS

# Part of every operation id: bump when a kind's results would change for the same request.
HANDLER_VERSIONS: dict[OperationKind, int] = {
    **{kind: 1 for kind in OperationKind},
    # 2: calibration cross-fitted on the scored split by default; k = 1 skips valid.
    OperationKind.explanation: 2,
    OperationKind.score: 2,
}


IDEMPOTENCY_TTL_S = 24 * 3600


async def _claim_idempotency_key(runtime: Runtime, key: str, operation_id: str) -> None:
    """Bind a client's Idempotency-Key to this request; reusing it for another is an error."""
    redis_key = f"{runtime.settings.queue_prefix}:v1:idem:{content_hash(key)}"
    if await runtime.redis.set(redis_key, operation_id, nx=True, ex=IDEMPOTENCY_TTL_S):
        return
    bound = await runtime.redis.get(redis_key)
    if bound is not None and bound.decode() != operation_id:
        raise Conflict(
            "this Idempotency-Key was already used with a different request body; "
            "use a new key for a new request"
        )


async def submit_operation(
    kind: OperationKind,
    request: BaseModel,
    runtime: Runtime,
    brokers: Brokers,
    idempotency_key: str | None = None,
) -> tuple[Operation, SubmitOutcome]:
    """Create the operation for `request` (or find its twin) and enqueue it if it is new."""
    handler = HANDLERS[kind]
    identity: dict[str, Any] = await handler.identity(request, runtime)
    request_data = request.model_dump(mode="json")
    operation_id = content_hash(
        {
            "kind": kind.value,
            "version": HANDLER_VERSIONS[kind],
            "request": request_data,
            "identity": identity,
        }
    )
    if idempotency_key is not None:
        await _claim_idempotency_key(runtime, idempotency_key, operation_id)
    outcome = await runtime.operations.submit(operation_id, kind, canonical_json(request_data))
    if outcome is not SubmitOutcome.existing:
        await brokers.enqueue(handler.queue, operation_id)
    operation = await runtime.operations.get(operation_id)
    if operation is None:  # only if someone deleted it between our two calls
        raise DependencyUnavailable(
            f"operation {operation_id} vanished from Redis while submitting"
        )
    return operation, outcome


def submitter(runtime: Runtime, brokers: Brokers) -> None:
    """Let tasks in this process submit operations (a batch submits its children)."""

    async def submit(kind: OperationKind, request: BaseModel) -> Operation:
        operation, _ = await submit_operation(kind, request, runtime, brokers)
        return operation

    runtime.submit = submit
