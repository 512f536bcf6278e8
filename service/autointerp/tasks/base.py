"""What every operation handler provides, and the context it runs in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from autointerp.interp.errors import OperationCancelled
from autointerp.runtime import Runtime
from autointerp.schemas.operations import OperationKind, OperationState


class Queue(StrEnum):
    """Work queues; model work and LLM work scale apart on separate workers."""

    model = "model"
    llm = "llm"


@dataclass
class OperationContext:
    """Given to a running handler: shared resources and a way to report progress."""

    runtime: Runtime
    operation_id: str

    async def report_progress(self, fraction: float, message: str = "") -> None:
        """Record how far the operation has come (0..1); stop here if it was cancelled."""
        operations = self.runtime.operations
        operation = await operations.get(self.operation_id)
        if operation is not None and operation.state is OperationState.cancelled:
            raise OperationCancelled(f"operation {self.operation_id} was cancelled")
        await operations.report_progress(self.operation_id, fraction, message)


RequestT = TypeVar("RequestT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


@dataclass(frozen=True)
class OperationHandler(Generic[RequestT, ResultT]):
    """One kind of operation: its request type, its queue, how to check and how to run it."""

    kind: OperationKind
    queue: Queue
    request_model: type[RequestT]
    identity: Callable[[RequestT, Runtime], Awaitable[dict[str, Any]]]
    """Checks the request against this server (raising InvalidRequest) and returns what else
    determines the result, e.g. the model revision; it becomes part of the operation id."""
    run: Callable[[RequestT, OperationContext], Awaitable[ResultT]]
