"""taskiq on Redis streams: one stream per queue, acknowledged after the task finishes, so a
message whose worker died is re-delivered to another worker after `redelivery_idle_s`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from enum import StrEnum

from redis.asyncio import Redis
from taskiq import AckableMessage
from taskiq.api import run_receiver_task
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisStreamBroker

from autointerp.store.identity import namespace
from autointerp.store.redis import as_text

log = logging.getLogger(__name__)
TASK_NAME = "autointerp.execute_operation"


class Queue(StrEnum):
    """Work queues; model work and LLM work scale apart on separate workers."""

    model = "model"
    llm = "llm"


class ReclaimingStreamBroker(RedisStreamBroker):
    """RedisStreamBroker whose workers also reclaim stale messages while the stream is idle.

    Upstream (taskiq-redis 1.2) only runs XAUTOCLAIM after a read that returned new messages,
    so the job of a killed worker waits until someone submits new work. Here every read cycle
    first claims messages that have been pending longer than `idle_timeout`.
    """

    stopping = False
    """Set by `Brokers.stop_receivers`: the listen loop ends after its current read, so a
    worker never has to cancel a blocked XREADGROUP (which can leave the read hanging)."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """Stale messages first, then new ones; each acknowledged after its task ran."""
        async with Redis(connection_pool=self.connection_pool) as connection:
            while not self.stopping:
                # Redis 7 replies [cursor, entries, deleted ids]; Redis 6.2 [cursor, entries].
                reply = await connection.xautoclaim(
                    self.queue_name,
                    self.consumer_group_name,
                    self.consumer_name,
                    min_idle_time=self.idle_timeout,
                    count=self.unacknowledged_batch_size,
                )
                claimed = reply[1]
                fetched = await connection.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    count=self.count,
                )
                messages = [(self.queue_name, claimed)] + [
                    (as_text(reply[0]), reply[1]) for reply in fetched or []
                ]
                for stream, entries in messages:
                    for message_id, fields in entries:
                        if fields:  # a claimed entry may have been trimmed away
                            yield AckableMessage(
                                data=fields[b"data"],
                                ack=self._ack_generator(id=message_id, queue_name=stream),
                            )


# How many operations one worker runs at once, per queue: model work is memory- and CPU-bound.
CONCURRENCY = {Queue.model: 1, Queue.llm: 16}


class Brokers:
    """A stream broker per queue. Submitting processes only enqueue operation ids; worker
    processes also register the one task that executes them (`start_receivers`)."""

    def __init__(self, redis_url: str, prefix: str, redelivery_idle_s: int) -> None:
        self.brokers: dict[Queue, ReclaimingStreamBroker] = {}
        for queue in Queue:
            broker = ReclaimingStreamBroker(
                redis_url,
                # Versioned like every key: a worker of another storage version never takes
                # (and drops) an operation it cannot read.
                queue_name=f"{namespace(prefix)}:queue:{queue.value}",
                consumer_group_name=f"{namespace(prefix)}-workers",
                # "0", not "$": a group created after messages were queued still sees them.
                consumer_id="0",
                maxlen=100_000,
                idle_timeout=redelivery_idle_s * 1000,
                unacknowledged_lock_timeout=30,
                xread_block=1000,  # how long a stop request may wait for the current read
            )
            self.brokers[queue] = broker

    async def startup(self) -> None:
        """Open connection pools and declare the consumer groups."""
        for broker in self.brokers.values():
            await broker.startup()

    async def shutdown(self) -> None:
        """Close connection pools."""
        for broker in self.brokers.values():
            await broker.shutdown()

    async def enqueue(self, queue: Queue, operation_id: str) -> None:
        """Put an operation on its queue (by task name: no executor needed here)."""
        kicker: AsyncKicker[[str], None] = AsyncKicker(TASK_NAME, self.brokers[queue], labels={})
        await kicker.kiq(operation_id)

    async def stop_receivers(
        self, receivers: list[asyncio.Task[None]], grace_s: float = 30.0
    ) -> None:
        """Stop consuming: reads end, running operations get `grace_s` to finish (an
        unfinished one is re-delivered later, as after a crash), then stragglers are cancelled
        without waiting on them forever."""
        for broker in self.brokers.values():
            broker.stopping = True
        if not receivers:
            return
        _, pending = await asyncio.wait(receivers, timeout=grace_s)
        for receiver in pending:
            receiver.cancel()
        if pending:
            _, stuck = await asyncio.wait(pending, timeout=5)
            if stuck:
                log.warning("receivers did not stop", extra={"count": len(stuck)})

    def start_receivers(
        self, queues: Iterable[Queue], execute: Callable[[str], Awaitable[None]]
    ) -> list[asyncio.Task[None]]:
        """Consume the given queues in this process's event loop, running `execute` on each
        operation id, until stopped."""
        queues = list(queues)
        for queue in queues:
            self.brokers[queue].register_task(execute, task_name=TASK_NAME)
        return [
            asyncio.create_task(
                run_receiver_task(
                    self.brokers[queue], max_async_tasks=CONCURRENCY[queue], run_startup=False
                ),
                name=f"receiver-{queue.value}",
            )
            for queue in queues
        ]
