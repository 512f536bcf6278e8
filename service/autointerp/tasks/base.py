"""What an operation's runner gets: the worker's resources, a way to report progress, and a
way to submit child operations, all passed in explicitly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from autointerp.interp.errors import OperationCancelled, OperationFailed
from autointerp.interp.ports import LanguageModel
from autointerp.llm.backends import LanguageModels
from autointerp.llm.profiles import configured_identity
from autointerp.resources import Resources
from autointerp.schemas.operations import (
    LLMIdentity,
    Operation,
    OperationKind,
    OperationState,
    Resolved,
)
from autointerp.subjects.loading import ModelLoader

Submit = Callable[[OperationKind, BaseModel], Awaitable[Operation]]
"""How a running operation submits others (as its own owner)."""
SubmitAs = Callable[[OperationKind, BaseModel, str], Awaitable[Operation]]
"""How a worker submits on behalf of an owner (a key id)."""
"""Submits an operation as an HTTP client would (resolved, content-addressed, enqueued)."""


@dataclass(frozen=True)
class WorkerRuntime:
    """A worker process's resources: the shared ones plus the model stack."""

    resources: Resources
    models: ModelLoader
    llms: LanguageModels


def build_worker_runtime(resources: Resources) -> WorkerRuntime:
    """Add the model loader and language models to a process's shared resources."""
    settings = resources.settings
    models = ModelLoader(resources.catalog, settings.data_dir / "models")
    llms = LanguageModels(resources.profiles, models, resources.redis, settings.queue_prefix)
    return WorkerRuntime(resources, models, llms)


@dataclass(frozen=True)
class OperationContext:
    """Given to a running operation."""

    runtime: WorkerRuntime
    operation_id: str
    submit: Submit
    """For operations made of others (a batch submits its children)."""

    @property
    def resources(self) -> Resources:
        """The process's shared resources."""
        return self.runtime.resources

    def language_model(self, profile: str, pinned: LLMIdentity | None) -> LanguageModel | None:
        """The profile's model, provided this worker's profile is the one the operation was
        submitted for (hosts configured differently would store a result under an id that
        does not describe it)."""
        mine = self.resources.profiles.identity(profile)
        # What the server reported at submit is not configuration: this worker's cache keys
        # carry what it reads itself.
        if pinned is not None and mine != configured_identity(pinned):
            raise OperationFailed(
                f"this worker's LLM profile {profile!r} is {mine}; the operation was submitted "
                f"for {pinned}: give every host the same profiles"
            )
        return self.runtime.llms.get(profile)

    async def report_progress(self, fraction: float, message: str = "") -> None:
        """Record how far the operation has come (0..1); stop here if it was cancelled."""
        operations = self.resources.operations
        operation = await operations.get(self.operation_id)
        if operation is not None and operation.state is OperationState.cancelled:
            raise OperationCancelled(f"operation {self.operation_id} was cancelled")
        await operations.report_progress(self.operation_id, fraction, message)


POLL_S = 0.5


async def wait_for_children(
    context: OperationContext, children: dict[Any, str], what: str
) -> dict[Any, Operation | None]:
    """Wait until every child operation has finished, reporting how many have; if this one
    is cancelled, its children are cancelled too. Returns each child as it ended (None if it
    expired meanwhile)."""
    operations = context.resources.operations
    try:
        while True:
            current = {key: await operations.get(o) for key, o in children.items()}
            finished = sum(1 for o in current.values() if o is None or o.state.is_terminal)
            await context.report_progress(
                finished / len(children), f"{finished} of {len(children)} {what} done"
            )
            if finished == len(children):
                return current
            await asyncio.sleep(POLL_S)
    except OperationCancelled:
        for operation_id in children.values():
            await operations.cancel(operation_id)
        raise


RequestT = TypeVar("RequestT", bound=Any)
ResultT = TypeVar("ResultT", bound=BaseModel)


@dataclass(frozen=True)
class Runner(Generic[RequestT, ResultT]):
    """How one kind of operation runs on a worker, from its resolved request."""

    kind: OperationKind
    run: Callable[[Resolved[RequestT], OperationContext], Awaitable[ResultT]]
