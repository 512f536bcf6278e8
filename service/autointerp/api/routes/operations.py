"""Reading operations: GET /v1/operations/{id}."""

from __future__ import annotations

from fastapi import APIRouter, Path

from autointerp.api.deps import RuntimeDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.interp.errors import NotFound
from autointerp.schemas.operations import Operation

router = APIRouter(prefix="/v1/operations", tags=["operations"])

OperationId = Path(pattern=r"^[0-9a-f]{64}$", description="The id a submit returned.")


@router.get(
    "/{operation_id}",
    operation_id="getOperation",
    response_model=Operation,
    responses=PROBLEM_RESPONSES,
)
async def get_operation(runtime: RuntimeDep, operation_id: str = OperationId) -> Operation:
    """State, progress and the result or the problem of one operation."""
    operation = await runtime.operations.get(operation_id)
    if operation is None:
        raise NotFound(f"no operation {operation_id}; it never existed or has expired")
    return operation
