"""Running per-neuron selections over a stream of excerpt batches, in constant memory.

For every neuron of a layer we keep the k excerpts with the highest maximum activation (top),
the k with the lowest minimum (bottom, for signed gated units), a uniform random sample drawn
independently per neuron, and power sums for the moments. Nothing grows with the corpus: each
batch is merged into fixed-size tensors and then dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

Tensor = torch.Tensor


@dataclass
class Selection:
    """The k best excerpts per neuron by some key (higher is better)."""

    keys: Tensor  # (k, neurons) float32, -inf where empty
    excerpt_ids: Tensor  # (k, neurons) int64, -1 where empty
    activations: Tensor  # (k, neurons, tokens) float16: each chosen excerpt's activations

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
        tokens, neurons). Only neurons whose selection can change are touched, so late in a
        scan, when few excerpts beat the current k-th, a batch costs little."""
        k = self.keys.shape[0]
        if k == 0:
            return
        changed = (keys.max(dim=0).values > self.keys[-1]).nonzero().squeeze(1)
        if changed.numel() == 0:
            return
        batch = keys.shape[0]
        all_keys = torch.cat([self.keys[:, changed], keys[:, changed]])
        order = all_keys.topk(k, dim=0).indices  # (k, changed), sorted best first
        self.keys[:, changed] = all_keys.gather(0, order)
        new_ids = excerpt_ids.unsqueeze(1).expand(batch, changed.numel())
        all_ids = torch.cat([self.excerpt_ids[:, changed], new_ids])
        self.excerpt_ids[:, changed] = all_ids.gather(0, order)
        new_acts = activations[:, :, changed].permute(0, 2, 1).to(torch.float16)
        all_acts = torch.cat([self.activations[:, changed], new_acts])
        tokens = all_acts.shape[-1]
        self.activations[:, changed] = all_acts.gather(
            0, order.unsqueeze(-1).expand(k, changed.numel(), tokens)
        )


class LayerAccumulator:
    """All selections and moments of one layer's neurons."""

    def __init__(
        self, neurons: int, tokens: int, top_k: int, random_k: int, generator: torch.Generator
    ) -> None:
        self.top = Selection.empty(top_k, neurons, tokens)
        self.bottom = Selection.empty(top_k, neurons, tokens)
        self.random = Selection.empty(random_k, neurons, tokens)
        self.power_sums = torch.zeros((4, neurons), dtype=torch.float64)
        self.count = 0
        self.maximum = torch.full((neurons,), -torch.inf)
        self.minimum = torch.full((neurons,), torch.inf)
        self.generator = generator

    def update(self, activations: Tensor, mask: Tensor, excerpt_ids: Tensor) -> None:
        """Add a batch: activations (batch, tokens, neurons), mask (batch, tokens) of real
        tokens, excerpt_ids (batch,)."""
        acts = activations.float()
        real = mask.unsqueeze(-1)
        batch_max = acts.masked_fill(~real, -torch.inf).amax(dim=1)
        batch_min = acts.masked_fill(~real, torch.inf).amin(dim=1)
        self.top.merge(batch_max, excerpt_ids, acts)
        self.bottom.merge(-batch_min, excerpt_ids, acts)
        # Independent uniform sampling per neuron: keep the k excerpts with the largest
        # random keys (a reservoir sample without replacement, for every neuron at once).
        random_keys = torch.rand(batch_max.shape, generator=self.generator)
        self.random.merge(random_keys, excerpt_ids, acts)
        flat = acts[mask].double()  # (real tokens, neurons)
        powers = flat.clone()
        for power in range(4):
            self.power_sums[power] += powers.sum(dim=0)
            if power < 3:
                powers *= flat
        self.count += flat.shape[0]
        self.maximum = torch.maximum(self.maximum, batch_max.amax(dim=0))
        self.minimum = torch.minimum(self.minimum, batch_min.amin(dim=0))

    def referenced_excerpts(self) -> Tensor:
        """Ids of every excerpt some selection still holds."""
        ids = torch.cat([s.excerpt_ids.flatten() for s in (self.top, self.bottom, self.random)])
        return ids[ids >= 0].unique()
