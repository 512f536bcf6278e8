"""Explanation search over one process's copy of the index: by meaning and by keyword, with
filters, in memory.

Meaning: each explanation's sentence embedding (unit length), compared with the query's by
dot product over one float32 matrix; the filters are a boolean mask over columns of the same
rows, so a filtered search costs what an unfiltered one does (bench/search_latency.py times
it against a plain loop over the same documents). Keyword: SQLite's FTS5 full-text index, in
memory, for words (any of them raises a hit) and quoted phrases (every one must appear).

Relevance is the cosine similarity plus KEYWORD_WEIGHT when the query's quoted phrases and
words all appear, plus half of it when only some of its words do: a paraphrase still finds
its explanation by meaning, and an exact wording ranks above near ones.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field

import numpy as np

KEYWORD_WEIGHT = 0.3
_WORD = re.compile(r"[\w']+")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class IndexedExplanation:
    """One stored explanation or score of a neuron, as search sees it."""

    operation_id: str
    model: str
    layer: int
    index: int
    explanation: str
    kind: str
    polarity: str
    explainer: str | None
    simulator: str
    scan_id: str | None
    correlation: float | None
    random_only_correlation: float | None


@dataclass(frozen=True)
class SearchFilters:
    """Which documents a search may return; None leaves a field unfiltered."""

    model: str | None = None
    layer_min: int | None = None
    layer_max: int | None = None
    neuron_min: int | None = None
    neuron_max: int | None = None
    polarity: str | None = None
    explainer: str | None = None
    simulator: str | None = None
    scan_id: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    random_only_min: float | None = None
    random_only_max: float | None = None


@dataclass(frozen=True)
class Hit:
    """A document and why it was found."""

    document: IndexedExplanation
    relevance: float
    similarity: float
    keyword: bool


HISTOGRAM_EDGES = np.linspace(-1.0, 1.0, 21)
"""Score histogram bins: 20 of width 0.1 over the correlation's range."""


@dataclass(frozen=True)
class NeuronPage:
    """Neurons' best documents, how many neurons matched, and their best scores' histogram
    (counts per HISTOGRAM_EDGES bin; undefined scores are not counted)."""

    hits: list[Hit]
    total: int
    histogram: list[int]


def _phrases_and_words(query: str) -> tuple[list[str], list[str]]:
    phrases = [p.strip() for p in _PHRASE.findall(query) if _WORD.search(p)]
    words = _WORD.findall(_PHRASE.sub(" ", query).lower())
    return phrases, words


def _fts_phrase(text: str) -> str:
    return '"' + " ".join(_WORD.findall(text.lower())) + '"'


class _Codes:
    """Small integer codes for a column's strings (None is -1)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.codes.setdefault(value, len(self.codes))

    def find(self, value: str) -> int:
        return self.codes.get(value, -2)  # -2 matches no row


@dataclass
class SearchIndex:
    """Append-only rows (a removed document's row is marked dead), grown by doubling."""

    dimensions: int
    size: int = 0
    _capacity: int = 0
    _vectors: np.ndarray = field(init=False)
    _columns: dict[str, np.ndarray] = field(init=False)
    _documents: list[IndexedExplanation] = field(default_factory=list)
    _rows: dict[str, int] = field(default_factory=dict)
    _codes: dict[str, _Codes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._vectors = np.zeros((0, self.dimensions), dtype=np.float32)
        self._columns = {name: np.zeros(0, dtype=dtype) for name, dtype in _COLUMN_TYPES.items()}
        self._codes = {name: _Codes() for name in _CODED}
        self._text = sqlite3.connect(":memory:", check_same_thread=False)
        self._text.execute("CREATE VIRTUAL TABLE docs USING fts5(explanation, tokenize=unicode61)")

    @property
    def live(self) -> int:
        """Documents searchable now."""
        return len(self._rows)

    def memory_bytes(self) -> int:
        """The arrays' memory (the vectors dominate; SQLite's index and the documents come
        on top)."""
        return self._vectors.nbytes + sum(c.nbytes for c in self._columns.values())

    def _grow(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = max(needed, 2 * self._capacity, 1024)
        vectors = np.zeros((capacity, self.dimensions), dtype=np.float32)
        vectors[: self.size] = self._vectors[: self.size]
        self._vectors = vectors
        for name, column in self._columns.items():
            grown = np.full(capacity, _EMPTY[name], dtype=column.dtype)
            grown[: self.size] = column[: self.size]
            self._columns[name] = grown
        self._capacity = capacity

    def add(self, documents: list[IndexedExplanation], vectors: np.ndarray) -> None:
        """Add documents with their unit embeddings (n, dimensions); a document already
        indexed (by operation id) is replaced."""
        self.remove([d.operation_id for d in documents if d.operation_id in self._rows])
        self._grow(self.size + len(documents))
        rows = range(self.size, self.size + len(documents))
        self._vectors[rows.start : rows.stop] = vectors
        for row, doc in zip(rows, documents, strict=True):
            columns = self._columns
            columns["alive"][row] = True
            columns["layer"][row] = doc.layer
            columns["index"][row] = doc.index
            columns["correlation"][row] = _number(doc.correlation)
            columns["random_only"][row] = _number(doc.random_only_correlation)
            for name in _CODED:
                columns[name][row] = self._codes[name].code(getattr(doc, name))
            self._rows[doc.operation_id] = row
        self._documents.extend(documents)
        self._text.executemany(
            "INSERT INTO docs(rowid, explanation) VALUES (?, ?)",
            [(row, doc.explanation) for row, doc in zip(rows, documents, strict=True)],
        )
        self.size += len(documents)

    def remove(self, operation_ids: list[str]) -> None:
        """Forget documents (unknown ids are ignored)."""
        for operation_id in operation_ids:
            row = self._rows.pop(operation_id, None)
            if row is not None:
                self._columns["alive"][row] = False
                self._text.execute("DELETE FROM docs WHERE rowid = ?", (row,))

    def _mask(self, filters: SearchFilters) -> np.ndarray:
        size, columns = self.size, self._columns
        mask = columns["alive"][:size].copy()

        def within(name: str, low: float | None, high: float | None) -> None:
            values = columns[name][:size]
            if low is not None:
                mask[:] &= values >= low
            if high is not None:
                mask[:] &= values <= high

        within("layer", filters.layer_min, filters.layer_max)
        within("index", filters.neuron_min, filters.neuron_max)
        within("correlation", filters.score_min, filters.score_max)
        within("random_only", filters.random_only_min, filters.random_only_max)
        for name in _CODED:
            wanted = getattr(filters, name)
            if wanted is not None:
                mask &= columns[name][:size] == self._codes[name].find(wanted)
        return mask

    def _matching(self, fts_query: str) -> np.ndarray:
        rows = self._text.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (fts_query,))
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def search(
        self,
        query_vector: np.ndarray | None,
        query: str,
        filters: SearchFilters,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
    ) -> tuple[list[Hit], int]:
        """Hits `offset` to `offset + limit` in the order asked (relevance, or score: the
        top-and-random correlation, best first) and the number of hits in all."""
        size = self.size
        mask = self._mask(filters)
        phrases, words = _phrases_and_words(query)
        for phrase in phrases:  # every quoted phrase must appear
            required = np.zeros(size, dtype=bool)
            required[self._matching(_fts_phrase(phrase))] = True
            mask &= required
        keyword = np.zeros(size, dtype=np.float32)
        if phrases:  # every row left has them all
            keyword[mask] = KEYWORD_WEIGHT
        if words:
            some = self._matching(" OR ".join(_fts_phrase(w) for w in words))
            keyword[some] = np.maximum(keyword[some], KEYWORD_WEIGHT / 2)
            every = self._matching(" AND ".join(_fts_phrase(w) for w in words))
            keyword[every] = KEYWORD_WEIGHT
        if query_vector is not None:
            similarity = self._vectors[:size] @ query_vector.astype(np.float32)
        else:
            similarity = np.zeros(size, dtype=np.float32)
        if sort == "score":
            order_key = np.nan_to_num(self._columns["correlation"][:size], nan=-np.inf)
        else:
            order_key = similarity + keyword
        candidates = np.flatnonzero(mask)
        total = len(candidates)
        wanted = min(offset + limit, total)
        if wanted == 0:
            return [], total
        keys = order_key[candidates]
        if wanted < total:
            part = np.argpartition(-keys, wanted - 1)[:wanted]
        else:
            part = np.arange(total)
        # Ties broken by row, so that pages of one query never overlap.
        ranked = candidates[part[np.lexsort((candidates[part], -keys[part]))][offset:wanted]]
        return [self._hit(row, similarity, keyword) for row in ranked], total

    def _hit(self, row: int, similarity: np.ndarray, keyword: np.ndarray) -> Hit:
        return Hit(
            document=self._documents[int(row)],
            relevance=float(similarity[row] + keyword[row]),
            similarity=float(similarity[row]),
            keyword=bool(keyword[row] > 0),
        )

    def neurons(
        self, filters: SearchFilters, sort: str = "score", offset: int = 0, limit: int = 100
    ) -> NeuronPage:
        """One row per neuron, its best-scored matching document: rows `offset` to `offset +
        limit` by score (best first) or by neuron (layer, then index), the number of neurons
        in all, and the histogram of their best scores."""
        columns, size = self._columns, self.size
        rows = np.flatnonzero(self._mask(filters))
        score = np.nan_to_num(columns["correlation"][:size][rows], nan=-np.inf)
        rows = rows[np.lexsort((rows, -score))]  # best first, ties by row
        neuron = (
            columns["model"][rows].astype(np.int64) << 42
            | columns["layer"][rows].astype(np.int64) << 24
            | columns["index"][rows].astype(np.int64)
        )
        _, first = np.unique(neuron, return_index=True)
        best = rows[np.sort(first)]  # still best first
        if sort == "neuron":
            best = best[np.lexsort((columns["index"][best], columns["layer"][best]))]
        scores = columns["correlation"][best]
        counts, _ = np.histogram(scores[~np.isnan(scores)], bins=HISTOGRAM_EDGES)
        nothing = np.zeros(size, dtype=np.float32)
        hits = [self._hit(row, nothing, nothing) for row in best[offset : offset + limit]]
        return NeuronPage(hits, len(best), [int(c) for c in counts])


def _number(value: float | None) -> float:
    return math.nan if value is None else value


_CODED = ("model", "polarity", "explainer", "simulator", "scan_id")
_COLUMN_TYPES = {
    "alive": np.bool_,
    "layer": np.int32,
    "index": np.int32,
    "correlation": np.float32,
    "random_only": np.float32,
    **dict.fromkeys(_CODED, np.int32),
}
_EMPTY = {"alive": False, "correlation": np.nan, "random_only": np.nan} | dict.fromkeys(
    ("layer", "index", *_CODED), -1
)
