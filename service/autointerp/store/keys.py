"""API keys in Redis, stored hashed: a key is shown once, when it is created.

A key reads `aik_<id>_<secret>`. Redis holds, under `{prefix}:auth:key:<id>`, the SHA-256 of
the secret (a random 256-bit value, so a plain hash suffices), the key's name, scopes and
creation time. Keys live outside the storage-version namespace: they outlive a change of the
result layout.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from redis.asyncio import Redis

from autointerp.store.redis import as_text


class Scope(StrEnum):
    """What a key may do; each scope includes the ones below it."""

    read = "read"
    """GET routes: operations by id, results, models and neurons, metrics."""
    submit = "submit"
    """POST operations, and cancel the caller's own."""
    admin = "admin"
    """DELETE routes, cancel anyone's operation, list everyone's operations."""


_RANK = {Scope.read: 0, Scope.submit: 1, Scope.admin: 2}
_TOKEN = re.compile(r"^aik_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class ApiKey:
    """A key as stored (without its secret)."""

    id: str
    name: str
    scope: Scope
    created_at: str

    def allows(self, needed: Scope) -> bool:
        return _RANK[self.scope] >= _RANK[needed]


def _api_key(key_id: str, raw: dict[str, str]) -> ApiKey:
    return ApiKey(key_id, raw["name"], Scope(raw["scope"]), raw["created_at"])


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStore:
    """Create, look up, list and revoke API keys."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self._prefix = f"{prefix}:auth:key:"

    async def create(self, name: str, scope: Scope) -> tuple[ApiKey, str]:
        """A new key and its token (the only time the token exists outside the caller)."""
        key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        key = ApiKey(key_id, name, scope, datetime.now(UTC).isoformat(timespec="seconds"))
        await self.redis.hset(
            self._prefix + key_id,
            mapping={
                "sha256": _digest(secret),
                "name": name,
                "scope": scope.value,
                "created_at": key.created_at,
            },
        )
        return key, f"aik_{key_id}_{secret}"

    async def lookup(self, token: str) -> ApiKey | None:
        """The key a token belongs to, or None (malformed, unknown or revoked)."""
        match = _TOKEN.match(token)
        if match is None:
            return None
        key_id, secret = match.groups()
        raw = await self._row(self._prefix + key_id)
        if not raw or not hmac.compare_digest(raw["sha256"], _digest(secret)):
            return None
        return _api_key(key_id, raw)

    async def list(self) -> list[ApiKey]:
        """Every key, oldest first."""
        found = []
        async for name in self.redis.scan_iter(match=self._prefix + "*", count=500):
            if raw := await self._row(name):
                found.append(_api_key(as_text(name)[len(self._prefix) :], raw))
        return sorted(found, key=lambda key: key.created_at)

    async def _row(self, name: str | bytes) -> dict[str, str]:
        fields = await self.redis.hgetall(name)
        return {as_text(k): as_text(v) for k, v in fields.items()}

    async def revoke(self, key_id: str) -> bool:
        """Forget a key; requests with it fail from then on. False if there was none."""
        return bool(await self.redis.delete(self._prefix + key_id))
