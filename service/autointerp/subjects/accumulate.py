"""Running per-neuron selections over a stream of excerpt batches, in constant memory.

For every neuron of a layer we keep the k excerpts with the highest maximum activation (top),
the k with the lowest minimum (bottom, for signed gated units), a uniform random sample drawn
independently per neuron, optionally a second, larger uniform sample that is split into
quantile bins when the pass ends, and power sums for the moments. Nothing grows with the
corpus: each batch is merged into fixed-size arrays and then dropped.

The per-batch work is compiled (numba), not torch operations: one pass over the batch's
activations computes every statistic at once; one merge per layer updates every selection of
every neuron; then the winners' activations are copied as float16, ordered by row and neuron
so that neighbouring winners reuse the cache lines they read, eight tokens per conversion and
store (LLVM vector operations that numba does not offer, written as intrinsics). As torch
operations the same work took a pass over all activations per statistic and a dozen small
operations per selection and layer, about a fifth of a SmolLM2 forward pass
(bench/scan_throughput.py has today's figure).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
import torch

from autointerp.subjects.intrinsics import (
    column_half8,
    half_bits,
    max32,
    min32,
    prefetch_for_write,
    store_half8,
)

Tensor = torch.Tensor


@numba.njit(cache=True, nogil=True)
def _batch_statistics(
    acts: np.ndarray,
    lengths: np.ndarray,
    batch_keys: np.ndarray,
    power_sums: np.ndarray,
    maximum: np.ndarray,
    minimum: np.ndarray,
) -> None:
    """One pass over acts (batch, tokens, neurons) float32 with `lengths` real tokens per row
    (right padding): writes each excerpt's max and negated min per neuron into batch_keys[0]
    and batch_keys[1] (batch, neurons), adds a, a^2, a^3, a^4 into power_sums (4, neurons)
    float64, and the extremes into maximum and minimum (neurons,)."""
    # A batch's sums in float32 (twice the vector width; exact enough over one batch), the
    # running totals in float64. Fresh local arrays: LLVM vectorizes the inner loop only when
    # it can see they do not overlap the activations.
    width = acts.shape[2]
    sums = np.zeros((4, width), dtype=np.float32)
    s1, s2, s3, s4 = sums[0], sums[1], sums[2], sums[3]
    row_max = np.empty(width, dtype=np.float32)
    row_min = np.empty(width, dtype=np.float32)
    for b in range(acts.shape[0]):
        row_max[:] = -np.inf
        row_min[:] = np.inf
        for t in range(lengths[b]):
            values = acts[b, t]
            for i in range(width):  # contiguous, so the loop vectorizes
                a = values[i]
                row_max[i] = max32(row_max[i], a)
                row_min[i] = min32(row_min[i], a)
                square = a * a
                s1[i] += a
                s2[i] += square
                s3[i] += square * a
                s4[i] += square * square
        for i in range(width):
            batch_keys[0, b, i] = row_max[i]
            batch_keys[1, b, i] = -row_min[i]
            maximum[i] = max32(maximum[i], row_max[i])
            minimum[i] = min32(minimum[i], row_min[i])
    power_sums += sums


@numba.njit(cache=True, nogil=True)
def _neurons_with_winners(
    batch_keys: np.ndarray, bounds: np.ndarray, held_keys: np.ndarray
) -> np.ndarray:
    """Per selection and neuron (selections, neurons): does some batch key beat the weakest
    held one? A cheap pass over contiguous rows: after the first batches most neurons have
    no winner."""
    selections, neurons = bounds.shape[0] - 1, held_keys.shape[1]
    better = np.zeros((selections, neurons), dtype=np.bool_)
    weakest = np.empty(neurons, dtype=np.float32)
    for s in range(selections):
        if bounds[s + 1] == bounds[s]:
            continue
        weakest[:] = held_keys[bounds[s]]
        for slot in range(bounds[s] + 1, bounds[s + 1]):
            for n in range(neurons):
                weakest[n] = min32(weakest[n], held_keys[slot, n])
        for b in range(batch_keys.shape[1]):
            for n in range(neurons):
                better[s, n] |= batch_keys[s, b, n] > weakest[n]
    return better


@numba.njit(cache=True, nogil=True, inline="always", fastmath={"nnan", "nsz", "reassoc"})
def _argmin(values: np.ndarray, length: int) -> int:
    # A vectorized min, then its first position: a compare-and-branch loop mispredicts on
    # keys that just changed (with it, and a search after every entry, the merge took 1.6x
    # as long).
    smallest = values[0]
    for i in range(1, length):
        smallest = min(smallest, values[i])
    for i in range(length):
        if values[i] == smallest:
            return i
    return 0


@numba.njit(cache=True, nogil=True, inline="always")
def _merge_neuron(
    batch_keys: np.ndarray,
    s: int,
    n: int,
    start: int,
    stop: int,
    excerpt_ids: np.ndarray,
    held_keys: np.ndarray,
    held_ids: np.ndarray,
    winners: np.ndarray,
    count: int,
    held: np.ndarray,
    entered: np.ndarray,
    rows: np.ndarray,
) -> int:
    """Merge neuron n's batch keys batch_keys[s, :, n] into its held slots start:stop: an
    entry that beats the weakest held one takes its slot. Appends each surviving winner as
    (slot, neuron, batch row) to winners from index `count`; returns the new count. `held`,
    `entered` and `rows` are scratch space; plain indexing throughout, since every array view
    numba makes costs a reference count in this innermost loop."""
    size = stop - start
    for i in range(size):
        held[i] = held_keys[start + i, n]
        entered[i] = -1
    weakest = _argmin(held, size)
    candidates = 0  # rows that beat the weakest held key as it stands now
    for b in range(batch_keys.shape[1]):
        if batch_keys[s, b, n] > held[weakest]:
            rows[candidates] = b
            candidates += 1
    for c in range(candidates):
        b = rows[c]
        if batch_keys[s, b, n] > held[weakest]:
            held[weakest] = batch_keys[s, b, n]
            entered[weakest] = b  # a row evicted again by a later row is no winner
            if c + 1 < candidates:  # the last one needs no new weakest
                weakest = _argmin(held, size)
    for i in range(size):
        b = entered[i]
        if b >= 0:
            held_keys[start + i, n] = held[i]
            held_ids[start + i, n] = excerpt_ids[b]
            winners[count, 0], winners[count, 1], winners[count, 2] = start + i, n, b
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def _merge_batch_keys(
    batch_keys: np.ndarray,
    bounds: np.ndarray,
    excerpt_ids: np.ndarray,
    held_keys: np.ndarray,
    held_ids: np.ndarray,
) -> np.ndarray:
    """Merge a batch's keys into every selection of a layer: selection s holds slots
    bounds[s]:bounds[s+1] of held_keys and held_ids (slots, neurons) and ranks by
    batch_keys[s] (batch, neurons). Returns the winners as rows (slot, neuron, batch row),
    ordered by batch row, then neuron."""
    better = _neurons_with_winners(batch_keys, bounds, held_keys)
    slots, neurons = held_keys.shape
    winners = np.empty((slots * neurons, 3), dtype=np.int64)
    held = np.empty(slots, dtype=np.float32)
    entered = np.empty(slots, dtype=np.int64)
    rows = np.empty(batch_keys.shape[1], dtype=np.int64)
    count = 0
    for n in range(neurons):
        for s in range(bounds.shape[0] - 1):
            if better[s, n]:
                count = _merge_neuron(
                    batch_keys, s, n, bounds[s], bounds[s + 1], excerpt_ids, held_keys,
                    held_ids, winners, count, held, entered, rows,
                )  # fmt: skip
    # Stable counting sort by batch row: rows stay in neuron order.
    starts = np.zeros(batch_keys.shape[1] + 1, dtype=np.int64)
    for i in range(count):
        starts[winners[i, 2] + 1] += 1
    starts = np.cumsum(starts)
    ordered = np.empty((count, 3), dtype=np.int64)
    for i in range(count):
        b = winners[i, 2]
        ordered[starts[b]] = winners[i]
        starts[b] += 1
    return ordered


# Winners whose destination is requested from memory ahead of their copy: a winner's slots
# are scattered over the layer's held activations, which are out of cache by the next batch.
_PREFETCH_AHEAD = 8


@numba.njit(cache=True, nogil=True)
def _copy_winners(winners: np.ndarray, acts: np.ndarray, held_acts: np.ndarray) -> None:
    """Copy the winners' (slot, neuron, batch row) activations, acts (batch, tokens, neurons)
    float32, into held_acts (slots, neurons, tokens) as float16 bits. Winners come ordered
    by row, then neuron, so the cache lines of a row's columns, read for one winner, are
    still at hand for the next winners of neighbouring neurons; an excerpt that wins several
    selections of a neuron (every one, early in a scan) is consecutive, converted once and
    stored to each of its slots."""
    tokens, count = acts.shape[1], winners.shape[0]
    whole = tokens - tokens % 8
    first = 0
    while first < count:
        n, b = winners[first, 1], winners[first, 2]
        end = first + 1
        while end < count and winners[end, 1] == n and winners[end, 2] == b:
            end += 1
        for ahead in range(first + _PREFETCH_AHEAD, min(end + _PREFETCH_AHEAD, count)):
            prefetch_for_write(held_acts, winners[ahead, 0], winners[ahead, 1])
        for t in range(0, whole, 8):
            low, high = column_half8(acts, b, t, n)
            for w in range(first, end):
                store_half8(held_acts, winners[w, 0], n, t, low, high)
        for t in range(whole, tokens):
            bits = half_bits(acts[b, t, n])
            for w in range(first, end):
                held_acts[winners[w, 0], n, t] = bits
        first = end


@numba.njit(cache=True, nogil=True)
def _accumulate(
    acts: np.ndarray,
    lengths: np.ndarray,
    excerpt_ids: np.ndarray,
    batch_keys: np.ndarray,
    bounds: np.ndarray,
    held_keys: np.ndarray,
    held_ids: np.ndarray,
    held_acts: np.ndarray,
    power_sums: np.ndarray,
    maximum: np.ndarray,
    minimum: np.ndarray,
) -> None:
    """Add a batch to a layer: statistics, then every selection's merge. batch_keys
    (selections, batch, neurons) arrives with the random keys filled in; the first two rows
    (max, negated min) are written here."""
    _batch_statistics(acts, lengths, batch_keys, power_sums, maximum, minimum)
    winners = _merge_batch_keys(batch_keys, bounds, excerpt_ids, held_keys, held_ids)
    _copy_winners(winners, acts, held_acts)


class Selection(NamedTuple):
    """The k best excerpts per neuron by some key (higher is better), in no particular slot
    order: a batch's winners overwrite only the slots of the entries they evict."""

    keys: Tensor  # (k, neurons) float32, -inf where empty
    excerpt_ids: Tensor  # (k, neurons) int64, -1 where empty
    activations: Tensor  # (k, neurons, tokens) float16: each held excerpt's activations

    def ranked(self) -> Selection:
        """The same selection with slots sorted best first (empty slots last)."""
        order = self.keys.argsort(dim=0, descending=True, stable=True)
        tokens = self.activations.shape[-1]
        return Selection(
            keys=self.keys.gather(0, order),
            excerpt_ids=self.excerpt_ids.gather(0, order),
            activations=self.activations.gather(
                0, order.unsqueeze(-1).expand(*order.shape, tokens)
            ),
        )


class LayerAccumulator:
    """All selections and moments of one layer's neurons. The selections are consecutive
    slots of one set of arrays, in the order a stored record lays them out: top, bottom,
    random, quantile sample."""

    def __init__(
        self,
        neurons: int,
        tokens: int,
        top_k: int,
        random_k: int,
        generator: torch.Generator,
        quantile_sample: int = 0,
        device: torch.device | str = "cpu",
    ) -> None:
        # Binned by quantile only at the end: the corpus's quantiles are unknown until then,
        # and a uniform sample's own quantiles estimate them.
        sizes = (top_k, top_k, random_k, quantile_sample)
        self.bounds = np.cumsum((0, *sizes))
        slots = int(self.bounds[-1])
        on = self.device = torch.device(device)  # the compiled `update` needs the CPU
        self.keys = torch.full((slots, neurons), -torch.inf, device=on)
        self.excerpt_ids = torch.full((slots, neurons), -1, dtype=torch.int64, device=on)
        self.activations = torch.zeros((slots, neurons, tokens), dtype=torch.float16, device=on)
        self.power_sums = torch.zeros((4, neurons), dtype=torch.float64, device=on)
        self.count = 0
        self.maximum = torch.full((neurons,), -torch.inf, device=on)
        self.minimum = torch.full((neurons,), torch.inf, device=on)
        self.generator = generator  # on the host, wherever the arrays are

    def _selection(self, index: int) -> Selection:
        part = slice(int(self.bounds[index]), int(self.bounds[index + 1]))
        return Selection(self.keys[part], self.excerpt_ids[part], self.activations[part])

    @property
    def top(self) -> Selection:
        """The k excerpts with the highest max activation."""
        return self._selection(0)

    @property
    def bottom(self) -> Selection:
        """The k excerpts with the lowest min activation (keyed by the negated min)."""
        return self._selection(1)

    @property
    def random(self) -> Selection:
        """A uniform random sample, drawn independently per neuron."""
        return self._selection(2)

    @property
    def quantile_sample(self) -> Selection:
        """A second uniform sample, binned by quantile when the record is read."""
        return self._selection(3)

    def selections(self) -> tuple[Selection, ...]:
        """Every selection, in the order a stored record lays them out."""
        return tuple(self._selection(i) for i in range(len(self.bounds) - 1))

    def draw_keys(self, batch: int) -> Tensor:
        """The keys (selections, batch, neurons) that a batch of `batch` excerpts is ranked by,
        with the random ones drawn; `update` fills in the rest. Drawing is separate so that a
        scan can draw in batch order while batches run out of order."""
        keys = torch.empty((4, batch, self.keys.shape[1]))
        # Independent uniform sampling per neuron: keep the k excerpts with the largest
        # random keys (a reservoir sample without replacement, for every neuron at once).
        for sample in (2, 3) if self.bounds[4] > self.bounds[3] else (2,):
            torch.rand(keys.shape[1:], generator=self.generator, out=keys[sample])
        return keys

    def update(
        self, activations: Tensor, lengths: Tensor, excerpt_ids: Tensor, keys: Tensor | None = None
    ) -> None:
        """Add a batch: activations (batch, tokens, neurons), lengths (batch,) of real tokens
        (padding is on the right), excerpt_ids (batch,), and its keys from `draw_keys` (drawn
        now when not given)."""
        if keys is None:
            keys = self.draw_keys(activations.shape[0])
        _accumulate(
            # One copy to the host in float32, whatever device and precision recorded it.
            activations.to(device="cpu", dtype=torch.float32).contiguous().numpy(),
            lengths.numpy(),
            excerpt_ids.numpy(),
            keys.numpy(),
            self.bounds,
            self.keys.numpy(),
            self.excerpt_ids.numpy(),
            self.activations.numpy().view(np.uint16),
            self.power_sums.numpy(),
            self.maximum.numpy(),
            self.minimum.numpy(),
        )
        self.count += int(lengths.sum())

    def referenced_excerpts(self) -> Tensor:
        """Ids of every excerpt some selection still holds."""
        ids = self.excerpt_ids.flatten()
        return ids[ids >= 0].unique()
