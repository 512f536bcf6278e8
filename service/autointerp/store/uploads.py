"""Uploaded files in Redis, where every worker can read them: a list of chunks under the
SHA-256 of the bytes (the same file uploaded twice is stored once), deleted after a while.

Keys: `{namespace}:upload:{sha256}` (a list of byte chunks) and, while one is received,
`{namespace}:upload:receiving:{random}`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterable
from pathlib import Path

from redis.asyncio import Redis

from autointerp.interp.errors import NotFound
from autointerp.store.identity import namespace
from autointerp.store.redis import as_bytes

CHUNK_BYTES = 1024 * 1024


class UploadTooLarge(Exception):
    """The upload passed its size limit (what was received is deleted)."""


class UploadStore:
    """Receives uploads in chunks and hands them to workers as files."""

    def __init__(self, redis: Redis, prefix: str, ttl_s: int) -> None:
        self.redis = redis
        self.namespace = namespace(prefix)
        self.ttl_s = ttl_s

    def _key(self, digest: str) -> str:
        return f"{self.namespace}:upload:{digest}"

    async def receive(self, body: AsyncIterable[bytes], limit: int) -> tuple[str, int]:
        """Store a streamed body; its SHA-256 and size. Never more than a chunk is held."""
        receiving = self._key(f"receiving:{secrets.token_hex(16)}")
        digest, size, pending = hashlib.sha256(), 0, bytearray()
        try:
            async for part in body:
                size += len(part)
                if size > limit:
                    raise UploadTooLarge(f"the upload is larger than {limit} bytes")
                digest.update(part)
                pending += part
                while len(pending) >= CHUNK_BYTES:
                    await self.redis.rpush(receiving, bytes(pending[:CHUNK_BYTES]))
                    await self.redis.expire(receiving, self.ttl_s)
                    del pending[:CHUNK_BYTES]
            if pending or size == 0:
                await self.redis.rpush(receiving, bytes(pending))
            name = digest.hexdigest()
            # RENAME replaces an earlier copy of the same bytes, and restarts its time.
            await self.redis.rename(receiving, self._key(name))
            await self.redis.expire(self._key(name), self.ttl_s)
            return name, size
        finally:
            await self.redis.delete(receiving)

    async def exists(self, digest: str) -> bool:
        """Whether the upload is (still) stored."""
        return bool(await self.redis.exists(self._key(digest)))

    async def save(self, digest: str, path: Path) -> int:
        """Write the upload to a file, a chunk at a time; its size."""
        key = self._key(digest)
        count = await self.redis.llen(key)
        if count == 0:
            raise NotFound(f"upload {digest} is gone (uploads are kept {self.ttl_s} s)")
        size = 0
        with path.open("wb") as out:
            for position in range(count):
                chunk = await self.redis.lindex(key, position)
                if chunk is None:  # expired while read
                    raise NotFound(f"upload {digest} expired while it was read")
                size += out.write(as_bytes(chunk))
        return size
