"""Running one operation on a worker: load its request, call its handler, store the outcome.

Whatever happens inside, the operation ends succeeded or failed with a reason: a crash, an
unreadable stored request and a timeout all become failures, never an operation stuck in
`running` and never a stored result. A transient failure (a dependency rate-limiting, down or
timing out) is tried again a bounded number of times first.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from pydantic import BaseModel
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from autointerp.interp.errors import (
    AutointerpError,
    BudgetSpent,
    DeadLettered,
    OperationCancelled,
    OperationFailed,
    TransientFailure,
)
from autointerp.observability import Redactor
from autointerp.resources import Resources
from autointerp.schemas.common import Problem
from autointerp.schemas.operations import REQUEST_MODELS, Operation, OperationKind, Resolved
from autointerp.store.limits import UsageLedger
from autointerp.store.operations import LIVENESS_S, OperationStore
from autointerp.store.workers import WorkerRegistry
from autointerp.tasks.base import OperationContext, Runner, SubmitAs, WorkerRuntime
from autointerp.tasks.registry import RUNNERS

# Failures that may pass if the operation runs again a little later.
TRANSIENT = (TransientFailure, RedisConnectionError, RedisTimeoutError)

log = logging.getLogger(__name__)


async def _run_with_retries(
    runner: Runner[Any, Any], resolved: Resolved[Any], context: OperationContext
) -> BaseModel:
    """Run the operation; on a transient failure wait (doubling) and run it again, up to
    `transient_retries` times. Calls that already succeeded come from the LLM-call cache."""
    settings = context.resources.settings
    for attempt in range(settings.transient_retries + 1):
        try:
            result: BaseModel = await runner.run(resolved, context)
            return result
        except TRANSIENT as error:
            reason = error.detail if isinstance(error, AutointerpError) else f"Redis: {error}"
            if attempt == settings.transient_retries:
                raise TransientFailure(f"{reason} (gave up after {attempt + 1} tries)") from error
            delay = settings.transient_retry_delay_s * 2**attempt
            log.warning(
                "transient failure; trying again",
                extra={"operation_id": context.operation_id, "delay_s": delay, "reason": reason},
            )
            try:
                await context.report_progress(0.0, f"trying again in {delay:g} s after: {reason}")
            except (RedisConnectionError, RedisTimeoutError):
                pass  # Redis itself is what failed; the next try will tell
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


LLM_KINDS = frozenset({OperationKind.explanation, OperationKind.simulation, OperationKind.score})


async def _check_budget(resources: Resources, kind: OperationKind, owner: str) -> None:
    """Refuse to start LLM work for a key whose daily token budget is spent."""
    budget = resources.settings.llm_tokens_per_day
    if not (budget and owner and resources.settings.auth and kind in LLM_KINDS):
        return
    spent = await UsageLedger(resources.redis, resources.settings.queue_prefix).today(owner)
    if spent.tokens >= budget:
        raise BudgetSpent(
            f"this key's operations spent {spent.tokens} LLM tokens today ({spent.day}, UTC), "
            f"its daily budget of {budget}; submit again tomorrow (GET /v1/usage)"
        )


async def _charge(resources: Resources, owner: str, result_json: str) -> None:
    """Count what a finished operation says its language model calls spent."""
    usage = json.loads(result_json).get("usage")
    if owner and isinstance(usage, dict):
        ledger = UsageLedger(resources.redis, resources.settings.queue_prefix)
        await ledger.charge(owner, usage["prompt_tokens"], usage["completion_tokens"])


async def _run(operation_id: str, context: OperationContext, owner: str) -> str | None:
    """The result JSON, or None when there is nothing (left) to run."""
    settings, store = context.resources.settings, context.resources.operations
    operation = await store.get(operation_id)
    if operation is None or operation.state.is_terminal:
        # Expired, or a redelivered message for work that already finished.
        log.info("skipping operation", extra={"operation_id": operation_id})
        return None
    await _check_budget(context.resources, operation.kind, owner)
    request_json = await store.request_json(operation_id)
    if request_json is None:  # the hash expired between the two reads
        return None
    attempts = await store.count_attempt(operation_id)
    if attempts > settings.max_attempts:
        raise DeadLettered(
            f"the operation was started {attempts - 1} times and never finished (its worker "
            "stopped each time); resubmit the request to try again"
        )
    request_model: Any = REQUEST_MODELS[operation.kind]
    resolved = Resolved[request_model].model_validate_json(request_json)
    # A worker silent for the re-delivery idle time counts as gone too, as the queue has it.
    stale_s = min(settings.orphan_after_s, settings.redelivery_idle_s)
    if not await store.claim(operation_id, WorkerRegistry.own_id(), stale_s):
        # A second message for it (re-queued when its worker seemed gone): it runs elsewhere.
        log.info("skipping operation: running elsewhere", extra={"operation_id": operation_id})
        return None
    log.info("operation started", extra={"operation_id": operation_id, "kind": operation.kind})
    timeout = settings.job_timeout_s
    every_s = min(LIVENESS_S, stale_s / 3)
    heartbeat = asyncio.create_task(_beat(store, operation_id, every_s), name="op-heartbeat")
    try:
        result = await asyncio.wait_for(
            _run_with_retries(RUNNERS[operation.kind], resolved, context), timeout
        )
    except TimeoutError:
        raise OperationFailed(f"the operation did not finish within {timeout} s") from None
    finally:
        heartbeat.cancel()
    return str(result.model_dump_json())


async def _beat(store: OperationStore, operation_id: str, every_s: float) -> None:
    """Tell other processes this operation's worker is alive, until cancelled."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await store.beat(operation_id)
        except (RedisConnectionError, RedisTimeoutError):
            log.warning("could not refresh the heartbeat", extra={"operation_id": operation_id})


async def execute_operation(operation_id: str, runtime: WorkerRuntime, submit: SubmitAs) -> None:
    """Run a queued operation to success or failure; a no-op for one already finished."""
    resources = runtime.resources
    store = resources.operations
    owner = await store.owner(operation_id) or ""

    async def submit_as_owner(kind: OperationKind, request: BaseModel) -> Operation:
        return await submit(kind, request, owner)

    context = OperationContext(runtime, operation_id, submit_as_owner)
    try:
        result_json = await _run(operation_id, context, owner)
    except OperationCancelled:
        log.info("operation stopped: cancelled", extra={"operation_id": operation_id})
        return
    except AutointerpError as error:
        log.warning("operation failed: %s", error.detail, extra={"operation_id": operation_id})
        # An upstream error may echo a configured key (OpenAI's 401 does, masked).
        redact = Redactor(resources.settings.secret_values())
        problem = Problem.of(error)
        await store.mark_failed(
            operation_id, problem.model_copy(update={"detail": redact(problem.detail)})
        )
        return
    except Exception:
        log.exception("operation crashed", extra={"operation_id": operation_id})
        internal = AutointerpError("the operation failed on an internal error; see server logs")
        await store.mark_failed(operation_id, Problem.of(internal))
        return
    if result_json is None:
        return
    try:
        stored = await store.mark_succeeded(operation_id, result_json)
    except ValueError as error:  # stored, it could not be read back
        log.error("operation result refused: %s", error, extra={"operation_id": operation_id})
        refused = AutointerpError(f"the operation's result could not be stored: {error}")
        await store.mark_failed(operation_id, Problem.of(refused))
        return
    if stored:
        await _charge(resources, owner, result_json)
    log.info("operation succeeded", extra={"operation_id": operation_id})
