"""Which workers are alive and what devices they have, so that any API instance can tell
whether a model configured for an accelerator can run anywhere. Each model worker refreshes
its entry every few seconds; an entry expires when its worker stops refreshing it."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass

from redis.asyncio import Redis

from autointerp.store.identity import namespace
from autointerp.store.redis import as_text

HEARTBEAT_S = 10.0
EXPIRY_S = 30


@dataclass(frozen=True)
class WorkerInfo:
    """One live worker."""

    worker_id: str
    queues: list[str]
    devices: list[str]


class WorkerRegistry:
    """Worker entries under `{namespace}:worker:{id}`, each expiring unless refreshed."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.namespace = namespace(prefix)

    @staticmethod
    def own_id() -> str:
        """This process: host and pid."""
        return f"{socket.gethostname()}:{os.getpid()}"

    async def announce(self, worker: WorkerInfo) -> None:
        """Register or refresh a worker for the next `EXPIRY_S` seconds."""
        value = json.dumps({"queues": worker.queues, "devices": worker.devices})
        await self.redis.set(f"{self.namespace}:worker:{worker.worker_id}", value, ex=EXPIRY_S)

    async def withdraw(self, worker_id: str) -> None:
        """Remove a stopping worker's entry."""
        await self.redis.delete(f"{self.namespace}:worker:{worker_id}")

    async def live(self) -> list[WorkerInfo]:
        """Every worker whose entry has not expired."""
        found = []
        async for key in self.redis.scan_iter(match=f"{self.namespace}:worker:*", count=100):
            raw = await self.redis.get(key)
            if raw is None:
                continue
            data = json.loads(raw)
            worker_id = as_text(key).split(":worker:", 1)[1]
            found.append(WorkerInfo(worker_id, list(data["queues"]), list(data["devices"])))
        return found
