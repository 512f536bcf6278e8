"""Neuron records in Redis, compactly: per neuron one binary blob of excerpt ids (int32),
their activations (float16) and the moments (float64); excerpt tokens once per scan (int32),
and each token id's text once per scan, so reading a record needs no tokenizer (an API host
need not have the model's files).

Keys, under `{namespace}:scan:{scan_id}`: `:meta` (JSON), `:excerpts` (hash id -> tokens),
`:vocab` (hash token id -> text), `:layer:{layer}` (hash neuron -> blob).
`{namespace}:model:{model}:scan` names a model's latest scan, which the neuron-centred reads
use by default. Records stay until deleted.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from redis.asyncio import Redis

from autointerp.interp.records import (
    ActivationRecord,
    ActivationStats,
    NeuronRecord,
    ScanMeta,
    ScanSettings,
)
from autointerp.store.identity import namespace
from autointerp.store.redis import as_bytes, as_text

_STATS_FIELDS = 7  # count, mean, variance, skewness, kurtosis, max, min

# Unset the model's latest-scan pointer only if it still names the deleted scan.
_FORGET_LATEST_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
"""


def _meta_json(meta: ScanMeta) -> str:
    return json.dumps(dataclasses.asdict(meta))


def _meta_from_json(raw: str | bytes) -> ScanMeta:
    data: dict[str, Any] = json.loads(raw)
    return ScanMeta(**{**data, "settings": ScanSettings(**data["settings"])})


@dataclass(frozen=True)
class StoredNeuron:
    """A decoded neuron blob: excerpt ids (-1 = empty slot) and activations per slot."""

    excerpt_ids: np.ndarray  # (slots,) int32
    activations: np.ndarray  # (slots, excerpt_tokens) float16
    stats: ActivationStats


def encode_neuron(
    excerpt_ids: np.ndarray, activations: np.ndarray, stats: ActivationStats
) -> bytes:
    """One neuron's blob."""
    values = [
        stats.count,
        stats.mean,
        stats.variance,
        stats.skewness,
        stats.kurtosis,
        stats.max,
        stats.min,
    ]
    stats_array = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    return (
        excerpt_ids.astype(np.int32).tobytes()
        + activations.astype(np.float16).tobytes()
        + stats_array.tobytes()
    )


def decode_neuron(blob: bytes, meta: ScanMeta) -> StoredNeuron:
    """Inverse of encode_neuron."""
    slots, tokens = meta.settings.slots, meta.settings.excerpt_tokens
    ids = np.frombuffer(blob, dtype=np.int32, count=slots)
    offset = 4 * slots
    acts = np.frombuffer(blob, dtype=np.float16, count=slots * tokens, offset=offset)
    offset += 2 * slots * tokens
    raw = np.frombuffer(blob, dtype=np.float64, count=_STATS_FIELDS, offset=offset)

    def optional(value: float) -> float | None:
        return None if math.isnan(value) else float(value)

    stats = ActivationStats(
        count=int(raw[0]),
        mean=float(raw[1]),
        variance=float(raw[2]),
        skewness=optional(raw[3]),
        kurtosis=optional(raw[4]),
        max=float(raw[5]),
        min=float(raw[6]),
    )
    return StoredNeuron(ids, acts.reshape(slots, tokens), stats)


async def _hash_chunks(redis: Redis, key: str, size: int = 1000) -> Any:
    """A hash's fields and values, a chunk at a time (never the whole hash in one reply)."""
    cursor = 0
    while True:
        cursor, chunk = await redis.hscan(key, cursor, count=size)
        if chunk:
            yield chunk
        if cursor == 0:
            return


class RecordStore:
    """Reads and writes scans."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.namespace = namespace(prefix)
        self._forget_latest = redis.register_script(_FORGET_LATEST_SCRIPT)

    def _key(self, scan_id: str, suffix: str) -> str:
        return f"{self.namespace}:scan:{scan_id}:{suffix}"

    def _latest_key(self, model: str) -> str:
        return f"{self.namespace}:model:{model}:scan"

    async def write_layer(self, scan_id: str, layer: int, blobs: dict[int, bytes]) -> None:
        """Store every neuron blob of one layer."""
        await self.redis.hset(self._key(scan_id, f"layer:{layer}"), mapping=blobs)  # type: ignore[arg-type]

    async def write_excerpts(self, scan_id: str, excerpts: dict[int, np.ndarray]) -> None:
        """Store the token ids of every excerpt some record holds."""
        if excerpts:
            mapping = {i: ids.astype(np.int32).tobytes() for i, ids in excerpts.items()}
            await self.redis.hset(self._key(scan_id, "excerpts"), mapping=mapping)  # type: ignore[arg-type]

    async def write_vocabulary(self, scan_id: str, texts: dict[int, str]) -> None:
        """Store the text of every token id the scan's excerpts hold."""
        if texts:
            await self.redis.hset(self._key(scan_id, "vocab"), mapping=texts)  # type: ignore[arg-type]

    async def adopt(self, scan_id: str, part: ScanMeta) -> None:
        """Make another scan's records of its layers, its excerpts and their token texts this
        scan's too (the groups of a split scan become one scan)."""
        for layer in part.layers:
            source = self._key(part.scan_id, f"layer:{layer}")
            await self.redis.copy(source, self._key(scan_id, f"layer:{layer}"), replace=True)
        for suffix in ("excerpts", "vocab"):
            target = self._key(scan_id, suffix)
            async for chunk in _hash_chunks(self.redis, self._key(part.scan_id, suffix)):
                await self.redis.hset(target, mapping=chunk)

    async def finish(self, meta: ScanMeta) -> None:
        """Publish the scan: written last, so a reader never sees half a scan."""
        await self.redis.set(self._key(meta.scan_id, "meta"), _meta_json(meta))
        await self.redis.set(self._latest_key(meta.model), meta.scan_id)

    async def meta(self, scan_id: str) -> ScanMeta | None:
        """A finished scan's description."""
        raw = await self.redis.get(self._key(scan_id, "meta"))
        return _meta_from_json(raw) if raw is not None else None

    async def latest_scan(self, model: str) -> str | None:
        """The id of the model's most recent finished scan."""
        raw = await self.redis.get(self._latest_key(model))
        return as_text(raw) if raw is not None else None

    async def delete_scan(self, meta: ScanMeta) -> None:
        """Delete a scan's records; the model then has no latest scan if it was this one."""
        await self._forget_latest(keys=[self._latest_key(meta.model)], args=[meta.scan_id])
        suffixes = ["meta", "excerpts", "vocab", *(f"layer:{layer}" for layer in meta.layers)]
        # One DEL is atomic: a reader never sees a scan whose records are half gone.
        await self.redis.delete(*(self._key(meta.scan_id, suffix) for suffix in suffixes))

    async def neuron_indices(self, meta: ScanMeta, layer: int) -> list[int]:
        """The neurons of a layer the scan holds records of, in order."""
        keys = await self.redis.hkeys(self._key(meta.scan_id, f"layer:{layer}"))
        return sorted(int(as_text(k)) for k in keys)

    def _imported_key(self, model: str) -> str:
        return f"{self.namespace}:model:{model}:imported"

    async def imported_shape(self, model: str) -> tuple[int, int] | None:
        """Layers and neurons per layer of a model known only from imports."""
        raw = await self.redis.get(self._imported_key(model))
        if raw is None:
            return None
        shape = json.loads(raw)
        return int(shape["layers"]), int(shape["neurons_per_layer"])

    async def publish_import(
        self,
        meta: ScanMeta | None,
        results: list[tuple[int, int, str, str, float | None]],
        model: str,
        imported_shape: tuple[int, int] | None,
    ) -> None:
        """Make an import visible at once, in one transaction: its scan (whose records are
        written), its results (layer, index, operation id, summary, score) and rankings, and
        the shape of a model known only from imports."""
        async with self.redis.pipeline(transaction=True) as pipe:
            for layer, index, operation_id, summary, correlation in results:
                pipe.hset(self._results_key(model, layer, index), operation_id, summary)
                if correlation is not None:
                    pipe.zadd(self._ranking_key(model, layer), {str(index): correlation}, gt=True)
            pipe.incr(self._version_key())
            if imported_shape is not None:
                layers, neurons = imported_shape
                shape = {"layers": layers, "neurons_per_layer": neurons}
                pipe.set(self._imported_key(model), json.dumps(shape))
            if meta is not None:
                pipe.set(self._key(meta.scan_id, "meta"), _meta_json(meta))
                pipe.set(self._latest_key(meta.model), meta.scan_id)
            await pipe.execute()

    async def discard_unpublished(self, scan_id: str, layers: Iterable[int]) -> None:
        """Delete the records of a scan that was never published (a failed import)."""
        suffixes = ["excerpts", "vocab", *(f"layer:{layer}" for layer in layers)]
        await self.redis.delete(*(self._key(scan_id, suffix) for suffix in suffixes))

    async def neuron(self, meta: ScanMeta, layer: int, index: int) -> StoredNeuron | None:
        """One neuron's stored blob, decoded."""
        blob = await self.redis.hget(self._key(meta.scan_id, f"layer:{layer}"), str(index))
        return decode_neuron(as_bytes(blob), meta) if blob is not None else None

    async def neuron_record(self, meta: ScanMeta, layer: int, index: int) -> NeuronRecord | None:
        """One neuron's record with its excerpts as token texts and activations."""
        stored = await self.neuron(meta, layer, index)
        if stored is None:
            return None
        ids = sorted({int(i) for i in stored.excerpt_ids if i >= 0})
        tokens = await self.excerpt_tokens(meta.scan_id, ids)
        texts = await self._token_texts(
            meta.scan_id, {int(t) for ts in tokens.values() for t in ts}
        )

        def excerpts(start: int, count: int) -> list[ActivationRecord]:
            chosen = []
            for slot in range(start, start + count):
                excerpt_id = int(stored.excerpt_ids[slot])
                if excerpt_id not in tokens:  # an empty slot (-1) or a missing excerpt
                    continue
                token_ids = tokens[excerpt_id]
                chosen.append(
                    ActivationRecord(
                        tokens=[texts[int(t)] for t in token_ids],
                        activations=stored.activations[slot, : len(token_ids)]
                        .astype(float)
                        .tolist(),
                        excerpt_id=excerpt_id,
                    )
                )
            return chosen

        settings = meta.settings
        k, random_k = settings.top_k, settings.random_k
        return NeuronRecord(
            top=excerpts(0, k),
            bottom=excerpts(k, k),
            random=excerpts(2 * k, random_k),
            quantile_sample=excerpts(2 * k + random_k, settings.quantile_sample),
            quantile_bins=settings.quantile_bins,
            stats=stored.stats,
        )

    async def _token_texts(self, scan_id: str, token_ids: Iterable[int]) -> dict[int, str]:
        ordered = sorted(token_ids)
        if not ordered:
            return {}
        values = await self.redis.hmget(self._key(scan_id, "vocab"), [str(t) for t in ordered])
        return {t: as_text(v or b"") for t, v in zip(ordered, values, strict=True)}

    def results_pattern(self) -> str:
        """A SCAN pattern matching every neuron's results hash."""
        return f"{self.namespace}:neuron:*:results"

    def _results_key(self, model: str, layer: int, index: int) -> str:
        return f"{self.namespace}:neuron:{model}:{layer}:{index}:results"

    async def add_result(
        self, model: str, layer: int, index: int, operation_id: str, summary: str
    ) -> None:
        """Remember an explanation or score of a neuron (JSON summary), by operation."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._results_key(model, layer, index), operation_id, summary)
            pipe.incr(self._version_key())
            await pipe.execute()

    def _version_key(self) -> str:
        return f"{self.namespace}:results:version"

    async def results_version(self) -> int:
        """A number that changes whenever a result is remembered or forgotten (what reads
        results into a cached operation's result pins it)."""
        return int(await self.redis.get(self._version_key()) or 0)

    def _ranking_key(self, model: str, layer: int) -> str:
        return f"{self.namespace}:layer:{model}:{layer}:best"

    async def rank(self, model: str, layer: int, index: int, correlation: float) -> None:
        """Keep the neuron's best score in its layer's ranking."""
        await self.redis.zadd(self._ranking_key(model, layer), {str(index): correlation}, gt=True)

    async def ranking(self, model: str, layer: int, limit: int) -> list[tuple[int, float]]:
        """The layer's neurons with their best score, best first."""
        rows = await self.redis.zrevrange(
            self._ranking_key(model, layer), 0, limit - 1, withscores=True
        )
        return [(int(as_text(row[0])), float(row[1])) for row in rows]

    async def results(self, model: str, layer: int, index: int) -> list[str]:
        """Every remembered explanation and score summary of a neuron."""
        values = await self.redis.hvals(self._results_key(model, layer, index))
        return [as_text(v) for v in values]

    async def delete_results(self, model: str, layer: int, index: int) -> list[str]:
        """Forget every explanation and score of a neuron; the ids of their operations."""
        key = self._results_key(model, layer, index)
        # One transaction: a result remembered meanwhile is either listed here or kept.
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hkeys(key)
            pipe.delete(key)
            pipe.zrem(self._ranking_key(model, layer), str(index))
            pipe.incr(self._version_key())
            operation_ids, *_ = await pipe.execute()
        return [o.decode() for o in operation_ids]

    async def excerpt_tokens(self, scan_id: str, ids: list[int]) -> dict[int, np.ndarray]:
        """Token ids of the given excerpts."""
        if not ids:
            return {}
        values = await self.redis.hmget(self._key(scan_id, "excerpts"), [str(i) for i in ids])
        return {
            i: np.frombuffer(as_bytes(v), dtype=np.int32)
            for i, v in zip(ids, values, strict=True)
            if v
        }
