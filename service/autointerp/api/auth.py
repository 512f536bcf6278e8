"""Who is calling and what they may do: API keys with scopes, and per-key rate limits.

With auth off (allowed on a loopback bind only) every caller is the anonymous admin and
nothing is limited. With it on, the request guard (`api/guard.py`) authenticates every /v1 and
/metrics request before its body is read, takes a token from the key's bucket for the class of
its method (GET read, POST submit, DELETE admin) and checks that scope; each route then
declares the scope it needs (`Reader`, `Submitter`, `Admin`), checked again on the key the
guard found.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis

from autointerp.config import Settings
from autointerp.interp.errors import Forbidden, RateLimited, Unauthorized
from autointerp.store.keys import ApiKey, KeyStore, Scope
from autointerp.store.limits import RateLimiter

ANONYMOUS = ApiKey(id="anonymous", name="anonymous (auth off)", scope=Scope.admin, created_at="")

# A looked-up key is trusted this long in each process: a revoked key stops working within it.
KEY_CACHE_S = 5.0

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key from `autointerp keys create` (when the server runs with auth).",
)


class Gate:
    """One API process's key lookups (cached briefly), rate limiter and stream counts."""

    def __init__(self, settings: Settings, redis: Redis) -> None:
        self.settings = settings
        self.keys = KeyStore(redis, settings.queue_prefix)
        self.limiter = RateLimiter(redis, settings.queue_prefix)
        self._cache: dict[str, tuple[ApiKey | None, float]] = {}
        self._streams: dict[str, int] = {}

    async def key(self, token: str) -> ApiKey | None:
        now = time.monotonic()
        cached = self._cache.get(token)
        if cached is not None and cached[1] > now:
            return cached[0]
        key = await self.keys.lookup(token)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[token] = (key, now + KEY_CACHE_S)
        return key

    async def limit(self, key: ApiKey, route_class: Scope) -> dict[str, str]:
        """Take one request from the key's bucket; the RateLimit headers to answer with
        (IETF httpapi-ratelimit-headers), or RateLimited."""
        policy = self.settings.rate_limits.get(route_class.value)
        if policy is None:
            return {}
        per_s = policy.per_minute / 60
        decision = await self.limiter.take(route_class.value, key.id, policy.burst, per_s)
        window = max(1, round(policy.burst / per_s))
        headers = {
            "RateLimit-Policy": f'"{route_class.value}";q={policy.burst};w={window}',
            "RateLimit": f'"{route_class.value}";r={decision.remaining};t={decision.retry_after_s}',
        }
        if not decision.allowed:
            raise RateLimited(
                f"more than {policy.burst} {route_class.value} requests at once for this key "
                f"(refilled at {policy.per_minute:g} a minute); retry in "
                f"{decision.retry_after_s} s",
                {**headers, "Retry-After": str(decision.retry_after_s)},
            )
        return headers

    @contextmanager
    def event_stream(self, key: ApiKey) -> Iterator[None]:
        """Hold one of the open event stream slots (the process's and the key's) while
        inside; RateLimited when none is free. Checked and taken in one step, so concurrent
        opens cannot pass the cap together."""
        total = sum(self._streams.values())
        mine = self._streams.get(key.id, 0)
        settings = self.settings
        if total >= settings.max_event_streams:
            raise RateLimited(
                f"this server process has {total} event streams open, its most; poll "
                "GET /v1/operations/{id} or retry later",
                {"Retry-After": "5"},
            )
        if mine >= settings.max_event_streams_per_key:
            raise RateLimited(
                f"this key has {mine} event streams open, its most "
                f"({settings.max_event_streams_per_key})",
                {"Retry-After": "5"},
            )
        self._streams[key.id] = mine + 1
        try:
            yield
        finally:
            self._streams[key.id] -= 1
            if not self._streams[key.id]:
                del self._streams[key.id]


def is_protected(path: str) -> bool:
    """Paths that need a key when auth is on (health checks, and the API's own description at
    /docs and /openapi.json, stay open)."""
    return path == "/v1" or path.startswith(("/v1/", "/metrics"))


async def authenticate(gate: Gate, authorization: str | None) -> ApiKey:
    """The key a request's Authorization header carries, or Unauthorized."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("this server needs an API key: Authorization: Bearer <key>")
    key = await gate.key(token.strip())
    if key is None:
        raise Unauthorized("the API key is unknown or revoked")
    return key


def require_scope(key: ApiKey, scope: Scope) -> None:
    if not key.allows(scope):
        raise Forbidden(
            f"this route needs a key with the {scope.value} scope; this key has {key.scope.value}"
        )


def method_scope(method: str) -> Scope:
    """The scope (and rate-limit class) a request needs, from its method: GETs read, POSTs
    submit (cancelling one's own included), DELETEs admin. Known before the body is read."""
    if method == "DELETE":
        return Scope.admin
    if method in ("POST", "PUT", "PATCH"):
        return Scope.submit
    return Scope.read


def _gate(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


GateDep = Annotated[Gate, Depends(_gate)]


def authorized(scope: Scope) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency giving the calling key, refusing one that may not use `scope`."""

    async def caller(
        request: Request,
        gate: GateDep,
        # Declares the scheme in the spec; the guard has already authenticated the request.
        _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> ApiKey:
        if not gate.settings.auth:
            return ANONYMOUS
        key: ApiKey | None = getattr(request.state, "api_key", None)
        if key is None:  # a route outside the guard's protected paths
            raise Unauthorized("this server needs an API key: Authorization: Bearer <key>")
        require_scope(key, scope)  # the guard checked the method's; this is the route's
        return key

    return caller


Reader = Annotated[ApiKey, Depends(authorized(Scope.read))]
Submitter = Annotated[ApiKey, Depends(authorized(Scope.submit))]
Admin = Annotated[ApiKey, Depends(authorized(Scope.admin))]
