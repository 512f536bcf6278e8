"""Operation change notices fanned out in one process: one pub/sub connection (a pattern
subscription to every operation's events channel) wakes any number of local watchers, so an
open event stream holds no pooled Redis connection while it waits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterator

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from autointerp.store.redis import as_text

log = logging.getLogger(__name__)


class EventHub:
    """Wakes the watchers of a channel when a message arrives on it. Started lazily by the
    first watcher; a lost connection is re-made (watchers re-read on a timer meanwhile)."""

    def __init__(self, redis: Redis, pattern: str) -> None:
        self.redis = redis
        self.pattern = pattern
        self._waiting: defaultdict[str, set[asyncio.Event]] = defaultdict(set)
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @contextlib.contextmanager
    def listen(self, channel: str) -> Iterator[asyncio.Event]:
        """An event set each time a message arrives on `channel` while inside."""
        if self._reader is None or self._reader.done():
            self._subscribed.clear()
            self._reader = asyncio.create_task(self._read(), name="operation-events")
        woken = asyncio.Event()
        self._waiting[channel].add(woken)
        try:
            yield woken
        finally:
            self._waiting[channel].discard(woken)
            if not self._waiting[channel]:
                del self._waiting[channel]

    async def ready(self) -> None:
        """Return once the subscription is in place (a message sent after it is seen)."""
        await self._subscribed.wait()

    async def _read(self) -> None:
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self.pattern)
                    self._subscribed.set()
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message is not None:
                            for woken in self._waiting.get(as_text(message["channel"]), ()):
                                woken.set()
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                log.warning("operation events connection lost; reconnecting: %s", error)
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
