"""Submit routes: every `POST /v1/<resource>` validates, submits and answers the same way."""

from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel

from autointerp.api.auth import Submitter
from autointerp.api.deps import BrokersDep, ResourcesDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.application.submission import submit_operation
from autointerp.schemas.operations import Operation, OperationKind, OperationState


def accepted(operation: Operation, response: Response) -> Operation:
    """202 with a Location to poll; 200 when an identical request already finished."""
    response.headers["Location"] = f"/v1/operations/{operation.id}"
    if operation.state is OperationState.succeeded:
        response.status_code = 200
    return operation


def add_submit_route(
    router: APIRouter,
    path: str,
    kind: OperationKind,
    request_model: type[BaseModel],
    operation_id: str,
    description: str,
) -> None:
    """Register `POST path` that submits `request_model` bodies as `kind` operations."""

    async def submit(
        body: BaseModel,
        caller: Submitter,
        resources: ResourcesDep,
        brokers: BrokersDep,
        response: Response,
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                max_length=200,
                description="Reusing a key with a different body is a 422.",
            ),
        ] = None,
    ) -> Operation:
        operation, _ = await submit_operation(
            kind, body, resources, brokers, idempotency_key, owner=caller.id
        )
        return accepted(operation, response)

    # FastAPI reads the body type from the annotation; give it the concrete model.
    submit.__annotations__["body"] = request_model
    router.add_api_route(
        path,
        submit,
        methods=["POST"],
        operation_id=operation_id,
        description=description,
        tags=[path.strip("/")],
        status_code=202,
        response_model=Operation,
        responses={
            200: {"model": Operation, "description": "An identical request already finished."},
            **PROBLEM_RESPONSES,
        },
    )
