"""Explanation search over one process's copy of the index: by meaning and by keyword, with
filters, in memory.

Meaning: each explanation's sentence embedding (unit length), compared with the query's by
dot product over one float32 matrix; the filters are a boolean mask over columns of the same
rows (bench/search_latency.py times a search against a plain loop over the same documents).
Keyword: SQLite's FTS5 full-text index, in memory, for words (any of them raises a hit) and
quoted phrases (every one must appear).

From `exact_below` rows on, reading the whole matrix per query (1.5 GB at 1M rows) is what a
search costs: memory bandwidth. So a first pass reads a reduced copy instead, every row
projected onto the matrix's top `reduced_dimensions` principal directions (a third of the
bytes), and takes the best candidates by that approximate similarity plus the keyword bonus;
only those are scored exactly and ranked as in an exact search. Whenever the candidates hold
the exact top hits, the page is exactly the exact search's (bench/search_latency.py reports
recall against it). The directions are fitted on a sample of the rows when the index reaches
`exact_below` rows, and refitted (every row projected again) each time it doubles.

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
CANDIDATES = 1000
"""The fewest rows an approximate pass hands on to exact scoring, and at least 10 per hit
asked and 1 in CANDIDATE_SHARE matching rows: on real embeddings recall at a fixed share
rises with the rows, at a fixed count it falls (bench/README.md). Rescoring 1000 rows takes
0.2 ms."""
CANDIDATE_SHARE = 64
_FIT_SAMPLE = 65_536  # rows sampled to fit the reduced basis
_CHUNK = 2048  # rows gathered at a time for exact scoring (a few MB, in cache)
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
    exact_below: int = field(default=200_000, kw_only=True)
    """Rows (dead ones included) below which every search is exact."""
    reduced_dimensions: int = field(default=128, kw_only=True)
    size: int = 0
    _capacity: int = 0
    _vectors: np.ndarray = field(init=False)
    _basis: np.ndarray = field(init=False)  # (dimensions, reduced): top principal directions
    _reduced: np.ndarray = field(init=False)  # the rows projected on _basis
    _fitted_at: int = field(default=0, init=False)  # rows at the fit; 0: none, all exact
    _columns: dict[str, np.ndarray] = field(init=False)
    _documents: list[IndexedExplanation] = field(default_factory=list)
    _rows: dict[str, int] = field(default_factory=dict)
    _codes: dict[str, _Codes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._vectors = np.zeros((0, self.dimensions), dtype=np.float32)
        self._basis = np.zeros((self.dimensions, 0), dtype=np.float32)
        self._reduced = np.zeros((0, 0), dtype=np.float32)
        self._columns = {name: np.zeros(0, dtype=dtype) for name, dtype in _COLUMN_TYPES.items()}
        self._codes = {name: _Codes() for name in _CODED}
        self._text = sqlite3.connect(":memory:", check_same_thread=False)
        self._text.execute("CREATE VIRTUAL TABLE docs USING fts5(explanation, tokenize=unicode61)")

    @property
    def live(self) -> int:
        """Documents searchable now."""
        return len(self._rows)

    def memory_bytes(self) -> int:
        """The arrays' memory (the vectors dominate, then their reduced copy; SQLite's index
        and the documents come on top)."""
        arrays = [self._vectors, self._basis, self._reduced, *self._columns.values()]
        return sum(a.nbytes for a in arrays)

    def _grow(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = max(needed, 2 * self._capacity, 1024)
        vectors = np.zeros((capacity, self.dimensions), dtype=np.float32)
        vectors[: self.size] = self._vectors[: self.size]
        self._vectors = vectors
        reduced = np.zeros((capacity, self._reduced.shape[1]), dtype=np.float32)
        reduced[: self.size] = self._reduced[: self.size]
        self._reduced = reduced
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
        self._project(rows.start)

    def _project(self, start: int) -> None:
        """Project rows `start` on onto the basis; fit it first at `exact_below` rows, and
        again (projecting every row) each time the index has doubled since."""
        if self.size < self.exact_below:
            return
        if self.size >= 2 * self._fitted_at:
            sample = self._vectors[: self.size : max(1, self.size // _FIT_SAMPLE)]
            _, directions = np.linalg.eigh(sample.T @ sample)  # eigenvalues ascending
            reduced = min(self.reduced_dimensions, self.dimensions)
            self._basis = np.ascontiguousarray(directions[:, ::-1][:, :reduced])
            if self._reduced.shape[1] != reduced:  # the first fit (a refit overwrites)
                self._reduced = np.zeros((self._capacity, reduced), dtype=np.float32)
            self._fitted_at, start = self.size, 0
        rows = slice(start, self.size)
        np.matmul(self._vectors[rows], self._basis, out=self._reduced[rows])

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
        # One string of ids: a fifth of the time of a Python tuple per row (80k rows: 22 ms).
        (ids,) = self._text.execute(
            "SELECT group_concat(rowid) FROM docs WHERE docs MATCH ?", (fts_query,)
        ).fetchone()
        return np.fromstring(ids or "", dtype=np.int64, sep=",")

    def search(
        self,
        query_vector: np.ndarray | None,
        query: str,
        filters: SearchFilters,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        *,
        exact: bool = False,
    ) -> tuple[list[Hit], int]:
        """Hits `offset` to `offset + limit` in the order asked (relevance, or score: the
        top-and-random correlation, best first) and the number of hits in all. `exact`
        scores every matching row even past `exact_below` (the reference for recall)."""
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
            terms = list(dict.fromkeys(_fts_phrase(w) for w in words))
            some = self._matching(" OR ".join(terms))
            keyword[some] = np.maximum(keyword[some], KEYWORD_WEIGHT / 2)
            every = some if len(terms) == 1 else self._matching(" AND ".join(terms))
            keyword[every] = KEYWORD_WEIGHT
        rows = np.flatnonzero(mask)
        total = len(rows)
        wanted = min(offset + limit, total)
        if wanted == 0:
            return [], total
        vector = None if query_vector is None else query_vector.astype(np.float32)
        if sort == "score":
            keys = np.nan_to_num(self._columns["correlation"][rows], nan=-np.inf)
        else:
            if vector is not None and self._fitted_at and not exact:
                rows = self._candidates(rows, vector, keyword, wanted)
            keys = self._similarity(rows, vector) + keyword[rows]
        if wanted < len(rows):
            part = np.argpartition(-keys, wanted - 1)[:wanted]
        else:
            part = np.arange(len(rows))
        # Ties broken by row, so that pages of one query never overlap.
        ranked = rows[part[np.lexsort((rows[part], -keys[part]))][offset:wanted]]
        similarity = self._similarity(ranked, vector)
        return [self._hit(r, s, keyword[r]) for r, s in zip(ranked, similarity, strict=True)], total

    def _candidates(
        self, rows: np.ndarray, vector: np.ndarray, keyword: np.ndarray, wanted: int
    ) -> np.ndarray:
        """The first pass of a large index's search: the rows best by reduced similarity
        plus keyword bonus, as many as CANDIDATES says."""
        count = max(CANDIDATES, 10 * wanted, len(rows) // CANDIDATE_SHARE)
        if count >= len(rows):
            return rows
        keys = (self._reduced[: self.size] @ (vector @ self._basis))[rows] + keyword[rows]
        return np.sort(rows[np.argpartition(-keys, count - 1)[:count]])

    def _similarity(self, rows: np.ndarray, vector: np.ndarray | None) -> np.ndarray:
        """These rows' exact similarities to the query (0 without one), a few thousand rows at
        a time. By einsum, not BLAS: a row then gets the same bits whichever rows it is scored
        with (BLAS's matrix-vector product treats a block's last rows apart), so the
        approximate path ranks its candidates exactly as the exact path does."""
        similarity = np.zeros(len(rows), dtype=np.float32)
        if vector is not None:
            for start in range(0, len(rows), _CHUNK):
                chunk = self._vectors.take(rows[start : start + _CHUNK], axis=0)
                np.einsum("ij,j->i", chunk, vector, out=similarity[start : start + _CHUNK])
        return similarity

    def _hit(self, row: int, similarity: float, keyword: float) -> Hit:
        return Hit(
            document=self._documents[int(row)],
            relevance=float(similarity + keyword),
            similarity=float(similarity),
            keyword=bool(keyword > 0),
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
        hits = [self._hit(row, 0.0, 0.0) for row in best[offset : offset + limit]]
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
