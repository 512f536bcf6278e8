"""Scan throughput on SmolLM2-135M: recording every neuron of every layer (top-k, bottom-k
and random sampling included) against, on the same batches in the same run:
  (a) the model's plain full forward pass (with its LM head),
  (b) a forward pass of the transformer body alone,
  (c) TransformerLens 4.x: TransformerBridge over the same weights, run_with_cache filtered
      to the MLP hidden activations (hook_post),
and a scan that needs only the first 4 layers. (b2) runs (b) with the scan's threading (two
batches in flight, one thread each) to show what that alone gives. Variants alternate within
each round; the figures are medians over rounds. Then peak memory of a scan over 4x more text.

    .venv/bin/python bench/scan_throughput.py [--rounds 5] [--batches 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# glibc malloc settings that cut run-to-run noise (re-exec once with them set).
_MALLOC = {
    "MALLOC_TRIM_THRESHOLD_": "-1",
    "MALLOC_MMAP_THRESHOLD_": "1073741824",
    "MALLOC_TOP_PAD_": "268435456",
}
REPO = Path(__file__).resolve().parent.parent


def _load(data_dir: Path):  # noqa: ANN202
    from autointerp.subjects.catalog import builtin_sources
    from autointerp.subjects.loading import ModelLoader

    loader = ModelLoader(builtin_sources(), data_dir / "models")
    return loader, loader.model("smollm2-135m"), loader.tokenizer("smollm2-135m")


def _batches(tokenizer, data_dir: Path, count: int, size: int = 16, length: int = 64):  # noqa: ANN001, ANN202
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.scan import batch_tensors, pack_excerpts

    texts = Corpora(data_dir / "corpora").texts(BuiltinCorpus())
    windows = list(pack_excerpts(texts, tokenizer, length, count * size * length))
    return [batch_tensors(windows[i : i + size], length, 0) for i in range(0, len(windows), size)]


def _variants(model, tokenizer, loader, batches) -> dict[str, Callable[[], None]]:  # noqa: ANN001
    from transformer_lens.model_bridge import TransformerBridge

    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import Scanner, ScanSettings

    neurons = MlpNeurons.of(model)
    folder = str(loader._converted_path(loader.source("smollm2-135m")))
    bridge = TransformerBridge.boot_transformers(folder, hf_model=model, tokenizer=tokenizer)

    def full() -> None:
        for ids, mask in batches:
            model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    def body() -> None:
        for ids, mask in batches:
            model.model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    def transformer_lens() -> None:
        for ids, _ in batches:
            bridge.run_with_cache(ids, names_filter=lambda name: name.endswith("mlp.hook_post"))

    def scan(layers: list[int], quantile_bins: int = 0) -> Callable[[], None]:
        def run() -> None:
            scanner = Scanner(neurons, ScanSettings(layers=layers, quantile_bins=quantile_bins))
            for ids, mask in batches:
                scanner.add_batch(ids, mask)
            scanner.finish()

        return run

    return {
        "(a) full forward + LM head": full,
        "(b) body forward": body,
        "(b2) body forward, 2 batches at once": lambda: _body_two_at_once(model, batches),
        "(c) TransformerLens run_with_cache": transformer_lens,
        "scan, all 30 layers": scan(list(range(neurons.shape.layers))),
        "scan, first 4 layers": scan([0, 1, 2, 3]),
        "scan, all layers, quantile samples 5x5": scan(list(range(neurons.shape.layers)), 5),
    }


def _body_two_at_once(model, batches) -> None:  # noqa: ANN001
    """The scan's threading without the recording: two batches in flight, one thread each
    with half the cores for torch. Not a goal; it shows what the threading alone gives."""
    import torch

    from autointerp.subjects.scan import stream_pool

    def body(ids: torch.Tensor, mask: torch.Tensor) -> None:
        with torch.inference_mode():  # thread-local, like the thread count
            model.model(input_ids=ids, attention_mask=mask.long(), use_cache=False)

    with stream_pool(2) as pool:
        list(pool.map(lambda batch: body(*batch), batches))


def _compile_scan_kernels(model, batch) -> None:  # noqa: ANN001
    """Scan one batch, so that a first compile of the numba kernels (a few seconds, once per
    source version: numba caches them on disk) is not timed."""
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import Scanner, ScanSettings

    Scanner(MlpNeurons.of(model), ScanSettings(layers=[0])).add_batch(*batch)


def _throughput(args: argparse.Namespace) -> None:
    import torch

    torch.manual_seed(0)
    loader, model, tokenizer = _load(args.data_dir)
    batches = _batches(tokenizer, args.data_dir, args.batches)
    tokens = sum(int(mask.sum()) for _, mask in batches)
    variants = _variants(model, tokenizer, loader, batches)
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    with torch.inference_mode():
        variants["(b) body forward"]()  # warm-up
        _compile_scan_kernels(model, batches[0])
        for round_number in range(args.rounds):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:  # alternate the order every round
                started = time.perf_counter()
                variants[name]()
                seconds[name].append(time.perf_counter() - started)
    rate = {name: tokens / statistics.median(values) for name, values in seconds.items()}
    print(
        f"SmolLM2-135M, {tokens} tokens per round ({len(batches)} batches of 16x64), "
        f"{args.rounds} rounds, median tokens/s; torch threads={torch.get_num_threads()}"
    )
    for name in names:
        print(f"  {name:38s} {rate[name]:8.1f} tok/s")
    scan_rate = rate["scan, all 30 layers"]
    goals = [
        ("(a) full forward", "(a) full forward + LM head", 1.25),
        ("(b) body forward", "(b) body forward", 0.95),
        ("(c) TransformerLens", "(c) TransformerLens run_with_cache", 1.2),
    ]
    for label, name, goal in goals:
        print(f"  scan / {label:20s} = {scan_rate / rate[name]:5.2f}x  (goal >= {goal})")
    threading = rate["(b2) body forward, 2 batches at once"] / rate["(b) body forward"]
    recording = scan_rate / rate["(b2) body forward, 2 batches at once"]
    print(f"  (b2) / (b), threading alone = {threading:5.2f}x;  scan / (b2) = {recording:5.2f}x")
    four = rate["scan, first 4 layers"] / rate["(a) full forward + LM head"]
    print(f"  4-layer scan / (a) full forward = {four:5.2f}x  (goal >= 8)")
    quantiles = rate["scan, all layers, quantile samples 5x5"] / scan_rate
    print(f"  scan with quantile samples / scan = {quantiles:5.2f}x  (their cost; optional)")


def _memory_child(args: argparse.Namespace) -> None:
    from autointerp.schemas.activations import BuiltinCorpus
    from autointerp.subjects.corpora import Corpora
    from autointerp.subjects.neurons import MlpNeurons
    from autointerp.subjects.scan import ScanSettings, scan_corpus

    _, model, tokenizer = _load(args.data_dir)
    neurons = MlpNeurons.of(model)
    settings = ScanSettings(layers=list(range(neurons.shape.layers)), max_tokens=args.memory)
    texts = Corpora(args.data_dir / "corpora").texts(BuiltinCorpus())
    output = scan_corpus(neurons, tokenizer, texts, settings)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{output.tokens} {peak_kib}")


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
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=4)
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
