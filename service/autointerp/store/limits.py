"""Per-key rate limits: a token bucket per key and route class, kept in Redis so every API
process of a deployment shares it, and timed by the Redis server's clock (one clock for all
of them)."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

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
