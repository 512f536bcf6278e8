"""Where each architecture's MLP neurons are, and recording them with forward hooks.

A neuron's activation is the MLP's hidden unit after the non-linearity, i.e. the input of the
MLP's output projection (docs/method.md). One mechanism serves every architecture: a forward
pre-hook on that projection. Recording stops the forward pass right after the last layer
needed (by raising from its hook), and runs the transformer body, never the LM head.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn
from transformers import PreTrainedModel

from autointerp.subjects.architectures import MlpLayout, ModelShape, layout_of, model_shape


def _get(root: nn.Module, path: str) -> nn.Module:
    module = root
    for part in filter(None, path.split(".")):
        module = getattr(module, part)
    return module


class StopForward(Exception):
    """Raised by the last hook needed: the rest of the network would be wasted work."""


@dataclass(frozen=True)
class MlpNeurons:
    """The MLP neurons of one loaded model."""

    model: PreTrainedModel
    layout: MlpLayout

    @classmethod
    def of(cls, model: PreTrainedModel) -> MlpNeurons:
        """Find the neurons of a supported architecture, or say which are supported."""
        layout = layout_of(model.config.model_type)
        # A bare encoder (BertModel) is its own body; a head model wraps it.
        if layout.body and not hasattr(model, layout.body.split(".")[0]):
            layout = MlpLayout("", layout.blocks, layout.projection, layout.gated)
        return cls(model, layout)

    @property
    def body(self) -> nn.Module:
        """The transformer without its head."""
        return _get(self.model, self.layout.body)

    @property
    def blocks(self) -> nn.ModuleList:
        """The transformer blocks."""
        blocks = _get(self.body, self.layout.blocks)
        assert isinstance(blocks, nn.ModuleList)
        return blocks

    def projection(self, layer: int) -> nn.Module:
        """The MLP output projection of one layer."""
        return _get(self.blocks[layer], self.layout.projection)

    @property
    def shape(self) -> ModelShape:
        """Layers and neurons per layer."""
        return model_shape(self.model.config.to_dict())

    @contextmanager
    def recording(
        self, layers: list[int], sink: Callable[[int, torch.Tensor], None]
    ) -> Iterator[None]:
        """While active, each forward pass that this thread runs calls `sink(layer,
        activations[batch, tokens, neurons])` for the given layers, then stops after the last
        of them. Other threads' forward passes are left alone, so several threads can record
        the same model at once (a scan's batches in flight, a request beside a scan)."""
        last = max(layers)
        owner = threading.get_ident()
        handles = []
        for layer in layers:

            def hook(_: nn.Module, args: tuple[torch.Tensor, ...], layer: int = layer) -> None:
                if threading.get_ident() != owner:
                    return
                sink(layer, args[0])
                if layer == last:
                    raise StopForward

            handles.append(self.projection(layer).register_forward_pre_hook(hook))
        try:
            yield
        finally:
            for handle in handles:
                handle.remove()

    def run(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> None:
        """A forward pass of the body alone (no LM head); hooks see the activations."""
        try:
            self.body(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)
        except StopForward:
            pass

    def record_layer(self, input_ids: torch.Tensor, layer: int) -> torch.Tensor:
        """Activations (batch, tokens, neurons) of one layer for unpadded input ids."""
        captured: dict[int, torch.Tensor] = {}
        with torch.inference_mode(), self.recording([layer], captured.__setitem__):
            self.run(input_ids, torch.ones_like(input_ids))
        return captured[layer]
