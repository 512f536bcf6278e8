"""A corpus scan: one streaming pass that fills every selected neuron's record.

Texts are tokenized and packed into fixed-length excerpts (documents joined by the
tokenizer's separator, as the study cut 64-token windows from a token stream), batched, and
run through the transformer body with hooks on the selected layers only.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from autointerp.interp.records import ScanSettings
from autointerp.subjects.accumulate import LayerAccumulator
from autointerp.subjects.accumulate_torch import TorchLayerAccumulator
from autointerp.subjects.memory import STREAM_CHOICES
from autointerp.subjects.neurons import MlpNeurons

log = logging.getLogger(__name__)

# How often (in batches) excerpts no selection holds any more are forgotten.
_PRUNE_EVERY = 16


Accumulation = Literal["auto", "compiled", "torch"]
"""Where a scan accumulates: `compiled` (numba, on the host), `torch` (on the model's
device), or `auto`: compiled for a model on the CPU, torch for one on an accelerator."""


def make_accumulator(
    width: int,
    settings: ScanSettings,
    generator: torch.Generator,
    device: torch.device,
    accumulation: Accumulation = "auto",
) -> LayerAccumulator:
    """One layer's accumulator, on the host or on the model's device."""
    on_device = accumulation == "torch" or (accumulation == "auto" and device.type != "cpu")
    kind = TorchLayerAccumulator if on_device else LayerAccumulator
    return kind(
        width,
        settings.excerpt_tokens,
        settings.top_k,
        settings.random_k,
        generator,
        quantile_sample=settings.quantile_sample,
        device=device if on_device else "cpu",
    )


@dataclass
class ScanOutput:
    """Everything a scan learned: per-layer accumulators and the tokens of held excerpts."""

    layers: dict[int, LayerAccumulator]
    excerpt_token_ids: dict[int, np.ndarray] = field(default_factory=dict)
    excerpts: int = 0
    tokens: int = 0
    streams: int | None = None
    """Batches the scan kept in flight: as configured, or as its threading trial chose
    (None if the scan ended before the trial did)."""


def _starts_with_bos(tokenizer: PreTrainedTokenizerBase) -> bool:
    """Whether the tokenizer itself opens every sequence with its BOS token (Llama, Gemma)."""
    bos = tokenizer.bos_token_id
    if bos is None:
        return False
    ids = tokenizer("x")["input_ids"]
    return bool(ids) and ids[0] == bos


def document_separator(tokenizer: PreTrainedTokenizerBase) -> list[int]:
    """The token(s) a scan puts at each document boundary, as the model's tokenizer defines
    them: its BOS before each document where it opens sequences with one, else its EOS (or
    BERT's SEP) after each document, else nothing."""
    if _starts_with_bos(tokenizer):
        return [tokenizer.bos_token_id]
    for separator in (tokenizer.eos_token_id, tokenizer.sep_token_id):
        if separator is not None:
            return [separator]
    return []


def pack_excerpts(
    texts: Iterable[str], tokenizer: PreTrainedTokenizerBase, length: int, max_tokens: int
) -> Iterator[list[int]]:
    """Token windows of `length` (the last may be shorter), at most `max_tokens` in all, cut
    from the texts (documents) joined by the model's document separator."""
    separator = document_separator(tokenizer)
    opens = bool(separator) and _starts_with_bos(tokenizer)
    buffer: list[int] = []
    emitted = 0
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        buffer.extend([*separator, *ids] if opens else [*ids, *separator])
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


class ScanAborted(Exception):
    """Raised in a batch still in flight when an earlier one failed or the scan was closed."""


def stream_pool(streams: int) -> ThreadPoolExecutor:
    """Threads that each run whole batches, with the cores shared out among them for torch
    (its thread count is per thread)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return ThreadPoolExecutor(
        streams,
        thread_name_prefix="autointerp-scan",
        initializer=torch.set_num_threads,
        initargs=(max(1, (cores or 1) // streams),),
    )


def layer_generator(seed: int, layer: int) -> torch.Generator:
    """The random source of one layer's samples: it depends on the scan's seed and the layer
    alone, so a scan of some layers keeps the records an all-layer scan keeps for them (what
    lets a scan be split into layer groups on several workers)."""
    return torch.Generator().manual_seed(seed * 65_536 + layer)


@dataclass
class ThreadingTrial:
    """Times each candidate number of batches in flight on a scan's first batches, in
    phases of `phase_batches` ordered A B B A (so that a steady drift of the machine's speed
    falls on both alike) after `warmup` batches, then keeps the one with more tokens per
    second for the rest of the scan. The records do not depend on the choice."""

    candidates: tuple[int, int] = STREAM_CHOICES
    phase_batches: int = 3
    warmup: int = 1
    seconds: dict[int, float] = field(default_factory=dict)
    tokens: dict[int, int] = field(default_factory=dict)

    def _order(self) -> tuple[int, ...]:
        first, second = self.candidates
        return (first, second, second, first)

    def streams_for(self, batch: int) -> int | None:
        """Batches in flight for the `batch`-th batch, or None once the trial is over."""
        trial_batch = batch - self.warmup
        if trial_batch < 0:
            return self.candidates[-1]
        phase = trial_batch // self.phase_batches
        order = self._order()
        return order[phase] if phase < len(order) else None

    def phase_starts(self, batch: int) -> bool:
        """Whether the `batch`-th batch begins a timed phase (or ends the trial)."""
        trial_batch = batch - self.warmup
        return trial_batch >= 0 and trial_batch % self.phase_batches == 0

    def record(self, streams: int, tokens: int, seconds: float) -> None:
        self.seconds[streams] = self.seconds.get(streams, 0.0) + seconds
        self.tokens[streams] = self.tokens.get(streams, 0) + tokens

    def rates(self) -> dict[int, float]:
        """Tokens per second of each candidate timed so far."""
        return {n: self.tokens[n] / s for n, s in self.seconds.items() if s > 0}

    def choice(self) -> int:
        """The faster candidate; the larger one while nothing is timed."""
        rates = self.rates()
        if len(rates) < len(self.candidates):
            return self.candidates[-1]
        return max(self.candidates, key=lambda n: rates[n])


class Scanner:
    """Feeds batches of excerpts through the model into every layer's accumulator.

    With two batches in flight, each in its own thread with half the cores for torch, one
    thread's single-threaded compiled accumulation overlaps the other's forward pass, where
    with one batch at a time the second core would wait; whether that is faster is timed on
    the first batches (ThreadingTrial) unless `streams` fixes it.
    Each layer still takes the batches in order, and each layer's random keys are drawn in
    batch order, so a scan's result does not depend on thread timing.
    """

    def __init__(
        self,
        neurons: MlpNeurons,
        settings: ScanSettings,
        streams: int | None = None,
        accumulation: Accumulation = "auto",
    ) -> None:
        self.neurons = neurons
        self.settings = settings
        self._trial = None if streams else ThreadingTrial()
        # The trial's phase being timed: (streams, start time, tokens counted at its start).
        self._phase: tuple[int, float, int] | None = None
        width = neurons.shape.neurons_per_layer
        self.output = ScanOutput(
            layers={
                layer: make_accumulator(
                    width,
                    settings,
                    layer_generator(settings.seed, layer),
                    neurons.device,
                    accumulation,
                )
                for layer in sorted(settings.layers)
            }
        )
        self._streams = streams or STREAM_CHOICES[-1]
        self.output.streams = streams
        self._pools: dict[int, ThreadPoolExecutor] = {}
        # Batches submitted and not yet counted: (future, excerpts, tokens), oldest first.
        self._in_flight: deque[tuple[Future[None], int, int]] = deque()
        self._submitted = 0
        self._excerpts_submitted = 0
        # Per layer, the index of the batch whose update is due; guarded by _turn.
        self._due = dict.fromkeys(self.output.layers, 0)
        self._turn = threading.Condition()
        self._aborted = False
        self._cause: BaseException | None = None  # the first batch failure, guarded by _turn

    def add_batch(self, input_ids: torch.Tensor, mask: torch.Tensor) -> None:
        """Queue one batch: input_ids (batch, excerpt_tokens), mask of real tokens. Returns
        once few enough batches are in flight; `output` counts those completed."""
        if self._trial is not None:
            self._follow_trial()
        output, rows = self.output, input_ids.shape[0]
        first = self._excerpts_submitted
        excerpt_ids = torch.arange(first, first + rows)
        keys = {layer: acc.draw_keys(rows) for layer, acc in output.layers.items()}
        lengths = mask.sum(dim=1)
        for row in range(rows):
            ids = input_ids[row, : int(lengths[row])].numpy().astype(np.int32)
            output.excerpt_token_ids[first + row] = ids
        if self._streams not in self._pools:  # a pool per number the scan has kept in flight
            self._pools[self._streams] = stream_pool(self._streams)
        future = self._pools[self._streams].submit(
            self._run_batch, self._submitted, input_ids, mask, lengths, excerpt_ids, keys
        )
        self._in_flight.append((future, rows, int(lengths.sum())))
        self._submitted += 1
        self._excerpts_submitted += rows
        # One more than the threads, so that a thread finishing a batch finds the next.
        while len(self._in_flight) > self._streams:
            self._complete_oldest()

    def _follow_trial(self) -> None:
        """At a phase boundary of the threading trial: end the phase timed (its batches all
        done), then time the next candidate, or keep the faster one once all are timed."""
        trial, batch = self._trial, self._submitted
        assert trial is not None
        if not trial.phase_starts(batch):
            return
        self.drain()
        if self._phase is not None:
            timed, start, tokens = self._phase
            trial.record(timed, self.output.tokens - tokens, time.perf_counter() - start)
        streams = trial.streams_for(batch)
        if streams is None:
            self._streams = self.output.streams = trial.choice()
            self._trial, self._phase = None, None
            rates = {f"{n} in flight": round(rate) for n, rate in trial.rates().items()}
            log.info(
                "scan threading chosen",
                extra={"batches_in_flight": self._streams, "tokens_per_s": rates},
            )
            return
        self._streams = streams
        self._phase = (streams, time.perf_counter(), self.output.tokens)

    def _run_batch(
        self,
        index: int,
        input_ids: torch.Tensor,
        mask: torch.Tensor,
        lengths: torch.Tensor,
        excerpt_ids: torch.Tensor,
        keys: dict[int, torch.Tensor],
    ) -> None:
        def sink(layer: int, activations: torch.Tensor) -> None:
            with self._turn:
                self._turn.wait_for(lambda: self._aborted or self._due[layer] == index)
                if self._aborted:
                    raise ScanAborted
            self.output.layers[layer].update(activations, lengths, excerpt_ids, keys[layer])
            with self._turn:
                self._due[layer] += 1
                self._turn.notify_all()

        try:
            with torch.inference_mode(), self.neurons.recording(self.settings.layers, sink):
                self.neurons.run(input_ids, mask.long())
        except ScanAborted:
            raise
        except BaseException as error:
            self._abort(error)  # other batches would wait for this one's turns forever
            raise

    def _abort(self, cause: BaseException | None = None) -> None:
        with self._turn:
            self._aborted = True
            if self._cause is None:
                self._cause = cause
            self._turn.notify_all()

    def _complete_oldest(self) -> None:
        future, excerpts, tokens = self._in_flight.popleft()
        try:
            future.result()
        except ScanAborted:
            # An older batch waiting for its turn is aborted by a younger one's failure:
            # report that failure, not the abort it caused.
            with self._turn:
                cause = self._cause
            if cause is not None:
                raise cause from None
            raise
        self.output.excerpts += excerpts
        self.output.tokens += tokens
        if (self._submitted - len(self._in_flight)) % _PRUNE_EVERY == 0:
            _forget_unheld_excerpts(self.output)

    def drain(self) -> None:
        """Wait for the batches in flight; `output` then counts every batch added."""
        while self._in_flight:
            self._complete_oldest()

    def finish(self) -> ScanOutput:
        """Wait for the batches in flight; the scan's output, holding only excerpts some
        selection still refers to."""
        self.drain()
        self.close()
        _forget_unheld_excerpts(self.output)
        return self.output

    def close(self) -> None:
        """Stop: batches in flight end at their next layer; waits for their threads."""
        if self._in_flight:
            self._abort()
        for pool in self._pools.values():
            pool.shutdown(wait=True)
        self._in_flight.clear()


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
    streams: int | None = None,
) -> ScanOutput:
    """Run the scan; `on_batch` sees progress after each batch and may raise to stop it."""
    scanner = Scanner(neurons, settings, streams)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    windows = pack_excerpts(texts, tokenizer, settings.excerpt_tokens, settings.max_tokens)
    try:
        for batch in _batches(windows, settings.batch_size):
            scanner.add_batch(*batch_tensors(batch, settings.excerpt_tokens, pad))
            on_batch(scanner.output)
        return scanner.finish()
    finally:
        scanner.close()


def _forget_unheld_excerpts(output: ScanOutput) -> None:
    """Drop the tokens of completed excerpts that no selection holds. Batches still in flight
    only add their own excerpts to selections, so completed ones seen unheld stay unheld."""
    held = torch.cat([acc.referenced_excerpts() for acc in output.layers.values()]).unique()
    keep = set(held.tolist())
    unheld = [i for i in output.excerpt_token_ids if i < output.excerpts and i not in keep]
    for excerpt_id in unheld:
        del output.excerpt_token_ids[excerpt_id]
