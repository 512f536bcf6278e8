"""Per-key limits in Redis, shared by every process of a deployment: a token bucket per key
and route class (timed by the Redis server's clock, one clock for all), and each key's daily
LLM token usage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis

from autointerp.store.redis import as_text

# KEYS: the bucket. ARGV: capacity, tokens added per second. Takes one token if there is one.
# Returns {allowed (1/0), tokens left (floor), ms until the next token}.
_TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
return {allowed, math.floor(tokens), wait}
"""


@dataclass(frozen=True)
class Decision:
    """What one request's take from its bucket found."""

    allowed: bool
    remaining: int
    retry_after_s: int
    """Seconds until a token is back (0 when some are left)."""


class RateLimiter:
    """Token buckets under `{prefix}:auth:bucket:<class>:<key id>`."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._prefix = f"{prefix}:auth:bucket:"
        self._take = redis.register_script(_TAKE_SCRIPT)

    async def take(self, route_class: str, key_id: str, capacity: int, per_s: float) -> Decision:
        allowed, remaining, wait_ms = await self._take(
            keys=[f"{self._prefix}{route_class}:{key_id}"], args=[capacity, per_s]
        )
        return Decision(bool(allowed), int(remaining), -(-int(wait_ms) // 1000))


@dataclass(frozen=True)
class DayUsage:
    """Language-model tokens one key's operations spent on one UTC day."""

    day: str
    prompt_tokens: int
    completion_tokens: int

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


class UsageLedger:
    """Per key and UTC day, the LLM tokens its finished operations reported, under
    `{prefix}:auth:usage:<key id>:<day>` (kept 8 days)."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self._prefix = f"{prefix}:auth:usage:"

    async def charge(self, key_id: str, prompt_tokens: int, completion_tokens: int) -> None:
        key = f"{self._prefix}{key_id}:{_today()}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, "prompt_tokens", prompt_tokens)
            pipe.hincrby(key, "completion_tokens", completion_tokens)
            pipe.expire(key, 8 * 24 * 3600)
            await pipe.execute()

    async def today(self, key_id: str) -> DayUsage:
        day = _today()
        raw = await self.redis.hgetall(f"{self._prefix}{key_id}:{day}")
        fields = {as_text(k): int(v) for k, v in raw.items()}
        return DayUsage(day, fields.get("prompt_tokens", 0), fields.get("completion_tokens", 0))
