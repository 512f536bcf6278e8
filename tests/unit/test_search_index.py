"""SearchIndex past `exact_below` rows: its approximate first pass returns exactly the exact
search's pages on clustered vectors, filters still exclude what they should, and small
indexes stay exact."""

import numpy as np
import pytest

from autointerp.search.index import CANDIDATES, IndexedExplanation, SearchFilters, SearchIndex

ROWS = 250_000
DIMENSIONS = 64
REDUCED = 16
CLUSTERS = 40
WORDS = ["digits", "weather", "cities", "colours", "verbs"]


def _documents(rows: int, rng: np.random.Generator) -> list[IndexedExplanation]:
    model, polarity = rng.integers(3, size=rows), rng.integers(2, size=rows)
    layer, index = rng.integers(24, size=rows), rng.integers(3000, size=rows)
    correlation = rng.uniform(-0.2, 0.9, size=rows)
    # A quarter of the rows name topics (keyword hits), the others not.
    topics = [f"{WORDS[i % 5]} in {WORDS[i % 7 % 5]} text" for i in range(35)]
    return [
        IndexedExplanation(
            operation_id=f"{i:064x}",
            model="abc"[model[i]],
            layer=int(layer[i]),
            index=int(index[i]),
            explanation=topics[i % 35] if i % 4 == 0 else f"other text {i % 11}",
            kind="explanation",
            polarity=("positive", "negative")[polarity[i]],
            explainer="lexical",
            simulator="lexical",
            scan_id=None,
            correlation=float(correlation[i]),
            random_only_correlation=None,
        )
        for i in range(rows)
    ]


def _clustered(rows: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors around CLUSTERS centres, their spread falling off over the dimensions in a
    random basis, as sentence embeddings' does."""
    basis, _ = np.linalg.qr(rng.standard_normal((DIMENSIONS, DIMENSIONS)))
    scale = np.exp(-np.arange(DIMENSIONS) / 8)
    centres = rng.standard_normal((CLUSTERS, DIMENSIONS)) * scale
    spread = rng.standard_normal((rows, DIMENSIONS)) * scale * 0.4
    vectors = ((centres[rng.integers(CLUSTERS, size=rows)] + spread) @ basis.T).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def large() -> tuple[SearchIndex, np.ndarray, list[IndexedExplanation]]:
    rng = np.random.default_rng(0)
    documents, vectors = _documents(ROWS, rng), _clustered(ROWS, rng)
    index = SearchIndex(DIMENSIONS, reduced_dimensions=REDUCED)
    for start in range(0, ROWS, 50_000):  # fitted at 200k rows, projected on since
        index.add(documents[start : start + 50_000], vectors[start : start + 50_000])
    index.remove([d.operation_id for d in documents[::101]])
    queries = vectors[rng.integers(ROWS, size=6)] + rng.normal(0, 0.05, (6, DIMENSIONS))
    return index, queries.astype(np.float32), documents


def _ids(hits: list) -> list[str]:
    return [h.document.operation_id for h in hits]


FILTERS = [
    SearchFilters(),
    SearchFilters(model="a", layer_min=4, layer_max=20, score_min=0.3),
    SearchFilters(polarity="negative", neuron_max=1500, score_max=0.5),
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("words", ["", "weather", "digits cities", '"colours in"'])
def test_approximate_pages_are_the_exact_ones(large: tuple, filters: SearchFilters, words: str):
    index, queries, _ = large
    assert index.size > index.exact_below  # the approximate path is taken
    for i, query in enumerate(queries):
        offset = 40 * (i % 2)
        hits, total = index.search(query, words, filters, offset=offset, limit=20)
        exact, exact_total = index.search(
            query, words, filters, offset=offset, limit=20, exact=True
        )
        assert total == exact_total > CANDIDATES  # more rows than candidates
        assert len(hits) == 20
        assert _ids(hits) == _ids(exact)
        assert [(h.relevance, h.similarity, h.keyword) for h in hits] == [
            (h.relevance, h.similarity, h.keyword) for h in exact
        ]


def test_filters_exclude_on_the_approximate_path(large: tuple):
    index, queries, documents = large
    removed = {d.operation_id for d in documents[::101]}
    filters = FILTERS[1]
    for query in queries:
        hits, total = index.search(query, '"colours in"', filters, limit=50)
        assert len(hits) == 50
        for hit in hits:
            d = hit.document
            assert d.operation_id not in removed
            assert d.model == "a" and 4 <= d.layer <= 20 and d.correlation >= 0.3
            assert "colours in" in d.explanation
        expected = sum(
            d.model == "a"
            and 4 <= d.layer <= 20
            and d.correlation >= 0.3
            and "colours in" in d.explanation
            and d.operation_id not in removed
            for d in documents
        )
        assert total == expected


def test_exact_by_numpy_and_basis_refitted_when_small():
    rng = np.random.default_rng(1)
    documents, vectors = _documents(3000, rng), _clustered(3000, rng)
    index = SearchIndex(DIMENSIONS, exact_below=1000, reduced_dimensions=REDUCED)
    index.add(documents[:900], vectors[:900])
    assert index.memory_bytes() == 1024 * (DIMENSIONS * 4 + 9 * 4 + 1)  # no reduced copy yet
    index.add(documents[900:1500], vectors[900:1500])  # fitted at 1500
    index.add(documents[1500:2999], vectors[1500:2999])  # not yet doubled
    basis = index._basis.copy()
    index.add(documents[2999:], vectors[2999:])  # doubled: refitted
    assert not np.array_equal(basis, index._basis)
    capacity = 4096  # 1024, doubled twice
    assert index.memory_bytes() == (
        capacity * (DIMENSIONS * 4 + REDUCED * 4 + 9 * 4 + 1) + DIMENSIONS * REDUCED * 4
    )
    small = SearchIndex(DIMENSIONS)
    small.add(documents, vectors)
    query = vectors[7]
    hits, total = small.search(query, "", SearchFilters(model="b"), limit=30)
    rows = [i for i, d in enumerate(documents) if d.model == "b"]
    best = sorted(rows, key=lambda i: -float(vectors[i] @ query))[:30]
    assert total == len(rows)
    assert _ids(hits) == [documents[i].operation_id for i in best]
