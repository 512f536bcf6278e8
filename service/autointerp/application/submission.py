"""Submitting a request: resolve it, hash the resolved form, create once, enqueue once."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from autointerp.application.kinds import KINDS
from autointerp.interp.errors import Conflict, DependencyUnavailable, RateLimited
from autointerp.interp.prompts import PROMPT_VERSION
from autointerp.resources import Resources
from autointerp.schemas.operations import REQUEST_MODELS, Operation, OperationKind, Resolved
from autointerp.store.identity import canonical_json, content_hash
from autointerp.store.operations import SubmitOutcome
from autointerp.store.queues import Brokers
from autointerp.store.redis import as_text

IDEMPOTENCY_TTL_S = 24 * 3600


async def _claim_idempotency_key(
    resources: Resources, key: str, operation_id: str, owner: str
) -> None:
    """Bind a client's Idempotency-Key to this request; reusing it for another is an error.
    Keys are per owner: one API key cannot see or claim another's."""
    redis_key = f"{resources.operations.namespace}:idem:{content_hash([owner, key])}"
    if await resources.redis.set(redis_key, operation_id, nx=True, ex=IDEMPOTENCY_TTL_S):
        return
    bound = await resources.redis.get(redis_key)
    if bound is not None and as_text(bound) != operation_id:
        raise Conflict(
            "this Idempotency-Key was already used with a different request body; "
            "use a new key for a new request"
        )


# Kinds that can hold a worker for long: each key may have a few queued or running at once.
EXPENSIVE_KINDS = frozenset({OperationKind.scan, OperationKind.batch, OperationKind.import_})


async def _check_active(resources: Resources, owner: str, operation_id: str) -> None:
    """Refuse a new expensive operation when the key has its most queued or running."""
    most = resources.settings.max_active_operations
    active = await resources.operations.take_active_place(owner, operation_id, most)
    if active is not None:
        raise RateLimited(
            f"this key has {active} scans, batches or imports queued or running, its most "
            f"({most}); wait for one to finish or cancel one",
            {"Retry-After": "30"},
        )


async def submit_operation(
    kind: OperationKind,
    request: BaseModel,
    resources: Resources,
    brokers: Brokers,
    idempotency_key: str | None = None,
    owner: str = "",
    limit_active: bool = True,
) -> tuple[Operation, SubmitOutcome]:
    """Create the operation for `request` (or find its twin) and enqueue it if it is new.
    `owner`: the submitting key's id ("" for the service itself, a batch's children)."""
    spec = KINDS[kind]
    resolved_form = await spec.resolve(request, resources)
    resolved_request = resolved_form.request
    resolved = resolved_form.model_dump(mode="json")
    # The prompt version too: an explanation or score from other prompts is another result.
    operation_id = content_hash(
        {"kind": kind.value, "version": spec.version, "prompts": PROMPT_VERSION, **resolved}
    )
    if idempotency_key is not None:
        await _claim_idempotency_key(resources, idempotency_key, operation_id, owner)
    if limit_active and owner and kind in EXPENSIVE_KINDS and resources.settings.auth:
        await _check_active(resources, owner, operation_id)
    store = resources.operations
    outcome = await store.submit(operation_id, kind, canonical_json(resolved), owner)
    # New, failed before, or running on a worker that died: (again) to the queue.
    orphan_after_s = resources.settings.orphan_after_s
    if outcome is not SubmitOutcome.existing or await store.requeue_if_orphaned(
        operation_id, orphan_after_s
    ):
        await brokers.enqueue(spec.queue_for(resolved_request), operation_id)
    operation = await resources.operations.get(operation_id)
    if operation is None:  # only if someone deleted it between our two calls
        raise DependencyUnavailable(
            f"operation {operation_id} vanished from Redis while submitting"
        )
    return operation, outcome


async def requeue_orphaned_operations(resources: Resources, brokers: Brokers) -> list[str]:
    """Put back in their queues the running operations whose worker stopped sending
    heartbeats (killed, or its host lost); any process may call it, each is re-queued once."""
    store, requeued = resources.operations, []
    for operation_id in await store.running():
        if not await store.requeue_if_orphaned(operation_id, resources.settings.orphan_after_s):
            continue
        operation = await store.get(operation_id)
        request_json = await store.request_json(operation_id)
        if operation is None or request_json is None:
            continue
        request_model: Any = REQUEST_MODELS[operation.kind]
        resolved = Resolved[request_model].model_validate_json(request_json)
        await brokers.enqueue(KINDS[operation.kind].queue_for(resolved.request), operation_id)
        requeued.append(operation_id)
    return requeued


class Submitter:
    """Submits on behalf of a running operation (a batch's children), as a client would."""

    def __init__(self, resources: Resources, brokers: Brokers) -> None:
        self.resources = resources
        self.brokers = brokers

    async def __call__(self, kind: OperationKind, request: BaseModel, owner: str = "") -> Operation:
        """Submit for `owner` (the parent's, so its children's tokens count against the same
        key; they are not held to its limit of active scans, the parent is); the operation as
        it now is."""
        operation, _ = await submit_operation(
            kind, request, self.resources, self.brokers, owner=owner, limit_active=False
        )
        return operation
