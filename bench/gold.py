"""Gold checks of a simulator on real text: the table bench/README.md records.

    .venv/bin/python -m bench.gold --simulator binary --model qwen2.5-coder-0.5b
    .venv/bin/python -m bench.gold --simulator lexical

Builds the gold test's excerpts (Brown text cut by minilm-l6's tokenizer, 32 tokens each),
runs every gold neuron (or those named by --neuron) through `interp.gold.check_neuron`, and
prints per neuron the gold explanation's score, the wrong ones', their agreement and the
seconds it took; then the means the issue's thresholds are about. Identical model calls are
answered from memory (check_neuron simulates each explanation twice). `--set mixed=1` (or
shots, calibrated, context) switches a design flag of `interp.binary_simulation`, and
`--set firing_odds=-2` sets a number;
`--top-k 12 --random-k 9` is the small case tests/integration/test_gold.py runs.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from statistics import mean

from autointerp.interp import binary_simulation
from autointerp.interp.gold import GOLD_NEURONS, TOKEN_SET, GoldResult, check_neuron, windows
from autointerp.interp.simulation import SimulatorKind
from autointerp.llm.memo import MemoizedModel
from autointerp.llm.transformers_backend import LocalCausalModel
from autointerp.schemas.activations import BuiltinCorpus
from autointerp.subjects.catalog import ModelCatalog, ModelSource, builtin_sources
from autointerp.subjects.corpora import Corpora
from autointerp.subjects.loading import ModelLoader
from autointerp.subjects.tokens import tokenize


def gold_excerpts(data_dir: Path, count: int = 600) -> list[list[str]]:
    """The gold test's excerpts: Brown text as minilm-l6 splits it, 32 tokens each."""
    loader = ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models")
    tokenizer = loader.tokenizer("minilm-l6")
    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    tokenized = (tokenize(tokenizer, text).tokens for text in islice(texts, 3000))
    return windows(list(tokenized), 32)[:count]


def summary(results: Sequence[GoldResult]) -> dict[str, float]:
    """The figures the thresholds are about."""
    token_sets = [r for r in results if r.neuron.family == TOKEN_SET]
    others = [r for r in results if r.neuron.family != TOKEN_SET]
    return {
        "token_set_gold": mean(r.gold for r in token_sets) if token_sets else float("nan"),
        "other_gold": mean(r.gold for r in others) if others else float("nan"),
        "min_gap": min(r.gold - max(r.wrong) for r in results),
        "mean_gap": mean(r.gold - mean(r.wrong) for r in results),
        "agreement": mean(r.agreement for r in results),
    }


async def run(
    simulator: SimulatorKind,
    model_name: str | None,
    data_dir: Path,
    names: list[str],
    gguf: Path | None = None,
    settings: Sequence[str] = (),
    top_k: int = 20,
    random_k: int = 15,
) -> None:
    model = None
    if model_name is not None:
        sources = builtin_sources()
        if gguf is not None:  # a model not (yet) built in, by its GGUF file
            sources[model_name] = ModelSource(model_name, "gguf", str(gguf), gguf.name)
        loader = ModelLoader(ModelCatalog(sources), data_dir / "models")
        model = MemoizedModel(LocalCausalModel(loader, model_name))
    for setting in settings:  # NAME=0|1 (a switch) or NAME=NUMBER, of interp.binary_simulation
        name, value = setting.split("=")
        switch = isinstance(getattr(binary_simulation, name.upper()), bool)
        if switch and value not in ("0", "1"):
            raise SystemExit(f"--set {setting}: {name} is a switch, 0 or 1")
        setattr(binary_simulation, name.upper(), value == "1" if switch else float(value))
    excerpts = gold_excerpts(data_dir)
    neurons = [n for n in GOLD_NEURONS if not names or n.name in names]
    results = []
    print(f"{'neuron':18s} {'family':11s} {'gold':>6s} {'wrong':>20s} {'agree':>6s} {'s':>5s}")
    for neuron in neurons:
        start = time.perf_counter()
        result = await check_neuron(neuron, simulator, model, excerpts, top_k, random_k)
        seconds = time.perf_counter() - start
        wrong = " ".join(f"{w:5.2f}" for w in result.wrong)
        print(
            f"{neuron.name:18s} {neuron.family:11s} {result.gold:6.3f} {wrong:>20s} "
            f"{result.agreement:6.3f} {seconds:5.0f}",
            flush=True,
        )
        results.append(result)
    print(" ".join(f"{k} {v:.3f}" for k, v in summary(results).items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--simulator", type=SimulatorKind, default=SimulatorKind.binary)
    parser.add_argument("--model", default=None, help="a built-in causal model (none: lexical)")
    parser.add_argument("--data-dir", type=Path, default=Path(".autointerp"))
    parser.add_argument("--neuron", action="append", default=[], help="only these gold neurons")
    parser.add_argument("--gguf", type=Path, default=None, help="--model's GGUF, if not built in")
    parser.add_argument("--set", action="append", default=[], help="e.g. mixed=1, firing_odds=-2")
    parser.add_argument("--top-k", type=int, default=20, help="top excerpts (a quarter tested)")
    parser.add_argument("--random-k", type=int, default=15, help="random ones (a third tested)")
    args = parser.parse_args()
    asyncio.run(
        run(
            args.simulator,
            args.model,
            args.data_dir,
            args.neuron,
            args.gguf,
            args.set,
            args.top_k,
            args.random_k,
        )
    )


if __name__ == "__main__":
    main()
