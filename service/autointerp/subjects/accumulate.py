"""Running per-neuron selections over a stream of excerpt batches, in constant memory.

For every neuron of a layer we keep the k excerpts with the highest maximum activation (top),
the k with the lowest minimum (bottom, for signed gated units), a uniform random sample drawn
independently per neuron, optionally a second, larger uniform sample that is split into
quantile bins when the pass ends, and power sums for the moments. Nothing grows with the
corpus: each batch is merged into fixed-size tensors and then dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

Tensor = torch.Tensor


@dataclass
class Selection:
    """The k best excerpts per neuron by some key (higher is better), in no particular slot
    order: a batch's winners overwrite only the slots of the entries they evict, so a merge
    copies the winners' activations and nothing else."""

    keys: Tensor  # (k, neurons) float32, -inf where empty
    excerpt_ids: Tensor  # (k, neurons) int64, -1 where empty
    activations: Tensor  # (k, neurons, tokens) float16: each held excerpt's activations

    @classmethod
    def empty(cls, k: int, neurons: int, tokens: int) -> Selection:
        """A selection with no excerpts yet."""
        return cls(
            keys=torch.full((k, neurons), -torch.inf),
            excerpt_ids=torch.full((k, neurons), -1, dtype=torch.int64),
            activations=torch.zeros((k, neurons, tokens), dtype=torch.float16),
        )

    def merge(self, keys: Tensor, excerpt_ids: Tensor, activations: Tensor) -> None:
        """Merge a batch: keys (batch, neurons), excerpt_ids (batch,), activations (batch,
        neurons, tokens) float16."""
        k = self.keys.shape[0]
        if k == 0:
            return
        # Only neurons where some excerpt of the batch beats the weakest held one can change.
        changed = (keys.max(dim=0).values > self.keys.min(dim=0).values).nonzero().squeeze(1)
        if changed.numel() == 0:
            return
        candidates = torch.cat([self.keys[:, changed], keys[:, changed]])  # (k + batch, C)
        winners = torch.zeros(candidates.shape, dtype=torch.bool)
        winners.scatter_(0, candidates.topk(k, dim=0).indices, True)
        # Per neuron, as many held entries are evicted as batch entries win; both lists
        # come out of nonzero() grouped by neuron in the same order, so they pair up.
        evicted = (~winners[:k]).T.nonzero()  # (n, 2): column, slot
        entering = winners[k:].T.nonzero()  # (n, 2): column, batch row
        columns = changed[evicted[:, 0]]
        slots, rows = evicted[:, 1], entering[:, 1]
        self.keys[slots, columns] = keys[rows, columns]
        self.excerpt_ids[slots, columns] = excerpt_ids[rows]
        self.activations[slots, columns] = activations[rows, columns]

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


def batch_statistics(
    acts: Tensor, mask: Tensor, full: bool
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """A batch's per-excerpt max and min (batch, neurons), its activations per neuron as
    float16 (batch, neurons, tokens), and the sums of a, a^2, a^3, a^4 over real tokens
    (4, neurons). `full`: no padding."""
    real = mask.unsqueeze(-1)
    values = acts if full else acts * real  # padding adds nothing to the sums
    batch_max = (acts if full else acts.masked_fill(~real, -torch.inf)).amax(dim=1)
    batch_min = (acts if full else acts.masked_fill(~real, torch.inf)).amin(dim=1)
    per_neuron = acts.transpose(1, 2).to(torch.float16)
    squares = values * values
    powers = (values, squares, squares * values, squares * squares)
    return batch_max, batch_min, per_neuron, torch.stack([p.sum(dim=(0, 1)) for p in powers])


class LayerAccumulator:
    """All selections and moments of one layer's neurons."""

    def __init__(
        self,
        neurons: int,
        tokens: int,
        top_k: int,
        random_k: int,
        generator: torch.Generator,
        quantile_sample: int = 0,
    ) -> None:
        self.top = Selection.empty(top_k, neurons, tokens)
        self.bottom = Selection.empty(top_k, neurons, tokens)
        self.random = Selection.empty(random_k, neurons, tokens)
        # Binned by quantile only at the end: the corpus's quantiles are unknown until then,
        # and a uniform sample's own quantiles estimate them.
        self.quantile_sample = Selection.empty(quantile_sample, neurons, tokens)
        self.power_sums = torch.zeros((4, neurons), dtype=torch.float64)
        self.count = 0
        self.maximum = torch.full((neurons,), -torch.inf)
        self.minimum = torch.full((neurons,), torch.inf)
        self.generator = generator

    def update(self, activations: Tensor, mask: Tensor, excerpt_ids: Tensor) -> None:
        """Add a batch: activations (batch, tokens, neurons), mask (batch, tokens) of real
        tokens, excerpt_ids (batch,)."""
        full = bool(mask.all())
        batch_max, batch_min, per_neuron, sums = batch_statistics(activations.float(), mask, full)
        self.top.merge(batch_max, excerpt_ids, per_neuron)
        self.bottom.merge(-batch_min, excerpt_ids, per_neuron)
        # Independent uniform sampling per neuron: keep the k excerpts with the largest
        # random keys (a reservoir sample without replacement, for every neuron at once).
        random_keys = torch.rand(batch_max.shape, generator=self.generator)
        self.random.merge(random_keys, excerpt_ids, per_neuron)
        if self.quantile_sample.keys.shape[0]:
            quantile_keys = torch.rand(batch_max.shape, generator=self.generator)
            self.quantile_sample.merge(quantile_keys, excerpt_ids, per_neuron)
        # Per-batch float32 sums are exact enough; the running totals are float64.
        self.power_sums += sums.double()
        self.count += int(mask.sum())
        self.maximum = torch.maximum(self.maximum, batch_max.amax(dim=0))
        self.minimum = torch.minimum(self.minimum, batch_min.amin(dim=0))

    def selections(self) -> tuple[Selection, ...]:
        """Every selection, in the order a stored record lays them out."""
        return (self.top, self.bottom, self.random, self.quantile_sample)

    def referenced_excerpts(self) -> Tensor:
        """Ids of every excerpt some selection still holds."""
        ids = torch.cat([s.excerpt_ids.flatten() for s in self.selections()])
        return ids[ids >= 0].unique()
