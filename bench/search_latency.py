"""Explanation search latency over N stored explanations, filters on, against a brute-force
scan of the same documents in the same run.

    .venv/bin/python bench/search_latency.py --sizes 100000 1000000

Documents are synthetic but made of realistic explanations: a few hundred phrases of the kind
explainers write, combined; each document's vector is its phrase's real sentence embedding
(all-MiniLM-L6-v2) with a little noise, so neighbours are as dense as in a real index. Each
query is embedded for real (that time is reported apart: it does not grow with N). The
brute-force baseline filters every document in Python and compares the survivors' vectors.

From the index's `exact_below` rows on, a search scores a reduced copy first and only its best
candidates exactly; recall@20 is then measured over random queries (one to three words drawn
from the explanations' vocabulary and a few others, embedded for real) against the same
index's exact search (`exact=True`), by meaning alone and with the words as keywords too, with
the benchmark's filters and with none.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import numpy as np

from autointerp.search.embedding import SentenceEmbedder
from autointerp.search.index import IndexedExplanation, SearchFilters, SearchIndex

SUBJECTS = [
    "numbers written as numerals",
    "the word 'the'",
    "closing parentheses",
    "past tense verbs",
    "names of cities",
    "dates and years",
    "words about the weather",
    "plural nouns",
    "the second half of quoted speech",
    "the token after 'of'",
    "legal terms",
    "sports teams",
    "colours",
    "units of measurement",
    "first names",
    "negations such as 'not'",
    "currency",
    "words in capital letters",
    "question marks",
    "the end of a sentence",
    "chemical elements",
    "verbs of motion",
    "months of the year",
    "programming keywords",
    "adjectives of size",
]
FRAMES = [
    "{}",
    "mentions of {}",
    "{} in news text",
    "{}, mostly at the start of a line",
    "tokens that are part of {}",
    "{} and words near them",
    "{} after a comma",
]
QUERIES = ["digits", "weather", "city names", "quotation", "years", "money", "capital letters"]
OTHER_WORDS = "music food animals code emotion science history letter digit speech place time"


def _random_queries(count: int) -> list[str]:
    words = {w.strip(",'") for t in [*SUBJECTS, *FRAMES, *QUERIES] for w in t.split()}
    vocabulary = sorted((words - {"{}", ""}) | set(OTHER_WORDS.split()))
    rng = random.Random(0)
    return [" ".join(rng.sample(vocabulary, rng.randint(1, 3))) for _ in range(count)]


def _recall(
    index: SearchIndex, texts: list[str], vectors: np.ndarray, filters: SearchFilters
) -> tuple[float, float, float]:
    """Recall@20 of the default search against the exact one, by meaning alone and with the
    words as keywords, and the share of pages identical to the exact one (hits and order)."""
    found, identical = {"": 0, "text": 0}, 0
    for text, vector in zip(texts, vectors, strict=True):
        for kind, words in (("", ""), ("text", text)):
            hits, _ = index.search(vector, words, filters, limit=20)
            exact, _ = index.search(vector, words, filters, limit=20, exact=True)
            ids = [h.document.operation_id for h in hits]
            reference = [h.document.operation_id for h in exact]
            found[kind] += len(set(ids) & set(reference)) / max(1, len(reference))
            identical += ids == reference
    return found[""] / len(texts), found["text"] / len(texts), identical / (2 * len(texts))


def _documents(size: int, rng: random.Random) -> tuple[list[IndexedExplanation], list[int]]:
    texts = [frame.format(s) for s in SUBJECTS for frame in FRAMES]
    docs, kinds = [], []
    for i in range(size):
        k = rng.randrange(len(texts))
        kinds.append(k)
        docs.append(
            IndexedExplanation(
                operation_id=f"{i:064x}",
                model=rng.choice(["smollm2-135m", "minilm-l6", "gpt2-xl"]),
                layer=rng.randrange(48),
                index=rng.randrange(6400),
                explanation=texts[k],
                kind="explanation",
                polarity=rng.choice(["positive", "positive", "negative"]),
                explainer=rng.choice(["local", "lexical", "gpt-4o"]),
                simulator="all_at_once",
                scan_id=None,
                correlation=rng.uniform(-0.2, 0.9),
                random_only_correlation=rng.uniform(-0.2, 0.6),
            )
        )
    return docs, kinds


def _brute_force(
    docs: list[IndexedExplanation],
    vectors: np.ndarray,
    query_vector: np.ndarray,
    filters: SearchFilters,
    limit: int,
) -> list[int]:
    rows = [
        i
        for i, d in enumerate(docs)
        if d.model == filters.model
        and filters.layer_min <= d.layer <= filters.layer_max
        and d.correlation is not None
        and d.correlation >= filters.score_min
    ]
    scores = vectors[rows] @ query_vector
    best = np.argsort(-scores)[:limit]
    return [rows[i] for i in best]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--recall-queries", type=int, default=200)
    args = parser.parse_args()
    embedder = SentenceEmbedder(Path(".autointerp/models"))
    texts = [frame.format(s) for s in SUBJECTS for frame in FRAMES]
    phrase_vectors = embedder.embed(texts)
    started = time.perf_counter()
    query_vectors = embedder.embed(QUERIES)
    embed_ms = (time.perf_counter() - started) / len(QUERIES) * 1000
    recall_texts = _random_queries(args.recall_queries)
    recall_vectors = embedder.embed(recall_texts)
    filters = SearchFilters(model="smollm2-135m", layer_min=4, layer_max=30, score_min=0.3)
    print(f"query embedding: {embed_ms:.1f} ms per query (not counted below)")
    for size in args.sizes:
        rng = random.Random(size)
        docs, kinds = _documents(size, rng)
        noise = np.random.default_rng(size).normal(0, 0.02, (size, phrase_vectors.shape[1]))
        vectors = phrase_vectors[kinds] + noise.astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index = SearchIndex(phrase_vectors.shape[1])
        started = time.perf_counter()
        for start in range(0, size, 50_000):
            index.add(docs[start : start + 50_000], vectors[start : start + 50_000])
        build_s = time.perf_counter() - started
        ours, brute, same = [], [], 0
        for q in range(args.queries):
            text, vector = QUERIES[q % len(QUERIES)], query_vectors[q % len(QUERIES)]
            started = time.perf_counter()
            index.search(vector, text, filters, limit=20)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            expected = _brute_force(docs, vectors, vector, filters, 20)
            brute.append(time.perf_counter() - started)
            # Untimed: by meaning alone (no words to match), what brute force finds; always
            # so where the index is exact.
            by_meaning, _ = index.search(vector, "", filters, limit=20)
            found = [int(h.document.operation_id, 16) for h in by_meaning]
            assert found == expected or size >= index.exact_below, (text, found[:5], expected[:5])
            same += found == expected
        ours_ms, brute_ms = statistics.median(ours) * 1000, statistics.median(brute) * 1000
        ours_p95, brute_p95 = (statistics.quantiles(t, n=20)[-1] * 1000 for t in (ours, brute))
        print(
            f"{size:>9} explanations: search median {ours_ms:6.1f} ms (p95 {ours_p95:6.1f}), "
            f"brute force {brute_ms:7.1f} ms (p95 {brute_p95:6.1f}), {brute_ms / ours_ms:5.1f}x; "
            f"index arrays {index.memory_bytes() / 2**20:.0f} MB, built in {build_s:.1f} s; "
            f"by meaning = brute force in {same}/{args.queries}"
        )
        if size >= index.exact_below:
            for name, where in (("filters on", filters), ("no filters", SearchFilters())):
                meaning, keyword, identical = _recall(index, recall_texts, recall_vectors, where)
                print(
                    f"{'':>9} recall@20 against exact, {len(recall_texts)} random queries, "
                    f"{name}: by meaning {meaning:.4f}, with keywords {keyword:.4f}; "
                    f"pages identical {identical:.1%}"
                )
        del index, docs, vectors


if __name__ == "__main__":
    main()
