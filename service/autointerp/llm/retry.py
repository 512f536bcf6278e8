"""Bounded retries with capped, jittered exponential backoff, honouring Retry-After."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from autointerp.interp.errors import OperationFailed, TransientFailure

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying a call."""

    max_retries: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    deadline_s: float = 300.0


def backoff_delay(policy: RetryPolicy, attempt: int, retry_after_s: float | None) -> float:
    """Full-jitter exponential delay, or the server's Retry-After when it gives one."""
    if retry_after_s is not None:
        return min(max(retry_after_s, 0.0), policy.max_delay_s)
    return random.uniform(0, min(policy.max_delay_s, policy.base_delay_s * 2**attempt))


async def call_with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    failures: tuple[type[Exception], ...],
    retryable: Callable[[Exception], bool],
    retry_after: Callable[[Exception], float | None],
    describe: Callable[[Exception], str],
) -> T:
    """Run `call`, retrying retryable failures among `failures` (the errors the endpoint's
    client raises). Gives up with the reason: TransientFailure when retries ran out (the
    operation may try again later), OperationFailed when the error cannot pass (a bad request,
    a bad key). Any other exception is a bug and propagates unchanged, with its traceback."""
    started = time.monotonic()
    for attempt in range(policy.max_retries + 1):
        try:
            return await call()
        except failures as error:
            reason = describe(error)
            if not retryable(error):
                raise OperationFailed(f"language model call failed: {reason}") from error
            delay = backoff_delay(policy, attempt, retry_after(error))
            out_of_time = time.monotonic() - started + delay > policy.deadline_s
            if attempt == policy.max_retries or out_of_time:
                raise TransientFailure(
                    f"language model call failed after {attempt + 1} attempts: {reason}"
                ) from error
            log.warning(
                "retrying language model call",
                extra={"attempt": attempt + 1, "delay_s": round(delay, 2), "reason": reason},
            )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
