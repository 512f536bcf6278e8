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

from autointerp.interp.records import excerpts_per_record
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
    quantile_bins: int = 0
    quantile_k: int = 5
    max_tokens: int = 200_000
    batch_size: int = 16
    seed: int = 0

    @property
    def slots(self) -> int:
        """Excerpts held per neuron: top, bottom, random and the quantile sample."""
        return excerpts_per_record(self.top_k, self.random_k, self.quantile_bins, self.quantile_k)

    def held_bytes(self, neurons_per_layer: int) -> int:
        """Memory of the selections over every recorded neuron: per held excerpt its float16
        activations, a float32 key and an int64 id."""
        per_slot = 2 * self.excerpt_tokens + 4 + 8
        return len(self.layers) * neurons_per_layer * self.slots * per_slot


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


class Scanner:
    """Feeds batches of excerpts through the model into every layer's accumulator."""

    def __init__(self, neurons: MlpNeurons, settings: ScanSettings) -> None:
        self.neurons = neurons
        self.settings = settings
        generator = torch.Generator().manual_seed(settings.seed)
        width = neurons.shape.neurons_per_layer
        self.output = ScanOutput(
            layers={
                layer: LayerAccumulator(
                    width,
                    settings.excerpt_tokens,
                    settings.top_k,
                    settings.random_k,
                    generator,
                    quantile_sample=settings.quantile_bins * settings.quantile_k,
                )
                for layer in settings.layers
            }
        )
        self._batches = 0

    def add_batch(self, input_ids: torch.Tensor, mask: torch.Tensor) -> None:
        """Record one batch: input_ids (batch, excerpt_tokens), mask of real tokens."""
        output = self.output
        excerpt_ids = torch.arange(output.excerpts, output.excerpts + input_ids.shape[0])
        lengths = mask.sum(dim=1)

        def sink(layer: int, activations: torch.Tensor) -> None:
            output.layers[layer].update(activations, lengths, excerpt_ids)

        with torch.inference_mode(), self.neurons.recording(self.settings.layers, sink):
            self.neurons.run(input_ids, mask.long())
        for row in range(input_ids.shape[0]):
            length = int(mask[row].sum())
            ids = input_ids[row, :length].numpy().astype(np.int32)
            output.excerpt_token_ids[output.excerpts + row] = ids
        output.excerpts += input_ids.shape[0]
        output.tokens += int(mask.sum())
        self._batches += 1
        if self._batches % _PRUNE_EVERY == 0:
            _forget_unheld_excerpts(output)

    def finish(self) -> ScanOutput:
        """The scan's output, holding only excerpts some selection still refers to."""
        _forget_unheld_excerpts(self.output)
        return self.output


def batch_tensors(
    batch: list[list[int]], length: int, pad: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded input ids and the mask of real tokens."""
    input_ids = torch.full((len(batch), length), pad, dtype=torch.int64)
    mask = torch.zeros_like(input_ids, dtype=torch.bool)
    for row, window in enumerate(batch):
        input_ids[row, : len(window)] = torch.tensor(window)
        mask[row, : len(window)] = True
    return input_ids, mask


def scan_corpus(
    neurons: MlpNeurons,
    tokenizer: PreTrainedTokenizerBase,
    texts: Iterable[str],
    settings: ScanSettings,
    on_batch: Callable[[ScanOutput], None] = lambda _: None,
) -> ScanOutput:
    """Run the scan; `on_batch` sees progress after each batch and may raise to stop it."""
    scanner = Scanner(neurons, settings)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    windows = pack_excerpts(texts, tokenizer, settings.excerpt_tokens, settings.max_tokens)
    for batch in _batches(windows, settings.batch_size):
        scanner.add_batch(*batch_tensors(batch, settings.excerpt_tokens, pad))
        on_batch(scanner.output)
    return scanner.finish()


def _forget_unheld_excerpts(output: ScanOutput) -> None:
    held = torch.cat([acc.referenced_excerpts() for acc in output.layers.values()]).unique()
    keep = set(held.tolist())
    for excerpt_id in [i for i in output.excerpt_token_ids if i not in keep]:
        del output.excerpt_token_ids[excerpt_id]
