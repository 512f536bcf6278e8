"""Quality benchmark on real neuron records: SmolLM2-135M's MLP neurons, recorded by the
service's own scan (subjects.scan.scan_corpus, the records encoded and decoded as the record
store does) over the built-in Brown corpus, scored with the service's own pure functions
(interp.protocols.prepare, interp.explainers.explain, interp.evaluation.score_explanation).

Neurons: a fixed, seeded sample of --neurons per layer band, --bands bands (one layer at the
middle of each band); only those layers are scanned. The scan's records are cached under
.autointerp/bench-cache/, keyed by the model revision and the scan settings, and reused.

Rows, each under both protocols (`autointerp`, `study`) and both polarities (gated models):
  lookup table   floor: no explanation; each token's mean activation over the train and
                 calibration excerpts, simulated on test
  lexical        floor: the lexical explainer (top-10 tokens, quoted) with the lexical simulator
  E / S @P       explainer E (token_activation_pair, token_list, lexical) with simulator S
                 (every SimulatorKind the profile P can run), best-of-k for each --ks: k = 1
                 is one greedy explanation scored on test; k > 1 draws k candidates at
                 temperature 1, scores each on valid and the best on test (tasks/explanations)
Each row: mean top-and-random and random-only correlation on test over its neurons, the mean
difference from the lexical floor on the same neurons, LLM prompt + completion tokens and
seconds per neuron (what that row alone would cost: shared explanations counted in each row).
LLM rows run on the first --llm-neurons neurons of the sample (bands taken in turn).

    .venv/bin/python bench/quality.py [--tokens 200000] [--neurons 5] [--llm-neurons 2]
        [--profile NAME=BASE_URL[,model=M][,prompt_logprobs=true][,api_key_env=VAR]] ...
        [--profiles-json JSON|@FILE]   (the AUTOINTERP_LLM_PROFILES format: name -> profile)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import json
import os
import pickle
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MODEL = "smollm2-135m"
CACHE = REPO / ".autointerp" / "bench-cache"
CACHE_VERSION = 1


# --- the scan, cached ---------------------------------------------------------------------


def _cache_path(revision: str, settings: Any) -> Path:
    key = json.dumps(
        {
            "v": CACHE_VERSION,
            "model": MODEL,
            "revision": revision,
            "corpus": "builtin brown",
            "settings": dataclasses.asdict(settings),
        },
        sort_keys=True,
    )
    return CACHE / f"quality-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pkl"


def _scan(loader, layers: list[int], tokens: int, seed: int) -> dict[str, Any]:  # noqa: ANN001
    """Every neuron's stored blob of the given layers, the held excerpts' tokens and the
    vocabulary: from the cache, or from a scan written the way tasks/scans.py writes it."""
    from autointerp.interp.records import ScanSettings
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import scan_corpus
    from autointerp.tasks.scans import _neuron_blobs, _vocabulary

    settings = ScanSettings(layers=layers, max_tokens=tokens, seed=seed)
    path = _cache_path(loader.catalog.revision(MODEL), settings)
    if path.exists():
        with path.open("rb") as file:
            cached = pickle.load(file)
        print(
            f"scan: reused {path.relative_to(REPO)} ({cached['tokens']} tokens, layers "
            f"{layers}; the scan took {cached['seconds']:.0f} s when it ran)"
        )
        return cached
    model, tokenizer = loader.model(MODEL), loader.tokenizer(MODEL)
    neurons = MlpNeurons.of(model)
    texts = Corpora(REPO / ".autointerp" / "corpora").texts(BuiltinCorpus())
    started = time.perf_counter()
    output = scan_corpus(neurons, tokenizer, texts, settings)
    seconds = time.perf_counter() - started
    blobs = {}
    for layer, acc in output.layers.items():
        selections = acc.selections()
        width = selections[0].keys.shape[1]
        blobs[layer] = _neuron_blobs(acc, selections, range(width))
    scan = {
        "settings": settings,
        "tokens": output.tokens,
        "excerpts": output.excerpts,
        "seconds": seconds,
        "neurons_per_layer": neurons.shape.neurons_per_layer,
        "gated": _gated(model),
        "blobs": blobs,
        "excerpt_tokens": dict(output.excerpt_token_ids),
        "vocabulary": _vocabulary(output, tokenizer),
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        pickle.dump(scan, file, protocol=pickle.HIGHEST_PROTOCOL)
    print(
        f"scan: {output.tokens} tokens ({output.excerpts} excerpts), layers {layers}, in "
        f"{seconds:.0f} s ({output.tokens / seconds:.0f} tok/s); cached as "
        f"{path.relative_to(REPO)}"
    )
    return scan


def _gated(model) -> bool:  # noqa: ANN001
    from autointerp.subjects.architectures import LAYOUTS

    layout = LAYOUTS.get(model.config.model_type)
    return bool(layout and layout.gated)


def _record(scan: dict[str, Any], layer: int, index: int):  # noqa: ANN202
    """One neuron's record, decoded as RecordStore.neuron_record decodes it."""
    from autointerp.interp.records import ActivationRecord, NeuronRecord, ScanMeta
    from autointerp.store.records import decode_neuron

    settings = scan["settings"]
    meta = ScanMeta("bench", MODEL, "", settings, scan["neurons_per_layer"], 0, 0)
    stored = decode_neuron(scan["blobs"][layer][index], meta)
    tokens, texts = scan["excerpt_tokens"], scan["vocabulary"]

    def excerpts(start: int, count: int) -> list[ActivationRecord]:
        chosen = []
        for slot in range(start, start + count):
            excerpt_id = int(stored.excerpt_ids[slot])
            if excerpt_id not in tokens:
                continue
            token_ids = tokens[excerpt_id]
            chosen.append(
                ActivationRecord(
                    tokens=[texts[int(t)] for t in token_ids],
                    activations=stored.activations[slot, : len(token_ids)].astype(float).tolist(),
                    excerpt_id=excerpt_id,
                )
            )
        return chosen

    k, random_k = settings.top_k, settings.random_k
    return NeuronRecord(
        top=excerpts(0, k),
        bottom=excerpts(k, k),
        random=excerpts(2 * k, random_k),
        quantile_sample=[],
        quantile_bins=0,
        stats=stored.stats,
    )


def _band_layers(layers: int, bands: int) -> list[int]:
    return [int((band + 0.5) * layers / bands) for band in range(bands)]


def _sample(layers: list[int], per_layer: int, width: int, seed: int) -> list[tuple[int, int]]:
    """`per_layer` neurons of each layer, seeded; bands taken in turn (so the first few
    neurons, the LLM rows', spread over the bands)."""
    rng = random.Random(seed)
    chosen = {layer: rng.sample(range(width), per_layer) for layer in layers}
    return [(layer, chosen[layer][i]) for i in range(per_layer) for layer in layers]


# --- scoring ------------------------------------------------------------------------------


@dataclass
class Row:
    """One table row's per-neuron results."""

    top_and_random: list[float | None] = field(default_factory=list)
    random_only: list[float | None] = field(default_factory=list)
    floor: list[float | None] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Why a neuron got no score (an explainer or simulator that failed on it)."""


@dataclass
class Cost:
    tokens: int = 0
    seconds: float = 0.0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.tokens + other.tokens, self.seconds + other.seconds)


async def _timed(call: Awaitable[Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = await call
    return result, time.perf_counter() - started


def _tokens(usage) -> int:  # noqa: ANN001
    return usage.prompt_tokens + usage.completion_tokens


def _lookup_table(prepared) -> tuple[tuple[float | None, float | None], float]:  # noqa: ANN001
    from autointerp.interp.scoring import correlation, pool
    from autointerp.interp.splits import Split

    started = time.perf_counter()

    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    splits = prepared.splits
    for split in (Split.train, Split.calibration):
        for record in splits[split].top + splits[split].random:
            for token, value in zip(record.tokens, record.activations, strict=True):
                sums[token] += value
                counts[token] += 1
    test = splits[Split.test]
    records = test.top + test.random
    simulated = [[sums[t] / counts[t] if counts[t] else 0.0 for t in r.tokens] for r in records]
    real = [r.activations for r in records]
    n_top = len(test.top)
    scores = (
        correlation(pool(real), pool(simulated)),
        correlation(pool(real[n_top:]), pool(simulated[n_top:])),
    )
    return scores, time.perf_counter() - started


@dataclass
class Profile:
    name: str
    model: Any  # a LanguageModel
    simulators: list[Any]  # the SimulatorKinds it can run


class Neuron:
    """One neuron under one protocol and polarity: explanations and scores, memoized."""

    def __init__(self, prepared, rules, seed: int) -> None:  # noqa: ANN001
        self.prepared, self.rules, self.seed = prepared, rules, seed
        self._explained: dict[tuple, tuple[list[str], Cost]] = {}
        self._scored: dict[tuple, tuple[Any, Cost]] = {}

    async def explain(self, kind, profile: Profile | None, samples: int):  # noqa: ANN001, ANN201
        from autointerp.interp.explainers import default_temperature, explain

        key = (kind, profile.name if profile else None, samples)
        if key not in self._explained:
            written, seconds = await _timed(
                explain(
                    kind,
                    profile.model if profile else None,
                    self.prepared.train,
                    samples,
                    default_temperature(samples),
                    study_listing=self.rules.study_listing,
                    seed=self.seed,
                )
            )
            self._explained[key] = (written.texts, Cost(_tokens(written.usage), seconds))
        return self._explained[key]

    async def score(self, simulator, profile: Profile | None, text: str, split):  # noqa: ANN001, ANN201
        from autointerp.interp.evaluation import score_explanation

        key = (simulator, profile.name if profile else None, text, split)
        if key not in self._scored:
            result, seconds = await _timed(
                score_explanation(
                    simulator,
                    profile.model if profile else None,
                    text,
                    self.prepared.splits,
                    split,
                    rules=self.rules,
                )
            )
            self._scored[key] = (result, Cost(_tokens(result.usage), seconds))
        return self._scored[key]

    async def best_of(self, explainer, simulator, profile, k: int):  # noqa: ANN001, ANN201
        """The test score of the best of k candidates (chosen on valid) and what it cost."""
        from autointerp.interp.evaluation import best
        from autointerp.interp.splits import Split

        texts, cost = await self.explain(explainer, profile, k)
        if len(texts) > 1:
            candidates = []
            for text in texts:
                result, scored = await self.score(simulator, profile, text, Split.valid)
                candidates.append(result)
                cost += scored
            chosen = best(candidates).explanation
        else:
            chosen = texts[0]
        result, scored = await self.score(simulator, profile, chosen, Split.test)
        return result, cost + scored


def _add(row: Row, result, floor, cost: Cost) -> None:  # noqa: ANN001
    row.top_and_random.append(result.top_and_random.correlation)
    row.random_only.append(result.random_only.correlation)
    row.floor.append(floor)
    row.tokens.append(cost.tokens)
    row.seconds.append(cost.seconds)


async def _neuron(
    table: dict[tuple, Row],
    record,  # noqa: ANN001
    polarity,  # noqa: ANN001
    protocol,  # noqa: ANN001
    seed: int,
    profiles: Sequence[Profile],
    explainers: Sequence[Any],
    ks: Sequence[int],
    say: Callable[[str], None],
) -> None:
    from autointerp.interp.activations import Polarity
    from autointerp.interp.errors import InvalidRequest, OperationFailed
    from autointerp.interp.explainers import ExplainerKind
    from autointerp.interp.protocols import RULES, prepare
    from autointerp.interp.simulation import SimulatorKind

    rules = RULES[protocol]
    top = record.top if polarity is Polarity.positive else record.bottom
    prepared = prepare(top, record.random, polarity, rules)
    neuron = Neuron(prepared, rules, seed)
    floor, cost = await neuron.best_of(ExplainerKind.lexical, SimulatorKind.lexical, None, 1)
    lexical = floor.top_and_random.correlation
    lookup, seconds = _lookup_table(prepared)
    row = table[("lookup table", protocol, polarity, 1)]
    row.top_and_random.append(lookup[0])
    row.random_only.append(lookup[1])
    row.floor.append(lexical)
    row.tokens.append(0)
    row.seconds.append(seconds)
    _add(table[("lexical", protocol, polarity, 1)], floor, None, cost)
    for profile in profiles:
        for explainer in explainers:
            for simulator in profile.simulators:
                if explainer is ExplainerKind.lexical and simulator is SimulatorKind.lexical:
                    continue  # the floor
                for k in ks if explainer is not ExplainerKind.lexical else [1]:
                    name = f"{explainer.value} / {simulator.value} @{profile.name}"
                    row = table[(name, protocol, polarity, k)]
                    began = time.perf_counter()
                    try:
                        result, cost = await neuron.best_of(explainer, simulator, profile, k)
                    except (OperationFailed, InvalidRequest) as error:
                        row.failed.append(str(error)[:100])
                        say(f"    {name} {protocol.value} {polarity.value} k={k}: failed, {error}")
                        row.seconds.append(time.perf_counter() - began)
                        continue
                    _add(row, result, lexical, cost)
                    say(
                        f"    {name} {protocol.value} {polarity.value} k={k}: "
                        f"{_fmt(result.top_and_random.correlation)} ({cost.seconds:.0f} s, "
                        f"{cost.tokens} tokens)"
                    )


# --- profiles -----------------------------------------------------------------------------


def _parse_profile(text: str) -> tuple[str, dict[str, Any]]:
    """NAME=BASE_URL[,model=M][,prompt_logprobs=true][,api_key_env=VAR][,key=value...]"""
    name, _, rest = text.partition("=")
    base_url, *options = rest.split(",")
    fields: dict[str, Any] = {"backend": "openai", "base_url": base_url}
    for option in options:
        key, _, value = option.partition("=")
        if key == "api_key_env":
            fields["api_key"] = os.environ[value]
        else:
            fields[key] = value
    if not name or not base_url:
        raise SystemExit(f"--profile {text!r}: expected NAME=BASE_URL[,model=...]")
    return name, fields


def _profiles(args: argparse.Namespace, loader) -> list[Profile]:  # noqa: ANN001
    """The local profile (unless --no-local) and every added OpenAI-compatible one, each
    built as llm.backends.LanguageModels builds it (without the Redis cache)."""
    from autointerp.config import LLMProfile
    from autointerp.interp.simulation import SimulatorKind, check_simulator
    from autointerp.llm.openai_backend import OpenAICompatibleModel
    from autointerp.llm.profiles import LLMProfiles
    from autointerp.llm.transformers_backend import LocalCausalModel

    configured: dict[str, LLMProfile] = {}
    if not args.no_local:
        configured["local"] = LLMProfile(backend="transformers", model=MODEL)
    if args.profiles_json:
        raw = args.profiles_json
        raw = Path(raw[1:]).read_text() if raw.startswith("@") else raw
        for name, fields in json.loads(raw).items():
            configured[name] = LLMProfile(**fields)
    for text in args.profile:
        name, fields = _parse_profile(text)
        configured[name] = LLMProfile(**fields)
    lookup = LLMProfiles(configured, loader.catalog)
    profiles = []
    for name, profile in configured.items():
        if profile.backend == "lexical":
            continue
        model = (
            LocalCausalModel(loader, profile.model)
            if profile.backend == "transformers"
            else OpenAICompatibleModel(profile)
        )
        can = lookup.capabilities(name)
        runnable = []
        for kind in SimulatorKind:
            if args.simulators and kind.value not in args.simulators:
                continue
            try:
                check_simulator(kind, can.has_model, can.prompt_logprobs, can.answer_logprobs)
            except Exception as error:  # noqa: BLE001 (the service's refusal, reported)
                print(f"profile {name}: simulator {kind.value} left out ({error})")
                continue
            runnable.append(kind)
        profiles.append(Profile(name, model, runnable))
        print(f"profile {name}: {lookup.identity(name)}; simulators {[s.value for s in runnable]}")
    return profiles


# --- report -------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _mean(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return statistics.mean(defined) if defined else None


def _report(table: dict[tuple, Row]) -> None:
    print(
        "\n| pair | protocol | polarity | k | neurons | top-and-random | random-only "
        "| - lexical floor | LLM tokens / neuron | s / neuron |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (name, protocol, polarity, k), row in table.items():
        deltas = [
            a - b for a, b in zip(row.top_and_random, row.floor, strict=True) if None not in (a, b)
        ]
        delta = f"{statistics.mean(deltas):+.3f} ({len(deltas)})" if deltas else ""
        undefined = sum(v is None for v in row.top_and_random)
        notes = [f"{undefined} undefined"] * bool(undefined)
        notes += [f"{len(row.failed)} failed"] * bool(row.failed)
        tokens = statistics.mean(row.tokens) if row.tokens else 0
        print(
            f"| {name} | {protocol.value} | {polarity.value} | {k} | {len(row.top_and_random)}"
            + (f" ({', '.join(notes)})" if notes else "")
            + f" | {_fmt(_mean(row.top_and_random))} | {_fmt(_mean(row.random_only))} "
            f"| {delta} | {tokens:.0f} | {statistics.mean(row.seconds):.1f} |"
        )


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    from autointerp.interp.activations import Polarity
    from autointerp.interp.explainers import ExplainerKind
    from autointerp.interp.protocols import MethodProtocol

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=200_000, help="Brown tokens scanned")
    parser.add_argument("--bands", type=int, default=5, help="layer bands (one layer each)")
    parser.add_argument("--neurons", type=int, default=5, help="neurons per band")
    parser.add_argument("--llm-neurons", type=int, default=2, help="neurons the LLM rows get")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ks", type=int, nargs="+", default=[1, 3, 5], help="best-of-k")
    parser.add_argument("--protocols", nargs="+", default=[p.value for p in MethodProtocol])
    parser.add_argument("--polarities", nargs="+", default=None, help="default: both if gated")
    parser.add_argument("--explainers", nargs="+", default=[e.value for e in ExplainerKind])
    parser.add_argument("--simulators", nargs="+", default=None, help="default: all runnable")
    parser.add_argument("--profile", action="append", default=[], help="NAME=BASE_URL[,k=v]")
    parser.add_argument("--profiles-json", default=None, help="JSON or @file: name -> profile")
    parser.add_argument("--no-local", action="store_true", help="leave out the local profile")
    args = parser.parse_args()

    from autointerp.subjects.catalog import ModelCatalog, builtin_sources
    from autointerp.subjects.loading import ModelLoader

    started = time.perf_counter()
    loader = ModelLoader(ModelCatalog(builtin_sources()), REPO / ".autointerp" / "models")
    config = loader.model(MODEL).config
    layers = _band_layers(config.num_hidden_layers, args.bands)
    scan = _scan(loader, layers, args.tokens, args.seed)
    sample = _sample(layers, args.neurons, scan["neurons_per_layer"], args.seed)
    polarities = [Polarity(p) for p in args.polarities] if args.polarities else (
        [Polarity.positive, Polarity.negative] if scan["gated"] else [Polarity.positive]
    )  # fmt: skip
    protocols = [MethodProtocol(p) for p in args.protocols]
    explainers = [ExplainerKind(e) for e in args.explainers]
    profiles = _profiles(args, loader) if args.llm_neurons else []
    print(
        f"{MODEL}, Brown corpus {scan['tokens']} tokens in {scan['excerpts']} excerpts of 64; "
        f"layers {layers}, {args.neurons} neurons each (seed {args.seed}), LLM rows on the "
        f"first {min(args.llm_neurons, len(sample))}: {sample[: args.llm_neurons]}; "
        f"polarities {[p.value for p in polarities]}, protocols {[p.value for p in protocols]}, "
        f"k {args.ks}; scores on the test split"
    )
    table: dict[tuple, Row] = defaultdict(Row)
    try:
        for number, (layer, index) in enumerate(sample):
            record = _record(scan, layer, index)
            llm = profiles if number < args.llm_neurons else []
            began = time.perf_counter()
            for protocol in protocols:
                for polarity in polarities:
                    asyncio.run(
                        _neuron(
                            table,
                            record,
                            polarity,
                            protocol,
                            args.seed,
                            llm,
                            explainers,
                            args.ks,
                            print,
                        )
                    )
            if llm:
                print(f"  neuron L{layer}/{index}: {time.perf_counter() - began:.0f} s")
    except KeyboardInterrupt:  # report what there is (rows may then differ in neurons)
        print("\ninterrupted: the table holds the neurons done so far")
    order = {name: i for i, (name, *_) in reversed(list(enumerate(table)))}
    protocol_order = {p: i for i, p in enumerate(protocols)}
    polarity_order = {p: i for i, p in enumerate(polarities)}
    _report(
        {
            key: table[key]
            for key in sorted(
                table,
                key=lambda key: (
                    order[key[0]],
                    protocol_order[key[1]],
                    polarity_order[key[2]],
                    key[3],
                ),
            )
        }
    )
    print(f"\n(all in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
