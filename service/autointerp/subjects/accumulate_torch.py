"""The scan's per-batch accumulation as torch operations, for models on an accelerator: every
selection (top, bottom, random sample, quantile sample), the moments and the extremes stay on
the model's device, and only the finished records cross to the host. It keeps what
`accumulate.LayerAccumulator` keeps, slot for slot (the tests run both on the CPU), from the
same random keys; on the CPU the compiled path is the faster one."""

from __future__ import annotations

import torch

from autointerp.subjects.accumulate import LayerAccumulator, Selection

Tensor = torch.Tensor


class TorchLayerAccumulator(LayerAccumulator):
    """All selections and moments of one layer's neurons, kept on `device` (the arrays and
    the keys drawn on the host are `LayerAccumulator`'s); only `update` differs."""

    def _selection(self, index: int) -> Selection:
        held = super()._selection(index)
        return Selection(held.keys.cpu(), held.excerpt_ids.cpu(), held.activations.cpu())

    def update(
        self, activations: Tensor, lengths: Tensor, excerpt_ids: Tensor, keys: Tensor | None = None
    ) -> None:
        """Add a batch: activations (batch, tokens, neurons) on the device, lengths (batch,) of
        real tokens (right padding), excerpt_ids (batch,), keys from `draw_keys`."""
        if keys is None:
            keys = self.draw_keys(activations.shape[0])
        acts = activations.to(self.device, torch.float32)
        lengths = lengths.to(self.device)
        real = torch.arange(acts.shape[1], device=self.device)[None, :] < lengths[:, None]
        real = real.unsqueeze(-1)
        batch_keys = keys.to(self.device)
        batch_keys[0] = acts.masked_fill(~real, -torch.inf).amax(dim=1)
        batch_keys[1] = -acts.masked_fill(~real, torch.inf).amin(dim=1)
        self.maximum = torch.maximum(self.maximum, batch_keys[0].amax(dim=0))
        self.minimum = torch.minimum(self.minimum, -batch_keys[1].amax(dim=0))
        a = acts.masked_fill(~real, 0.0)
        square = a * a
        sums = torch.stack([a, square, square * a, square * square]).sum(dim=(1, 2))
        self.power_sums += sums.double()  # a batch's sums in float32, as the CPU path does
        self.count += int(lengths.sum())
        rows = acts.permute(0, 2, 1).to(torch.float16)  # (batch, neurons, tokens)
        ids = excerpt_ids.to(self.device)[:, None].expand(-1, acts.shape[2])
        for s in range(len(self.bounds) - 1):
            start, end = int(self.bounds[s]), int(self.bounds[s + 1])
            if end > start:
                self._merge(start, end, batch_keys[s], ids, rows)

    def _merge(self, start: int, end: int, keys: Tensor, ids: Tensor, rows: Tensor) -> None:
        """Keep the best `end - start` of the held and the new excerpts, per neuron."""
        held = slice(start, end)
        candidates = torch.cat([self.keys[held], keys])
        best = candidates.topk(end - start, dim=0).indices  # (k, neurons)
        self.keys[held] = candidates.gather(0, best)
        self.excerpt_ids[held] = torch.cat([self.excerpt_ids[held], ids]).gather(0, best)
        all_rows = torch.cat([self.activations[held], rows])
        tokens = rows.shape[2]
        self.activations[held] = all_rows.gather(0, best[..., None].expand(-1, -1, tokens))

    def referenced_excerpts(self) -> Tensor:
        """Ids of every excerpt some selection still holds, on the host."""
        return super().referenced_excerpts().cpu()
