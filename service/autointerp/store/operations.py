"""Operation records in Redis: one hash per operation, created atomically.

Fields: kind, state, progress, created_at, updated_at, request (JSON), result (JSON),
error (JSON problem). The worker writes state transitions; the API only reads and submits.
Every change is also published on `{key}:events`, so event streams wake without polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from redis.asyncio import Redis

from autointerp.interp.errors import AutointerpError
from autointerp.schemas.common import Problem
from autointerp.schemas.operations import Operation, OperationKind, OperationState, Progress
from autointerp.store.events import EventHub
from autointerp.store.identity import namespace
from autointerp.store.redis import as_text

log = logging.getLogger(__name__)

# Create the operation unless one exists; re-queue one that failed or was cancelled, because
# failures are never cached as results. Returns 1 (created), 2 (re-queued) or 0 (exists).
# The submitter owns a created or re-queued operation (it may cancel it), and every submitter
# of an identical request finds it in their own listing.
# KEYS: the operation, the listing index, its events channel, the submitter's listing index.
_SUBMIT_SCRIPT = """
local state = redis.call('HGET', KEYS[1], 'state')
redis.call('ZADD', KEYS[4], 'NX', ARGV[5], KEYS[1])
if state == false then
  redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'state', 'queued', 'progress', ARGV[3],
             'created_at', ARGV[2], 'updated_at', ARGV[2], 'request', ARGV[4],
             'owner', ARGV[6])
  redis.call('ZADD', KEYS[2], ARGV[5], KEYS[1])
  return 1
end
if state == 'failed' or state == 'cancelled' then
  redis.call('HSET', KEYS[1], 'state', 'queued', 'progress', ARGV[3], 'updated_at', ARGV[2],
             'owner', ARGV[6])
  redis.call('HDEL', KEYS[1], 'error', 'result', 'attempts')
  redis.call('PERSIST', KEYS[1])
  redis.call('PUBLISH', KEYS[3], 'requeued')
  return 2
end
return 0
"""


# Finish an operation that is still queued or running (a cancelled one stays cancelled):
# set the given field/value pairs, then start the retention TTL. Returns 1 if finished.
# KEYS: the operation, its events channel, the set of running operations.
_FINISH_SCRIPT = """
redis.call('SREM', KEYS[3], KEYS[1])
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'queued' and state ~= 'running' then
  return 0
end
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], 'finished')
return 1
"""

# A worker takes an operation to run: a queued one, or a running one whose worker's
# heartbeat stopped (it died). Returns 1 if taken, 0 if finished or running elsewhere.
# KEYS: the operation, its events channel, the running set. ARGV: now (epoch s), its ISO
# form, seconds without a heartbeat after which a worker counts as gone, the worker's id.
_CLAIM_SCRIPT = """
local fields = redis.call('HMGET', KEYS[1], 'state', 'heartbeat_at')
local state, beat = fields[1], tonumber(fields[2]) or 0
if state == 'running' and tonumber(ARGV[1]) - beat <= tonumber(ARGV[3]) then
  return 0
end
if state ~= 'queued' and state ~= 'running' then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'running', 'heartbeat_at', ARGV[1],
           'updated_at', ARGV[2], 'worker', ARGV[4])
redis.call('SADD', KEYS[3], KEYS[1])
redis.call('PUBLISH', KEYS[2], 'updated')
return 1
"""

# Put a running operation whose heartbeat stopped back in the queue (once, however many
# processes notice). Returns 1 if re-queued. KEYS, ARGV as the claim's (less the worker).
_REQUEUE_STALE_SCRIPT = """
local fields = redis.call('HMGET', KEYS[1], 'state', 'heartbeat_at')
local state, beat = fields[1], tonumber(fields[2]) or 0
if state ~= 'running' then
  redis.call('SREM', KEYS[3], KEYS[1])
  return 0
end
if tonumber(ARGV[1]) - beat <= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'queued', 'updated_at', ARGV[2], 'progress', ARGV[4])
redis.call('HDEL', KEYS[1], 'worker')
redis.call('SREM', KEYS[3], KEYS[1])
redis.call('PUBLISH', KEYS[2], 'requeued')
return 1
"""

# Count a key's scans and batches still queued or running (forgetting finished ones) and
# take a place for one more, in one step, so that concurrent submits cannot pass the cap
# together. A place taken for an operation not created yet counts for a minute (its submit
# is under way; one that failed frees it then). Returns -1 if taken, else how many are active.
# KEYS: the key's places (sorted set by time taken). ARGV: the operation key prefix, the cap,
# the id.
_TAKE_ACTIVE_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1])
local places = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local active = 0
for i = 1, #places, 2 do
  local member, taken = places[i], tonumber(places[i + 1])
  local state = redis.call('HGET', ARGV[1] .. member, 'state')
  local pending = state == false and now - taken < 60
  if state == 'queued' or state == 'running' or pending then
    if member ~= ARGV[3] then active = active + 1 end
  else
    redis.call('ZREM', KEYS[1], member)
  end
end
if active >= tonumber(ARGV[2]) then return active end
redis.call('ZADD', KEYS[1], now, ARGV[3])
return -1
"""


LIVENESS_S = 10.0
"""How often, at most, a worker refreshes the heartbeat of each operation it runs (an HSET);
three times within the orphan time at least."""


class SubmitOutcome(Enum):
    """What a submit did."""

    created = 1
    requeued = 2
    existing = 0


class UnreadableOperation(AutointerpError):
    """A stored operation record that does not parse (an internal error: listings leave it
    out, and an admin can delete it)."""

    def __init__(self, operation_id: str) -> None:
        super().__init__(
            f"the stored operation {operation_id} cannot be read; an admin can delete it "
            "(DELETE /v1/operations/{id}) and the request be submitted again"
        )
        self.operation_id = operation_id


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def finite_json(text: str) -> Any:
    """Parse JSON that has no NaN or Infinity (which Python writes and nothing else reads)."""
    return json.loads(text, parse_constant=_reject_constant)


def _operation(operation_id: str, raw: dict[str, str]) -> Operation:
    return Operation(
        id=operation_id,
        kind=OperationKind(raw["kind"]),
        state=OperationState(raw["state"]),
        progress=Progress.model_validate_json(raw["progress"]),
        created_at=datetime.fromisoformat(raw["created_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        result=finite_json(raw["result"]) if "result" in raw else None,
        error=Problem.model_validate_json(raw["error"]) if "error" in raw else None,
    )


def _now() -> datetime:
    return datetime.now(UTC)


_QUEUED_PROGRESS = Progress(fraction=0.0, message="queued").model_dump_json()


class OperationStore:
    """Reads and writes operation records under `{namespace}:op:{id}`."""

    def __init__(self, redis: Redis, prefix: str, finished_ttl_s: int) -> None:
        self.redis = redis
        self.namespace = namespace(prefix)
        self.finished_ttl_s = finished_ttl_s
        self._submit = redis.register_script(_SUBMIT_SCRIPT)
        self._finish = redis.register_script(_FINISH_SCRIPT)
        self._claim = redis.register_script(_CLAIM_SCRIPT)
        self.events = EventHub(redis, f"{self.namespace}:op:*:events")
        self._requeue_stale = redis.register_script(_REQUEUE_STALE_SCRIPT)
        self._take_active = redis.register_script(_TAKE_ACTIVE_SCRIPT)

    def key(self, operation_id: str) -> str:
        """The Redis key of one operation."""
        return f"{self.namespace}:op:{operation_id}"

    def events_channel(self, operation_id: str) -> str:
        """The pub/sub channel that announces each change of one operation."""
        return f"{self.key(operation_id)}:events"

    @property
    def index_key(self) -> str:
        """Sorted set of all operation keys by creation time (for listing)."""
        return f"{self.namespace}:ops"

    def owner_index_key(self, owner: str) -> str:
        """Sorted set of the operations one key submitted, by time."""
        return f"{self.namespace}:ops:by:{owner}"

    async def submit(
        self, operation_id: str, kind: OperationKind, request_json: str, owner: str = ""
    ) -> SubmitOutcome:
        """Atomically create (or re-queue) the operation; concurrent twins create one.
        `owner`: the submitting key's id."""
        now = _now()
        keys = [
            self.key(operation_id),
            self.index_key,
            self.events_channel(operation_id),
            self.owner_index_key(owner),
        ]
        code = await self._submit(
            keys=keys,
            args=[
                kind.value,
                now.isoformat(),
                _QUEUED_PROGRESS,
                request_json,
                now.timestamp(),
                owner,
            ],
        )
        return SubmitOutcome(int(code))

    async def take_active_place(self, owner: str, operation_id: str, most: int) -> int | None:
        """Take one of the owner's `most` places for queued or running operations (a scan,
        a batch): None if taken, else how many the owner has active."""
        active = await self._take_active(
            keys=[f"{self.namespace}:active:{owner}"], args=[self.key(""), most, operation_id]
        )
        return None if int(active) < 0 else int(active)

    async def owner(self, operation_id: str) -> str | None:
        """The id of the key that submitted (or last re-queued) the operation."""
        value = await self.redis.hget(self.key(operation_id), "owner")
        return as_text(value) if value is not None else None

    async def get(self, operation_id: str) -> Operation | None:
        """The operation, or None when unknown (or expired). Raises UnreadableOperation when
        the stored record does not parse (written by an incompatible version)."""
        fields = await self.redis.hgetall(self.key(operation_id))
        if not fields:
            return None
        raw = {as_text(k): as_text(v) for k, v in fields.items()}
        try:
            return _operation(operation_id, raw)
        except (KeyError, ValueError) as error:  # pydantic's ValidationError is a ValueError
            raise UnreadableOperation(operation_id) from error

    async def _readable(self, operation_id: str) -> Operation | None:
        """The operation for a listing: an unreadable one is logged and left out."""
        try:
            return await self.get(operation_id)
        except UnreadableOperation as error:
            log.warning("unreadable operation left out", extra={"operation_id": operation_id})
            log.debug("unreadable operation", exc_info=error)
            return None

    async def watch(self, operation_id: str, recheck_s: float = 5.0) -> AsyncIterator[Operation]:
        """The operation now and after each change, ending with a finished one (or when it
        expires). Listens before the first read, so no change can fall in between; re-reads
        every `recheck_s` anyway in case a notice was lost with a connection. Waiting holds
        no Redis connection: the process's one EventHub wakes it."""
        with self.events.listen(self.events_channel(operation_id)) as changed:
            await asyncio.wait_for(self.events.ready(), timeout=10)
            last: Operation | None = None
            while True:
                changed.clear()  # before the read: a change during it wakes the next wait
                operation = await self.get(operation_id)
                if operation is None:
                    return
                if operation != last:
                    yield operation
                    last = operation
                if operation.state.is_terminal:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout=recheck_s)

    async def request_json(self, operation_id: str) -> str | None:
        """The canonical request the operation was submitted with."""
        value = await self.redis.hget(self.key(operation_id), "request")
        return as_text(value) if value is not None else None

    async def count_attempt(self, operation_id: str) -> int:
        """Count one more start of the operation; returns the count so far."""
        return int(await self.redis.hincrby(self.key(operation_id), "attempts", 1))

    @property
    def running_key(self) -> str:
        """Set of the operations some worker has claimed and not finished."""
        return f"{self.namespace}:running"

    def _liveness_keys(self, operation_id: str) -> list[str]:
        return [self.key(operation_id), self.events_channel(operation_id), self.running_key]

    async def claim(self, operation_id: str, worker_id: str, stale_s: float) -> bool:
        """Take the operation to run: True for a queued one or an orphaned running one;
        False when it is finished or another live worker runs it."""
        now = _now()
        taken = await self._claim(
            keys=self._liveness_keys(operation_id),
            args=[now.timestamp(), now.isoformat(), stale_s, worker_id],
        )
        return bool(taken)

    async def beat(self, operation_id: str) -> None:
        """The running operation's worker is alive."""
        await self.redis.hset(self.key(operation_id), "heartbeat_at", _now().timestamp())

    async def requeue_if_orphaned(self, operation_id: str, stale_s: float) -> bool:
        """Back to queued if it is running without a heartbeat; True if it was (the caller
        then enqueues it)."""
        now = _now()
        done = await self._requeue_stale(
            keys=self._liveness_keys(operation_id),
            args=[now.timestamp(), now.isoformat(), stale_s, _QUEUED_PROGRESS],
        )
        return bool(done)

    async def running(self) -> list[str]:
        """Ids of the operations claimed by workers and not finished."""
        members = await self.redis.smembers(self.running_key)
        return [as_text(m).rsplit(":", 1)[1] for m in members]

    async def report_progress(self, operation_id: str, fraction: float, message: str) -> None:
        """Record progress (fraction in [0, 1]) of a running operation."""
        progress = Progress(fraction=min(max(fraction, 0.0), 1.0), message=message)
        await self._update(operation_id, progress=progress.model_dump_json())

    async def _finish_with(self, operation_id: str, state: OperationState, **fields: str) -> bool:
        pairs = {**fields, "state": state.value, "updated_at": _now().isoformat()}
        flat = [value for pair in pairs.items() for value in pair]
        keys = self._liveness_keys(operation_id)
        done = await self._finish(keys=keys, args=[self.finished_ttl_s, *flat])
        return bool(done)

    async def mark_succeeded(self, operation_id: str, result_json: str) -> bool:
        """Store the result, unless the operation was cancelled meanwhile. A result that
        could not be read back (a non-finite number) is refused with ValueError."""
        finite_json(result_json)
        done = Progress(fraction=1.0, message="done").model_dump_json()
        return await self._finish_with(
            operation_id, OperationState.succeeded, result=result_json, progress=done
        )

    async def mark_failed(self, operation_id: str, problem: Problem) -> bool:
        """Store why the operation failed (never a result), unless it was cancelled."""
        return await self._finish_with(
            operation_id, OperationState.failed, error=problem.model_dump_json(exclude_none=True)
        )

    async def cancel(self, operation_id: str) -> bool:
        """Ask a queued or running operation to stop; its task notices between steps."""
        cancelled = Progress(fraction=0.0, message="cancelled").model_dump_json()
        return await self._finish_with(operation_id, OperationState.cancelled, progress=cancelled)

    async def delete(self, operation_id: str) -> None:
        """Forget an operation: submitting its request again runs it afresh."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.key(operation_id))
            pipe.zrem(self.index_key, self.key(operation_id))
            await pipe.execute()

    async def list(
        self,
        limit: int,
        before: float | None,
        kind: OperationKind | None,
        state: OperationState | None,
        owner: str | None = None,
    ) -> tuple[list[Operation], float | None]:
        """Newest first, created strictly before `before` (of one owner's, or all); the next
        cursor, or None at the end."""
        found: list[Operation] = []
        index = self.index_key if owner is None else self.owner_index_key(owner)
        upper: float | str = f"({before}" if before is not None else "+inf"
        while len(found) < limit:
            page = await self.redis.zrevrangebyscore(
                index, upper, "-inf", start=0, num=200, withscores=True
            )
            if not page:
                return found, None
            for row in page:
                key, score = as_text(row[0]), float(row[1])
                upper = f"({score}"
                operation = await self._readable(key.rsplit(":", 1)[1])
                if operation is None:  # expired (or unreadable): forget it
                    await self.redis.zrem(index, key)
                    continue
                if (kind is None or operation.kind is kind) and (
                    state is None or operation.state is state
                ):
                    found.append(operation)
                    if len(found) == limit:
                        return found, score
        return found, None

    async def _update(self, operation_id: str, **fields: str) -> None:
        mapping: dict[str | bytes, str] = {"updated_at": _now().isoformat()}
        mapping.update(fields)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key(operation_id), mapping=mapping)  # type: ignore[arg-type]
            pipe.publish(self.events_channel(operation_id), "updated")
            await pipe.execute()
