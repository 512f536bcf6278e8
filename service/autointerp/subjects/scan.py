"""A corpus scan: one streaming pass that fills every selected neuron's record.

Texts are tokenized and packed into fixed-length excerpts (documents joined by the
tokenizer's separator, as the study cut 64-token windows from a token stream), batched, and
run through the transformer body with hooks on the selected layers only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from autointerp.subjects.accumulate import LayerAccumulator
from autointerp.subjects.neurons import MlpNeurons

# How often (in batches) excerpts no selection holds any more are forgotten.
_PRUNE_EVERY = 16


@dataclass(frozen=True)
class ScanSettings:
    """What a scan records and how much text it reads."""

    layers: list[int]
    excerpt_tokens: int = 64
    top_k: int = 20
    random_k: int = 15
    max_tokens: int = 200_000
    batch_size: int = 16
    seed: int = 0


@dataclass
class ScanOutput:
    """Everything a scan learned: per-layer accumulators and the tokens of held excerpts."""

    layers: dict[int, LayerAccumulator]
    excerpt_token_ids: dict[int, np.ndarray] = field(default_factory=dict)
    excerpts: int = 0
    tokens: int = 0


def pack_excerpts(
    texts: Iterable[str], tokenizer: PreTrainedTokenizerBase, length: int, max_tokens: int
) -> Iterator[list[int]]:
    """Token windows of `length` (the last may be shorter), at most `max_tokens` in all."""
    separator = tokenizer.eos_token_id
    if separator is None:
        separator = tokenizer.sep_token_id
    buffer: list[int] = []
    emitted = 0
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        buffer.extend(ids)
        if separator is not None:
            buffer.append(separator)
        while len(buffer) >= length:
            window, buffer = buffer[:length], buffer[length:]
            window = window[: max_tokens - emitted]
            emitted += len(window)
            yield window
            if emitted >= max_tokens:
                return
    if buffer:
        yield buffer[: max_tokens - emitted]


def _batches(windows: Iterator[list[int]], size: int) -> Iterator[list[list[int]]]:
    batch: list[list[int]] = []
    for window in windows:
        batch.append(window)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def scan_corpus(
    neurons: MlpNeurons,
    tokenizer: PreTrainedTokenizerBase,
    texts: Iterable[str],
    settings: ScanSettings,
    on_batch: Callable[[ScanOutput], None] = lambda _: None,
) -> ScanOutput:
    """Run the scan; `on_batch` sees progress after each batch and may raise to stop it."""
    generator = torch.Generator().manual_seed(settings.seed)
    width = neurons.shape.neurons_per_layer
    output = ScanOutput(
        layers={
            layer: LayerAccumulator(
                width, settings.excerpt_tokens, settings.top_k, settings.random_k, generator
            )
            for layer in settings.layers
        }
    )
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    windows = pack_excerpts(texts, tokenizer, settings.excerpt_tokens, settings.max_tokens)
    for number, batch in enumerate(_batches(windows, settings.batch_size)):
        input_ids = torch.full((len(batch), settings.excerpt_tokens), pad, dtype=torch.int64)
        mask = torch.zeros_like(input_ids, dtype=torch.bool)
        for row, window in enumerate(batch):
            input_ids[row, : len(window)] = torch.tensor(window)
            mask[row, : len(window)] = True
        excerpt_ids = torch.arange(output.excerpts, output.excerpts + len(batch))

        def sink(
            layer: int, activations: torch.Tensor, mask: torch.Tensor = mask,
            excerpt_ids: torch.Tensor = excerpt_ids,
        ) -> None:  # fmt: skip
            output.layers[layer].update(activations, mask, excerpt_ids)

        with torch.inference_mode(), neurons.recording(settings.layers, sink):
            neurons.run(input_ids, mask.long())
        for row, window in enumerate(batch):
            output.excerpt_token_ids[output.excerpts + row] = np.asarray(window, dtype=np.int32)
        output.excerpts += len(batch)
        output.tokens += int(mask.sum())
        if number % _PRUNE_EVERY == _PRUNE_EVERY - 1:
            _forget_unheld_excerpts(output)
        on_batch(output)
    _forget_unheld_excerpts(output)
    return output


def _forget_unheld_excerpts(output: ScanOutput) -> None:
    held = torch.cat([acc.referenced_excerpts() for acc in output.layers.values()]).unique()
    keep = set(held.tolist())
    for excerpt_id in [i for i in output.excerpt_token_ids if i not in keep]:
        del output.excerpt_token_ids[excerpt_id]
