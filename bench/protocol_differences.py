"""How much each difference between our protocol and the study's (neuron-explainer's) moves
the scores (docs/method.md, "Two protocols").

Real records: a scan of the built-in minilm-l6 (all 6 layers) over the built-in Brown corpus,
64-token excerpts, with the service's own scanner; a fixed seeded sample of neurons. Each
neuron is explained and scored on the test split (what an explanation with `samples: 1`
reports) under ours, the study's, and ours with each single difference switched to the
study's:
  splits              n // splits excerpts per split, leftovers dropped (the default top_k
                      here is 23 and random_k 17; at the service's 20 and 15 every split
                      is even and this difference is nil)
  listing             the study's prompt listings
  raw scores          scored against raw activations, not max(a, 0)
  prompt per excerpt  all_at_once: one prompt per excerpt
The lexical explainer and simulator (the default) need no language model, so they cannot
see the listing or the prompt count: those two rows read 0 by construction. `--llm N`
explains the first N neurons with the local SmolLM2-135M-Instruct (token-activation pairs)
and simulates them all at once, which does see them (a stand-in model, slow on a CPU).

    .venv/bin/python bench/protocol_differences.py [--tokens 50000] [--neurons 30] [--llm 0]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _variants():  # noqa: ANN202
    from autointerp.interp.protocols import OURS, STUDY, Rules

    return {
        "ours (autointerp)": OURS,
        "study": STUDY,
        "ours + study splits": Rules(study_splits=True),
        "ours + study listing": Rules(study_listing=True),
        "ours + raw scores": Rules(raw_scores=True),
        "ours + prompt per excerpt": Rules(prompt_per_excerpt=True),
    }


def _scan(tokens: int, top_k: int, random_k: int, seed: int, neurons: int):  # noqa: ANN202
    """The chosen neurons' top and random records, as the service's scan would store them."""
    from autointerp.interp.records import ActivationRecord, ScanSettings
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.catalog import ModelCatalog, builtin_sources
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.loading import ModelLoader
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import scan_corpus

    loader = ModelLoader(ModelCatalog(builtin_sources()), REPO / ".autointerp" / "models")
    model, tokenizer = loader.model("minilm-l6"), loader.tokenizer("minilm-l6")
    mlp = MlpNeurons.of(model)
    shape = mlp.shape
    rng = random.Random(seed)
    chosen = sorted(
        {
            (rng.randrange(shape.layers), rng.randrange(shape.neurons_per_layer))
            for _ in range(neurons)
        }
    )
    settings = ScanSettings(
        layers=sorted({layer for layer, _ in chosen}),
        top_k=top_k,
        random_k=random_k,
        max_tokens=tokens,
        seed=seed,
    )
    texts = Corpora(REPO / ".autointerp" / "corpora").texts(BuiltinCorpus())
    output = scan_corpus(mlp, tokenizer, texts, settings)
    text_of: dict[int, str] = {}

    def excerpts(selection, column: int) -> list[ActivationRecord]:  # noqa: ANN001
        found = []
        for slot in range(selection.excerpt_ids.shape[0]):
            excerpt_id = int(selection.excerpt_ids[slot, column])
            if excerpt_id < 0:
                continue
            ids = [int(t) for t in output.excerpt_token_ids[excerpt_id]]
            for t in ids:
                text_of.setdefault(t, str(tokenizer.decode([t])))
            acts = selection.activations[slot, column, : len(ids)].float().tolist()
            found.append(ActivationRecord([text_of[t] for t in ids], acts, excerpt_id))
        return found

    records = {}
    for layer, index in chosen:
        top, _, sample, _ = (s.ranked() for s in output.layers[layer].selections())
        records[(layer, index)] = (excerpts(top, index), excerpts(sample, index))
    return records, output.tokens, output.excerpts, loader


async def _score(rules, top, random_sample, model):  # noqa: ANN001, ANN202
    from autointerp.interp.activations import Polarity
    from autointerp.interp.evaluation import score_explanation
    from autointerp.interp.explainers import ExplainerKind, explain
    from autointerp.interp.protocols import prepare
    from autointerp.interp.simulation import SimulatorKind
    from autointerp.interp.splits import Split

    prepared = prepare(top, random_sample, Polarity.positive, rules)
    explainer = ExplainerKind.lexical if model is None else ExplainerKind.token_activation_pair
    written = await explain(explainer, model, prepared.train, 1, 0.0, rules.study_listing)
    simulator = SimulatorKind.lexical if model is None else SimulatorKind.all_at_once
    scored = await score_explanation(
        simulator, model, written.texts[0], prepared.splits, Split.test, rules=rules
    )
    return scored.top_and_random.correlation, scored.random_only.correlation


def _prompt_sizes(records) -> tuple[float, float]:  # noqa: ANN001
    """Mean characters of all_at_once prompts per neuron: packed, and one per excerpt."""
    from autointerp.interp.activations import Polarity
    from autointerp.interp.protocols import OURS, prepare
    from autointerp.interp.simulation import all_at_once_prompt
    from autointerp.interp.splits import Split

    packed, apart = [], []
    for top, sample in records.values():
        test = prepare(top, sample, Polarity.positive, OURS).splits[Split.test]
        excerpts = [r.tokens for r in test.top + test.random]
        packed.append(len(all_at_once_prompt("x", excerpts).text))
        apart.append(sum(len(all_at_once_prompt("x", [e]).text) for e in excerpts))
    return statistics.mean(packed), statistics.mean(apart)


def _mean(values: list[float]) -> str:
    return f"{statistics.mean(values):7.4f}" if values else "    n/a"


def _change(values: list[float]) -> str:
    """Mean with its standard error."""
    if len(values) < 2:
        return f"{_mean(values)}        "
    return f"{_mean(values)} ± {statistics.stdev(values) / len(values) ** 0.5:.4f}"


def _report(title: str, table: dict[str, list[tuple[float | None, float | None]]]) -> None:
    print(title)
    print(
        f"  {'':27s} {'top+random':>10s} {'random-only':>11s}   "
        f"{'mean |change| vs ours':>22s}   mean change vs ours (± s.e.)"
    )
    ours = table["ours (autointerp)"]
    for name, rows in table.items():
        means = [_mean([r[i] for r in rows if r[i] is not None]) for i in (0, 1)]
        changes = []
        for i in (0, 1):
            pairs = [
                (r[i], o[i]) for r, o in zip(rows, ours, strict=True) if None not in (r[i], o[i])
            ]
            changes.append(
                (_mean([abs(a - b) for a, b in pairs]), _change([a - b for a, b in pairs]))
            )
        print(
            f"  {name:27s} {means[0]:>10s} {means[1]:>11s}   "
            f"{changes[0][0]} / {changes[1][0]:>12s}   {changes[0][1]} / {changes[1][1]}"
        )
    print("  (changes: top-and-random / random-only, paired over neurons defined in both)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=50_000)
    parser.add_argument("--neurons", type=int, default=30)
    parser.add_argument("--top-k", type=int, default=23)
    parser.add_argument("--random-k", type=int, default=17)
    parser.add_argument("--llm", type=int, default=0, help="neurons also run with SmolLM2")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    records, tokens, excerpts, loader = _scan(
        args.tokens, args.top_k, args.random_k, args.seed, args.neurons
    )
    print(
        f"minilm-l6 over the Brown corpus: {tokens} tokens in {excerpts} excerpts of 64, "
        f"top_k {args.top_k}, random_k {args.random_k}, {len(records)} neurons (seed "
        f"{args.seed}); test-split Pearson correlations, means over defined scores; "
        f"scanned in {time.perf_counter() - started:.0f} s"
    )
    variants = _variants()
    lexical: dict[str, list] = {name: [] for name in variants}
    for top, sample in records.values():
        for name, rules in variants.items():
            lexical[name].append(asyncio.run(_score(rules, top, sample, None)))
    _report("Lexical explainer and simulator (no language model):", lexical)
    packed, apart = _prompt_sizes(records)
    print(
        f"  all_at_once prompt characters per neuron (test split): {packed:.0f} in one prompt, "
        f"{apart:.0f} in one prompt per excerpt ({apart / packed:.2f}x)"
    )

    if args.llm:
        from autointerp.llm.transformers_backend import LocalCausalModel

        model = LocalCausalModel(loader, "smollm2-135m")
        llm: dict[str, list] = {name: [] for name in variants}
        started = time.perf_counter()
        for top, sample in list(records.values())[: args.llm]:
            for name, rules in variants.items():
                llm[name].append(asyncio.run(_score(rules, top, sample, model)))
        _report(
            f"SmolLM2-135M-Instruct explains (token-activation pairs) and simulates (all at "
            f"once), first {args.llm} neurons, {time.perf_counter() - started:.0f} s:",
            llm,
        )


if __name__ == "__main__":
    main()
