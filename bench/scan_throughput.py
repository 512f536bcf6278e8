"""Scan throughput on SmolLM2-135M: recording every neuron of every layer (top-k, bottom-k
and random sampling included) against, on the same batches in the same run:
  (a) the model's plain full forward pass (with its LM head),
  (b) a forward pass of the transformer body alone,
  (c) TransformerLens 4.x: TransformerBridge over the same weights, run_with_cache filtered
      to the MLP hidden activations (hook_post),
and a scan that needs only the first 4 layers. (b2) runs (b) with the scan's threading (two
batches in flight, one thread each) to show what that alone gives. The same model in
bfloat16 runs the body forward and the scan again ((b-bf16), scan-bf16): on CPUs with AMX or
AVX-512 BF16 (printed first) that precision is several times faster. Each round is one pass of
every variant over the same batches, alternating every few batches, so that the machine's
slow spells fall on all of them alike; the figures are tokens over the time of all rounds.
Then peak memory of a scan over 4x more text.

    .venv/bin/python bench/scan_throughput.py [--rounds 3] [--batches 24] [--chunk 4]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

# glibc malloc settings that cut run-to-run noise (re-exec once with them set).
_MALLOC = {
    "MALLOC_TRIM_THRESHOLD_": "-1",
    "MALLOC_MMAP_THRESHOLD_": "1073741824",
    "MALLOC_TOP_PAD_": "268435456",
}
REPO = Path(__file__).resolve().parent.parent


def _load(data_dir: Path):  # noqa: ANN202
    from autointerp.subjects.catalog import ModelCatalog, builtin_sources
    from autointerp.subjects.loading import ModelLoader

    loader = ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models")
    return loader, loader.model("smollm2-135m"), loader.tokenizer("smollm2-135m")


def _batches(tokenizer, data_dir: Path, count: int, size: int = 16, length: int = 64):  # noqa: ANN001, ANN202
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.scan import batch_tensors, pack_excerpts

    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    windows = list(pack_excerpts(texts, tokenizer, length, count * size * length))
    return [batch_tensors(windows[i : i + size], length, 0) for i in range(0, len(windows), size)]


# A variant is started once per round, then fed the round's batches chunk by chunk, then
# ended: start() -> (step(chunk), end()). All three are timed. Stateful variants (a scan)
# keep their state across chunks, so each still does one whole pass over the batches.
Step = Callable[[list], None]
Variant = Callable[[], tuple[Step, Callable[[], None]]]


def cpu_description() -> str:
    """The CPU model and whether it has the bfloat16 instructions torch uses."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith("model name")), "unknown CPU")  # fmt: skip
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines()
                      if line.startswith("flags")), []))  # fmt: skip
    has = {name: name in flags for name in ("amx_bf16", "avx512_bf16", "avx512f", "avx2")}
    return f"{model}; " + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in has.items())


def _variants(model, tokenizer, loader) -> dict[str, Variant]:  # noqa: ANN001
    import copy

    import torch
    from transformer_lens.model_bridge import TransformerBridge

    from autointerp.subjects.neurons import MlpNeurons

    neurons = MlpNeurons.of(model)
    model_bf16 = copy.deepcopy(model).to(torch.bfloat16)
    neurons_bf16 = MlpNeurons.of(model_bf16)
    folder = str(loader._converted_path(loader.catalog.source("smollm2-135m")))
    bridge = TransformerBridge.boot_transformers(folder, hf_model=model, tokenizer=tokenizer)

    def full(ids, mask) -> None:  # noqa: ANN001
        model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    def body(ids, mask) -> None:  # noqa: ANN001
        model.model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    def body_bf16(ids, mask) -> None:  # noqa: ANN001
        model_bf16.model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    def transformer_lens(ids, _) -> None:  # noqa: ANN001
        bridge.run_with_cache(ids, names_filter=lambda name: name.endswith("mlp.hook_post"))

    return {
        "(a) full forward + LM head": _each_batch(full),
        "(b) body forward": _each_batch(body),
        "(b2) body forward, 2 batches at once": lambda: _body_two_at_once(model),
        "(c) TransformerLens run_with_cache": _each_batch(transformer_lens),
        "scan, all 30 layers": _scan(neurons, list(range(neurons.shape.layers))),
        "scan, first 4 layers": _scan(neurons, [0, 1, 2, 3]),
        "scan, all layers, quantile samples 5x5": _scan(
            neurons, list(range(neurons.shape.layers)), quantile_bins=5
        ),
        "(b-bf16) body forward, bfloat16": _each_batch(body_bf16),
        "scan-bf16, all 30 layers, bfloat16": _scan(
            neurons_bf16, list(range(neurons.shape.layers))
        ),
    }


def _each_batch(run: Callable[..., object]) -> Variant:
    def step(chunk: list) -> None:
        for ids, mask in chunk:
            run(ids, mask)

    return lambda: (step, lambda: None)


def _scan(neurons, layers: list[int], quantile_bins: int = 0) -> Variant:  # noqa: ANN001
    from autointerp.interp.records import ScanSettings
    from autointerp.subjects.scan import Scanner

    def start() -> tuple[Step, Callable[[], None]]:
        # Two batches in flight, fixed: the service's threading trial times contiguous
        # batches, and here other variants run between this scan's chunks.
        settings = ScanSettings(layers=layers, quantile_bins=quantile_bins)
        scanner = Scanner(neurons, settings, streams=2)

        def step(chunk: list) -> None:
            for ids, mask in chunk:
                scanner.add_batch(ids, mask)
            scanner.drain()

        return step, scanner.finish

    return start


def _body_two_at_once(model) -> tuple[Step, Callable[[], None]]:  # noqa: ANN001
    """The scan's threading without the recording: two batches in flight, one thread each
    with half the cores for torch. Not a goal; it shows what the threading alone gives."""
    import torch

    from autointerp.subjects.scan import stream_pool

    def body(batch: tuple[torch.Tensor, torch.Tensor]) -> None:
        ids, mask = batch
        with torch.inference_mode():  # thread-local, like the thread count
            model.model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    pool = stream_pool(2)
    return (lambda chunk: list(pool.map(body, chunk))), pool.shutdown


def _compile_scan_kernels(model, batch) -> None:  # noqa: ANN001
    """Scan one batch, so that a first compile of the numba kernels (a few seconds, once per
    source version: numba caches them on disk) is not timed."""
    from autointerp.interp.records import ScanSettings
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import Scanner

    Scanner(MlpNeurons.of(model), ScanSettings(layers=[0])).add_batch(*batch)


def _timed(seconds: list[float], call: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = call()
    seconds.append(time.perf_counter() - started)
    return result


def _round(variants: dict[str, Variant], chunks: list[list], shift: int) -> dict[str, float]:
    """One pass of every variant over the batches, chunk by chunk: within each chunk every
    variant runs on the same batches, in an order that rotates from chunk to chunk, so a
    slow spell of the machine (they last seconds to minutes here) falls on all of them."""
    names = list(variants)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    steps = {name: _timed(seconds[name], variants[name]) for name in names}
    for index, chunk in enumerate(chunks):
        turn = (index + shift) % len(names)
        for name in names[turn:] + names[:turn]:
            _timed(seconds[name], partial(steps[name][0], chunk))
    for name in names:
        _timed(seconds[name], steps[name][1])
    return {name: sum(values) for name, values in seconds.items()}


def _throughput(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(0)
    loader, model, tokenizer = _load(args.data_dir)
    batches = _batches(tokenizer, args.data_dir, args.batches)
    chunks = [batches[i : i + args.chunk] for i in range(0, len(batches), args.chunk)]
    tokens = sum(int(mask.sum()) for _, mask in batches)
    variants = _variants(model, tokenizer, loader)
    with torch.inference_mode():
        model.model(input_ids=batches[0][0], use_cache=False)  # warm-up
        _compile_scan_kernels(model, batches[0])
        rounds = [_round(variants, chunks, shift) for shift in range(args.rounds)]
    rate = {name: tokens * len(rounds) / sum(r[name] for r in rounds) for name in variants}
    print(cpu_description())
    print(
        f"SmolLM2-135M, {tokens} tokens per round ({len(batches)} batches of 16x64, variants "
        f"alternating every {args.chunk}), {args.rounds} rounds, tokens/s over all rounds; "
        f"torch threads={torch.get_num_threads()}"
    )
    for name in variants:
        print(f"  {name:38s} {rate[name]:8.1f} tok/s")

    def ratio(numerator: str, denominator: str) -> str:
        per_round = sorted(r[denominator] / r[numerator] for r in rounds)
        spread = f"  (rounds {per_round[0]:.2f}-{per_round[-1]:.2f})" if len(rounds) > 1 else ""
        return f"{rate[numerator] / rate[denominator]:5.2f}x{spread}"

    scan = "scan, all 30 layers"
    goals = [
        ("scan / (a) full forward", scan, "(a) full forward + LM head", 1.25),
        ("scan / (b) body forward", scan, "(b) body forward", 0.95),
        ("scan / (c) TransformerLens", scan, "(c) TransformerLens run_with_cache", 1.2),
        ("4-layer scan / (a)", "scan, first 4 layers", "(a) full forward + LM head", 8),
        ("scan-bf16 / (b-bf16)", "scan-bf16, all 30 layers, bfloat16",
         "(b-bf16) body forward, bfloat16", 0.95),
        ("scan-bf16 / (a) float32", "scan-bf16, all 30 layers, bfloat16",
         "(a) full forward + LM head", 2.0),
    ]  # fmt: skip
    for label, numerator, denominator, goal in goals:
        print(f"  {label:28s} = {ratio(numerator, denominator)}  goal >= {goal}")
    others = [
        ("(b2) / (b), threading alone", "(b2) body forward, 2 batches at once", "(b) body forward"),
        ("scan / (b2), recording's cost", scan, "(b2) body forward, 2 batches at once"),
        ("scan with quantile samples / scan", "scan, all layers, quantile samples 5x5", scan),
    ]
    for label, numerator, denominator in others:
        print(f"  {label:33s} = {ratio(numerator, denominator)}")


def _memory_child(args: argparse.Namespace) -> None:
    from autointerp.interp.records import ScanSettings
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import scan_corpus

    _, model, tokenizer = _load(args.data_dir)
    neurons = MlpNeurons.of(model)
    settings = ScanSettings(layers=list(range(neurons.shape.layers)), max_tokens=args.memory)
    texts = Corpora(args.data_dir / "corpora").texts(BuiltinCorpus())
    output = scan_corpus(neurons, tokenizer, texts, settings)
    print(f"{output.tokens} {_peak_rss_kib()}")


def _peak_rss_kib() -> int:
    """This process's own peak resident memory. Not getrusage's ru_maxrss: Linux carries the
    peak of the process that spawned this one across exec into it (here, the benchmark's
    parent, with every model and scan of the throughput part), hiding the scan's own."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def _memory(args: argparse.Namespace) -> None:
    peaks = {}
    for tokens in (args.memory_tokens, 4 * args.memory_tokens):
        command = [
            sys.executable,
            __file__,
            "--memory",
            str(tokens),
            "--data-dir",
            str(args.data_dir),
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        scanned, peak = (int(v) for v in out.split()[-2:])
        peaks[scanned] = peak
        print(f"  scan of {scanned:6d} tokens: peak RSS {peak / 1024:7.1f} MiB")
    small, large = sorted(peaks)
    print(f"  peak memory 4x text / 1x text = {peaks[large] / peaks[small]:4.2f}  (goal <= 1.10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=24)
    parser.add_argument("--chunk", type=int, default=4, help="batches between alternations")
    parser.add_argument("--memory-tokens", type=int, default=8192)
    parser.add_argument("--memory", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, default=REPO / ".autointerp")
    args = parser.parse_args()
    if any(os.environ.get(k) != v for k, v in _MALLOC.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **_MALLOC})
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.memory:
        _memory_child(args)
        return
    _throughput(args)
    _memory(args)


if __name__ == "__main__":
    main()
