"""Reading, listing and cancelling operations."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.sse import EventSourceResponse

from autointerp.api.auth import Admin, GateDep, Reader, Submitter
from autointerp.api.deps import ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.errors import Forbidden, NotFound
from autointerp.schemas.common import WireModel
from autointerp.schemas.operations import Operation, OperationKind, OperationState
from autointerp.store.keys import ApiKey, Scope

router = APIRouter(prefix="/v1/operations", tags=["operations"])

OperationId = Path(pattern=r"^[0-9a-f]{64}$", description="The id a submit returned.")


class OperationPage(WireModel):
    """One page of operations, newest first."""

    operations: list[Operation]
    next_cursor: str | None = None


def _not_found(operation_id: str) -> NotFound:
    return NotFound(f"no operation {operation_id}; it never existed or has expired")


async def _existing_operation(
    resources: ResourcesDep, operation_id: str = OperationId
) -> Operation:
    operation = await resources.operations.get(operation_id)
    if operation is None:
        raise _not_found(operation_id)
    return operation


ExistingOperation = Annotated[Operation, Depends(_existing_operation)]


async def _stream_slot(caller: Reader, gate: GateDep) -> AsyncIterator[ApiKey]:
    # A dependency, not the stream's body: once that runs the 200 is sent and a 429 no longer
    # can be. Its exit runs after the response has been sent, freeing the slot.
    with gate.event_stream(caller):
        yield caller


StreamSlot = Annotated[ApiKey, Depends(_stream_slot)]


@router.get(
    "", operation_id="listOperations", response_model=OperationPage, responses=PROBLEM_RESPONSES
)
async def list_operations(
    caller: Reader,
    resources: ResourcesDep,
    kind: Annotated[OperationKind | None, Query()] = None,
    state: Annotated[OperationState | None, Query()] = None,
    limit: int = Query(default=50, ge=1, le=500),
    cursor: str | None = Query(
        default=None,
        pattern=r"^[0-9]+(\.[0-9]+)?$",
        description="next_cursor of the previous page.",
    ),
) -> OperationPage:
    """Operations newest first, optionally of one kind and state: the caller's own (those
    its key submitted), or with an admin key everyone's."""
    owner = None if caller.allows(Scope.admin) else caller.id
    operations, last = await resources.operations.list(
        limit, float(cursor) if cursor else None, kind, state, owner
    )
    return OperationPage(operations=operations, next_cursor=repr(last) if last else None)


# Before GET /{operation_id}: Starlette answers a method on the cancel path with the Allow
# header of the first route whose path matches it, and `{operation_id}` matches `x:cancel`.
@router.post(
    "/{operation_id}:cancel",
    operation_id="cancelOperation",
    response_model=Operation,
    responses=PROBLEM_RESPONSES,
)
async def cancel_operation(
    caller: Submitter, resources: ResourcesDep, operation_id: str = OperationId
) -> Operation:
    """Cancel a queued or running operation (its task stops at its next step); a finished
    operation is returned unchanged. A submit key cancels the operations it submitted; an
    admin key any."""
    store = resources.operations
    owner = await store.owner(operation_id)
    if owner is None and await store.get(operation_id) is None:
        raise _not_found(operation_id)
    if not caller.allows(Scope.admin) and owner != caller.id:
        raise Forbidden("only the key that submitted an operation (or an admin) may cancel it")
    await store.cancel(operation_id)
    operation = await store.get(operation_id)
    if operation is None:
        raise _not_found(operation_id)
    return operation


@router.get(
    "/{operation_id}",
    operation_id="getOperation",
    response_model=Operation,
    responses={
        304: {"description": "Unchanged since the ETag given in If-None-Match."},
        **PROBLEM_RESPONSES,
    },
)
async def get_operation(
    _: Reader, request: Request, response: Response, operation: ExistingOperation
) -> Operation | Response:
    """State, progress and the result or the problem of one operation (with a strong ETag).
    Any read key may read an operation by its id (results are shared by content)."""
    etag = '"' + hashlib.sha256(operation.model_dump_json().encode()).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return operation


@router.delete(
    "/{operation_id}",
    operation_id="deleteOperation",
    status_code=204,
    response_class=Response,
    responses=PROBLEM_RESPONSES,
)
async def delete_operation(
    _: Admin, resources: ResourcesDep, operation_id: str = OperationId
) -> Response:
    """Forget an operation record (one that cannot be read, say); its results, if any, stay
    where they are stored, and submitting its request again runs it."""
    if not await resources.redis.exists(resources.operations.key(operation_id)):
        raise _not_found(operation_id)
    await resources.operations.delete(operation_id)
    return Response(status_code=204)


@router.get(
    "/{operation_id}/events",
    operation_id="streamOperationEvents",
    response_class=EventSourceResponse,
    responses=PROBLEM_RESPONSES,
)
async def stream_operation_events(
    _: StreamSlot, resources: ResourcesDep, operation: ExistingOperation
) -> AsyncIterable[Operation]:
    """Server-Sent Events: the operation now, then again each time its state or progress
    changes; the last event is the finished operation (succeeded, failed or cancelled) and
    the stream ends. Keep-alive comments flow while nothing changes. Open streams are capped
    per key and per server process (429 beyond)."""
    async for current in resources.operations.watch(operation.id):
        yield current
