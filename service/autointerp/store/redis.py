"""The one place that opens Redis connections (redis-py asyncio)."""

from __future__ import annotations

from redis.asyncio import Redis


def connect(url: str) -> Redis:
    """A pooled client with short timeouts, so a missing Redis fails fast instead of hanging."""
    return Redis.from_url(
        url,
        socket_connect_timeout=2.0,
        socket_timeout=5.0,
        health_check_interval=15,
        retry_on_timeout=False,
    )


async def is_reachable(client: Redis) -> bool:
    """True when Redis answers PING now; never raises."""
    try:
        return bool(await client.ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
