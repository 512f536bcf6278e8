"""Quality harness: explainer/simulator pairs on neurons with known behaviour and on a fixed
random sample of real SmolLM2-135M neurons, over the Brown corpus (64-token excerpts, the
study's splits: top-and-random and random-only scores on the valid split, raw activations).

Synthetic neurons fire (1.0) on digits, on the word "the", and on the token after "of".
Pairs:
  lexical            the readable top-10-tokens explanation, simulated by matching the
                     tokens it quotes (no language model)
  lookup table       no explanation: each token's mean activation over train + calibration
                     excerpts (the floor docs/method.md measured at ~0.30 for SmolLM2)
  local LLM (--llm)  SmolLM2-135M-Instruct explains (token-activation pairs) and simulates
                     (all at once); a stand-in that exercises the path, not a good explainer

    .venv/bin/python bench/quality.py [--excerpts 600] [--neurons 24] [--llm 6]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STUDY_MEAN = 0.14
FLOORS = {"token lookup": 0.30, "readable top-10 tokens": 0.22}


def _records(acts_per_excerpt, tokens_per_excerpt, rng, top_k=20, random_k=15):  # noqa: ANN001, ANN202
    from autointerp.interp.records import ActivationRecord

    order = list(range(len(acts_per_excerpt)))
    rng.shuffle(order)  # ties in the maximum broken at random
    order.sort(key=lambda i: -max(acts_per_excerpt[i]))
    top = [ActivationRecord(tokens_per_excerpt[i], acts_per_excerpt[i]) for i in order[:top_k]]
    sample = rng.sample(range(len(acts_per_excerpt)), random_k)
    rand = [ActivationRecord(tokens_per_excerpt[i], acts_per_excerpt[i]) for i in sample]
    return top, rand


def _synthetic(tokens_per_excerpt) -> dict[str, list[list[float]]]:  # noqa: ANN001
    def fires(rule: Callable[[list[str], int], bool]) -> list[list[float]]:
        return [
            [1.0 if rule(tokens, i) else 0.0 for i in range(len(tokens))]
            for tokens in tokens_per_excerpt
        ]

    return {
        "digits": fires(lambda t, i: any(c.isdigit() for c in t[i])),
        "word 'the'": fires(lambda t, i: t[i].strip().lower() == "the"),
        "after 'of'": fires(lambda t, i: i > 0 and t[i - 1].strip().lower() == "of"),
    }


def _lookup_table(splits) -> Callable[[list[str]], list[float]]:  # noqa: ANN001
    from autointerp.interp.splits import Split

    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for split in (Split.train, Split.calibration):
        for record in splits[split].top + splits[split].random:
            for token, value in zip(record.tokens, record.activations, strict=True):
                sums[token] += value
                counts[token] += 1
    return lambda tokens: [sums[t] / counts[t] if counts[t] else 0.0 for t in tokens]


def _scores(splits, simulate) -> tuple[float | None, float | None]:  # noqa: ANN001
    from autointerp.interp.scoring import correlation, pool
    from autointerp.interp.splits import Split

    valid = splits[Split.valid]
    records = valid.top + valid.random
    simulated = [simulate(r.tokens) for r in records]
    real = [r.activations for r in records]
    n_top = len(valid.top)
    return (
        correlation(pool(real), pool(simulated)),
        correlation(pool(real[n_top:]), pool(simulated[n_top:])),
    )


async def _llm_scores(model, splits) -> tuple[float | None, float | None]:  # noqa: ANN001
    from autointerp.interp.evaluation import score_explanation
    from autointerp.interp.explainers import ExplainerKind, explain
    from autointerp.interp.simulation import SimulatorKind
    from autointerp.interp.splits import Split

    written = await explain(
        ExplainerKind.token_activation_pair, model, splits[Split.train].top, 1, 0.0
    )
    result = await score_explanation(SimulatorKind.all_at_once, model, written.texts[0], splits)
    return result.top_and_random.correlation, result.random_only.correlation


def _evaluate(name, top, rand, llm, table):  # noqa: ANN001, ANN202
    from autointerp.interp.explainers import lexical_explanation
    from autointerp.interp.simulation import simulate_lexical
    from autointerp.interp.splits import Split, split_records

    splits = split_records(top, rand)
    explanation = lexical_explanation(splits[Split.train].top)
    table["lexical"].append(
        _scores(splits, lambda tokens: simulate_lexical(explanation, [tokens]).values[0])
    )
    table["lookup table"].append(_scores(splits, _lookup_table(splits)))
    if llm is not None:
        table["local LLM"].append(asyncio.run(_llm_scores(llm, splits)))
    return explanation


def _mean(values: list[float | None]) -> str:
    defined = [v for v in values if v is not None]
    return f"{statistics.mean(defined):6.3f}" if defined else "   n/a"


def _report(title: str, table: dict[str, list[tuple[float | None, float | None]]]) -> None:
    print(title)
    for pair, rows in table.items():
        top_random = _mean([r[0] for r in rows])
        random_only = _mean([r[1] for r in rows])
        print(
            f"  {pair:14s} top-and-random {top_random}   random-only {random_only}"
            f"   ({len(rows)} neurons)"
        )


def _real_neurons(model, windows, count, seed):  # noqa: ANN001, ANN202
    import torch

    from autointerp.interp.records import ScanSettings
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import Scanner, batch_tensors

    neurons = MlpNeurons.of(model)
    rng = random.Random(seed)
    shape = neurons.shape
    chosen = sorted(
        {
            (rng.randrange(shape.layers), rng.randrange(shape.neurons_per_layer))
            for _ in range(count)
        }
    )
    layers = sorted({layer for layer, _ in chosen})
    # Every excerpt's activations for the chosen neurons (small), captured with the hooks.
    acts: dict[tuple[int, int], list[list[float]]] = {c: [] for c in chosen}
    for start in range(0, len(windows), 16):
        ids, mask = batch_tensors(windows[start : start + 16], 64, 0)
        captured: dict[int, torch.Tensor] = {}
        with torch.inference_mode(), neurons.recording(layers, captured.__setitem__):
            neurons.run(ids, mask.long())
        for layer, index in chosen:
            for row in range(ids.shape[0]):
                length = int(mask[row].sum())
                acts[(layer, index)].append(captured[layer][row, :length, index].tolist())
    del Scanner, ScanSettings  # the harness needs every excerpt; records are picked below
    return acts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--excerpts", type=int, default=600)
    parser.add_argument("--neurons", type=int, default=24)
    parser.add_argument("--llm", type=int, default=0, help="real neurons explained by the LLM")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.catalog import ModelCatalog, builtin_sources
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.loading import ModelLoader
    from autointerp.subjects.scan import pack_excerpts

    loader = ModelLoader(ModelCatalog(builtin_sources()), REPO / ".autointerp" / "models")
    model, tokenizer = loader.model("smollm2-135m"), loader.tokenizer("smollm2-135m")
    texts = Corpora(REPO / ".autointerp" / "corpora").texts(BuiltinCorpus())
    windows = list(pack_excerpts(texts, tokenizer, 64, 64 * args.excerpts))
    tokens = [[tokenizer.decode([t]) for t in w] for w in windows]
    rng = random.Random(args.seed)
    print(
        f"Brown corpus, {len(windows)} excerpts of 64 SmolLM2 tokens; valid split scores "
        "(mean Pearson correlation; undefined scores left out)"
    )

    synthetic: dict[str, list] = defaultdict(list)
    for name, acts in _synthetic(tokens).items():
        top, rand = _records(acts, tokens, rng)
        explanation = _evaluate(name, top, rand, None, synthetic)
        lexical = synthetic["lexical"][-1][0]
        table = synthetic["lookup table"][-1][0]
        print(
            f"  synthetic {name!r}: lexical {lexical:.3f}, lookup table {table:.3f}; "
            f"lexical explanation = {explanation[:60]}"
        )
    _report("Synthetic neurons:", synthetic)

    llm = None
    if args.llm:
        from autointerp.llm.transformers_backend import LocalCausalModel

        llm = LocalCausalModel(loader, "smollm2-135m")
    real: dict[str, list] = defaultdict(list)
    acts = _real_neurons(model, windows, args.neurons, args.seed)
    for number, neuron_acts in enumerate(acts.values()):
        top, rand = _records(neuron_acts, tokens, rng)
        _evaluate("real", top, rand, llm if number < args.llm else None, real)
    _report(f"Real SmolLM2-135M neurons (seed {args.seed}):", real)
    print(
        f"  for reference: the study's mean {STUDY_MEAN} (GPT-4 on GPT-2 XL); floors "
        + ", ".join(f"{k} ~{v}" for k, v in FLOORS.items())
    )


if __name__ == "__main__":
    main()
