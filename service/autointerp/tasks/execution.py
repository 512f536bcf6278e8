"""Running one operation on a worker: load its request, call its handler, store the outcome."""

from __future__ import annotations

import logging

from autointerp.interp.errors import AutointerpError
from autointerp.runtime import Runtime
from autointerp.schemas.common import Problem
from autointerp.tasks.base import OperationContext
from autointerp.tasks.registry import HANDLERS

log = logging.getLogger(__name__)


def problem_from_error(error: AutointerpError) -> Problem:
    """The RFC 9457 document for a typed error."""
    return Problem(
        type=f"https://autointerp.dev/problems/{error.type_slug}",
        title=error.title,
        status=error.status,
        detail=error.detail,
        **error.extensions,
    )


async def execute_operation(operation_id: str, runtime: Runtime) -> None:
    """Run a queued operation to success or failure; a no-op for one already finished."""
    store = runtime.operations
    operation = await store.get(operation_id)
    if operation is None or operation.state.is_terminal:
        # Expired, or a redelivered message for work that already finished.
        log.info("skipping operation", extra={"operation_id": operation_id})
        return
    handler = HANDLERS[operation.kind]
    request_json = await store.request_json(operation_id)
    if request_json is None:  # the hash expired between the two reads
        return
    request = handler.request_model.model_validate_json(request_json)
    await store.mark_running(operation_id)
    log.info("operation started", extra={"operation_id": operation_id, "kind": operation.kind})
    try:
        result = await handler.run(request, OperationContext(runtime, operation_id))
    except AutointerpError as error:
        log.warning("operation failed: %s", error.detail, extra={"operation_id": operation_id})
        await store.mark_failed(operation_id, problem_from_error(error))
        return
    except Exception:
        log.exception("operation crashed", extra={"operation_id": operation_id})
        internal = AutointerpError("the operation failed on an internal error; see server logs")
        await store.mark_failed(operation_id, problem_from_error(internal))
        return
    await store.mark_succeeded(operation_id, result.model_dump_json())
    log.info("operation succeeded", extra={"operation_id": operation_id})
