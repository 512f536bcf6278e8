"""A standalone worker process: consumes the given queues from the shared Redis."""

from __future__ import annotations

import asyncio
import logging
import signal

from autointerp.config import Settings
from autointerp.interp.errors import InvalidRequest
from autointerp.ops.submission import submitter
from autointerp.runtime import build_runtime
from autointerp.store.redis import connect
from autointerp.tasks.base import Queue
from autointerp.tasks.broker import Brokers

log = logging.getLogger(__name__)


async def run_worker(settings: Settings, queues: list[Queue]) -> None:
    """Run receivers until SIGTERM/SIGINT; an unacknowledged job is re-delivered elsewhere."""
    if settings.redis_url is None:
        raise InvalidRequest("a separate worker needs AUTOINTERP_REDIS_URL: the Redis the API uses")
    redis = connect(settings.redis_url)
    runtime = build_runtime(settings, redis)
    brokers = Brokers(settings.redis_url, runtime)
    submitter(runtime, brokers)
    await brokers.startup()
    receivers = brokers.start_receivers(queues)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker started", extra={"queues": [q.value for q in queues]})
    await stop.wait()
    await brokers.stop_receivers(receivers)
    await brokers.shutdown()
    await redis.aclose()
