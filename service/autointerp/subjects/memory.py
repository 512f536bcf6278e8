"""What a corpus scan holds in memory at its peak, predicted before it runs.

A scan's peak above its worker at rest (model loaded, weights paged in) is the sum of:
- the selections: per neuron and held excerpt, float16 activations, a float32 key and an
  int64 id (they stay until the records are written);
- the token ids of the excerpts some selection holds (at most one per excerpt read);
- per batch in flight, its random keys (selections x batch x neurons, float32);
- one batch's forward pass, and, with two batches in flight, the other's activations held in
  a recording hook while it waits for its turn at the accumulators;
- the records of NEURONS_PER_WRITE neurons being encoded for Redis;
- a fixed cost of the threads and their allocator arenas.

The forward pass's share is not the tensors alive at one moment: the allocator keeps freed
blocks, and more of them the more layers the pass goes through. Its coefficients were fitted
to the peak resident memory measured on 15 scans (two models, 1-10 layers, 16-256 excerpts of
64-512 tokens, one and two batches in flight): 12 predictions were within 17% of the measured
peak, the worst -36% and +34% (docs/scan-memory.md has the table; tests/integration/
test_scan_memory.py measures three again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autointerp.interp.records import ScanSettings
from autointerp.subjects.architectures import ModelShape

MB = 2**20
HALF_DTYPES = ("bfloat16", "float16")
"""Model precisions whose forward pass takes two bytes a value."""
NEURONS_PER_WRITE = 128
"""Neurons whose records are encoded and written at once: a layer's records in one piece
would be as large again as its selections (and one Redis command of up to a GB)."""

STREAM_CHOICES = (1, 2)
"""Batches in flight a scan chooses between: one batch with every core, or two, each in its
own thread with half the cores for torch. Which is faster depends on the CPU and the model:
(b2) / (b) of bench/scan_throughput.py measured 1.10x on AMD Zen 3 and between 0.95x and 1.09x
on Intel Xeons with AMX, so a scan times both on its first batches (ThreadingTrial) unless
AUTOINTERP_SCAN_STREAMS fixes the number."""

_RUNTIME_BYTES = 80 * MB  # the batch threads, their arenas and the tokenizer's buffers
_TOKEN_ID_OVERHEAD = 100  # a numpy array and its dict entry, per held excerpt
_STATS_BYTES = 7 * 8  # a stored record's moments


@dataclass(frozen=True)
class ScanMemory:
    """A scan's predicted memory, in bytes, by part."""

    selections: int
    excerpt_tokens: int
    batch_keys: int
    forward: int
    write: int
    runtime: int
    stored: int
    """What the records take in Redis once written (not in the worker's memory)."""

    @property
    def peak(self) -> int:
        """The worker's predicted peak above its memory at rest."""
        return (
            self.selections
            + self.excerpt_tokens
            + self.batch_keys
            + self.forward
            + self.write
            + self.runtime
        )


def scan_memory(
    shape: ModelShape, settings: ScanSettings, streams: int, element_bytes: int = 4
) -> ScanMemory:
    """Predict a scan of `settings.layers` on a model of `shape` run with `streams` batches in
    flight, its forward pass in `element_bytes` per value (4: float32, 2: bfloat16)."""
    layers, neurons, tokens = len(settings.layers), shape.neurons_per_layer, settings.excerpt_tokens
    slots = settings.slots
    selections = layers * neurons * slots * (2 * tokens + 4 + 8)
    excerpts_read = math.ceil(settings.max_tokens / tokens)
    held_excerpts = min(excerpts_read, layers * neurons * slots)
    excerpt_tokens = held_excerpts * (4 * tokens + _TOKEN_ID_OVERHEAD)
    batch = settings.batch_size
    batch_keys = (streams + 1) * layers * 4 * batch * neurons * 4
    batch_tokens = batch * tokens
    # A gated MLP holds its gate, its up projection and their product.
    mlp = neurons * (3 if shape.gated else 1)
    hidden = shape.hidden or neurons // 4
    one_pass = batch_tokens * element_bytes * (2 * mlp + 8 * hidden)
    # The batch waiting in a hook has been through more layers, whose freed blocks its
    # thread's allocator keeps.
    depth = max(settings.layers) + 1
    waiting = batch_tokens * element_bytes * (1.5 * mlp + 4 * hidden) * (1 + 0.3 * math.log(depth))
    if element_bytes != 4:  # the accumulators take each layer's activations in float32
        waiting += batch_tokens * 4 * neurons
    forward = int(one_pass + (streams - 1) * waiting)
    write = 2 * min(NEURONS_PER_WRITE, neurons) * slots * (2 * tokens + 4)
    record_bytes = slots * (4 + 2 * tokens) + _STATS_BYTES
    stored = layers * neurons * record_bytes + held_excerpts * 4 * tokens
    return ScanMemory(
        selections=selections,
        excerpt_tokens=excerpt_tokens,
        batch_keys=batch_keys,
        forward=forward,
        write=write,
        runtime=_RUNTIME_BYTES,
        stored=stored,
    )
