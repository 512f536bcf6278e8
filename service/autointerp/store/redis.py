"""The one place that opens Redis connections (redis-py asyncio)."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError


def as_bytes(value: bytes | str) -> bytes:
    """A reply as bytes: our connections never decode, but redis-py's types allow both."""
    return value if isinstance(value, bytes) else value.encode("utf-8")


def as_text(value: object) -> str:
    """A reply (bytes, or a number in a reply of several types) as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def connect(url: str) -> Redis:
    """A pooled client with short timeouts, so a missing Redis fails fast instead of hanging.

    A command that meets a connection Redis closed (after a restart) is retried twice on a
    fresh connection, so a restart costs callers nothing once Redis is back.
    """
    return Redis.from_url(
        url,
        socket_connect_timeout=2.0,
        socket_timeout=5.0,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError],
    )


async def is_reachable(client: Redis) -> bool:
    """True when Redis answers PING now; never raises."""
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False
