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
    """Re-sends after a retryable failure other than a timeout."""
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    deadline_s: float = 300.0
    timeout_s: float = 60.0
    """The first attempt's timeout; each re-send after a timeout doubles it."""
    timeout_retries: int = 0
    """Re-sends after a timeout. 0: a call that timed out is not sent again, since the server
    may still be working on it (a copy would only queue behind it)."""


def backoff_delay(policy: RetryPolicy, attempt: int, retry_after_s: float | None) -> float:
    """Full-jitter exponential delay, or the server's Retry-After when it gives one."""
    if retry_after_s is not None:
        return min(max(retry_after_s, 0.0), policy.max_delay_s)
    return random.uniform(0, min(policy.max_delay_s, policy.base_delay_s * 2**attempt))


def _never(error: Exception) -> bool:
    return False


async def call_with_retries(
    call: Callable[[float], Awaitable[T]],
    *,
    policy: RetryPolicy,
    failures: tuple[type[Exception], ...],
    retryable: Callable[[Exception], bool],
    retry_after: Callable[[Exception], float | None],
    describe: Callable[[Exception], str],
    timed_out: Callable[[Exception], bool] = _never,
) -> T:
    """Run `call(timeout_s)`, retrying retryable failures among `failures` (the errors the
    endpoint's client raises). A timeout (`timed_out`) is re-sent only `timeout_retries` times,
    each with the timeout doubled. Gives up with the reason: TransientFailure when retries ran
    out (the operation may try again later), OperationFailed when the error cannot pass (a bad
    request, a bad key). Any other exception is a bug and propagates unchanged, with its
    traceback."""
    started = time.monotonic()
    timeouts = 0
    attempt = 0
    while True:
        timeout_s = policy.timeout_s * 2**timeouts
        try:
            return await call(timeout_s)
        except failures as error:
            reason = describe(error)
            if timed_out(error):
                sent = attempt + timeouts + 1
                if timeouts >= policy.timeout_retries:
                    raise TransientFailure(
                        f"language model call timed out after {timeout_s:g} s (sent {sent} "
                        f"time{'s' if sent > 1 else ''}; a timed-out call is re-sent only "
                        f"timeout_retries times, since the server may still be working on it: "
                        f"raise the profile's timeout_s for long calls): {reason}"
                    ) from error
                timeouts += 1
                log.warning(
                    "re-sending a timed-out language model call",
                    extra={"timeout_s": timeout_s * 2, "reason": reason},
                )
                continue
            if not retryable(error):
                raise OperationFailed(f"language model call failed: {reason}") from error
            delay = backoff_delay(policy, attempt, retry_after(error))
            out_of_time = time.monotonic() - started + delay > policy.deadline_s
            if attempt == policy.max_retries or out_of_time:
                raise TransientFailure(
                    f"language model call failed after {attempt + timeouts + 1} attempts: {reason}"
                ) from error
            attempt += 1
            log.warning(
                "retrying language model call",
                extra={"attempt": attempt, "delay_s": round(delay, 2), "reason": reason},
            )
            await asyncio.sleep(delay)
