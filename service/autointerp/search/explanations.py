"""Explanation search as the API and the workers use it: results are indexed as they are
stored (and a store from before search is backfilled by the first worker), and each process
keeps its in-memory index up to date from the shared log before it answers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from dataclasses import dataclass, field

import numpy as np
from redis.asyncio import Redis

from autointerp.interp.errors import InvalidRequest
from autointerp.schemas.activations import NeuronResult
from autointerp.search.embedding import DIMENSIONS, SentenceEmbedder
from autointerp.search.index import Hit, IndexedExplanation, SearchFilters, SearchIndex
from autointerp.search.log import SearchLog
from autointerp.store.redis import as_text

log = logging.getLogger(__name__)

_BACKFILL_BATCH = 256


def indexed(model: str, layer: int, index: int, result: NeuronResult) -> IndexedExplanation:
    """What search keeps of a stored result."""
    return IndexedExplanation(
        operation_id=result.operation_id,
        model=model,
        layer=layer,
        index=index,
        explanation=result.explanation,
        kind=result.kind,
        polarity=result.polarity.value,
        explainer=result.explainer,
        simulator=result.simulator.value,
        scan_id=result.scan_id,
        correlation=result.correlation,
        random_only_correlation=result.random_only_correlation,
    )


@dataclass(frozen=True)
class Page:
    """One page of hits, the number of hits in all, and the cursor of the next page."""

    hits: list[Hit]
    total: int
    next_cursor: str | None


@dataclass(frozen=True)
class NeuronListing:
    """A page of neurons' best hits and the histogram of all their best scores."""

    page: Page
    histogram: list[int]


def _fingerprint(query: str, filters: SearchFilters, sort: str) -> str:
    text = json.dumps([query, filters.__dict__, sort], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cursor(fingerprint: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{fingerprint}:{offset}".encode()).decode()


def _page(hits: list[Hit], total: int, fingerprint: str, offset: int) -> Page:
    """The page of hits starting at `offset`, with the cursor of the next one if any."""
    following = offset + len(hits)
    return Page(hits, total, _cursor(fingerprint, following) if following < total else None)


def _offset(cursor: str | None, fingerprint: str) -> int:
    if cursor is None:
        return 0
    try:
        owner, offset = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if owner != fingerprint:
            raise ValueError
        return int(offset)
    except ValueError:
        raise InvalidRequest(
            "cursor does not belong to this search: pass the next_cursor of a page of the same "
            "query, filters and sort, or none for the first page"
        ) from None


@dataclass
class ExplanationSearch:
    """One process's search: its index copy, the shared log and the embedding model."""

    redis: Redis
    namespace: str
    embedder: SentenceEmbedder
    log: SearchLog = field(init=False)
    index: SearchIndex = field(init=False)
    _read_up_to: str = "0"
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.log = SearchLog(self.redis, self.namespace)
        self.index = SearchIndex(DIMENSIONS)

    async def add(self, documents: list[IndexedExplanation]) -> None:
        """Embed and index documents (in the shared log; every process picks them up)."""
        vectors = await asyncio.to_thread(self.embedder.embed, [d.explanation for d in documents])
        await self.log.add(documents, vectors)

    async def remove(self, operation_ids: list[str]) -> None:
        """Take results out of the index."""
        await self.log.remove(operation_ids)

    async def refresh(self) -> None:
        """Apply what other processes appended since the last read."""
        async with self._lock:
            while True:
                last, entries = await self.log.read(self._read_up_to)
                additions: list[tuple[IndexedExplanation, np.ndarray]] = []
                for entry in entries:
                    if isinstance(entry, tuple):
                        additions.append(entry)
                        continue
                    self._apply(additions)
                    additions = []
                    self.index.remove(entry)
                self._apply(additions)
                if last == self._read_up_to:
                    return
                self._read_up_to = last

    def _apply(self, additions: list[tuple[IndexedExplanation, np.ndarray]]) -> None:
        if not additions:
            return
        self.index.add([d for d, _ in additions], np.stack([v for _, v in additions]))

    async def search(
        self, query: str, filters: SearchFilters, sort: str, cursor: str | None, limit: int
    ) -> Page:
        """A page of hits; the query embedded unless it is empty (then: filters alone)."""
        fingerprint = _fingerprint(query, filters, sort)
        offset = _offset(cursor, fingerprint)
        await self.refresh()
        vector = None
        if query.strip():
            vector = (await asyncio.to_thread(self.embedder.embed, [query]))[0]
        hits, total = self.index.search(vector, query, filters, sort, offset, limit)
        return _page(hits, total, fingerprint, offset)

    async def neurons(
        self, filters: SearchFilters, sort: str, cursor: str | None, limit: int
    ) -> NeuronListing:
        """A page of neurons, each with its best-scored explanation, and the histogram of
        every matching neuron's best score."""
        fingerprint = _fingerprint("", filters, f"neurons:{sort}")
        offset = _offset(cursor, fingerprint)
        await self.refresh()
        page = self.index.neurons(filters, sort, offset, limit)
        return NeuronListing(_page(page.hits, page.total, fingerprint, offset), page.histogram)

    async def backfill(self, results_pattern: str) -> int:
        """Index every stored result that is not yet (results stored before search existed);
        the number indexed. Safe to run from several workers: indexing twice replaces."""
        count = 0
        async for key in self.redis.scan_iter(match=results_pattern, count=500):
            name = as_text(key)
            model, layer, index = _neuron_of(name)
            stored = await self.redis.hvals(name)
            results = [NeuronResult.model_validate_json(as_text(v)) for v in stored]
            known = await self.log.indexed([r.operation_id for r in results])
            missing = [
                indexed(model, layer, index, r)
                for r, found in zip(results, known, strict=True)
                if not found
            ]
            for start in range(0, len(missing), _BACKFILL_BATCH):
                await self.add(missing[start : start + _BACKFILL_BATCH])
            count += len(missing)
        if count:
            log.info("search index backfilled", extra={"results": count})
        return count


def _neuron_of(results_key: str) -> tuple[str, int, int]:
    # {namespace}:neuron:{model}:{layer}:{index}:results; a model name may hold colons.
    model, layer, index, _ = results_key.split(":neuron:", 1)[1].rsplit(":", 3)
    return model, int(layer), int(index)
