"""The shared answer of every submit route."""

from __future__ import annotations

from fastapi import Response

from autointerp.schemas.operations import Operation, OperationState


def accepted(operation: Operation, response: Response) -> Operation:
    """202 with a Location to poll; 200 when an identical request already finished."""
    response.headers["Location"] = f"/v1/operations/{operation.id}"
    if operation.state is OperationState.succeeded:
        response.status_code = 200
    return operation
