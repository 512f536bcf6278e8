"""Workers: consume queues from the shared Redis and run operations, standalone
(`autointerp worker`) or inside `serve` (the single-process default)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from autointerp.application.submission import Submitter, requeue_orphaned_operations
from autointerp.config import Settings
from autointerp.interp.errors import InvalidRequest
from autointerp.resources import Resources, build_resources
from autointerp.store.queues import Brokers, Queue
from autointerp.store.redis import connect
from autointerp.store.workers import HEARTBEAT_S, WorkerInfo, WorkerRegistry
from autointerp.subjects.devices import available_devices
from autointerp.tasks.base import build_worker_runtime
from autointerp.tasks.execution import execute_operation

log = logging.getLogger(__name__)

StopWorker = Callable[[], Awaitable[None]]


async def start_worker(
    resources: Resources, brokers: Brokers, queues: Iterable[Queue] = tuple(Queue)
) -> StopWorker:
    """Start consuming `queues` in this event loop; returns the coroutine that stops it (an
    operation still running after the grace period is re-delivered later, as after a crash)."""
    runtime = build_worker_runtime(resources)
    submit = Submitter(resources, brokers)

    async def execute(operation_id: str) -> None:
        await execute_operation(operation_id, runtime, submit)

    queues = list(queues)
    receivers = brokers.start_receivers(queues, execute)
    me = WorkerInfo(WorkerRegistry.own_id(), [q.value for q in queues], available_devices())
    heartbeat = asyncio.create_task(_announce(resources, brokers, me), name="worker-heartbeat")
    backfill = asyncio.create_task(_backfill_search(resources), name="search-backfill")

    async def stop() -> None:
        heartbeat.cancel()
        backfill.cancel()
        await brokers.stop_receivers(receivers)
        await resources.workers.withdraw(me.worker_id)

    return stop


async def _backfill_search(resources: Resources) -> None:
    """Index the results stored before search existed (or whose indexing failed); one worker
    at a time does it, and indexing a result twice only replaces it."""
    lock = f"{resources.search.namespace}:search:backfill"
    try:
        if await resources.redis.set(lock, WorkerRegistry.own_id(), nx=True, ex=3600):
            try:
                await resources.search.backfill(resources.records.results_pattern())
            finally:
                await resources.redis.delete(lock)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("the search backfill failed; the next worker start tries again")


async def _announce(resources: Resources, brokers: Brokers, me: WorkerInfo) -> None:
    """Keep this worker's entry (its queues and devices) fresh while it runs, and re-queue
    operations orphaned by a worker that died (every worker looks; each is re-queued once)."""
    while True:
        try:
            await resources.workers.announce(me)
            for operation_id in await requeue_orphaned_operations(resources, brokers):
                log.warning("re-queued an orphaned operation", extra={"operation_id": operation_id})
        except (RedisConnectionError, RedisTimeoutError):
            log.warning("could not refresh the worker's entry; trying again")
        await asyncio.sleep(min(HEARTBEAT_S, resources.settings.orphan_after_s / 2))


async def run_worker(settings: Settings, queues: list[Queue]) -> None:
    """Run receivers until SIGTERM/SIGINT; an unacknowledged job is re-delivered elsewhere."""
    if settings.redis_url is None:
        raise InvalidRequest("a separate worker needs AUTOINTERP_REDIS_URL: the Redis the API uses")
    redis = connect(settings.redis_url)
    resources = build_resources(settings, redis)
    brokers = Brokers(settings.redis_url, settings.queue_prefix, settings.redelivery_idle_s)
    await brokers.startup()
    stop_worker = await start_worker(resources, brokers, queues)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker started", extra={"queues": [q.value for q in queues]})
    await stop.wait()
    await stop_worker()
    await brokers.shutdown()
    await redis.aclose()
