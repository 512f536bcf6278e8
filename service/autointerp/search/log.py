"""The search index's shared state: an append-only Redis stream of indexed explanations (each
with its embedding) and of removals. Every API process replays it into its own in-memory
index and then reads only what was appended since, so any instance serves every search."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
from redis.asyncio import Redis

from autointerp.search.index import IndexedExplanation
from autointerp.store.redis import as_bytes, as_text

_BATCH = 5000


class SearchLog:
    """Appends and replays index entries."""

    def __init__(self, redis: Redis, namespace: str) -> None:
        self.redis = redis
        self._stream = f"{namespace}:search:log"
        self._indexed = f"{namespace}:search:indexed"

    async def add(self, documents: list[IndexedExplanation], vectors: np.ndarray) -> None:
        """Index documents with their embeddings (float16 on the wire: half the memory, and
        within a thousandth of the cosine)."""
        if not documents:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for doc, vector in zip(documents, vectors, strict=True):
                entry = {"doc": json.dumps(asdict(doc)), "vec": vector.astype(np.float16).tobytes()}
                pipe.xadd(self._stream, entry)  # type: ignore[arg-type]
            pipe.sadd(self._indexed, *[d.operation_id for d in documents])
            await pipe.execute()

    async def remove(self, operation_ids: list[str]) -> None:
        """Forget documents everywhere."""
        if not operation_ids:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.xadd(self._stream, {"remove": json.dumps(operation_ids)})
            pipe.srem(self._indexed, *operation_ids)
            await pipe.execute()

    async def indexed(self, operation_ids: list[str]) -> list[bool]:
        """Which of these results are in the index."""
        if not operation_ids:
            return []
        found = await self.redis.smismember(self._indexed, operation_ids)
        return [bool(f) for f in found]

    async def read(
        self, after: str
    ) -> tuple[str, list[tuple[IndexedExplanation, np.ndarray] | list[str]]]:
        """Entries appended after stream id `after` ("0" for all), at most a batch: the last
        id read and, in order, (document, vector) additions and lists of removed ids."""
        rows = await self.redis.xrange(
            self._stream, f"({after}" if after != "0" else "-", "+", count=_BATCH
        )
        entries: list[tuple[IndexedExplanation, np.ndarray] | list[str]] = []
        last = after
        for entry_id, fields in rows or []:
            last = as_text(entry_id)
            values = {as_text(k): v for k, v in (fields or {}).items()}
            if "remove" in values:
                entries.append(json.loads(as_text(values["remove"])))
            else:
                doc = IndexedExplanation(**json.loads(as_text(values["doc"])))
                vector = np.frombuffer(as_bytes(values["vec"]), dtype=np.float16).astype(np.float32)
                entries.append((doc, vector))
        return last, entries
