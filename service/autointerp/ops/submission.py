"""Submitting a request: validate against the server, hash it, create once, enqueue once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from autointerp.interp.errors import DependencyUnavailable
from autointerp.ops.identity import canonical_json, content_hash
from autointerp.ops.store import SubmitOutcome
from autointerp.runtime import Runtime
from autointerp.schemas.operations import Operation, OperationKind
from autointerp.tasks.broker import Brokers
from autointerp.tasks.registry import HANDLERS

# Part of every operation id: bump when a kind's results would change for the same request.
HANDLER_VERSIONS: dict[OperationKind, int] = {kind: 1 for kind in OperationKind}


async def submit_operation(
    kind: OperationKind, request: BaseModel, runtime: Runtime, brokers: Brokers
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
    outcome = await runtime.operations.submit(operation_id, kind, canonical_json(request_data))
    if outcome is not SubmitOutcome.existing:
        await brokers.enqueue(handler.queue, operation_id)
    operation = await runtime.operations.get(operation_id)
    if operation is None:  # only if someone deleted it between our two calls
        raise DependencyUnavailable(
            f"operation {operation_id} vanished from Redis while submitting"
        )
    return operation, outcome
